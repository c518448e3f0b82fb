//! Deterministic sample data: property-management (物业) follow-up visit logs (回访记录).
//!
//! [`write_sample`] writes one CSV file per calendar year of the requested range, each in the
//! "flavour" of a different source system, so that the whole ingest path (header synonyms, date
//! styles, encodings, BOM, CRLF, quoting, Excel serial dates, bad values) is exercised by
//! realistic data:
//!
//! * flavour A, Excel 客服台账: GB18030, CRLF, `2024/3/5 14:07`, trailing empty column;
//! * flavour B, CRM 导出: UTF-8 with BOM, LF, `2025-03-05 14:07:00`, some satisfaction digits;
//! * flavour C, 移动端导出: UTF-8, LF, `2026年3月5日`, noisy headers, some Excel serial dates.
//!
//! The output depends only on the options: the generator uses its own PRNG (xoshiro256**
//! seeded by SplitMix64) and integer arithmetic, so the same options give the same bytes on
//! every platform and with every version of the dependencies. Rows are generated and written
//! one at a time (only one day's times are held in memory).
//!
//! A row is drawn by `generator` (with the phrases of `comments`) in the words of
//! `vocabulary`, from the numbers of `rng`; `flavour` spells it the way one source system
//! would and `year_file` writes it; `workbook` turns a year's file into an Excel workbook.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

mod comments;
mod flavour;
mod generator;
mod orders;
mod rng;
mod row;
mod vocabulary;
mod workbook;
mod year_file;

use flavour::{Fields, Flavour};
use generator::{DAY_SPAN_SECS, DAY_START_SECS, DEPARTMENT_SHARE, Generator};
use rng::Rng;
use row::Row;
use vocabulary::SITES;
use year_file::YearFile;

/// The most departments and sites a sample has: enough for the benchmark's shapes.
pub const MAX_DEPARTMENTS: usize = 100_000;
pub const MAX_SITES: usize = 100_000;

/// What [`write_sample`] generates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleOptions {
    /// Total data rows across all files.
    pub rows: u64,
    /// PRNG seed; the same options always give the same bytes.
    pub seed: u64,
    /// First visit date (inclusive).
    pub start: NaiveDate,
    /// Last visit date (inclusive); also the "as of" date that decides which complaints are
    /// still open. No closing date is ever after it.
    pub end: NaiveDate,
    /// Number of departments, 1..=[`MAX_DEPARTMENTS`]: the first K of the eight built-in ones,
    /// and past eight the eight again as numbered branches (工程部2, …).
    pub departments: usize,
    /// Number of sites (estates), 1..=[`MAX_SITES`]: the first K of the twenty built-in ones,
    /// and past twenty their later phases (翠湖花园2期, …).
    pub sites: usize,
    /// Encoding of the files.
    pub encoding: SampleEncoding,
}

/// Encoding of the generated files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleEncoding {
    /// Each file in its source system's own encoding: flavour A GB18030, flavour B UTF-8 with
    /// BOM, flavour C UTF-8 without BOM.
    Native,
    /// Every file UTF-8 without BOM (headers, date styles and line ends stay per flavour).
    Utf8,
    /// Every file GB18030 (headers, date styles and line ends stay per flavour).
    Gb18030,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            rows: 6000,
            seed: 2024,
            start: NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date"),
            end: NaiveDate::from_ymd_opt(2026, 11, 20).expect("valid date"),
            departments: DEPARTMENT_SHARE.len(),
            sites: SITES.len(),
            encoding: SampleEncoding::Native,
        }
    }
}

/// Writes the files into `out_dir` (created if missing) and returns their paths in order.
///
/// One file per calendar year from `start` to `end`, named `visits-<year>.csv`, even when a
/// year receives no rows (then it holds only the header). Existing files of the same name are
/// overwritten.
pub fn write_sample(opts: &SampleOptions, out_dir: &Path) -> io::Result<Vec<PathBuf>> {
    write_sample_with_orders(opts, out_dir, None)
}

