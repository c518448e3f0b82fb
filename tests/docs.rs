//! The README's promises that the code can check: the header names it lists are exactly the
//! built-in synonyms.

use huifang::chars::header_key;
use huifang::ingest::columns::synonyms;
use huifang::model::Field;

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
