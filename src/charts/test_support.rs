//! Helpers for the chart tests.

use super::ChartText;

pub(super) fn text(id: &str) -> ChartText<'_> {
    ChartText {
        id,
        title: "图表",
        desc: "说明",
        empty_label: "暂无数据",
    }
}

pub(super) fn labels(items: impl IntoIterator<Item = impl Into<String>>) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

/// How often `needle` occurs in `svg`.
pub(super) fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

/// The checks every chart passes: one root, labelled by its own title and desc, tags that
/// nest and close, text that needs no further escaping, and whole-pixel coordinates.
pub(super) fn assert_sound(svg: &str, id: &str) {
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.ends_with("</svg>"));
    assert_eq!(count(svg, "<svg"), 1);
    assert!(svg.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")));
    assert_eq!(count(svg, &format!("<title id=\"{id}-title\">")), 1);
    assert_eq!(count(svg, &format!("<desc id=\"{id}-desc\">")), 1);
    let title_at = svg.find("<title").unwrap_or(usize::MAX);
    let first_child = svg.find(">\n").map(|i| i + 2);
    assert_eq!(first_child, Some(title_at), "title is the first child");
    assert_nesting(svg);
    assert!(
        !svg.contains(|c: char| c.is_control() && c != '\n'),
        "no control characters"
    );
    for number in svg
        .split(['"', ' ', ','])
        .filter(|s| s.parse::<f64>().is_ok())
    {
        assert!(number.len() <= 6, "compact numbers, got {number}");
    }
}

/// Every tag closes in order, and `<` and `&` appear only as markup or entities.
fn assert_nesting(svg: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        assert!(!text.contains('>'), "stray > in {text:?}");
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&lt;", "&gt;", "&amp;", "&quot;", "&apos;", "&#39;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "bare & in {text:?}"
            );
        }
        let end = rest[start..].find('>').expect("tag closes") + start;
        let tag = &rest[start + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name), "closing {name}");
        } else if !tag.ends_with('/') {
            open.push(tag.split(' ').next().unwrap_or_default());
        }
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed {open:?}");
}
