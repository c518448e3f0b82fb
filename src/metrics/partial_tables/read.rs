//! The partial tables read back into an accumulator. A table is aggregates: a row that cannot
//! be read would leave every report it belongs to wrong, so the first bad cell stops the read
//! with its file, line and column, what was found and what was expected.

use super::layout::{self, Found};
use super::table::{Cells, Row, Table, TableError, TableFile, file_of, positions};
use super::{
    COMMENTS, COMMENTS_COLUMNS, COMMENTS_KINDS, COMPLAINTS, COMPLAINTS_COLUMNS, COMPLAINTS_KINDS,
    FORMAT, KeyKind, Kind, META, META_COLUMNS, META_KINDS, Measure, OVERDUE, PARTIALS,
    PARTIALS_COLUMNS, PARTIALS_KINDS, buckets, parquet,
};
use crate::config::{Config, EntityDef};
use crate::metrics::actions::ComplaintEntry;
use crate::metrics::comments::add_comment;
use crate::metrics::partial::{Accumulator, Levels, PartialKey};
use crate::metrics::rules::Rules;
use crate::model::{LevelId, Severity, StatusId, Sym, Symbols};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

/// Reads the tables in `dir` (named `shown` in messages) into `acc` and `symbols`, after
/// checking that they were counted by the rules of `config` and `acc`: the same as-of date
/// and buckets.
pub fn read_into(
    dir: &Path,
    shown: &str,
    config: &Config,
    acc: &mut Accumulator,
    symbols: &mut Symbols,
) -> Result<Vec<TableFile>, TableError> {
    let mut reader = Reader {
        config,
        counted_as_of: None,
        departments: aliases(&config.departments),
        sites: aliases(&config.sites),
        names: Default::default(),
        levels: (config.satisfaction.levels.iter())
            .map(|l| l.label.as_str())
            .collect(),
        statuses: config.status.all().map(|(s, _)| s).collect(),
        excerpts: HashMap::default(),
        symbols,
        acc,
    };
    let mut files = Vec::new();
    // In this order: the meta first, and the partials before the comments that join them.
    let tables: [(&str, &[&str], &[Kind]); 4] = [
        (META, &META_COLUMNS, &META_KINDS),
        (PARTIALS, &PARTIALS_COLUMNS, &PARTIALS_KINDS),
        (COMPLAINTS, &COMPLAINTS_COLUMNS, &COMPLAINTS_KINDS),
        (COMMENTS, &COMMENTS_COLUMNS, &COMMENTS_KINDS),
    ];
    let mut meta = Meta::default();
    let folder = shown.trim_end_matches('/');
    for (name, columns, kinds) in tables {
        let mut handle = |row: &Row<'_>| match name {
            META => reader.meta_row(&mut meta, row),
            PARTIALS => reader.partial_row(row),
            COMPLAINTS => reader.complaint_row(row),
            _ => reader.comment_row(row),
        };
        let found = layout::find(dir, folder, name)?;
        let read = match found {
            Found::Csv(path) => {
                vec![read_csv(
                    &path,
                    &format!("{folder}/{name}"),
                    columns,
                    &mut handle,
                )?]
            }
            Found::Parquet(paths) => (paths.iter())
                .map(|path| {
                    let inside = path.strip_prefix(dir).unwrap_or(path).to_string_lossy();
                    let table = Table {
                        shown: &format!("{folder}/{inside}"),
                        columns,
                        kinds,
                    };
                    parquet::read(path, &table, &mut handle)
                })
                .collect::<Result<_, _>>()?,
        };
        if name == META
            && let Some(file) = read.last()
        {
            reader.check_meta(&meta, file)?;
        }
        files.extend(read);
    }
    Ok(files)
}

/// What `meta.csv` said.
#[derive(Default)]
struct Meta {
    /// Read from Parquet: its lines are rows.
    in_rows: bool,
    format: Option<String>,
    as_of: Option<(NaiveDate, u64)>,
    after_as_of: u64,
    /// The tables count open complaints per deadline day.
    by_deadline: bool,
    buckets: Option<(String, u64)>,
}

