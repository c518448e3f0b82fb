//! The project configuration (`huifang.toml`): one typed struct, every key with a default,
//! deserialised and validated once. Unknown keys and wrong types are errors that name the key,
//! the file and the line, because toml reports the span of whatever failed to deserialise.

mod coverage;
mod periods;
mod schema;
mod suggest;
mod survey;
mod targets;

pub use coverage::{Coverage, OrderTypeRule};
pub use periods::{Periods, WeekStart};
pub use schema::schema_json;
pub use survey::{ExportFormat, QuestionKind};
pub use targets::{TargetValues, Targets};

use crate::model::{Field, OrderField, Severity};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub const DEFAULT_CONFIG_FILE: &str = "huifang.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// A format a report is handed in as.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum DocumentFormat {
    /// Word, written from the report's outline.
    Docx,
    /// Printed from the report page by a headless Chromium.
    Pdf,
}

impl DocumentFormat {
    pub fn extension(self) -> &'static str {
        match self {
            DocumentFormat::Docx => "docx",
            DocumentFormat::Pdf => "pdf",
        }
    }

    /// The file name of a report version's document: `2026-Q3-v2.pdf`.
    pub fn file_name(self, report: &str, version: u32) -> String {
        format!("{report}-v{version}.{}", self.extension())
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Site title shown on every page.
    pub title: String,
    /// Who reports (物业公司, 分公司): named on the cover of a printed or exported report.
    pub organisation: Option<String>,
    pub locale: Locale,
    /// IANA zone used for "today" and for timestamps that carry an offset.
    pub timezone: TimeZone,
    /// The date the data is current to; default: today in `timezone`.
    pub as_of: Option<ConfigDate>,
    /// Where `build` writes the site, relative to the config file.
    pub output_dir: PathBuf,
    /// Folder under `themes/` holding the templates.
    pub theme: String,
    /// Where report versions are kept, relative to the config file. Commit it (or keep it as
    /// a CI artifact): it is the history of every report.
    pub snapshots_dir: PathBuf,
    /// Visit-log files: paths, directories (walked for CSV files and workbooks) or globs. None in
    /// a project that only runs surveys.
    pub sources: Vec<Source>,
    /// Folders of partial tables (`huifang partials --out DIR`, or a data warehouse's query;
    /// see docs/partials.md), read instead of visit logs or besides them.
    pub partials: Vec<PartialsSource>,
    /// Canonical field → source header, for every source.
    pub columns: BTreeMap<Field, String>,
    /// Work-order exports (工单): read by the visit logs' rules, each with its own `columns`
    /// (order field → header). None by default: no orders, no follow-up coverage.
    pub orders: Vec<Source<OrderField>>,
    pub satisfaction: SatisfactionScale,
    pub contact: ContactValues,
    pub status: StatusValues,
    pub sla_days: SlaDays,
    /// Satisfaction results on fewer responses than this are flagged as low-sample.
    pub min_sample: u32,
    /// A complaint still open after this many days is 超时未完成 in the action lists and the
    /// weekly table (the 客服中心's "超过1个月未结案").
    pub long_open_days: u32,
    /// Documents `build` publishes beside each report page (its latest version).
    pub exports: Vec<DocumentFormat>,
    pub fiscal_year_start_month: Month,
    /// The reports a build writes: any of "week", "month", "quarter", "year".
    pub periods: Periods,
    /// The day weekly reports' weeks start on.
    pub week_start: WeekStart,
    /// Display order and URL slugs of departments; departments not listed follow by name.
    pub departments: Vec<EntityDef>,
    /// Display order and URL slugs of sites (项目), as for departments.
    pub sites: Vec<EntityDef>,
    /// Satisfaction-survey campaigns (满意度调查), each with its export files.
    pub surveys: Vec<SurveyCampaign>,
    /// Plausibility guards: counts no real organisation reaches, so a mapping onto the wrong
    /// column stops the build before it grows.
    pub limits: Limits,
    /// Rates a manager is measured against, with overrides per department and site.
    pub targets: Targets,
    /// Per kind of work order: the 回访率 to reach and the days a follow-up is on time in.
    pub coverage: Coverage,
    /// Numbers per 回访人 (staff), on internal pages of each report: personal data, so off
    /// unless the project opts in, and never in data files, snapshots, archives or documents
    /// unless asked (`archive --staff`).
    pub publish_staff: bool,
}

