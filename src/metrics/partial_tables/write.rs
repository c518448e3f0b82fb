//! An accumulator written as the partial tables: UTF-8, a header row, rows in one sorted
//! order, so the same data gives the same bytes.

use super::{
    COMMENTS, COMMENTS_COLUMNS, COMMENTS_KINDS, COMPLAINTS, COMPLAINTS_COLUMNS, COMPLAINTS_KINDS,
    FORMAT, Kind, META, META_COLUMNS, META_KINDS, Measure, OVERDUE, PARTIALS, PARTIALS_COLUMNS,
    PARTIALS_KINDS, buckets, day, level_label, status_label,
};
use crate::config::Config;
use crate::metrics::partial::{Accumulator, Counts, Partial, PartialKey};
use crate::metrics::rules::Rules;
use crate::model::{Severity, StatusId, Sym, Symbols};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// One table, named by its file name.
pub struct Table {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// How the tables are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `NAME.csv`
    Csv,
    /// `NAME.parquet`, snappy: needs the `parquet` feature.
    Parquet,
}

/// The four tables of `acc`, whose symbols `symbols` names, counted by `config`'s rules.
/// Comment texts are masked, complaint ids labelled and comment ids replaced by their order
/// here, so the tables hold no personal data the reports would not show.
pub fn write(
    acc: &Accumulator,
    symbols: &Symbols,
    config: &Config,
    format: Format,
) -> std::io::Result<Vec<Table>> {
    let names = Names { symbols, config };
    let mut groups: Vec<(Group<'_>, &Partial)> = (acc.partials.iter())
        .map(|(key, p)| (names.group(key), p))
        .collect();
    let open = open_by_deadline(acc);
    groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let meta = vec![
        row(["format", FORMAT]),
        row(["as_of", &acc.rules.as_of.to_string()]),
        row(["buckets", &buckets(config)]),
        row(["after_as_of", &acc.after_as_of.to_string()]),
        row([OVERDUE.0, OVERDUE.1]),
    ];
    let mut partials = Vec::new();
    for (group, p) in &groups {
        let before = partials.len();
        for measure in Measure::ALL {
            // Open complaints by deadline day are counted from the kept complaints, not the
            // partial (see `open_by_deadline`).
            let counters = match measure {
                Measure::OpenByDeadline => (open.get(&group.of))
                    .map(|days| days.iter().map(|(d, &n)| (d.to_string(), n)).collect())
                    .unwrap_or_default(),
                _ => names.counters(measure, p),
            };
            for (key, value) in counters {
                if value > 0 {
                    partials.push(group.row([measure.name().to_owned(), key, value.to_string()]));
                }
            }
        }
        // A group is in the data when it has a row, even with nothing counted.
        if partials.len() == before {
            partials.push(group.row(["visits".to_owned(), String::new(), "0".to_owned()]));
        }
    }
    let mut complaints: Vec<Vec<String>> = (acc.complaints.entries())
        .map(|(r, id, excerpt)| {
            vec![
                r.date.to_string(),
                symbols.name(r.department).to_owned(),
                names.site(r.site),
                id.to_owned(),
                symbols.name(r.category).to_owned(),
                severity(r.severity),
                names.status(r.status),
                day(r.deadline),
                day(r.closed_date),
                excerpt.to_owned(),
            ]
        })
        .collect();
    complaints.sort_unstable();
    let ranks = CommentRanks::new(&groups);
    let mut comments: Vec<Vec<String>> = Vec::new();
    for (group, p) in &groups {
        for c in &p.complaint().comments {
            comments.push(group.row([
                c.date.to_string(),
                ranks.id(c),
                symbols.name(c.category).to_owned(),
                crate::privacy::mask(&c.text),
            ]));
        }
    }
    comments.sort_unstable();
    Ok(vec![
        table(format, META, (&META_COLUMNS, &META_KINDS), &meta)?,
        table(
            format,
            PARTIALS,
            (&PARTIALS_COLUMNS, &PARTIALS_KINDS),
            &partials,
        )?,
        table(
            format,
            COMPLAINTS,
            (&COMPLAINTS_COLUMNS, &COMPLAINTS_KINDS),
            &complaints,
        )?,
        table(
            format,
            COMMENTS,
            (&COMMENTS_COLUMNS, &COMMENTS_KINDS),
            &comments,
        )?,
    ])
}

/// What `comments` holds in place of each comment's id: a tag of the table, then the place of
/// the comment's (id, text) among those of every comment written, as digits of one width
/// (`5f0c2a91:07`). Comments are kept newest first, then by id and text
/// (`comments::comment_order`); a place orders them as the raw id and text do, where a
/// labelled id would not (seven digits and more are masked alike, `*******`), and it names no
/// record. Places mean nothing across tables: the tag (the first 8 hex digits of the SHA-256
/// of the table's pairs) keeps two tables' comments apart where a build reads both, so that
/// neither is taken for the other and dropped.
struct CommentRanks<'a> {
    pairs: Vec<(&'a str, &'a str)>,
    tag: String,
}

impl<'a> CommentRanks<'a> {
    fn new(groups: &[(Group<'_>, &'a Partial)]) -> CommentRanks<'a> {
        use sha2::{Digest, Sha256};
        let all = groups.iter().flat_map(|(_, p)| &p.complaint().comments);
        let mut pairs: Vec<(&str, &str)> = all.map(|c| (&*c.id, &*c.text)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut hasher = Sha256::new();
        for (id, text) in &pairs {
            // Lengths first, so that no two lists of pairs hash the same bytes.
            for part in [id, text] {
                hasher.update((part.len() as u64).to_le_bytes());
                hasher.update(part.as_bytes());
            }
        }
        let tag = crate::seal::hex(&hasher.finalize()[..4]);
        CommentRanks { pairs, tag }
    }

