//! The partial tables as Parquet (feature `parquet`, docs/partials.md): `huifang partials
//! --format parquet` writes them, a `[[partials]]` source reads them as one file per table
//! (huifang, DuckDB) or as Spark writes them (a folder of part files per table), and builds
//! the same numbers as from the rows. The engines' own Parquet is tested in
//! `partials_sql.rs`; wrong types and missing columns in the reader's unit tests.
// Without the feature only the last test is built.
#![cfg_attr(not(feature = "parquet"), allow(dead_code, unused_imports))]

use crate::partials::{assert_same_numbers, config_reading_partials, stderr};
use crate::util::{TempProject, huifang, tree};
use std::path::Path;

const TABLES: [&str; 4] = ["meta", "partials", "complaints", "comments"];

/// The `partials` fixture with its tables written as Parquet to `tables/`, and a config
/// reading them; `Err` without the feature.
fn with_parquet_tables() -> (TempProject, String) {
    let project = TempProject::fixture("partials");
    let dir = project.path();
    let o = huifang(dir, &["partials", "--format", "parquet", "--out", "tables"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let config = config_reading_partials(&project, "tables");
    let config = config.to_str().unwrap().to_owned();
    (project, config)
}

fn build(dir: &Path, args: &[&str]) -> String {
    let o = huifang(dir, &[&["build", "--quiet"][..], args].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

fn refused(dir: &Path, config: &str) -> String {
    let o = huifang(dir, &["build", "--config", config]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[cfg(feature = "parquet")]
#[test]
fn a_build_from_parquet_tables_writes_the_same_numbers_as_one_from_the_rows() {
    let (project, config) = with_parquet_tables();
    let dir = project.path();
    let files: Vec<String> = tree(&dir.join("tables"))
        .iter()
        .map(|f| f.0.display().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "comments.parquet",
            "complaints.parquet",
            "meta.parquet",
            "partials.parquet"
        ]
    );
    build(dir, &[]);
    let o = huifang(dir, &["build", "--config", &config]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Each table is a file of the build's summary.
    assert!(
        stderr(&o).contains("tables/partials.parquet (UTF-8): read "),
        "{}",
        stderr(&o)
    );
    // Months January to April, quarters 1 and 2, the year: 7 reports, three files each (the
    // numbers as JSON and CSV, the action list).
    assert_eq!(assert_same_numbers(dir, "public", "public-partials"), 21);

    // As Spark writes them: a folder per table of part files, beside its markers.
    for table in TABLES {
        let folder = dir.join("tables").join(table);
        std::fs::create_dir(&folder).unwrap();
        let part = folder.join("part-00000-8f1c-c000.snappy.parquet");
        std::fs::rename(dir.join(format!("tables/{table}.parquet")), part).unwrap();
        std::fs::write(folder.join("_SUCCESS"), "").unwrap();
        std::fs::write(folder.join(".part-00000-8f1c-c000.snappy.parquet.crc"), "x").unwrap();
    }
    build(dir, &["--config", &config, "--out", "public-spark"]);
    assert_eq!(assert_same_numbers(dir, "public", "public-spark"), 21);
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_tables_are_written_the_same_every_time() {
    let (a, _) = with_parquet_tables();
    let (b, _) = with_parquet_tables();
    assert_eq!(
        tree(&a.path().join("tables")),
        tree(&b.path().join("tables"))
    );
}

#[cfg(feature = "parquet")]
#[test]
fn a_damaged_or_doubled_parquet_table_stops_the_build_with_a_message() {
    let (project, config) = with_parquet_tables();
    let dir = project.path();
    let tables = dir.join("tables");
    let path = tables.join("partials.parquet");
    let whole = std::fs::read(&path).unwrap();
    // Cut short, as by an interrupted copy.
    std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
    let err = refused(dir, &config);
    assert!(
        err.contains("partial table tables/partials.parquet: is not a readable Parquet file"),
        "{err}"
    );
    // A CSV file where a Parquet one is expected.
    std::fs::write(&path, "bucket,department\n").unwrap();
    assert!(refused(dir, &config).contains("is not a readable Parquet file"));
    // The table twice, as CSV and Parquet: which one is meant is not clear.
    std::fs::write(&path, &whole).unwrap();
    std::fs::write(tables.join("partials.csv"), "bucket\n").unwrap();
    let err = refused(dir, &config);
    assert!(
        err.contains(
            "tables/partials.csv: the folder holds both partials.csv and partials.parquet: keep \
             one of them"
        ),
        "{err}"
    );
    // A Spark folder with no part file in it.
    std::fs::remove_file(tables.join("partials.csv")).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(tables.join("partials")).unwrap();
    std::fs::write(tables.join("partials/_SUCCESS"), "").unwrap();
    let err = refused(dir, &config);
    assert!(
        err.contains("tables/partials: the folder holds no .parquet file"),
        "{err}"
    );
    // Tables counted as of another day: the meta's row is named.
    std::fs::remove_dir_all(tables.join("partials")).unwrap();
    let as_of = ["--as-of", "2026-04-29"];
    let o = huifang(
        dir,
        &[
            &["partials", "--format", "parquet", "--out", "tables"][..],
            &as_of,
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = refused(dir, &config);
    assert!(
        err.contains("tables/meta.parquet, row 2: the tables were counted as of 2026-04-29"),
        "{err}"
    );
}

/// Without the feature, Parquet tables are named and the way to read them said.
#[cfg(not(feature = "parquet"))]
#[test]
fn without_the_feature_parquet_tables_say_how_to_build_huifang() {
    let project = TempProject::fixture("partials");
    let dir = project.path();
    let o = huifang(dir, &["partials", "--format", "parquet", "--out", "tables"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("built without Parquet"),
        "{}",
        stderr(&o)
    );
    std::fs::create_dir(dir.join("tables")).unwrap();
    for table in TABLES {
        std::fs::write(dir.join(format!("tables/{table}.parquet")), "PAR1").unwrap();
    }
    let config = config_reading_partials(&project, "tables");
    let err = refused(dir, config.to_str().unwrap());
    assert!(
        err.contains("tables/meta.parquet: is Parquet, and this huifang was built without Parquet"),
        "{err}"
    );
}
