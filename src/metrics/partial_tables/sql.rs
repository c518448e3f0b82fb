//! `huifang sql`: the SQL that counts the partial tables (docs/partials.md) from the canonical
//! visits table in a warehouse, for DuckDB or Spark. Every rule it needs — the closed
//! statuses, the SLA days, the buckets, the as-of date — is taken from the [`Rules`] the
//! accumulator counts by, and every measure from [`Measure::ALL`], so the SQL and the Rust
//! cannot count differently without a test seeing it (tests/partials_sql.rs).
//!
//! Names the statements create: the view `huifang_visits` (the visits up to as-of, with
//! their bucket, deadline and whether closed) and the four tables `huifang_meta`,
//! `huifang_partials`, `huifang_complaints`, `huifang_comments`, each exported as the table of
//! the same name without the prefix (CSV or Parquet).

use super::{
    COMPLAINTS_COLUMNS, FORMAT, KeyKind, META_COLUMNS, Measure, OVERDUE, PARTIALS_COLUMNS, buckets,
};
use crate::config::Config;
use crate::metrics::comments::COMMENTS_KEPT;
use crate::metrics::rules::Rules;
use crate::model::{Severity, StatusId};
use chrono::NaiveDate;
use std::fmt::Write;

/// The engine the SQL is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    DuckDb,
    Spark,
}

/// The name of the visits table is not one the SQL can use as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a table name the SQL can use: give letters, digits and `_` (not starting with \
     a digit), with `.` between a schema and the table, e.g. visits or warehouse.visits"
)]
pub struct SqlError(pub String);

/// The statements, separated by `;` and a blank line, that create the four tables from
/// `table` (the canonical visits table) as `config` counts them as of `as_of`. The same
/// arguments give the same bytes.
pub fn sql(
    config: &Config,
    as_of: NaiveDate,
    dialect: Dialect,
    table: &str,
) -> Result<String, SqlError> {
    if !is_table_name(table) {
        return Err(SqlError(table.to_owned()));
    }
    let rules = Rules::new(config, as_of);
    let q = Sql { dialect, as_of };
    let mut out = String::new();
    let engine = match dialect {
        Dialect::DuckDb => "duckdb",
        Dialect::Spark => "spark",
    };
    // Comments carry no configured text: a label could hold a line break.
    let _ = writeln!(
        out,
        "-- huifang sql --dialect {engine} --as-of {as_of} --table {table}\n\
         -- The partial tables of docs/partials.md, counted from the canonical visits table\n\
         -- `{table}`. Generated from the project's configuration: generate it again when the\n\
         -- configuration or the as-of date changes."
    );
    out.push_str(&export_comment(dialect));
    out.push('\n');
    let statements = [
        q.visits_view(config, &rules, table),
        q.create("huifang_meta", &q.meta(config, &rules, table)),
        q.create("huifang_partials", &q.partials()),
        q.create("huifang_complaints", &q.complaints()),
        q.create("huifang_comments", &q.comments()),
    ];
    out.push_str(&statements.join(";\n\n"));
    out.push_str(";\n");
    Ok(out)
}

/// How to export the four tables, for a reader of the SQL: as Parquet, which `[[partials]]`
/// reads in the layout each engine writes (docs/partials.md, "As Parquet"). No line ends in
/// `;`, so a runner splitting statements at `;` and a line break keeps the comment whole.
fn export_comment(dialect: Dialect) -> String {
    let mut out = String::from("-- Then export each table for `[[partials]]`, e.g. as Parquet:\n");
    for table in ["meta", "partials", "complaints", "comments"] {
        let line = match dialect {
            Dialect::DuckDb => {
                format!("--   COPY huifang_{table} TO 'tables/{table}.parquet' (FORMAT parquet)\n")
            }
            Dialect::Spark => {
                format!("--   spark.table(\"huifang_{table}\").write.parquet(\"tables/{table}\")\n")
            }
        };
        out.push_str(&line);
    }
    out
}

