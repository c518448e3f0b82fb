//! Work orders (工单) consistent with the generated visits, as a ticketing system exports them:
//! every repair, complaint and installation follow-up visit gets the order it follows up,
//! completed some days before it (mostly inside the follow-up window, some early or late), and
//! further orders nobody followed up, so coverage has misses and orders not yet due.
//!
//! Orders draw from their own PRNG stream: asking for them leaves the visit files byte for
//! byte as they were. Flavour B's call-back records are keyed by their order (the visit's 工单号
//! is the order's), so those link by id; the other years' visits link by rule.

use super::flavour::Flavour;
use super::rng::Rng;
use super::row::Row;
use super::vocabulary::{VisitType, department_name, site_name};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Seeds the orders' stream apart from the visits'.
const STREAM: u64 = 0x6f72_6465_7273;

/// One order: what the export's row says.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Order {
    created: (i32, u32),
    id: String,
    kind: &'static str,
    department: String,
    site: String,
    completed: Option<(i32, u32)>,
}

/// The orders of a sample, gathered as the visits are drawn and written at the end.
pub(super) struct Orders {
    rng: Rng,
    list: Vec<Order>,
    seq: u64,
    start: i32,
    end: i32,
}

/// The order type a visit type follows up, with (first, last) days from completion to the
/// follow-up for most orders: the windows the sample's config gives each type.
fn kind_of(visit: VisitType) -> Option<(&'static str, i32, i32)> {
    match visit {
        VisitType::Complaint => Some(("投诉", 0, 3)),
        VisitType::Repair => Some(("维修", 30, 60)),
        VisitType::Installation => Some(("安装", 0, 7)),
        _ => None,
    }
}

impl Orders {
    pub(super) fn new(seed: u64, start: NaiveDate, end: NaiveDate) -> Orders {
        Orders {
            rng: Rng::new(seed ^ STREAM),
            list: Vec::new(),
            seq: 0,
            start: start.num_days_from_ce(),
            end: end.num_days_from_ce(),
        }
    }

    /// The order `row`'s visit follows up, when it follows one up, and now and then one of the
    /// same kind that nobody did.
    pub(super) fn visit(&mut self, row: &Row, day: i32, flavour: Flavour, visit_id: &str) {
        let Some((kind, first, last)) = kind_of(row.visit_type) else {
            return;
        };
        let span = (last - first + 1) as u64;
        // Nine in ten inside the window, the rest a little early or late.
        let days = match self.rng.below(10) {
            0 if first > 0 => first - 1 - self.rng.below(5) as i32,
            0 | 1 => last + 1 + self.rng.below(6) as i32,
            _ => first + self.rng.below(span) as i32,
        }
        .max(0)
        .min(day - self.start);
        let id = match flavour {
            Flavour::B => visit_id.to_owned(),
            Flavour::A | Flavour::C => self.next_id(kind, day - days),
        };
        self.push(row, kind, id, day - days);
        // Repairs are followed up one in three (the rule asks 30%), complaints and
        // installations nearly always.
        let unvisited = match kind {
            "维修" => 2,
            _ => u64::from(self.rng.chance(60)),
        };
        for _ in 0..unvisited {
            let completed = (day - self.rng.below(90) as i32).max(self.start);
            let id = self.next_id(kind, completed);
            self.push(row, kind, id, completed);
        }
    }

    fn next_id(&mut self, kind: &str, day: i32) -> String {
        self.seq += 1;
        let prefix = match kind {
            "投诉" => "TS",
            "维修" => "WX",
            _ => "AZ",
        };
        let date = day_date(day);
        let mut id = String::new();
        let _ = write!(
            id,
            "{prefix}{}{:02}{:05}",
            date.year(),
            date.month(),
            self.seq
        );
        id
    }

    fn push(&mut self, row: &Row, kind: &'static str, id: String, completed: i32) {
        let created = (completed - self.rng.below(4) as i32).max(self.start);
        // One order in fifty is still open at the end of the data.
        let open = completed > self.end - 20 && self.rng.chance(20);
        self.list.push(Order {
            created: (created, self.rng.below(9 * 3600) as u32 + 8 * 3600),
            id,
            kind,
            department: department_name(row.department, row.department_index).into_owned(),
            site: site_name(row.site).into_owned(),
            completed: (!open).then(|| (completed, self.rng.below(9 * 3600) as u32 + 9 * 3600)),
        });
    }

    /// Writes `orders-<year>.csv` per year of creation (UTF-8 with a BOM, as ticketing
    /// systems export for Excel), oldest first.
    pub(super) fn write(mut self, out_dir: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(out_dir)?;
        self.list.sort();
        let mut paths = Vec::new();
        let mut file: Option<(i32, io::BufWriter<std::fs::File>)> = None;
        for order in &self.list {
            let year = day_date(order.created.0).year();
            if file.as_ref().map(|(y, _)| *y) != Some(year) {
                if let Some((_, mut f)) = file.take() {
                    f.flush()?;
                }
                let path = out_dir.join(format!("orders-{year}.csv"));
                let mut f = io::BufWriter::new(std::fs::File::create(&path)?);
                f.write_all(
                    "\u{feff}工单号,工单类型,责任部门,小区,创建时间,完成时间\n".as_bytes(),
                )?;
                paths.push(path);
                file = Some((year, f));
            }
            let (_, f) = file.as_mut().expect("opened above");
            let completed = order.completed.map_or_else(String::new, time);
            writeln!(
                f,
                "{},{},{},{},{},{}",
                order.id,
                order.kind,
                order.department,
                order.site,
                time(order.created),
                completed
            )?;
        }
        if let Some((_, mut f)) = file.take() {
            f.flush()?;
        }
        Ok(paths)
    }
}

fn day_date(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).expect("date within chrono's range")
}

fn time((day, secs): (i32, u32)) -> String {
    let d = day_date(day);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        d.year(),
        d.month(),
        d.day(),
        secs / 3600,
        secs / 60 % 60
    )
}
