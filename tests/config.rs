//! The project config: defaults, and errors that name the key, the file and the line.

use crate::util;

use huifang::config::{Config, EncodingChoice, Locale, Project};
use huifang::model::Field;
use std::path::Path;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(text, Path::new("huifang.toml")).map_err(|e| e.to_string())
}

#[test]
fn every_key_has_a_default() {
    let c = parse("").unwrap();
    assert_eq!(c.locale, Locale::ZhCn);
    assert_eq!(c.timezone.0, chrono_tz::Asia::Shanghai);
    assert_eq!(c.as_of, None);
    assert_eq!(
        (c.sla_days.major, c.sla_days.important, c.sla_days.minor),
        (10, 3, 2)
    );
    assert_eq!(c.min_sample, 30);
    assert_eq!(c.long_open_days, 30);
    assert_eq!(c.status.unresolvable, ["暂不能解决"]);
    assert_eq!(c.targets.overall.satisfied_rate, None);
    assert_eq!(c.fiscal_year_start_month.0, 1);
    let labels: Vec<&str> = c
        .satisfaction
        .levels
        .iter()
        .map(|l| l.label.as_str())
        .collect();
    assert_eq!(labels, ["非常满意", "满意", "一般", "不满意", "非常不满意"]);
    let satisfied: Vec<bool> = c.satisfaction.levels.iter().map(|l| l.satisfied).collect();
    assert_eq!(satisfied, [true, true, false, false, false]);
    assert_eq!(
        c.status.closed,
        ["已整改", "已完成", "已解决", "已关闭", "已验证"]
    );
    assert_eq!(c.sources.len(), 1);
    assert_eq!(c.sources[0].path, "data");
    assert_eq!(c.sources[0].encoding, EncodingChoice::Auto);
}

#[test]
fn the_repository_config_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = Project::load(&root.join("huifang.toml")).unwrap();
    assert_eq!(
        p.config.as_of.map(|d| d.0.to_string()).as_deref(),
        Some("2026-11-20")
    );
    assert_eq!(p.config.departments.len(), 8);
}

#[test]
fn values_are_read_as_typed() {
    let c = parse(
        r#"
        locale = "en"
        as_of = "2026-03-31"
        fiscal_year_start_month = 4
        [sla_days]
        "重大" = 7
        [[sources]]
        path = "exports/*.csv"
        encoding = "gbk"
        columns = { department = "负责科室" }
        [columns]
        date = "受理日期"
        "#,
    )
    .unwrap();
    assert_eq!(c.locale, Locale::En);
    assert_eq!(c.as_of.unwrap().0.to_string(), "2026-03-31");
    assert_eq!(c.fiscal_year_start_month.0, 4);
    assert_eq!(c.sla_days.major, 7);
    assert_eq!(c.sla_days.minor, 2);
    assert_eq!(c.sources[0].encoding, EncodingChoice::Gb18030);
    assert_eq!(c.sources[0].columns[&Field::Department], "负责科室");
    assert_eq!(c.columns[&Field::Date], "受理日期");
}

#[test]
fn an_unknown_key_names_key_file_and_line() {
    let err = Project::load(&util::fixture("config_unknown_key/huifang.toml")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("config_unknown_key/huifang.toml"), "{text}");
    assert!(text.contains("line 5"), "{text}");
    assert!(text.contains("unknown field `critical`"), "{text}");
}

#[test]
fn a_wrong_type_names_key_file_and_line() {
    let err = Project::load(&util::fixture("config_wrong_type/huifang.toml")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("config_wrong_type/huifang.toml"), "{text}");
    assert!(text.contains("line 2"), "{text}");
    assert!(text.contains("min_sample"), "{text}");
}

#[test]
fn invalid_values_are_errors_with_their_line() {
    let cases = [
        (
            "title = \"x\"\nfiscal_year_start_month = 13\n",
            "line 2",
            "month 1-12",
        ),
        (
            "timezone = \"Mars/Olympus\"\n",
            "line 1",
            "unknown time zone",
        ),
        ("as_of = \"next week\"\n", "line 1", "expected a date"),
        (
            "\n[columns]\nbirthday = \"生日\"\n",
            "line 3",
            "unknown variant `birthday`",
        ),
        (
            "[[departments]]\nname = \"工程部\"\nslug = \"../etc\"\n",
            "line 3",
            "slug `../etc`",
        ),
        (
            "[status]\nopen = [\"已整改\"]\n",
            "line 1",
            "both as open and as closed",
        ),
        (
            "[[sources]]\npath = \"a\"\nencoding = \"shift_jis\"\n",
            "line 3",
            "unknown variant `shift_jis`",
        ),
        ("locale = \"fr\"\n", "line 1", "unknown variant `fr`"),
    ];
    for (text, line, message) in cases {
        let err = parse(text).unwrap_err();
        assert!(
            err.contains(line) && err.contains(message),
            "{text:?} gave {err}"
        );
    }
}

#[test]
fn as_of_takes_the_spellings_of_the_data() {
    for text in [
        "as_of = 2026-11-20",
        "as_of = \"2026-11-20\"",
        "as_of = \"2026/11/20\"",
        "as_of = \"20261120\"",
        "as_of = 20261120",
        "as_of = \"2026年11月20日\"",
        "as_of = 2026-11-20T18:00:00",
    ] {
        let c = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(c.as_of.unwrap().0.to_string(), "2026-11-20", "{text}");
    }
    for (text, message) in [
        (
            "as_of = \"2026/13/40\"",
            "`2026/13/40` is not a date: 2026-13-40 is not a day of the calendar",
        ),
        (
            "as_of = \"11/20/2026\"",
            "`11/20/2026` is not a date: expected a date such as 2025-03-05, 2025/3/5 14:07",
        ),
        ("as_of = \"2206-11-20\"", "outside 1990–2100"),
        (
            "as_of = true",
            "expected a date like 2026-11-20, found boolean",
        ),
    ] {
        let err = parse(text).unwrap_err();
        assert!(
            err.contains("line 1") && err.contains(message),
            "{text}: {err}"
        );
    }
}

#[test]
fn unresolvable_statuses_are_open_ones() {
    let c = parse("[status]\nopen = [\"待处理\", \"无法解决\"]\nclosed = [\"已完成\"]\n").unwrap();
    assert!(
        c.status.unresolvable.is_empty(),
        "暂不能解决 is not a status here"
    );
    let c = parse(
        "[status]\nopen = [\"待处理\", \"无法解决\"]\nclosed = [\"已完成\"]\nunresolvable = [\"无法解决\"]\n",
    )
    .unwrap();
    assert_eq!(c.status.unresolvable, ["无法解决"]);
    let e = parse("[status]\nunresolvable = [\"已整改\"]\n").unwrap_err();
    assert!(
        e.contains("`已整改` is listed as unresolvable but not as open"),
        "{e}"
    );
}

#[test]
fn targets_are_shares() {
    let c = parse(
        "[targets]\nsatisfied_rate = 0.9\n[targets.sites.\"翠湖苑\"]\nsatisfied_rate = 0.8\n",
    )
    .unwrap();
    assert_eq!(c.targets.site("翠湖苑").satisfied_rate, Some(0.8));
    assert_eq!(c.targets.department("工程部").satisfied_rate, Some(0.9));
    let e = parse("[targets]\nclosure_rate = 95\n").unwrap_err();
    assert!(
        e.contains("huifang.toml") && e.contains("write 90 % as 0.9"),
        "{e}"
    );
}