/// Alias → configured name.
fn aliases(defs: &[EntityDef]) -> HashMap<&str, &str> {
    let pairs = defs
        .iter()
        .flat_map(|d| d.aliases.iter().map(move |a| (a, d)));
    pairs.map(|(a, d)| (a.as_str(), d.name.as_str())).collect()
}

/// Reads one CSV table: its header must name exactly `columns` (in any order); each row goes
/// to `handle`. The file's bytes are hashed as versions record their inputs.
fn read_csv(
    path: &Path,
    shown: &str,
    columns: &[&str],
    handle: &mut dyn FnMut(&Row<'_>) -> Result<(), TableError>,
) -> Result<TableFile, TableError> {
    let bytes = std::fs::read(path)
        .map_err(|e| TableError::new(shown, None, format!("cannot read: {e}")))?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text);
    let mut header = csv::StringRecord::new();
    csv.read_record(&mut header)
        .map_err(|e| csv_error(shown, &e))?;
    let names: Vec<&str> = header.iter().collect();
    let at = positions(&names, columns, shown, Some(1))?;
    let mut rows = 0;
    // One record, read into again and again: no allocation per row.
    let mut record = csv::StringRecord::new();
    while csv
        .read_record(&mut record)
        .map_err(|e| csv_error(shown, &e))?
    {
        let line = record.position().map_or(0, |p| p.line());
        rows += 1;
        handle(&Row {
            file: shown,
            line,
            in_rows: false,
            columns,
            at: &at,
            cells: Cells::Csv(&record),
        })?;
    }
    Ok(file_of(shown, &bytes, rows))
}

fn csv_error(file: &str, e: &csv::Error) -> TableError {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "is not UTF-8: write the partial tables as UTF-8 text".to_owned()
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("holds {len} cells where the header has {expected_len}"),
        _ => e.to_string(),
    };
    TableError::new(file, line, message)
}

struct Reader<'c, 'a> {
    config: &'c Config,
    /// The as-of date of `meta`, once read.
    counted_as_of: Option<NaiveDate>,
    departments: HashMap<&'c str, &'c str>,
    sites: HashMap<&'c str, &'c str>,
    /// Each name cell as read, per [`Aliases`], and its symbol: a name is folded, resolved
    /// and labelled once, not once per row.
    names: [HashMap<Box<str>, Sym>; 3],
    /// The labels of the satisfaction scale and of the statuses, in their order.
    levels: Vec<&'c str>,
    statuses: Vec<&'c str>,
    /// Each comment of `complaints` met and its masked excerpt: a comment said again (the
    /// same words on many complaints) is masked once.
    excerpts: HashMap<Box<str>, Box<str>>,
    symbols: &'a mut Symbols,
    acc: &'a mut Accumulator,
}

