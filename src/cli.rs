//! Every command-line flag, in one place.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "huifang",
    // The package version and the commit it was built from (see build.rs).
    version = env!("HUIFANG_VERSION"),
    about = "Customer follow-up visit (回访) reports: reads visit logs, writes a static report site",
    after_help = "Exit codes: 0 success; 1 data errors (unreadable files, rejected rows under --strict, \
                  or any rejection for `check`); 2 configuration or usage error; 3 internal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project in DIR (default: here): a commented huifang.toml, a home intro and
    /// sample visit logs, ready for `huifang build`.
    Init(InitArgs),
    /// Read the visit logs and write the report site.
    Build(BuildArgs),
    /// Read and validate the visit logs only; exit 1 if any row is rejected.
    Check(CheckArgs),
    /// Write a deterministic sample dataset of any size (for trying huifang, tests, benchmarks).
    Sample(SampleArgs),
    /// Count the visit logs into the partial tables (docs/partials.md) and write them to DIR as
    /// CSV: what a `[[partials]]` source reads in place of the logs.
    Partials(PartialsArgs),
    /// Print the SQL that counts the partial tables from the canonical visits table in DuckDB
    /// or Spark, by this project's configuration (docs/partials.md).
    Sql(SqlArgs),
    /// Save a report version as one self-contained HTML file (or every report as .tar.gz).
    Archive(ArchiveArgs),
    /// Write a report version as a Word document (--docx) or a PDF (--pdf) to hand in.
    Export(ExportArgs),
    /// Look for personal data (phone, ID and card numbers, e-mail, plates, rooms, names) in
    /// files or folders: a built site, snapshots, archives. Exit 1 if any is found.
    PrivacyScan(PrivacyScanArgs),
    /// Build the site into a temporary folder, serve it on 127.0.0.1 and rebuild it whenever
    /// the project changes; open pages reload by themselves.
    Serve(ServeArgs),
    /// Print a shell completion script, e.g. `huifang completions bash > ~/.local/share/bash-completion/completions/huifang`.
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `huifang man > ~/.local/share/man/man1/huifang.1`.
    Man,
    /// Print the JSON Schema of huifang.toml, for editors that check and complete its keys.
    Schema,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The port on 127.0.0.1 (0: any free one; the URL is printed).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Build into this folder instead of a temporary one (the files stay free of the reload
    /// script, which is added only as pages are served).
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The date the data is current to, as for `build`.
    #[arg(long, value_name = "DATE", value_parser = as_of)]
    pub as_of: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct PrivacyScanArgs {
    /// Files or folders to scan (`.tar.gz` archives are read entry by entry).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the new project; created if missing, else it must hold nothing but hidden
    /// entries such as .git [default: .]
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ArchiveArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The report to archive, e.g. 2026-Q3 (omit with --all).
    #[arg(
        value_name = "REPORT",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub report: Option<String>,
    /// The version to archive (default: the latest).
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub version: Option<u32>,
    /// Every report's latest version, as one .tar.gz.
    #[arg(long)]
    pub all: bool,
    /// With --all: every version of every report.
    #[arg(long, requires = "all")]
    pub all_versions: bool,
    /// The file to write (default: <report>-v<N>.html, or huifang-reports.tar.gz with --all).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also archive each report's internal page of numbers per 回访人 (needs `publish_staff =
    /// true`), computed from the data as it is now: <FILE>-staff.html beside the file, or
    /// <report>/v<N>-staff.html in the .tar.gz. Left out unless asked: staff names are
    /// personal data.
    #[arg(long)]
    pub staff: bool,
    /// Ignored: archives are rendered from the snapshots and the project's templates, not read
    /// from a built site. Accepted so that older scripts still run.
    #[arg(long, value_name = "DIR")]
    pub site: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("format").required(true).multiple(true).args(["docx", "pdf"])))]
pub struct ExportArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The report to export, e.g. 2026-Q3 (omit with --all).
    #[arg(
        value_name = "REPORT",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub report: Option<String>,
    /// The version to export (default: the latest).
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub version: Option<u32>,
    /// Every report's latest version.
    #[arg(long)]
    pub all: bool,
    /// A Word document: numbered parts as Word headings, tables as Word tables, charts as
    /// pictures, the commentary as paragraphs and lists.
    #[arg(long)]
    pub docx: bool,
    /// A PDF printed from the report page by a headless Chromium.
    #[arg(long)]
    pub pdf: bool,
    /// The folder to write into (default: here); files are named <report>-v<N>.docx / .pdf.
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub documents: DocumentArgs,
}