/// The most distinct departments and sites a build accepts. More mean the column mapped to
/// them holds something else (comments, names, ids), and every one of them would get pages.
#[derive(Debug, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    pub departments: usize,
    pub sites: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            departments: 500,
            sites: 20_000,
        }
    }
}

/// One survey campaign: its exports and how to read and count them.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyCampaign {
    pub name: String,
    /// URL slug of the campaign's page (default: derived from the name).
    #[serde(default)]
    pub slug: Option<Slug>,
    /// Export files: paths, folders or globs, relative to the config file.
    pub files: Vec<String>,
    /// The tool that wrote the exports; `auto` detects it from the header rows.
    #[serde(default = "auto_format")]
    pub format: ExportFormat,
    #[serde(default)]
    pub encoding: EncodingChoice,
    /// The sheet of a workbook export to read (default: the first visible one).
    #[serde(default)]
    pub sheet: Option<String>,
    /// Questionnaires handed out (发放份数): the denominator of the response rate.
    #[serde(default)]
    pub issued: Option<u64>,
    /// The report the campaign belongs to (`2026-Q2`); default: every report its answers fall in.
    #[serde(default)]
    pub period: Option<String>,
    /// The question to break every choice question down by (its number, e.g. `"2"`).
    #[serde(default)]
    pub group_by: Option<String>,
    #[serde(default)]
    pub validity: Validity,
    /// Question types that inference gets wrong, by question number: `{ "7" = "text" }`.
    #[serde(default)]
    pub kinds: BTreeMap<String, QuestionKind>,
    /// Choice texts for exports downloaded as codes (Qualtrics numeric values, LimeSurvey
    /// answer codes, 问卷星 按序号), by question number as the export numbers it (a matrix
    /// group's number reaches all its rows), then by code:
    /// `{ "Q2" = { "1" = "Apple", "2" = "Banana" } }`. A code missing from the table stays a
    /// code (with a warning); codes given the same text are counted as one option.
    #[serde(default)]
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Feed one question's answers into the period reports' satisfaction of a department.
    #[serde(default)]
    pub satisfaction: Option<SatisfactionFeed>,
    /// Questions (by number) whose answers are personal: counted, never listed.
    #[serde(default)]
    pub private: Vec<String>,
    /// Questions (by number) found personal by their title or answers that may be listed.
    #[serde(default)]
    pub public: Vec<String>,
}

/// A survey question answered on the satisfaction scale (by label or score) whose valid
/// answers count as ratings of a department, in the month they were given.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionFeed {
    /// The question's number, e.g. `"3"`.
    pub question: String,
    /// The department every answer rates…
    #[serde(default)]
    pub department: Option<String>,
    /// …or the question whose answer names the department.
    #[serde(default)]
    pub department_question: Option<String>,
}

fn auto_format() -> ExportFormat {
    ExportFormat::Auto
}