impl Reader<'_, '_> {
    fn meta_row(&mut self, meta: &mut Meta, row: &Row<'_>) -> Result<(), TableError> {
        let value = row.cell(1).trim();
        meta.in_rows = row.in_rows;
        match row.cell(0).trim() {
            "format" => meta.format = Some(value.to_owned()),
            "as_of" => meta.as_of = Some((row.date(1)?, row.line)),
            "buckets" => meta.buckets = Some((value.to_owned(), row.line)),
            "after_as_of" => {
                let count = row.count(1)?;
                meta.after_as_of += count;
                self.acc.after_as_of += count;
            }
            name if name == OVERDUE.0 => match value {
                _ if value == OVERDUE.1 => meta.by_deadline = true,
                _ => {
                    return Err(row.error(
                        1,
                        format!("`{value}` is not known; expected `{}`", OVERDUE.1),
                    ));
                }
            },
            other => {
                return Err(row.error(
                    0,
                    format!(
                        "unknown name `{other}`; expected format, as_of, buckets, after_as_of, \
                         {}",
                        OVERDUE.0
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The tables were counted by this build's rules, else their numbers would be wrong.
    fn check_meta(&mut self, meta: &Meta, file: &TableFile) -> Result<(), TableError> {
        let fail = |line: Option<u64>, message: String| TableError {
            in_rows: meta.in_rows,
            ..TableError::new(&file.path, line, message)
        };
        if meta.format.as_deref() != Some(FORMAT) {
            let found = meta.format.as_deref().unwrap_or("nothing");
            return Err(fail(
                None,
                format!("`format` is {found}; this huifang reads `{FORMAT}`"),
            ));
        }
        let as_of = self.acc.rules.as_of;
        let Some((counted, line)) = meta.as_of else {
            return Err(fail(
                None,
                "no `as_of` row: the date the tables are current to".to_owned(),
            ));
        };
        self.counted_as_of = Some(counted);
        if let Some(why) = later_as_of_refused(counted, as_of, meta) {
            return Err(fail(
                Some(line),
                format!(
                    "the tables were counted as of {counted}, this build is as of {as_of}: {why}; \
                     build with --as-of {counted} (or `as_of = {counted}` in the config), or \
                     count the tables again as of {as_of}"
                ),
            ));
        }
        let wanted = buckets(self.config);
        match &meta.buckets {
            Some((found, _)) if *found == wanted => Ok(()),
            Some((found, line)) => Err(fail(
                Some(*line),
                format!(
                    "the tables were counted in buckets `{found}`, this config cuts time into \
                     `{wanted}` (`periods`, `week_start`): count the tables again with this config"
                ),
            )),
            None => Err(fail(None, format!("no `buckets` row; expected `{wanted}`"))),
        }
    }

    /// A department or site named in a table: as the reports name it, aliases resolved.
    fn name(&mut self, row: &Row<'_>, i: usize, aliases: Aliases) -> Result<Sym, TableError> {
        let raw = row.cell(i);
        if let Some(&sym) = self.names[aliases as usize].get(raw) {
            return Ok(sym);
        }
        let cell = crate::chars::normalize(raw);
        if cell.is_empty() {
            return Err(row.error(i, format!("`{}` is empty", row.columns[i])));
        }
        let configured = match aliases {
            Aliases::Departments => self.departments.get(cell.as_ref()),
            Aliases::Sites => self.sites.get(cell.as_ref()),
            Aliases::None => None,
        };
        let name = configured.copied().unwrap_or(&cell);
        let sym = self.symbols.intern(&crate::privacy::label(name));
        self.names[aliases as usize].insert(raw.into(), sym);
        Ok(sym)
    }

    /// The (bucket, department, site) of a row whose first three columns name them.
    fn key(&mut self, row: &Row<'_>) -> Result<PartialKey, TableError> {
        let bucket = row.bucket(0, self.acc)?;
        let department = self.name(row, 1, Aliases::Departments)?;
        let site = self.site(row, 2)?;
        Ok(PartialKey {
            bucket,
            department,
            site,
        })
    }

    fn site(&mut self, row: &Row<'_>, i: usize) -> Result<Option<Sym>, TableError> {
        if row.cell(i).trim().is_empty() {
            return Ok(None);
        }
        self.name(row, i, Aliases::Sites).map(Some)
    }

    fn level(&self, row: &Row<'_>, i: usize) -> Result<LevelId, TableError> {
        let at = position_in(row, i, &self.levels, "a level of the satisfaction scale")?;
        Ok(LevelId(at as u8))
    }

    /// A configured status; an empty cell: none given.
    fn status(&self, row: &Row<'_>, i: usize) -> Result<Option<StatusId>, TableError> {
        if row.cell(i).trim().is_empty() {
            return Ok(None);
        }
        let at = position_in(row, i, &self.statuses, "a configured status (or nothing)")?;
        Ok(Some(StatusId(at as u8)))
    }

    fn severity(&self, row: &Row<'_>, i: usize) -> Result<Option<Severity>, TableError> {
        let cell = row.cell(i).trim();
        if cell.is_empty() {
            return Ok(None);
        }
        Severity::parse(cell).map(Some).ok_or_else(|| {
            row.error(
                i,
                format!("`{cell}` is not a severity; expected major, important, minor, or nothing"),
            )
        })
    }

    fn partial_row(&mut self, row: &Row<'_>) -> Result<(), TableError> {
        let key = self.key(row)?;
        let measure_cell = row.cell(3).trim();
        let measure = Measure::parse(measure_cell).ok_or_else(|| {
            let names: Vec<&str> = Measure::ALL.iter().map(|m| m.name()).collect();
            row.error(
                3,
                format!(
                    "unknown measure `{measure_cell}`; expected one of {}",
                    names.join(", ")
                ),
            )
        })?;
        let value = row.count(5)?;
        let key_cell = row.cell(4).trim();
        let keyed = measure.key();
        if keyed == KeyKind::None && !key_cell.is_empty() {
            return Err(row.error(
                4,
                format!("`{}` has no key; leave it empty", measure.name()),
            ));
        }
        let needs_key = matches!(
            keyed,
            KeyKind::Name | KeyKind::Level | KeyKind::Days | KeyKind::Day
        );
        if needs_key && key_cell.is_empty() {
            return Err(row.error(4, format!("`{}` needs a key", measure.name())));
        }
        let levels = self.acc.rules.levels;
        // Every field the key needs is read before the partial is borrowed.
        let name = match keyed {
            KeyKind::Name => Some(self.name(row, 4, Aliases::None)?),
            _ => None,
        };
        let level = match keyed {
            KeyKind::Level => Some(self.level(row, 4)?),
            _ => None,
        };
        let severity = self.severity_key(row, keyed)?;
        let status = match keyed {
            KeyKind::Status => self.status(row, 4)?,
            _ => None,
        };
        let days = match keyed {
            KeyKind::Days => Some(u32::try_from(row.count(4)?).map_err(|_| {
                row.error(
                    4,
                    "too many days; expected a count of days to close".to_owned(),
                )
            })?),
            _ => None,
        };
        let overdue_now = match keyed {
            KeyKind::Day => self.open_overdue_now(row)?,
            _ => false,
        };
        let p = self.acc.partials.entry(key).or_default();
        let add_level = |into: &mut Levels, level: Option<LevelId>| {
            let at = usize::from(level.map_or(0, |l| l.0));
            if into.len() < levels.max(at + 1) {
                into.resize(levels.max(at + 1), 0);
            }
            into[at] += value;
        };
        let sym = name.unwrap_or(Sym(0));
        match measure {
            Measure::Visits => p.visits += value,
            Measure::Contacted => p.contacted += value,
            Measure::ByType => p.by_type.add(sym, value),
            Measure::ByChannel => p.by_channel.add(sym, value),
            Measure::Levels => add_level(&mut p.levels, level),
            Measure::Complaints => p.complaints += value,
            Measure::ByCategory => p.complaint_mut().by_category.add(sym, value),
            Measure::BySeverity => p.complaint_mut().by_severity.add(severity, value),
            Measure::ByStatus => p.complaint_mut().by_status.add(status, value),
            Measure::Closed => p.complaint_mut().closed += value,
            Measure::ClosedWithoutDate => p.complaint_mut().closed_without_date += value,
            Measure::Overdue => p.complaint_mut().overdue += value,
            Measure::ClosedLate => p.complaint_mut().closed_late += value,
            Measure::WithoutDeadline => p.complaint_mut().without_deadline += value,
            Measure::DaysToClose => p
                .complaint_mut()
                .days_to_close
                .add(days.unwrap_or(0), value),
            Measure::RevisitLevels => add_level(&mut p.complaint_mut().revisit_levels, level),
            Measure::Closings => p.closings += value,
            // Overdue as of this build's day, if its deadline is before it.
            Measure::OpenByDeadline if overdue_now => p.complaint_mut().overdue += value,
            Measure::OpenByDeadline => {}
        }
        Ok(())
    }

    /// Whether the open complaints of an `open_by_deadline` row are overdue as of this build.
    /// They were not as of the tables' day, else `overdue` counts them already.
    fn open_overdue_now(&self, row: &Row<'_>) -> Result<bool, TableError> {
        let deadline = row.date(4)?;
        if let Some(counted) = self.counted_as_of
            && Rules::is_open_overdue_at(deadline, counted)
        {
            return Err(row.error(
                4,
                format!(
                    "{deadline} is before {counted}, the day the tables were counted as of: \
                     those open complaints are overdue, counted in `overdue`, and \
                     `open_by_deadline` holds only the ones not yet overdue"
                ),
            ));
        }
        Ok(Rules::is_open_overdue_at(deadline, self.acc.rules.as_of))
    }

    fn severity_key(&self, row: &Row<'_>, keyed: KeyKind) -> Result<Option<Severity>, TableError> {
        match keyed {
            KeyKind::Severity => self.severity(row, 4),
            _ => Ok(None),
        }
    }

    fn complaint_row(&mut self, row: &Row<'_>) -> Result<(), TableError> {
        let date = row.date(0)?;
        let department = self.name(row, 1, Aliases::Departments)?;
        let site = self.site(row, 2)?;
        let category = self.name(row, 4, Aliases::None)?;
        let status = self.status(row, 6)?;
        let complaint = ComplaintEntry {
            date,
            department,
            site,
            category,
            severity: self.severity(row, 5)?,
            status,
            deadline: row.optional_date(7)?,
            closed: self.acc.rules.is_closed(status),
            closed_date: row.optional_date(8)?,
        };
        let acc = &mut *self.acc;
        let excerpts = &mut self.excerpts;
        let excerpt = |comment: &str| match excerpts.get(comment) {
            Some(excerpt) => excerpt.to_string(),
            None => {
                let excerpt = crate::metrics::actions::excerpt(comment);
                excerpts.insert(comment.into(), excerpt.as_str().into());
                excerpt
            }
        };
        (acc.complaints).add_read(&acc.rules, complaint, row.cell(3), row.cell(9), excerpt);
        Ok(())
    }

    fn comment_row(&mut self, row: &Row<'_>) -> Result<(), TableError> {
        let key = self.key(row)?;
        let date = row.date(3)?;
        let category = self.name(row, 5, Aliases::None)?;
        let Some(p) = self.acc.partials.get_mut(&key) else {
            return Err(row.error(
                0,
                format!("no row of {PARTIALS} has this bucket, department and site"),
            ));
        };
        add_comment(
            &mut p.complaint_mut().comments,
            date,
            row.cell(4),
            category,
            row.cell(6),
        );
        Ok(())
    }
}

/// Why tables counted as of `counted` cannot give the numbers as of `as_of`; `None`: they can,
/// exactly. They can as of their own day; as of a later one only if no visit was dated after
/// their day (the rows as of the later day are then the same) and they count the open
/// complaints per deadline day (so `overdue` can be counted as of any day); never as of an
/// earlier day, whose months they cannot take the later days out of.
fn later_as_of_refused(counted: NaiveDate, as_of: NaiveDate, meta: &Meta) -> Option<String> {
    if as_of == counted {
        None
    } else if as_of < counted {
        Some("tables cannot give an earlier day, whose later visits are in their counts".into())
    } else if !meta.by_deadline {
        Some(format!(
            "they do not count open complaints per deadline day (no `{}` row), so `overdue` \
             holds only as of {counted}",
            OVERDUE.0
        ))
    } else if meta.after_as_of > 0 {
        Some(format!(
            "{} visit(s) dated after {counted} were left out of them, and as of {as_of} some \
             would count",
            meta.after_as_of
        ))
    } else {
        None
    }
}

/// Where the cell's text is in `names`, else an error saying it is not `what` and listing them.
fn position_in(row: &Row<'_>, i: usize, names: &[&str], what: &str) -> Result<usize, TableError> {
    let cell = row.cell(i).trim();
    names.iter().position(|&n| n == cell).ok_or_else(|| {
        let expected = names.join(", ");
        row.error(
            i,
            format!("`{cell}` is not {what}; expected one of {expected}"),
        )
    })
}

/// Which configured aliases a name column resolves.
#[derive(Clone, Copy)]
enum Aliases {
    Departments = 0,
    Sites = 1,
    None = 2,
}