/// How documents are made.
#[derive(Debug, Args)]
pub struct DocumentArgs {
    /// The Chromium (or Chrome) to print PDFs with (default: chromium, chromium-browser,
    /// google-chrome or google-chrome-stable on PATH).
    #[arg(long, value_name = "PROGRAM")]
    pub chromium: Option<PathBuf>,
    /// The paper PDFs are printed on.
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    pub paper: PaperArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// The project config; paths in it are relative to its folder.
    #[arg(long, short, default_value = "huifang.toml", value_name = "FILE")]
    pub config: PathBuf,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output folder (default: `output_dir` of the config, `public`).
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The date the data is current to, in any spelling of the data's dates: 2026-11-20,
    /// 2026/11/20, 20261120, 2026年11月20日 (default: `as_of` of the config, else today).
    #[arg(long, value_name = "DATE", value_parser = as_of)]
    pub as_of: Option<NaiveDate>,
    /// Fail (exit 1, write nothing) if any row is rejected.
    #[arg(long)]
    pub strict: bool,
    /// Print how long each stage took (reading, metrics, pages, rendering, writing).
    #[arg(long)]
    pub timings: bool,
    /// Build even if the inputs, settings and huifang are unchanged since the last build, and
    /// render every page, even those of reports whose inputs are unchanged.
    #[arg(long)]
    pub force: bool,
    /// Write new versions of a report whose latest version went missing or changed since the
    /// site was built (the history was rewritten); numbers go on past the missing one.
    #[arg(long)]
    pub accept_history_change: bool,
    /// Print only warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write a JSON summary (rows, reports, new versions, warnings) to FILE.
    #[arg(long, value_name = "FILE")]
    pub summary_json: Option<PathBuf>,
    /// Seconds to wait for another build of the same project to finish.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub lock_wait: u64,
    /// For the config's `exports`.
    #[command(flatten)]
    pub documents: DocumentArgs,
}

#[derive(Debug, Args)]
pub struct PartialsArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Folder to write meta.csv, partials.csv, complaints.csv and comments.csv into (created if
    /// missing; those four files are replaced), or the .parquet files with --format parquet.
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// The date the data is current to, as for `build`; a build from the tables must use the
    /// same.
    #[arg(long, value_name = "DATE", value_parser = as_of)]
    pub as_of: Option<NaiveDate>,
    /// Write DIR/visits.csv instead: every visit as the canonical visits table, the input of
    /// `huifang sql`. It holds personal data (record ids, the customers' comments): load it
    /// into the warehouse, never publish it.
    #[arg(long, conflicts_with = "as_of")]
    pub canonical: bool,
    /// The tables' file format: csv (NAME.csv) or parquet (NAME.parquet, snappy; needs the
    /// `parquet` feature). A `[[partials]]` source reads either.
    #[arg(long, value_enum, default_value = "csv", conflicts_with = "canonical")]
    pub format: TablesFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TablesFormat {
    Csv,
    Parquet,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The engine to write the SQL for.
    #[arg(long, value_enum)]
    pub dialect: DialectArg,
    /// The date the tables are counted as of, as for `build`; a build from them must use the
    /// same.
    #[arg(long, value_name = "DATE", value_parser = as_of)]
    pub as_of: Option<NaiveDate>,
    /// The canonical visits table to count, e.g. visits or warehouse.visits.
    #[arg(long, default_value = "visits", value_name = "NAME")]
    pub table: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DialectArg {
    #[value(name = "duckdb")]
    DuckDb,
    Spark,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Also fail on warnings (cells left blank, ignored values).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Total visit rows across all files.
    #[arg(long, default_value_t = 6000)]
    pub rows: u64,
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Folder to write the files into (created if missing).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// First visit date.
    #[arg(long, default_value = "2024-01-01", value_name = "YYYY-MM-DD")]
    pub start: NaiveDate,
    /// Last visit date; complaints after it are still open.
    #[arg(long, default_value = "2026-11-20", value_name = "YYYY-MM-DD")]
    pub end: NaiveDate,
    /// Number of departments, 1-100000: the eight built-in ones, then the eight again as
    /// numbered branches (工程部2, …).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub departments: u32,
    /// Number of sites (estates), 1-100000: the twenty built-in ones, then their later phases
    /// (翠湖花园2期, …).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub sites: u32,
    /// `native` gives each year's file its own source-system flavour (GB18030, UTF-8 with BOM,
    /// UTF-8); `utf-8` or `gb18030` write every file in that encoding.
    #[arg(long, value_enum, default_value_t = SampleEncodingArg::Native)]
    pub encoding: SampleEncodingArg,
    /// `csv` files, or `xlsx` workbooks as a 客服台账 kept in Excel (a title row, the header,
    /// dates as date cells; `--encoding` does not apply).
    #[arg(long, value_enum, default_value_t = SampleFormatArg::Csv)]
    pub format: SampleFormatArg,
    /// Also write the work orders (工单) the visits follow up, one `orders-<year>.csv` per
    /// year, into this folder (CSV only).
    #[arg(long, value_name = "DIR")]
    pub orders: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SampleFormatArg {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SampleEncodingArg {
    Native,
    #[value(name = "utf-8")]
    Utf8,
    Gb18030,
}

/// `--as-of`, read as the config's `as_of` is.
fn as_of(value: &str) -> Result<NaiveDate, String> {
    huifang::dates::parse_day(value).map_err(|e| e.to_string())
}