/// Letters, digits and `_`, not starting with a digit; parts joined by `.`.
fn is_table_name(name: &str) -> bool {
    name.split('.').all(|part| {
        let mut chars = part.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

struct Sql {
    dialect: Dialect,
    as_of: NaiveDate,
}

impl Sql {
    /// A column name, quoted: `date`, `key` and `value` are words of SQL.
    fn id(&self, name: &str) -> String {
        match self.dialect {
            Dialect::DuckDb => format!("\"{name}\""),
            Dialect::Spark => format!("`{name}`"),
        }
    }

    /// A string literal. Labels are user text: DuckDB doubles `'`; Spark reads backslash
    /// escapes in literals, so `\` and `'` are escaped, and line breaks spelled out.
    fn text(&self, value: &str) -> String {
        match self.dialect {
            Dialect::DuckDb => format!("'{}'", value.replace('\'', "''")),
            Dialect::Spark => {
                let mut quoted = String::with_capacity(value.len() + 2);
                quoted.push('\'');
                for c in value.chars() {
                    match c {
                        '\\' => quoted.push_str("\\\\"),
                        '\'' => quoted.push_str("\\'"),
                        '\n' => quoted.push_str("\\n"),
                        '\r' => quoted.push_str("\\r"),
                        '\t' => quoted.push_str("\\t"),
                        c => quoted.push(c),
                    }
                }
                quoted.push('\'');
                quoted
            }
        }
    }

    fn date(&self, date: NaiveDate) -> String {
        format!("DATE '{date}'")
    }

    fn string_type(&self) -> &'static str {
        match self.dialect {
            Dialect::DuckDb => "VARCHAR",
            Dialect::Spark => "STRING",
        }
    }

    fn add_days(&self, date: &str, days: &str) -> String {
        match self.dialect {
            Dialect::DuckDb => format!("CAST({date} + INTERVAL ({days}) DAY AS DATE)"),
            Dialect::Spark => format!("date_add({date}, {days})"),
        }
    }

    /// Whole days from `from` to `to`.
    fn days_between(&self, from: &str, to: &str) -> String {
        match self.dialect {
            Dialect::DuckDb => format!("date_diff('day', {from}, {to})"),
            Dialect::Spark => format!("datediff({to}, {from})"),
        }
    }

    /// The bucket's first day of the day `date` ([`crate::period::Calendar::bucket`]): its
    /// month's first day, or with weeks the later of that and its week's first day.
    fn bucket(&self, config: &Config, rules: &Rules, date: &str) -> String {
        let month = format!("CAST(date_trunc('month', {date}) AS DATE)");
        if !rules.calendar.has_weeks() {
            return month;
        }
        let start = config.week_start.0.num_days_from_monday();
        // Days after Monday, 0 to 6.
        let weekday = match self.dialect {
            Dialect::DuckDb => format!("(isodow({date}) - 1)"),
            Dialect::Spark => format!("weekday({date})"),
        };
        let back = format!("(({weekday} + {}) % 7)", 7 - start);
        let week = self.add_days(date, &format!("-{back}"));
        format!("GREATEST({month}, {week})")
    }

    /// `CREATE` of a table (DuckDB) or a temporary view (Spark, whose tables need a catalog;
    /// a view is exported as a table is) named `name` holding `query`.
    fn create(&self, name: &str, query: &str) -> String {
        match self.dialect {
            Dialect::DuckDb => format!("CREATE OR REPLACE TABLE {name} AS\n{query}"),
            Dialect::Spark => format!("CREATE OR REPLACE TEMPORARY VIEW {name} AS\n{query}"),
        }
    }

    /// The visits the tables count (dated on or before as-of) and what the rules decide for
    /// each: its bucket, whether its complaint is closed, its deadline and the bucket of its
    /// closing.
    fn visits_view(&self, config: &Config, rules: &Rules, table: &str) -> String {
        let date = self.id("date");
        let closed_labels: Vec<String> = (config.status.all().enumerate())
            .filter(|&(i, _)| u8::try_from(i).is_ok_and(|i| rules.is_closed(Some(StatusId(i)))))
            .map(|(_, (label, _))| self.text(label))
            .collect();
        let closed = match closed_labels.is_empty() {
            true => "FALSE".to_owned(),
            false => format!("COALESCE(status IN ({}), FALSE)", closed_labels.join(", ")),
        };
        let sla: Vec<String> = (Severity::ALL.iter())
            .map(|&s| {
                let days = rules.sla_days(s).to_string();
                format!(
                    "WHEN {} THEN {}",
                    self.text(s.key()),
                    self.add_days(&date, &days)
                )
            })
            .collect();
        let deadline = format!("COALESCE(due_date, CASE severity {} END)", sla.join(" "));
        let closing = self.bucket(config, rules, &format!("COALESCE(closed_date, {date})"));
        format!(
            "CREATE OR REPLACE TEMPORARY VIEW huifang_visits AS\nSELECT\n  {date} AS visit_date,\n  {bucket} AS bucket,\n  department,\n  \
             site,\n  id,\n  visit_type,\n  channel,\n  contacted,\n  satisfaction,\n  \
             complaint_category AS category,\n  severity,\n  status,\n  closed_date,\n  \
             revisit_satisfaction,\n  comment,\n  {closed} AS closed,\n  {deadline} AS deadline,\n  \
             {closing} AS closing_bucket\nFROM {table}\nWHERE {date} <= {as_of}",
            bucket = self.bucket(config, rules, &date),
            as_of = self.date(rules.as_of),
        )
    }

    fn meta(&self, config: &Config, rules: &Rules, table: &str) -> String {
        let (name, value) = (self.id(META_COLUMNS[0]), self.id(META_COLUMNS[1]));
        let fixed = [
            ("format", FORMAT.to_owned()),
            ("as_of", rules.as_of.to_string()),
            ("buckets", buckets(config)),
            (OVERDUE.0, OVERDUE.1.to_owned()),
        ];
        let mut rows: Vec<String> = (fixed.iter().enumerate())
            .map(|(i, (n, v))| {
                format!(
                    "SELECT {i} AS position, {} AS {name}, {} AS {value}",
                    self.text(n),
                    self.text(v)
                )
            })
            .collect();
        rows.push(format!(
            "SELECT {} AS position, 'after_as_of' AS {name}, CAST(COUNT(*) AS {}) AS {value} \
             FROM {table} WHERE {} > {}",
            fixed.len(),
            self.string_type(),
            self.id("date"),
            self.date(rules.as_of)
        ));
        format!(
            "SELECT {name}, {value} FROM (\n  {}\n) AS meta ORDER BY position",
            rows.join("\n  UNION ALL ")
        )
    }

    /// One grouped count per measure, all in one table.
    fn partials(&self) -> String {
        let selects: Vec<String> = (Measure::ALL.iter()).map(|&m| self.measure(m)).collect();
        let columns: Vec<String> = PARTIALS_COLUMNS.iter().map(|c| self.id(c)).collect();
        format!(
            "SELECT {} FROM (\n  {}\n) AS counted\nORDER BY {}, {} NULLS FIRST, {}, {} NULLS FIRST",
            columns.join(", "),
            selects.join("\n  UNION ALL\n  "),
            columns[0..2].join(", "),
            columns[2],
            columns[3],
            columns[4],
        )
    }

    /// The count of one measure per group and key, as `Accumulator::add` counts it.
    fn measure(&self, measure: Measure) -> String {
        const COMPLAINT: &str = "category IS NOT NULL";
        const CLOSED: &str = "category IS NOT NULL AND closed";
        let days = format!(
            "GREATEST({}, 0)",
            self.days_between("visit_date", "closed_date")
        );
        let (key, condition): (&str, String) = match measure {
            Measure::Visits => ("", "TRUE".to_owned()),
            Measure::Contacted => ("", "contacted".to_owned()),
            Measure::ByType => ("visit_type", "visit_type IS NOT NULL".to_owned()),
            Measure::ByChannel => ("channel", "channel IS NOT NULL".to_owned()),
            Measure::Levels => ("satisfaction", "satisfaction IS NOT NULL".to_owned()),
            Measure::Complaints => ("", COMPLAINT.to_owned()),
            Measure::ByCategory => ("category", COMPLAINT.to_owned()),
            Measure::BySeverity => ("severity", COMPLAINT.to_owned()),
            Measure::ByStatus => ("status", COMPLAINT.to_owned()),
            Measure::Closed => ("", CLOSED.to_owned()),
            Measure::ClosedWithoutDate => ("", format!("{CLOSED} AND closed_date IS NULL")),
            // rules::is_overdue: closed after the deadline, or open past it at as-of.
            Measure::Overdue => (
                "",
                format!(
                    "{COMPLAINT} AND deadline IS NOT NULL AND ((closed AND closed_date > \
                     deadline) OR (NOT closed AND deadline < {}))",
                    self.date(self.as_of)
                ),
            ),
            Measure::ClosedLate => ("", format!("{CLOSED} AND closed_date > deadline")),
            Measure::WithoutDeadline => ("", format!("{COMPLAINT} AND deadline IS NULL")),
            Measure::DaysToClose => (&days, format!("{CLOSED} AND closed_date IS NOT NULL")),
            Measure::RevisitLevels => (
                "revisit_satisfaction",
                format!("{COMPLAINT} AND revisit_satisfaction IS NOT NULL"),
            ),
            Measure::Closings => ("", CLOSED.to_owned()),
            // rules::is_open_overdue_at: open, not yet overdue at as-of, per deadline day.
            Measure::OpenByDeadline => (
                "deadline",
                format!(
                    "{COMPLAINT} AND NOT closed AND deadline IS NOT NULL AND NOT (deadline < {})",
                    self.date(self.as_of)
                ),
            ),
        };
        // `closings` is the one counter kept by the bucket of another day (docs/partials.md).
        let bucket = match measure {
            Measure::Closings => "closing_bucket",
            _ => "bucket",
        };
        let key = match (measure.key(), key) {
            (KeyKind::None, _) => format!("CAST(NULL AS {})", self.string_type()),
            (_, key) => format!("CAST({key} AS {})", self.string_type()),
        };
        let mut group = vec![bucket.to_owned(), "department".into(), "site".into()];
        if measure.key() != KeyKind::None {
            group.push(key.clone());
        }
        format!(
            "SELECT {bucket} AS {}, department, site, {} AS {}, {key} AS {}, COUNT(*) AS {} \
             FROM huifang_visits WHERE {condition} GROUP BY {}",
            self.id("bucket"),
            self.text(measure.name()),
            self.id("measure"),
            self.id("key"),
            self.id("value"),
            group.join(", ")
        )
    }

    /// The complaints an action list can ever hold (`actions::is_kept`): open, open past their
    /// bucket, or closed late. Comments whole: huifang masks and cuts them on reading.
    fn complaints(&self) -> String {
        let columns: Vec<String> = COMPLAINTS_COLUMNS.iter().map(|c| self.id(c)).collect();
        format!(
            "SELECT visit_date AS {}, department, site, id, category, severity, status, \
             deadline, closed_date, comment\nFROM huifang_visits\nWHERE category IS NOT NULL \
             AND (NOT closed OR closing_bucket > bucket OR (closed AND closed_date > deadline))\n\
             ORDER BY {}, id",
            columns[0], columns[0]
        )
    }

    /// The newest comments on complaints per group, `comments::comment_order`: date
    /// descending, then id, text and category; repeats once.
    fn comments(&self) -> String {
        let date = self.id("date");
        format!(
            "SELECT {bucket}, department, site, {date}, id, category, text FROM (\n  \
             SELECT bucket AS {bucket}, department, site, visit_date AS {date}, id, category, \
             comment AS text,\n    ROW_NUMBER() OVER (PARTITION BY bucket, department, site \
             ORDER BY visit_date DESC, id, comment, category) AS position\n  FROM (SELECT \
             DISTINCT bucket, department, site, visit_date, id, category, comment FROM \
             huifang_visits WHERE category IS NOT NULL AND comment IS NOT NULL AND comment <> \
             '') AS distinct_comments\n) AS numbered\nWHERE position <= {COMMENTS_KEPT}\n\
             ORDER BY {bucket}, department, site NULLS FIRST, {date} DESC, id",
            bucket = self.id("bucket"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn quoted(dialect: Dialect, text: &str) -> String {
        Sql {
            dialect,
            as_of: day(1, 1),
        }
        .text(text)
    }

    #[test]
    fn labels_are_quoted_as_each_engine_reads_them() {
        // DuckDB: only `'` is special, doubled; a backslash is itself.
        assert_eq!(quoted(Dialect::DuckDb, r"已'关闭\"), r"'已''关闭\'");
        assert_eq!(quoted(Dialect::DuckDb, "a\nb"), "'a\nb'");
        // Spark reads backslash escapes: `\`, `'` and line breaks escaped.
        assert_eq!(quoted(Dialect::Spark, r"已'关闭\"), r"'已\'关闭\\'");
        assert_eq!(quoted(Dialect::Spark, "a\nb\r\tc"), r"'a\nb\r\tc'");
        // `'; DROP TABLE visits; --` stays one literal.
        assert_eq!(
            quoted(Dialect::DuckDb, "'; DROP TABLE visits; --"),
            "'''; DROP TABLE visits; --'"
        );
    }

    #[test]
    fn a_table_name_is_letters_digits_and_underscores_between_dots() {
        for good in ["visits", "warehouse.visits", "_v1", "a.b.c"] {
            assert!(is_table_name(good), "{good}");
        }
        for bad in [
            "", "1visits", "visits;", "a..b", "a.", "vis its", "v\"", "访问",
        ] {
            assert!(!is_table_name(bad), "{bad}");
        }
        let config = Config::default();
        let err = sql(&config, day(4, 30), Dialect::DuckDb, "visits; DROP").unwrap_err();
        assert!(
            err.to_string()
                .contains("`visits; DROP` is not a table name")
        );
    }

    #[test]
    fn the_sql_follows_the_configured_rules() {
        let mut config = Config::default();
        config.sla_days.important = 7;
        config.status.closed = vec!["办结".to_owned()];
        let text = sql(&config, day(4, 30), Dialect::DuckDb, "visits").unwrap();
        // The one closed status, the SLA days of each severity, the as-of date.
        assert!(
            text.contains("COALESCE(status IN ('办结'), FALSE) AS closed"),
            "{text}"
        );
        assert!(text.contains("WHEN 'important' THEN CAST(\"date\" + INTERVAL (7) DAY"));
        assert!(text.contains("WHERE \"date\" <= DATE '2026-04-30'"));
        // Every measure is counted.
        for m in Measure::ALL {
            assert!(
                text.contains(&format!("'{}' AS \"measure\"", m.name())),
                "{m:?}"
            );
        }
        // No closed status: nothing is closed (`IN ()` is no SQL).
        config.status.closed.clear();
        let text = sql(&config, day(4, 30), Dialect::Spark, "visits").unwrap();
        assert!(text.contains("  FALSE AS closed,"), "{text}");
        assert!(!text.contains("IN ()"));
        // How to export the tables as Parquet, as Spark writes it.
        assert!(text.contains(
            "--   spark.table(\"huifang_comments\").write.parquet(\"tables/comments\")\n"
        ));
        // The same arguments, the same bytes.
        assert_eq!(
            text,
            sql(&config, day(4, 30), Dialect::Spark, "visits").unwrap()
        );
    }

    #[test]
    fn weeks_bucket_from_the_configured_weekday() {
        let toml = "periods = [\"week\", \"month\"]\nweek_start = \"sunday\"";
        let config = Config::parse(toml, std::path::Path::new("huifang.toml")).unwrap();
        let text = sql(&config, day(4, 30), Dialect::DuckDb, "visits").unwrap();
        // Sunday is 6 days after Monday: a day goes back (days after Monday + 1) % 7 days.
        assert!(text.contains("((isodow(\"date\") - 1) + 1) % 7"), "{text}");
        assert!(text.contains("'month+week:Sun'"), "{text}");
    }
}