    fn id(&self, c: &crate::metrics::comments::CommentSample) -> String {
        let place = (self.pairs).partition_point(|&pair| pair < (&*c.id, &*c.text));
        let width = self.pairs.len().to_string().len();
        format!("{}:{:0width$}", self.tag, place + 1)
    }
}

/// The open complaints not yet overdue as of the tables' day, per group and deadline day: what
/// `overdue` adds as of a later day (`rules::is_open_overdue_at`). Every open complaint is
/// kept in `acc.complaints`, so they are counted from there.
fn open_by_deadline(acc: &Accumulator) -> HashMap<PartialKey, BTreeMap<NaiveDate, u64>> {
    let mut open: HashMap<PartialKey, BTreeMap<NaiveDate, u64>> = HashMap::default();
    for (complaint, _, _) in acc.complaints.entries() {
        let Some(deadline) = complaint.deadline else {
            continue;
        };
        if complaint.closed || Rules::is_open_overdue_at(deadline, acc.rules.as_of) {
            continue;
        }
        let key = PartialKey {
            bucket: acc.rules.calendar.bucket(complaint.date),
            department: complaint.department,
            site: complaint.site,
        };
        *open.entry(key).or_default().entry(deadline).or_default() += 1;
    }
    open
}

fn row<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.map(str::to_owned).to_vec()
}

/// One table in `format`; `file` is its CSV name.
fn table(
    format: Format,
    file: &str,
    (columns, kinds): (&[&str], &[Kind]),
    rows: &[Vec<String>],
) -> std::io::Result<Table> {
    let (name, bytes) = match format {
        Format::Csv => (file.to_owned(), csv_bytes(columns, rows)?),
        Format::Parquet => (
            file.replace(".csv", ".parquet"),
            super::parquet::write(columns, kinds, rows)?,
        ),
    };
    Ok(Table { name, bytes })
}

fn csv_bytes(columns: &[&str], rows: &[Vec<String>]) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(columns)?;
    for row in rows {
        writer.write_record(row)?;
    }
    writer.into_inner().map_err(|e| e.into_error())
}

fn severity(severity: Option<Severity>) -> String {
    severity.map_or("", Severity::key).to_owned()
}

/// A partial's key as the tables write it: names, not symbols.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Group<'a> {
    bucket: NaiveDate,
    department: &'a str,
    site: Option<&'a str>,
    /// The key it names (last: the names order the groups).
    of: PartialKey,
}

impl Group<'_> {
    /// The group's cells, then `rest`.
    fn row<const N: usize>(&self, rest: [String; N]) -> Vec<String> {
        let head = [
            self.bucket.to_string(),
            self.department.to_owned(),
            self.site.unwrap_or_default().to_owned(),
        ];
        head.into_iter().chain(rest).collect()
    }
}

struct Names<'a> {
    symbols: &'a Symbols,
    config: &'a Config,
}

impl<'a> Names<'a> {
    fn group(&self, key: &PartialKey) -> Group<'a> {
        Group {
            bucket: key.bucket,
            department: self.symbols.name(key.department),
            site: key.site.map(|s| self.symbols.name(s)),
            of: *key,
        }
    }

    fn site(&self, site: Option<Sym>) -> String {
        site.map(|s| self.symbols.name(s).to_owned())
            .unwrap_or_default()
    }

    fn status(&self, status: Option<StatusId>) -> String {
        status_label(self.config, status).to_owned()
    }

    fn level(&self, index: usize) -> String {
        level_label(self.config, index).to_owned()
    }

    /// The (key, value) pairs of one measure of `p`, keys written as the tables name them;
    /// named keys sorted by name, the others in their own order.
    fn counters(&self, measure: Measure, p: &Partial) -> Vec<(String, u64)> {
        let plain = |value: u64| vec![(String::new(), value)];
        let named = |counts: &Counts<Sym>| {
            let mut list: Vec<(String, u64)> = (counts.iter())
                .map(|(&s, &n)| (self.symbols.name(s).to_owned(), n))
                .collect();
            list.sort_unstable();
            list
        };
        let levels = |counts: &[u64]| {
            (counts.iter().enumerate())
                .map(|(i, &n)| (self.level(i), n))
                .collect()
        };
        let c = p.complaint();
        match measure {
            Measure::Visits => plain(p.visits),
            Measure::Contacted => plain(p.contacted),
            Measure::ByType => named(&p.by_type),
            Measure::ByChannel => named(&p.by_channel),
            Measure::Levels => levels(&p.levels),
            Measure::Complaints => plain(p.complaints),
            Measure::ByCategory => named(&c.by_category),
            Measure::BySeverity => (c.by_severity.iter())
                .map(|(&s, &n)| (severity(s), n))
                .collect(),
            Measure::ByStatus => (c.by_status.iter())
                .map(|(&s, &n)| (self.status(s), n))
                .collect(),
            Measure::Closed => plain(c.closed),
            Measure::ClosedWithoutDate => plain(c.closed_without_date),
            Measure::Overdue => plain(c.overdue),
            Measure::ClosedLate => plain(c.closed_late),
            Measure::WithoutDeadline => plain(c.without_deadline),
            Measure::DaysToClose => (c.days_to_close.iter())
                .map(|(&d, &n)| (d.to_string(), n))
                .collect(),
            Measure::RevisitLevels => levels(&c.revisit_levels),
            Measure::Closings => plain(p.closings),
            // Kept row by row in the complaints, not in the partial: see `open_by_deadline`.
            Measure::OpenByDeadline => Vec::new(),
        }
    }
}
