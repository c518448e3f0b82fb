//! The canonical visits table (docs/partials.md, "The canonical visits table"): a project's
//! visits as huifang reads them — aliases resolved, labels as configured, `contacted` decided —
//! one row each, the input `huifang sql` counts the partial tables from. It holds personal
//! fields (record ids, the customers' words): an input for a warehouse, never a publication.

use super::{day, level_label, status_label};
use crate::config::Config;
use crate::metrics::rules;
use crate::model::{LevelId, Severity, Sym, Symbols, VisitRecord};

/// The file `huifang partials --canonical` writes.
pub const VISITS: &str = "visits.csv";

/// The columns the generated SQL reads, in the order of docs/partials.md. `staff`, `order` and
/// `household` are left out: no table counts them yet, and they are personal.
pub const VISITS_COLUMNS: [&str; 15] = [
    "date",
    "department",
    "id",
    "site",
    "visit_type",
    "channel",
    "contacted",
    "satisfaction",
    "complaint_category",
    "severity",
    "status",
    "due_date",
    "closed_date",
    "revisit_satisfaction",
    "comment",
];

/// Writes visit records as the canonical table, header first; rows in the order given.
pub struct VisitsWriter<'c> {
    config: &'c Config,
    csv: csv::Writer<Vec<u8>>,
    rows: u64,
}

impl<'c> VisitsWriter<'c> {
    pub fn new(config: &'c Config) -> std::io::Result<VisitsWriter<'c>> {
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(VISITS_COLUMNS)?;
        Ok(VisitsWriter {
            config,
            csv,
            rows: 0,
        })
    }

    /// One record, whose symbols `symbols` names.
    pub fn add(&mut self, record: &VisitRecord<'_>, symbols: &Symbols) -> std::io::Result<()> {
        let name = |s: Option<Sym>| s.map(|s| symbols.name(s)).unwrap_or_default();
        let c = record.complaint.as_ref();
        let cells: [&str; 15] = [
            &record.date.to_string(),
            symbols.name(record.department),
            &record.id,
            name(record.site),
            name(record.visit_type),
            name(record.channel),
            if rules::is_contacted(record.contact) {
                "true"
            } else {
                "false"
            },
            self.level(record.satisfaction),
            name(c.map(|c| c.category)),
            c.and_then(|c| c.severity).map_or("", Severity::key),
            status_label(self.config, c.and_then(|c| c.status)),
            &day(c.and_then(|c| c.due_date)),
            &day(c.and_then(|c| c.closed_date)),
            self.level(c.and_then(|c| c.revisit_satisfaction)),
            record.comment.as_deref().unwrap_or_default(),
        ];
        self.rows += 1;
        self.csv.write_record(cells).map_err(std::io::Error::from)
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    pub fn finish(self) -> std::io::Result<Vec<u8>> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }

    fn level(&self, level: Option<LevelId>) -> &'c str {
        level.map_or("", |l| level_label(self.config, usize::from(l.0)))
    }
}
