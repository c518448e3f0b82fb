//! Chinese as a Chinese manager writes it: full-width ，；：（） in the zh-CN strings and on
//! the pages of the Chinese sample site; and the data-quality page's reasons in the site's
//! locale, while the terminal keeps its English messages.

use crate::util;
use huifang::config::Locale;
use huifang::site::i18n::Strings;
use scraper::{ElementRef, Html, Node};
use std::path::Path;

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// Every half-width `, ; : ( )` that stands beside a CJK character (spaces skipped) with no
/// ASCII letter or digit on its other side, shown with the text around it. Beside a letter or
/// digit it belongs to a number, a date, a time, a URL or code (`12:30`, `sha256: 之后`).
fn half_width_beside_cjk(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let cjk = |c: Option<&char>| c.is_some_and(|c| is_cjk(*c));
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let mut found = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if !",;:()".contains(*c) {
            continue;
        }
        let before = chars[..i].iter().rev().find(|c| **c != ' ');
        let after = chars[i + 1..].iter().find(|c| **c != ' ');
        if (cjk(before) && !word(after)) || (cjk(after) && !word(before)) {
            let around = &chars[i.saturating_sub(12)..(i + 12).min(chars.len())];
            found.push(around.iter().collect());
        }
    }
    found
}

#[test]
fn the_check_finds_half_width_punctuation_in_chinese_only() {
    for bad in [
        "回访记录(配置项)",
        "未列出,请运行",
        "校验方法:把",
        "暂不能解决;已整改",
        "共回访 120 次, 满意率",
        "2026年11月(进行中)",
    ] {
        assert!(!half_width_beside_cjk(bad).is_empty(), "{bad}");
    }
    for good in [
        "回访记录（配置项 sources），只发布",
        "数据截至 2026年11月20日 06:59",
        "sha256: 之后的 64 位",
        "满意率 81.9%（95% 置信区间 78.5%–84.9%）",
        "C（回访日期）",
        "Satisfied (pts), vs previous: 1.2",
    ] {
        assert_eq!(half_width_beside_cjk(good), Vec::<String>::new(), "{good}");
    }
}

#[test]
fn zh_cn_strings_use_full_width_punctuation() {
    let strings = Strings::load(Locale::ZhCn, None).unwrap();
    let bad: Vec<String> = strings
        .table
        .iter()
        .flat_map(|(key, text)| {
            half_width_beside_cjk(text)
                .into_iter()
                .map(move |at| format!("{key}: {at}"))
        })
        .collect();
    assert!(strings.table.len() > 100, "the table is read");
    assert!(
        bad.is_empty(),
        "half-width punctuation in Chinese: {bad:#?}"
    );
}

/// Every string of the data files (`metrics.json` of reports and surveys, the comments of
/// `actions.csv`): what the data
/// says (customer comments, survey questions and answers) is quoted as written, and is not
/// ours to punctuate.
fn data_strings(site: &Path) -> Vec<String> {
    fn collect(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if s.contains([',', ';', ':', '(', ')']) => {
                out.push(s.clone());
            }
            serde_json::Value::Array(list) => list.iter().for_each(|v| collect(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(site) {
        let path = entry.unwrap().into_path();
        if path.file_name().is_some_and(|n| n == "metrics.json") {
            let text = std::fs::read_to_string(&path).unwrap();
            collect(&serde_json::from_str(&text).unwrap(), &mut out);
        }
        // The action lists quote each complaint's comment (its last column).
        if path.file_name().is_some_and(|n| n == "actions.csv") {
            let mut reader = csv::Reader::from_path(&path).unwrap();
            for record in reader.records() {
                let record = record.unwrap();
                let comment = record.iter().nth(record.len() - 2).unwrap_or_default();
                if comment.contains([',', ';', ':', '(', ')']) {
                    out.push(comment.to_owned());
                }
            }
        }
    }
    // Longest first, so a comment goes whole before a shorter string inside it.
    out.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    out.dedup();
    out
}

/// The text a reader sees: every text node but those in scripts, styles and code.
fn visible_text(html: &Html) -> String {
    let mut text = String::new();
    for node in html.tree.nodes() {
        let Node::Text(t) = node.value() else {
            continue;
        };
        let hidden = node.ancestors().filter_map(ElementRef::wrap).any(|e| {
            matches!(
                e.value().name(),
                "script" | "style" | "code" | "pre" | "title"
            )
        });
        if !hidden {
            text.push_str(t);
            text.push('\n');
        }
    }
    text
}

#[test]
fn the_chinese_sample_site_uses_full_width_punctuation() {
    let site = crate::site::sample_site();
    let data = data_strings(site);
    assert!(
        data.iter().any(|s| s.contains('，') || s.contains(',')),
        "the data strings are read"
    );
    let mut pages = 0;
    let mut bad = Vec::new();
    for entry in walkdir::WalkDir::new(site) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = Html::parse_document(&std::fs::read_to_string(&path).unwrap());
        let mut text = visible_text(&html);
        for quoted in &data {
            if text.contains(quoted.as_str()) {
                text = text.replace(quoted.as_str(), " ");
            }
        }
        bad.extend(
            half_width_beside_cjk(&text)
                .into_iter()
                .map(|at| format!("{}: {at}", path.strip_prefix(site).unwrap().display())),
        );
        pages += 1;
    }
    assert!(pages > 100, "{pages}");
    bad.truncate(30);
    assert!(
        bad.is_empty(),
        "half-width punctuation in Chinese: {bad:#?}"
    );
}

/// A bad date in the visit log (tests/fixtures/rejections: 2025-02-30, and a row without a
/// date): a Chinese site gives the reasons in Chinese, an English one in English, and the
/// terminal in English either way.
#[test]
fn data_quality_reasons_are_in_the_site_locale() {
    let project = util::TempProject::fixture("rejections");
    let quality = |locale: Option<&str>| {
        if let Some(locale) = locale {
            let config = std::fs::read_to_string(project.config()).unwrap();
            std::fs::write(project.config(), format!("locale = \"{locale}\"\n{config}")).unwrap();
        }
        let out = util::huifang(project.path(), &["build", "--force", "--out", "site"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let html =
            std::fs::read_to_string(project.path().join("site/data-quality/index.html")).unwrap();
        visible_text(&Html::parse_document(&html))
    };
    let zh = quality(None);
    assert!(zh.contains("「2025-02-30」不是可识别的日期"), "{zh}");
    assert!(zh.contains("回访日期为空"), "{zh}");
    assert!(!zh.contains("is not a date"), "{zh}");
    let en = quality(Some("en"));
    assert!(en.contains("“2025-02-30” is not a date"), "{en}");
    assert!(en.contains("The date is empty"), "{en}");
    assert!(!en.contains("不是可识别的日期"), "{en}");
    let check = util::huifang(project.path(), &["check"]);
    let said = String::from_utf8_lossy(&check.stdout).into_owned()
        + &String::from_utf8_lossy(&check.stderr);
    assert!(said.contains("`2025-02-30` is not a date"), "{said}");
}
