//! The integration tests, one binary: one link of the library and its dependencies instead of
//! one per file (as ripgrep and mdBook do). Each file below `tests/` is a module here; the
//! test at the end fails when a file is not listed, since `autotests = false` would otherwise
//! skip it without a word.

mod util;

mod actions;
mod archive_init;
mod cards;
mod cli;
mod config;
mod config_schema;
mod coverage;
mod docs;
mod export_docx;
mod export_pdf;
mod faults;
mod first_run;
mod history;
mod households;
mod incremental;
mod ingest;
mod ingest_chunks;
mod ingest_pieces;
mod kill;
mod language;
mod layers;
mod metrics;
mod metrics_merge;
mod orders_ingest;
mod outline;
mod partials;
mod partials_parquet;
mod partials_sql;
mod privacy;
mod real_exports;
mod real_workbooks;
mod reproducible;
mod sample_data;
mod serve;
mod site;
mod site_charts;
mod sites;
mod staff_view;
mod stray_quote;
mod survey_labels;
mod survey_metrics;
mod survey_only;
mod survey_read;
mod survey_variants;
mod versions;
mod weekly;
mod workbook;

#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let listed = include_str!("tests.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(module) = name.strip_suffix(".rs")
            && module != "tests"
            && !listed.contains(&format!("\nmod {module};\n"))
        {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "add to tests/tests.rs: {missing:?}");
}
