//! The partial tables (docs/partials.md): what an [`Accumulator`] holds, as four tables a data
//! warehouse can produce and huifang can read back in place of the visit logs. `huifang
//! partials` writes them ([`write`]); a `[[partials]]` source reads them ([`read`]).
//!
//! - `meta.csv`: what the tables were counted by (`as_of`, buckets), so a build by other
//!   rules is refused rather than wrong.
//! - `partials.csv`: one row per counter of a [`Partial`](super::Partial) — long and narrow,
//!   `(bucket, department, site, measure, key, value)` — so a new counter is a new `measure`,
//!   never a new column.
//! - `complaints.csv`: the complaints the action lists need row by row (see
//!   [`super::actions`]).
//! - `comments.csv`: each partial's comment samples (see [`super::comments`]).
//!
//! Names (departments, sites, visit types, channels, categories) are written as the reports
//! name them, levels and statuses by their configured labels, severities by their keys, so
//! the tables mean the same to any reader and any symbol numbering.

mod canonical;
mod layout;
mod parquet;
mod read;
mod sql;
mod table;
mod write;

pub use canonical::{VISITS, VISITS_COLUMNS, VisitsWriter};
pub use layout::files;
pub use parquet::AVAILABLE as PARQUET;
pub use read::read_into;
pub use sql::{Dialect, SqlError, sql};
pub use table::{TableError, TableFile};
pub use write::{Format, Table, write};

use crate::config::Config;
use crate::model::StatusId;
use chrono::NaiveDate;

/// What a reader checks first: the tables' layout version.
pub const FORMAT: &str = "huifang-partials 1";

/// The `meta` row saying the tables count open complaints per deadline day
/// (`open_by_deadline`), so they give `overdue` as of any later day (docs/partials.md, "As-of").
const OVERDUE: (&str, &str) = ("overdue", "by_deadline");

pub const META: &str = "meta.csv";
pub const PARTIALS: &str = "partials.csv";
pub const COMPLAINTS: &str = "complaints.csv";
pub const COMMENTS: &str = "comments.csv";
/// Every table of a folder of partials, in the order they are written and read.
pub const TABLES: [&str; 4] = [META, PARTIALS, COMPLAINTS, COMMENTS];

/// What a column holds, as a Parquet file must type it (a CSV cell is text either way).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Date,
    Count,
}

const META_COLUMNS: [&str; 2] = ["name", "value"];
const META_KINDS: [Kind; 2] = [Kind::Text, Kind::Text];
const PARTIALS_KINDS: [Kind; 6] = [
    Kind::Date,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Count,
];
const COMPLAINTS_KINDS: [Kind; 10] = [
    Kind::Date,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Date,
    Kind::Date,
    Kind::Text,
];
const COMMENTS_KINDS: [Kind; 7] = [
    Kind::Date,
    Kind::Text,
    Kind::Text,
    Kind::Date,
    Kind::Text,
    Kind::Text,
    Kind::Text,
];
const PARTIALS_COLUMNS: [&str; 6] = ["bucket", "department", "site", "measure", "key", "value"];
const COMPLAINTS_COLUMNS: [&str; 10] = [
    "date",
    "department",
    "site",
    "id",
    "category",
    "severity",
    "status",
    "deadline",
    "closed_date",
    "comment",
];
const COMMENTS_COLUMNS: [&str; 7] = [
    "bucket",
    "department",
    "site",
    "date",
    "id",
    "category",
    "text",
];

/// What the `key` of a measure holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    /// No key: a plain counter.
    None,
    /// A name: visit type, channel, complaint category.
    Name,
    /// A label of the satisfaction scale.
    Level,
    /// `major`, `important`, `minor`; empty: the complaint gave none.
    Severity,
    /// A configured status; empty: the complaint gave none.
    Status,
    /// Whole days from visit to closing.
    Days,
    /// A day, `YYYY-MM-DD`.
    Day,
}

/// The counters of a [`Partial`](super::Partial), as `measure` names them (the field's
/// name), in the order they are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    Visits,
    Contacted,
    ByType,
    ByChannel,
    Levels,
    Complaints,
    ByCategory,
    BySeverity,
    ByStatus,
    Closed,
    ClosedWithoutDate,
    Overdue,
    ClosedLate,
    WithoutDeadline,
    DaysToClose,
    RevisitLevels,
    Closings,
    OpenByDeadline,
}

impl Measure {
    const ALL: [Measure; 18] = [
        Measure::Visits,
        Measure::Contacted,
        Measure::ByType,
        Measure::ByChannel,
        Measure::Levels,
        Measure::Complaints,
        Measure::ByCategory,
        Measure::BySeverity,
        Measure::ByStatus,
        Measure::Closed,
        Measure::ClosedWithoutDate,
        Measure::Overdue,
        Measure::ClosedLate,
        Measure::WithoutDeadline,
        Measure::DaysToClose,
        Measure::RevisitLevels,
        Measure::Closings,
        Measure::OpenByDeadline,
    ];

    fn name(self) -> &'static str {
        match self {
            Measure::Visits => "visits",
            Measure::Contacted => "contacted",
            Measure::ByType => "by_type",
            Measure::ByChannel => "by_channel",
            Measure::Levels => "levels",
            Measure::Complaints => "complaints",
            Measure::ByCategory => "by_category",
            Measure::BySeverity => "by_severity",
            Measure::ByStatus => "by_status",
            Measure::Closed => "closed",
            Measure::ClosedWithoutDate => "closed_without_date",
            Measure::Overdue => "overdue",
            Measure::ClosedLate => "closed_late",
            Measure::WithoutDeadline => "without_deadline",
            Measure::DaysToClose => "days_to_close",
            Measure::RevisitLevels => "revisit_levels",
            Measure::Closings => "closings",
            Measure::OpenByDeadline => "open_by_deadline",
        }
    }

    fn key(self) -> KeyKind {
        match self {
            Measure::ByType | Measure::ByChannel | Measure::ByCategory => KeyKind::Name,
            Measure::Levels | Measure::RevisitLevels => KeyKind::Level,
            Measure::BySeverity => KeyKind::Severity,
            Measure::ByStatus => KeyKind::Status,
            Measure::DaysToClose => KeyKind::Days,
            Measure::OpenByDeadline => KeyKind::Day,
            _ => KeyKind::None,
        }
    }

    fn parse(name: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// How the tables cut time, as `meta.csv` says it: `month`, or `month+week:Mon` with weekly
/// reports (a bucket is then the part of a week inside one month).
fn buckets(config: &Config) -> String {
    let calendar = config.calendar();
    if calendar.has_weeks() {
        format!("month+week:{}", config.week_start.0)
    } else {
        "month".to_owned()
    }
}

/// A date cell: `YYYY-MM-DD`, empty for none.
fn day(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// A status as the tables name it: its configured label; empty for none.
fn status_label(config: &Config, status: Option<StatusId>) -> &str {
    let label = status.and_then(|s| config.status.all().nth(usize::from(s.0)));
    label.map_or("", |(l, _)| l)
}

/// A satisfaction level as the tables name it: its label in the configured scale.
fn level_label(config: &Config, index: usize) -> &str {
    let levels = &config.satisfaction.levels;
    levels.get(index).map_or("", |l| l.label.as_str())
}
