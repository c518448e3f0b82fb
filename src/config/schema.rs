//! The JSON Schema of `huifang.toml`, derived from the config structs (so it cannot drift from
//! what is read), for editors that complete and check TOML keys (Taplo, Even Better TOML).
//! `huifang schema` prints it; `docs/huifang.schema.json` is a copy a test keeps equal.

use super::{Config, ConfigDate, Periods, WeekStart};
use crate::period::PeriodKind;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// The schema as pretty JSON with a final newline, the same bytes every time.
pub fn schema_json() -> String {
    let mut schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Config>();
    schema.insert(
        "title".to_owned(),
        "huifang.toml: the configuration of a huifang project".into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// A TOML date (`2026-11-20`, which editors hand over as a string), or a string or number
/// in any spelling the data's dates take.
impl JsonSchema for ConfigDate {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date: 2026-11-20, \"2026/11/20\", \"2026年11月20日\" or 20261120.",
            "type": ["string", "integer"]
        })
    }
}

/// The report kinds by the names huifang reads them by, so a new kind appears here too.
impl JsonSchema for Periods {
    fn schema_name() -> Cow<'static, str> {
        "Periods".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = PeriodKind::ALL.iter().map(|k| k.name()).collect();
        json_schema!({
            "description": "The kinds of report a build writes, each at most once.",
            "type": "array",
            "items": { "enum": names },
            "minItems": 1,
            "uniqueItems": true
        })
    }
}

/// A weekday in English or Chinese: read by name, so any string is offered to huifang.
impl JsonSchema for WeekStart {
    fn schema_name() -> Cow<'static, str> {
        "WeekStart".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The day weeks start on: \"monday\", \"sun\", \"周一\", \"星期日\" …",
            "type": "string"
        })
    }
}