/// As [`write_sample`], and with `orders_dir` also the work orders the visits follow up (see
/// [`orders`]), one `orders-<year>.csv` per year, whose paths follow the visit files'.
pub fn write_sample_with_orders(
    opts: &SampleOptions,
    out_dir: &Path,
    orders_dir: Option<&Path>,
) -> io::Result<Vec<PathBuf>> {
    validate(opts)?;
    let mut orders = orders_dir.map(|_| orders::Orders::new(opts.seed, opts.start, opts.end));
    fs::create_dir_all(out_dir)?;

    let start = opts.start.num_days_from_ce();
    let end = opts.end.num_days_from_ce();
    let days = u128::from((end - start + 1) as u32);
    let rows = u128::from(opts.rows);
    let first_year = opts.start.year();

    let mut rng = Rng::new(opts.seed);
    let mut generator = Generator::new(opts);
    let mut row = Row::default();
    let mut fields = Fields::default();
    let mut times: Vec<u32> = Vec::new();
    let mut paths = Vec::new();
    let mut file: Option<YearFile> = None;

    for d in 0..days {
        let day = start + d as i32;
        let date = date_from_days(day);
        let year = date.year();
        if file.as_ref().map(|f| f.year) != Some(year) {
            if let Some(f) = file.take() {
                f.finish()?;
            }
            let flavour = Flavour::for_year(year, first_year);
            let path = out_dir.join(format!("visits-{year}.csv"));
            file = Some(YearFile::create(&path, year, flavour, opts.encoding)?);
            paths.push(path);
        }
        let f = file.as_mut().expect("file opened above");

        // Rows i with floor(i * days / rows) == d are those in [ceil(d*rows/days), ceil((d+1)*rows/days)).
        let lo = (d * rows).div_ceil(days);
        let hi = ((d + 1) * rows).div_ceil(days);
        let count = (hi - lo) as usize;

        times.clear();
        times.extend((0..count).map(|_| DAY_START_SECS + rng.below(DAY_SPAN_SECS) as u32));
        times.sort_unstable();

        let mut day_seq = 0u32;
        for &secs in &times {
            generator.generate(&mut rng, day, date, secs, &mut row);
            day_seq += 1 + u32::from(row.id_gap);
            f.seq += 1;
            fields.fill(f.flavour, &row, f.seq, day_seq, date);
            f.write_fields(&fields)?;
            if let Some(orders) = orders.as_mut() {
                orders.visit(&row, day, f.flavour, &fields.record()[0]);
            }
        }
    }
    if let Some(f) = file.take() {
        f.finish()?;
    }
    if let (Some(orders), Some(dir)) = (orders, orders_dir) {
        paths.extend(orders.write(dir)?);
    }
    Ok(paths)
}

/// As [`write_sample`], but each year's file an Excel workbook (`visits-<year>.xlsx`, sheet
/// `<year>年`, a title row above the header, dates as date cells); see [`workbook`]. Workbooks
/// hold text, not bytes: every file is made from its UTF-8 flavour.
pub fn write_sample_workbooks(opts: &SampleOptions, out_dir: &Path) -> io::Result<Vec<PathBuf>> {
    let utf8 = SampleOptions {
        encoding: SampleEncoding::Utf8,
        ..opts.clone()
    };
    let years = opts.start.year()..;
    years
        .zip(write_sample(&utf8, out_dir)?)
        .map(|(year, csv)| workbook::from_csv(&csv, year))
        .collect()
}

fn validate(opts: &SampleOptions) -> io::Result<()> {
    let invalid = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
    if opts.start > opts.end {
        return invalid(format!(
            "sample: start {} is after end {}",
            opts.start, opts.end
        ));
    }
    if !(1..=MAX_DEPARTMENTS).contains(&opts.departments) {
        return invalid(format!(
            "sample: departments must be 1..={MAX_DEPARTMENTS}, got {}",
            opts.departments
        ));
    }
    if !(1..=MAX_SITES).contains(&opts.sites) {
        return invalid(format!(
            "sample: sites must be 1..={MAX_SITES}, got {}",
            opts.sites
        ));
    }
    Ok(())
}

fn date_from_days(days_from_ce: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(days_from_ce).expect("date within chrono's range")
}

#[cfg(test)]
mod tests;
