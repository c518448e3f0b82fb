//! The JSON Schema of `huifang.toml` (`huifang schema`, committed as
//! `docs/huifang.schema.json`): the committed copy is current, and the configs huifang ships
//! pass it while misspelt or mistyped keys do not, as they fail huifang itself.

use crate::util::huifang;

use serde_json::{Value, json};

fn schema() -> Value {
    serde_json::from_str(&huifang::config::schema_json()).unwrap()
}

/// A TOML document as the JSON an editor checks: dates become their text, as Taplo does.
fn to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(n) => json!(n),
        toml::Value::Float(x) => json!(x),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn errors_of(toml_text: &str) -> Vec<String> {
    let document: toml::Value = toml::from_str(toml_text).unwrap();
    let validator = jsonschema::validator_for(&schema()).unwrap();
    validator
        .iter_errors(&to_json(&document))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_committed_schema_is_the_one_huifang_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let o = huifang(tmp.path(), &["schema"]);
    assert!(o.status.success());
    let committed = include_str!("../docs/huifang.schema.json");
    assert!(
        o.stdout == committed.as_bytes(),
        "docs/huifang.schema.json is stale: run `huifang schema > docs/huifang.schema.json`"
    );
}

#[test]
fn the_shipped_configs_pass_the_schema() {
    let root = env!("CARGO_MANIFEST_DIR");
    for config in ["huifang.toml", "src/scaffold/huifang.toml"] {
        let text = std::fs::read_to_string(format!("{root}/{config}")).unwrap();
        assert_eq!(errors_of(&text), Vec::<String>::new(), "{config}");
    }
}

#[test]
fn misspelt_keys_and_wrong_types_fail_the_schema_as_they_fail_huifang() {
    for bad in [
        "min_samle = 30\n",
        "min_sample = \"30\"\n",
        "locale = \"fr\"\n",
        "exports = [\"PDF\"]\n",
        "[sla_days]\nmajro = 5\n",
        "[[departments]]\nname = \"工程部\"\nslgu = \"engineering\"\n",
        "[[sources]]\nencoding = \"auto\"\n",
        "[targets.departments.\"工程部\"]\nclosure = 0.9\n",
        "[coverage]\n\"安装\" = \"all\"\n",
        "periods = [\"weekly\"]\n",
        "periods = []\n",
        "periods = [\"month\", \"month\"]\n",
    ] {
        assert!(!errors_of(bad).is_empty(), "the schema passes {bad:?}");
        let err = huifang::config::Config::parse(bad, std::path::Path::new("huifang.toml"));
        assert!(err.is_err(), "huifang reads {bad:?}");
    }
    // And what huifang reads, the schema passes: dates in each spelling, both forms of
    // a coverage rule, a flattened target beside per-department ones.
    let good = "as_of = 2026-10-31\n[targets]\nclosure_rate = 0.9\n\
                [targets.departments.\"工程部\"]\nclosure_rate = 0.8\n\
                [coverage]\n\"安装\" = 1.0\n[coverage.\"投诉\"]\ntarget = 1.0\nwindow = [0, 3]\n";
    assert_eq!(errors_of(good), Vec::<String>::new());
    huifang::config::Config::parse(good, std::path::Path::new("huifang.toml")).unwrap();
    for also_good in [
        "as_of = \"2026/10/31\"\n",
        "as_of = 20261031\n",
        "periods = [\"week\", \"month\", \"quarter\", \"year\"]\nweek_start = \"周日\"\n",
    ] {
        assert_eq!(errors_of(also_good), Vec::<String>::new(), "{also_good}");
    }
}