/// Which responses count as valid (有效问卷).
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Validity {
    /// Responses faster than this many seconds are not valid (问卷星 所用时间).
    pub min_seconds: Option<u32>,
    /// Question numbers that must be answered.
    pub required: Vec<String>,
    /// `respondent` (IP address or respondent id) or a question number: a later response
    /// with the same value as an earlier one is a duplicate.
    pub duplicate_key: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "客户回访报告".to_owned(),
            organisation: None,
            locale: Locale::ZhCn,
            timezone: TimeZone(chrono_tz::Asia::Shanghai),
            as_of: None,
            output_dir: PathBuf::from("public"),
            theme: "default".to_owned(),
            snapshots_dir: PathBuf::from("snapshots"),
            sources: vec![Source {
                path: "data".to_owned(),
                encoding: EncodingChoice::Auto,
                sheet: None,
                columns: BTreeMap::new(),
            }],
            partials: Vec::new(),
            columns: BTreeMap::new(),
            orders: Vec::new(),
            satisfaction: SatisfactionScale::default(),
            contact: ContactValues::default(),
            status: StatusValues::default(),
            sla_days: SlaDays::default(),
            min_sample: 30,
            long_open_days: 30,
            exports: Vec::new(),
            fiscal_year_start_month: Month(1),
            periods: Periods::default(),
            week_start: WeekStart::default(),
            departments: Vec::new(),
            sites: Vec::new(),
            surveys: Vec::new(),
            limits: Limits::default(),
            targets: Targets::default(),
            coverage: Coverage::default(),
            publish_staff: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
pub enum Locale {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

/// An IANA time zone name, such as "Asia/Shanghai".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String")]
pub struct TimeZone(#[schemars(with = "String")] pub chrono_tz::Tz);

impl TryFrom<String> for TimeZone {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        name.parse::<chrono_tz::Tz>().map(TimeZone).map_err(|_| {
            format!("unknown time zone `{name}`; expected an IANA name such as \"Asia/Shanghai\"")
        })
    }
}

/// A date in the config: a TOML date (`2026-11-20`), or a string or number in any spelling
/// of [`crate::dates`] (`"2026/11/20"`, `20261120`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "toml::Value")]
pub struct ConfigDate(pub NaiveDate);

impl TryFrom<toml::Value> for ConfigDate {
    type Error = String;
    fn try_from(value: toml::Value) -> Result<Self, String> {
        let text = match &value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::Integer(n) => n.to_string(),
            other => {
                return Err(format!(
                    "expected a date like 2026-11-20, found {}",
                    other.type_str()
                ));
            }
        };
        crate::dates::parse_day(&text)
            .map(ConfigDate)
            .map_err(|e| format!("`{text}` is not a date: {e}"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "u32")]
pub struct Month(pub u32);

impl TryFrom<u32> for Month {
    type Error = String;
    fn try_from(m: u32) -> Result<Self, String> {
        if (1..=12).contains(&m) {
            Ok(Month(m))
        } else {
            Err(format!("expected a month 1-12, found {m}"))
        }
    }
}

/// A folder of partial tables (docs/partials.md): the month partials of visit logs counted
/// elsewhere, read in their place.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartialsSource {
    /// The folder holding `meta.csv`, `partials.csv`, `complaints.csv` and `comments.csv`,
    /// relative to the config file.
    pub path: String,
}

/// Files of one kind read by one set of settings: a `[[sources]]` entry of visit logs, or an
/// `[[orders]]` entry of work orders, whose `columns` map [`OrderField`]s.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, bound(deserialize = "F: Deserialize<'de> + Ord"))]
#[schemars(rename = "Source_of_{F}")]
pub struct Source<F = Field> {
    /// A file, a directory (every CSV file and workbook below it) or a glob such as
    /// `exports/**/回访*.xlsx`.
    pub path: String,
    #[serde(default)]
    pub encoding: EncodingChoice,
    /// The sheet of a workbook to read (default: the first visible one).
    #[serde(default)]
    pub sheet: Option<String>,
    /// Mapping for this source only; for visit logs, tried before the global `[columns]`.
    #[serde(default)]
    pub columns: BTreeMap<F, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
pub enum EncodingChoice {
    /// UTF-8 (with or without BOM) when the bytes are mostly valid UTF-8, else GB18030 when
    /// they read as Chinese, else Windows-1252.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "utf-8", alias = "utf8", alias = "UTF-8")]
    Utf8,
    /// GB18030 is a superset of GBK and GB2312, so one decoder reads all three.
    #[serde(
        rename = "gb18030",
        alias = "gbk",
        alias = "gb2312",
        alias = "GB18030",
        alias = "GBK"
    )]
    Gb18030,
    /// Western European exports (Excel "CSV" on a Western Windows, older survey tools).
    #[serde(
        rename = "windows-1252",
        alias = "cp1252",
        alias = "latin1",
        alias = "Windows-1252"
    )]
    Windows1252,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelDef {
    pub label: String,
    pub score: f64,
    #[serde(default)]
    pub satisfied: bool,
    /// Other spellings of this level in the data, e.g. `很满意`.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The satisfaction scale, best level first.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, try_from = "RawScale")]
pub struct SatisfactionScale {
    pub levels: Vec<LevelDef>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawScale {
    levels: Vec<LevelDef>,
}

impl TryFrom<RawScale> for SatisfactionScale {
    type Error = String;
    fn try_from(raw: RawScale) -> Result<Self, String> {
        if raw.levels.is_empty() || raw.levels.len() > usize::from(u8::MAX) {
            return Err("satisfaction.levels needs 1 to 255 levels".to_owned());
        }
        if let Some(level) = raw.levels.iter().find(|l| !l.score.is_finite()) {
            return Err(format!(
                "satisfaction.levels: the score of `{}` must be a number",
                level.label
            ));
        }
        if !raw.levels.iter().any(|l| l.satisfied) {
            return Err(
                "satisfaction.levels: mark at least one level `satisfied = true`".to_owned(),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for level in &raw.levels {
            for spelling in std::iter::once(&level.label).chain(&level.aliases) {
                if !seen.insert(spelling.as_str()) {
                    return Err(format!(
                        "satisfaction.levels: `{spelling}` is used by two levels"
                    ));
                }
            }
        }
        Ok(SatisfactionScale { levels: raw.levels })
    }
}

impl Default for SatisfactionScale {
    fn default() -> Self {
        let level = |label: &str, score: f64, satisfied: bool| LevelDef {
            label: label.to_owned(),
            score,
            satisfied,
            aliases: Vec::new(),
        };
        SatisfactionScale {
            levels: vec![
                level("非常满意", 5.0, true),
                level("满意", 4.0, true),
                level("一般", 3.0, false),
                level("不满意", 2.0, false),
                level("非常不满意", 1.0, false),
            ],
        }
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ContactValues {
    /// `contact_result` values that mean the customer was reached.
    pub success: Vec<String>,
}

impl Default for ContactValues {
    fn default() -> Self {
        ContactValues {
            success: ["成功", "已回访", "回访成功", "接通", "已接通"]
                .map(str::to_owned)
                .to_vec(),
        }
    }
}

/// The rectification statuses the data may hold; anything else is a data error for that cell.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default, try_from = "RawStatus")]
pub struct StatusValues {
    pub open: Vec<String>,
    pub closed: Vec<String>,
    /// Open statuses that mean the complaint cannot be resolved for now (无法解决), counted apart
    /// in the weekly table; each must also be in `open`.
    pub unresolvable: Vec<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
struct RawStatus {
    open: Vec<String>,
    closed: Vec<String>,
    /// None: 暂不能解决, when it is one of the open statuses.
    unresolvable: Option<Vec<String>>,
}

impl Default for RawStatus {
    fn default() -> Self {
        let d = StatusValues::default();
        RawStatus {
            open: d.open,
            closed: d.closed,
            unresolvable: None,
        }
    }
}

impl TryFrom<RawStatus> for StatusValues {
    type Error = String;
    fn try_from(raw: RawStatus) -> Result<Self, String> {
        if let Some(both) = raw.open.iter().find(|s| raw.closed.contains(s)) {
            return Err(format!(
                "status `{both}` is listed both as open and as closed"
            ));
        }
        if raw.open.len() + raw.closed.len() > usize::from(u8::MAX) {
            return Err("at most 255 statuses".to_owned());
        }
        let unresolvable = raw.unresolvable.unwrap_or_else(|| {
            let default = StatusValues::default().unresolvable;
            default
                .into_iter()
                .filter(|s| raw.open.contains(s))
                .collect()
        });
        if let Some(s) = unresolvable.iter().find(|s| !raw.open.contains(s)) {
            return Err(format!(
                "status `{s}` is listed as unresolvable but not as open: add it to `open`"
            ));
        }
        Ok(StatusValues {
            open: raw.open,
            closed: raw.closed,
            unresolvable,
        })
    }
}

impl Default for StatusValues {
    fn default() -> Self {
        StatusValues {
            open: ["待处理", "处理中", "暂不能解决"]
                .map(str::to_owned)
                .to_vec(),
            closed: ["已整改", "已完成", "已解决", "已关闭", "已验证"]
                .map(str::to_owned)
                .to_vec(),
            unresolvable: vec!["暂不能解决".to_owned()],
        }
    }
}

impl StatusValues {
    /// Every status, open ones first; a record's `StatusId` indexes this order.
    pub fn all(&self) -> impl Iterator<Item = (&str, bool)> {
        let open = self.open.iter().map(|s| (s.as_str(), false));
        open.chain(self.closed.iter().map(|s| (s.as_str(), true)))
    }
}

/// Days allowed to rectify a complaint when it has no explicit due date (seed 003's rules).
#[derive(Debug, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SlaDays {
    #[serde(alias = "重大")]
    pub major: u32,
    #[serde(alias = "重要")]
    pub important: u32,
    #[serde(alias = "轻微")]
    pub minor: u32,
}

impl Default for SlaDays {
    fn default() -> Self {
        SlaDays {
            major: 10,
            important: 3,
            minor: 2,
        }
    }
}

impl SlaDays {
    pub fn days(&self, severity: Severity) -> u32 {
        match severity {
            Severity::Major => self.major,
            Severity::Important => self.important,
            Severity::Minor => self.minor,
        }
    }
}

/// A department or a site as the config lists it (`[[departments]]`, `[[sites]]`).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityDef {
    pub name: String,
    #[serde(default)]
    pub slug: Option<Slug>,
    /// Other spellings in the data that mean this one, e.g. `保卫部` for `秩序维护部`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Households (户) of a site, for household coverage (走访覆盖率); sites only.
    #[serde(default)]
    pub households: Option<u64>,
}

/// Every name and alias of `list` means one entry, and no slug is given twice.
fn unique_entities(key: &str, list: &[EntityDef]) -> Result<(), String> {
    let mut names = std::collections::HashSet::new();
    let mut slugs = std::collections::HashSet::new();
    for d in list {
        for name in std::iter::once(&d.name).chain(&d.aliases) {
            if !names.insert(name.as_str()) {
                return Err(format!("{key}: `{name}` is listed twice"));
            }
        }
        if let Some(slug) = &d.slug
            && !slugs.insert(slug.0.as_str())
        {
            return Err(format!("{key}: slug `{slug}` is used twice"));
        }
    }
    Ok(())
}

/// Households are counted per site, where a 房号 means one door; a count of 0 would make
/// every rate undefined and is surely a slip.
fn household_counts(departments: &[EntityDef], sites: &[EntityDef]) -> Result<(), String> {
    if let Some(d) = departments.iter().find(|d| d.households.is_some()) {
        return Err(format!(
            "departments: `{}` has `households`, which belongs on a [[sites]] entry (a household \
             key is counted within its site)",
            d.name
        ));
    }
    match sites.iter().find(|s| s.households == Some(0)) {
        Some(s) => Err(format!(
            "sites: `{}` has households = 0; give the number of households of the site, or \
             leave the key out",
            s.name
        )),
        None => Ok(()),
    }
}

/// A URL path segment: lowercase ASCII letters, digits and `-`, so it can never leave its folder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String")]
pub struct Slug(pub String);

impl TryFrom<String> for Slug {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-');
        if ok {
            Ok(Slug(s))
        } else {
            Err(format!(
                "slug `{s}`: use 1-64 lowercase letters, digits and `-`"
            ))
        }
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A config together with the folder its relative paths are resolved against.
#[derive(Debug, Clone)]
pub struct Project {
    pub config: Config,
    /// The config file as given on the command line (for messages).
    pub config_path: PathBuf,
    /// The folder holding the config file.
    pub root: PathBuf,
}

impl Config {
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let invalid = |e: toml::de::Error| {
            let mut message = e.to_string().trim_end().to_owned();
            if let Some(hint) = suggest::did_you_mean(&message) {
                message = format!("{message}\n{hint}");
            }
            ConfigError::Invalid {
                path: path.to_owned(),
                message,
            }
        };
        let mut config: Config = toml::from_str(text).map_err(invalid)?;
        // A project that only runs surveys, or reads partial tables, names no visit logs: the
        // default `data` folder is for projects that say nothing about any of them.
        let table: toml::Table = toml::from_str(text).map_err(invalid)?;
        let other_inputs = !config.surveys.is_empty() || !config.partials.is_empty();
        if !table.contains_key("sources") && other_inputs {
            config.sources.clear();
        }
        config.fold_names();
        config.validate(path)?;
        Ok(config)
    }

    /// Department and site names and aliases folded as cells are (full-width forms, blanks at
    /// the ends), so `工程部（维修）` in the config matches `工程部(维修)` read from the data.
    fn fold_names(&mut self) {
        let fold = |name: &mut String| *name = crate::chars::normalize(name).into_owned();
        for d in self.departments.iter_mut().chain(&mut self.sites) {
            fold(&mut d.name);
            d.aliases.iter_mut().for_each(fold);
        }
        let feeds = self
            .surveys
            .iter_mut()
            .filter_map(|s| s.satisfaction.as_mut());
        feeds.filter_map(|f| f.department.as_mut()).for_each(fold);
    }

    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        };
        if self.sources.is_empty() && self.surveys.is_empty() && self.partials.is_empty() {
            return Err(invalid(
                "`sources` is empty and there are no `[[surveys]]` or `[[partials]]`: list at \
                 least one visit-log path, a survey campaign, or a folder of partial tables"
                    .to_owned(),
            ));
        }
        for survey in &self.surveys {
            if let Some(feed) = &survey.satisfaction
                && feed.department.is_some() == feed.department_question.is_some()
            {
                return Err(invalid(format!(
                    "survey `{}`: satisfaction needs exactly one of `department` and `department_question`",
                    survey.name
                )));
            }
        }
        self.targets.validate().map_err(invalid)?;
        self.coverage.validate().map_err(invalid)?;
        unique_entities("departments", &self.departments).map_err(invalid)?;
        unique_entities("sites", &self.sites).map_err(invalid)?;
        household_counts(&self.departments, &self.sites).map_err(invalid)
    }

    /// How the project cuts time into the periods it reports on.
    pub fn calendar(&self) -> crate::period::Calendar {
        let weeks = self.periods.contains(crate::period::PeriodKind::Week);
        crate::period::Calendar::new(
            self.fiscal_year_start_month.0,
            weeks.then_some(self.week_start.0),
        )
    }

    /// The as-of date: from the config, else today in the configured time zone (by the
    /// build's clock, see [`crate::clock`]).
    pub fn as_of_or_today(&self) -> NaiveDate {
        match self.as_of {
            Some(d) => d.0,
            None => crate::clock::now()
                .with_timezone(&self.timezone.0)
                .date_naive(),
        }
    }
}

impl Project {
    pub fn load(config_path: &Path) -> Result<Project, ConfigError> {
        let text = std::fs::read_to_string(config_path).map_err(|source| ConfigError::Read {
            path: config_path.to_owned(),
            source,
        })?;
        let config = Config::parse(&text, config_path)?;
        let root = match config_path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        Ok(Project {
            config,
            config_path: config_path.to_owned(),
            root,
        })
    }

    pub fn resolve(&self, relative: &Path) -> PathBuf {
        self.root.join(relative)
    }
}
