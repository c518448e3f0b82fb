//! Work orders (工单): the 报修, 投诉 and service orders follow-up visits are owed to, from
//! the `[[orders]]` exports. Read by every rule visit logs are read by (files, folders and
//! globs, CSV and workbooks, encodings, title lines, header names and mappings, stray quotes,
//! broken bytes, the counts), into [`OrderRecord`]s; then each order id is kept once across
//! all the files.

use super::pipeline::{self, Job, Sinks};
use super::report::{Column, Diagnostic, FileReport, Impact, IngestReport, Reason};
use super::rows::{Context, OrderRow, Orders};
use super::sources::SourceError;
use super::text::shown;
use super::vocabulary::Vocabulary;
use super::{columns, jobs_of};
use crate::config::Project;
use crate::model::{OrderField, OrderRecord, Sym, Symbols};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

/// What reading the work orders found, and the orders accepted.
#[derive(Debug, Default)]
pub struct OrdersRead {
    pub report: IngestReport,
    /// In file order, then line order; symbols are those of the table read into.
    pub orders: Vec<OrderRecord>,
}

/// Every work-order file to read, in configuration order and sorted within an entry; a file
/// listed by two entries is read once.
pub(super) fn jobs(project: &Project) -> Result<Vec<Job<OrderField>>, SourceError> {
    let orders = &project.config.orders;
    jobs_of(
        project,
        orders,
        columns::ORDERS_MAPPING,
        &[],
        BTreeSet::new(),
    )
}

/// Every input file the project's `[[orders]]` name, with the name reports use for it.
pub fn input_files(project: &Project) -> Result<Vec<(PathBuf, String)>, SourceError> {
    let jobs = jobs(project)?;
    Ok(jobs.into_iter().map(|j| (j.path, j.display)).collect())
}

/// Reads every `[[orders]]` file, with every core, interning names into `symbols` (read
/// after the visit logs, so an order's department is the visits' department). A file that
/// fails is reported and contributes nothing. An id read before, in this file or an earlier
/// one, rejects the row that repeats it: each order is counted once.
pub fn read_orders(project: &Project, symbols: &mut Symbols) -> Result<OrdersRead, SourceError> {
    let jobs = jobs(project)?;
    let vocabulary = Vocabulary::new(&project.config);
    let ctx = Context {
        config: &project.config,
        vocabulary: &vocabulary,
    };
    let sinks = Sinks {
        init: Vec::new,
        add: |rows: &mut Vec<OrderRow>, row: OrderRow| rows.push(row),
        merge: |into: &mut Vec<OrderRow>, from: Vec<OrderRow>, map: &[Sym]| {
            into.extend(from.into_iter().map(|row| row.remap(map)));
        },
    };
    let (mut report, parts) = pipeline::run::<Orders, _, _, _, _>(&jobs, &ctx, &sinks);
    // Where each id given in a cell was first read: (file, line).
    let mut first: HashMap<String, (usize, u64)> = HashMap::new();
    let mut orders = Vec::new();
    for (index, part) in parts.into_iter().enumerate() {
        let map = symbols.absorb(&part.symbols);
        let mut repeated = Vec::new();
        for row in part.sink {
            // An id made from the file and line names no order of the source system: two
            // files of the same name in two folders may make the same one.
            if let Some(number) = row.id_column {
                let at = (index, row.line);
                if let Some(&(file, line)) = first.get(&row.order.id) {
                    let place = place_of(&report.files[file], line);
                    let column = id_column(&report.files[index], number);
                    repeated.push(repeated_id(&row, column, &place));
                    continue;
                }
                first.insert(row.order.id.clone(), at);
            }
            orders.push(row.order.remap(&map));
        }
        report.files[index].reject_accepted(repeated);
    }
    Ok(OrdersRead { report, orders })
}

/// A line of a file as messages name it: `工单.csv:12`, or `工单.xlsx!Sheet1:12` (the row).
fn place_of(file: &FileReport, line: u64) -> String {
    format!("{}:{}", file.place(), file.row_of(line))
}

/// The id's column of a file, for a message on it.
fn id_column(file: &FileReport, number: usize) -> Column {
    let id = OrderField::Id.name();
    let used = file.columns.iter().find(|c| c.field == id);
    Column {
        number,
        header: used.map(|c| c.header.clone()).unwrap_or_default(),
        field: Some(id),
    }
}

fn repeated_id(row: &OrderRow, column: Column, first: &str) -> Diagnostic {
    let id = shown(&row.order.id);
    Diagnostic {
        line: row.line,
        column: Some(column),
        impact: Impact::Rejected,
        message: format!(
            "order {id} was already read at {first}; an order is counted once, so this row is \
             not used. If they are two orders, give them their own numbers"
        ),
        reason: Reason::new("order_read_before")
            .with("id", id)
            .with("first", first),
    }
}

impl OrderRow {
    /// The same row with its symbols translated (see [`Symbols::absorb`]).
    fn remap(self, map: &[Sym]) -> Self {
        OrderRow {
            order: self.order.remap(map),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_a_line_of_a_csv_file_and_a_row_of_a_sheet() {
        let mut file = FileReport::new(
            "orders/工单.csv".to_owned(),
            super::super::decode::Encoding::Utf8,
        );
        assert_eq!(place_of(&file, 12), "orders/工单.csv:12");
        file.sheet = Some("2026年".to_owned());
        // A row whose cells run over two lines: the lines after it are one row less.
        file.continued = vec![3];
        assert_eq!(place_of(&file, 5), "orders/工单.csv!2026年:4");
    }
}
