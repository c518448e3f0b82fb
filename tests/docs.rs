//! The README's promises that the code can check: the header names it lists are exactly the
//! built-in synonyms.

use huifang::chars::header_key;
use huifang::ingest::columns::{order_synonyms, synonyms};
use huifang::metrics::catalog;
use huifang::model::{Field, OrderField};

#[test]
fn readme_lists_exactly_the_built_in_header_names() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for field in Field::ALL {
        let prefix = format!("| `{}` |", field.name());
        let row = readme
            .lines()
            .find(|l| l.starts_with(&prefix) && l.matches('|').count() == 4)
            .unwrap_or_else(|| panic!("README has no header-name row for {field}"));
        let names = row.rsplit('|').nth(1).unwrap();
        let names = names.split(" (").next().unwrap();
        let mut listed: Vec<String> = names.split(',').map(header_key).collect();
        let mut built_in: Vec<String> = synonyms(field).iter().map(|s| s.to_string()).collect();
        listed.sort();
        built_in.sort();
        assert_eq!(listed, built_in, "README row for {field}");
    }
}

/// The work-order table lists every order field once, whether it is required, and exactly
/// its built-in names.
#[test]
fn readme_lists_exactly_the_built_in_order_header_names() {
    let readme = read("README.md");
    let start = readme
        .find("## Work orders")
        .expect("README has a Work orders section");
    let rows: Vec<Vec<&str>> = readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| field |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let fields: Vec<String> = OrderField::ALL
        .iter()
        .map(|f| format!("`{}`", f.name()))
        .collect();
    let listed: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(listed, fields);
    for (row, field) in rows.iter().zip(OrderField::ALL) {
        let required = if field.is_required() { "yes" } else { "" };
        assert_eq!(row[1], required, "README row for order field {field}");
        let names = row[2].split(" (").next().unwrap();
        let mut listed: Vec<String> = names.split(',').map(header_key).collect();
        let mut built_in: Vec<String> = order_synonyms(field)
            .iter()
            .map(|s| s.to_string())
            .collect();
        listed.sort();
        built_in.sort();
        assert_eq!(listed, built_in, "README row for order field {field}");
    }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The rows of the first markdown table after `heading`, split into trimmed cells.
fn table_after(text: &str, heading: &str) -> Vec<Vec<String>> {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}`"));
    text[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect()
}

/// `docs/metrics.md` lists exactly the catalogue, in its order, with its kind, direction,
/// publication and the function that computes each metric.
#[test]
fn metrics_doc_lists_exactly_the_catalogue() {
    let doc = read("docs/metrics.md");
    let rows = table_after(&doc, "## The headline metrics and where each is computed");
    let expected: Vec<Vec<String>> = catalog::ALL
        .iter()
        .map(|m| {
            let p = m.published;
            let places: Vec<&str> = [
                (p.csv, "csv"),
                (p.quoted, "`metric()`"),
                (p.compared, "version diffs"),
            ]
            .into_iter()
            .filter_map(|(on, place)| on.then_some(place))
            .collect();
            vec![
                format!("`{}`", m.name),
                format!("{:?}", m.kind).to_lowercase(),
                format!("{:?}", m.better).to_lowercase(),
                places.join(", "),
                format!("`{}`", m.computed_by),
                if m.waits_for_closing {
                    "waits for closing".to_owned()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    assert_eq!(rows, expected);
}

/// Every "computed by" names a function that exists: `a::b::f` is `fn f` in `src/a/b.rs` (or
/// `src/a/b/mod.rs`), `a::b::T::f` is `fn f` in an `impl T` of that file.
#[test]
fn every_metric_names_a_function_that_exists() {
    for m in catalog::ALL {
        let parts: Vec<&str> = m.computed_by.split("::").collect();
        let (module, item): (Vec<&str>, Vec<&str>) = match parts.as_slice() {
            [.., ty, f] if ty.starts_with(char::is_uppercase) => {
                (parts[..parts.len() - 2].to_vec(), vec![*ty, *f])
            }
            [.., f] => (parts[..parts.len() - 1].to_vec(), vec![*f]),
            [] => unreachable!(),
        };
        let dir = module.join("/");
        let source =
            std::fs::read_to_string(format!("{}/src/{dir}.rs", env!("CARGO_MANIFEST_DIR")))
                .or_else(|_| {
                    std::fs::read_to_string(format!(
                        "{}/src/{dir}/mod.rs",
                        env!("CARGO_MANIFEST_DIR")
                    ))
                })
                .unwrap_or_else(|_| panic!("{}: no module src/{dir}", m.name));
        let function = item.last().unwrap();
        let body = match item.as_slice() {
            [ty, _] => {
                let at = source
                    .find(&format!("impl {ty} {{"))
                    .unwrap_or_else(|| panic!("{}: no `impl {ty}` in src/{dir}", m.name));
                &source[at..]
            }
            _ => &source[..],
        };
        assert!(
            body.contains(&format!("fn {function}(")),
            "{}: no `fn {function}` in src/{dir}",
            m.name
        );
    }
}

/// The README lists exactly the names `{{ metric(...) }}` accepts, and `docs/metrics.md` the
/// columns of `metrics.csv`.
#[test]
fn readme_and_docs_list_the_published_names() {
    let words = |text: &str| -> Vec<String> {
        text.split(',')
            .map(|w| w.trim().trim_matches('`').to_owned())
            .collect()
    };
    let readme = read("README.md").replace('\n', " ");
    let names = readme
        .split("Names: ")
        .nth(1)
        .and_then(|rest| rest.split(". An unknown name").next())
        .expect("README has the `Names:` list of metric()");
    let quoted: Vec<String> = catalog::quoted_names().map(str::to_owned).collect();
    assert_eq!(words(names), quoted);

    let doc = read("docs/metrics.md");
    let columns = doc
        .split("Columns:\n\n`")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .expect("docs/metrics.md lists the columns of metrics.csv")
        .replace('\n', " ");
    let csv: Vec<String> = ["department", "slug"]
        .into_iter()
        .chain(
            catalog::ALL
                .iter()
                .filter(|m| m.published.csv)
                .map(|m| m.name),
        )
        .map(str::to_owned)
        .collect();
    assert_eq!(words(&columns), csv);
}

/// Every file and folder the README's "Layout" names exists: from the repository root, under
/// `src/`, or under a folder named before it in the same item.
#[test]
fn readme_layout_names_files_that_exist() {
    let readme = read("README.md");
    let start = readme
        .find("\n## Layout\n")
        .expect("README has a Layout section");
    let section = &readme[start..];
    let section = &section[..section[1..].find("\n## ").map_or(section.len(), |e| e + 1)];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut named = 0;
    for item in section.split("\n- ") {
        let mut folders = vec![root.to_path_buf(), root.join("src")];
        for path in item.split('`').skip(1).step_by(2) {
            if !(path.ends_with(".rs") || path.ends_with('/')) {
                continue;
            }
            named += 1;
            let found = folders.iter().map(|f| f.join(path)).find(|p| p.exists());
            let found = found.unwrap_or_else(|| panic!("README Layout names `{path}`, not found"));
            if path.ends_with('/') {
                folders.push(found);
            }
        }
    }
    assert!(named > 20, "found only {named} paths in the Layout section");
}
