//! The JSON Schema of `huifang.toml`, derived from the config structs (so it cannot drift from
//! what is read), for editors that complete and check TOML keys (Taplo, Even Better TOML).
//! `huifang schema` prints it; `docs/huifang.schema.json` is a copy a test keeps equal.

use super::{Config, ConfigDate};
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
