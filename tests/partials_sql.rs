//! `huifang sql` run on real engines: the canonical visits table (`huifang partials
//! --canonical`) loaded into DuckDB or Spark, the generated SQL run there, its four tables
//! exported as CSV and as Parquet and built from (`[[partials]]`); every `metrics.json` and
//! `metrics.csv` must be byte-identical to a build from the visit logs. Needs DuckDB's Python package (`pip
//! install duckdb`) and PySpark with Java 17 (`pip install pyspark`), as `.ci/run` installs
//! them; without them each test says so and passes.

use crate::partials::assert_same_numbers;
use crate::util::{TempProject, huifang};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Loads the canonical table with the types of docs/partials.md, runs the SQL, exports the
/// tables as docs/partials.md shows: as CSV into `out`, as Parquet files into `out-parquet`.
const DUCKDB_RUN: &str = r#"
import duckdb, os, sys
visits, sql, out = sys.argv[1:4]
con = duckdb.connect()
con.execute(f"""CREATE TABLE visits AS SELECT * FROM read_csv('{visits}', header = true,
  auto_detect = false, columns = {{
    'date': 'DATE', 'department': 'VARCHAR', 'id': 'VARCHAR', 'site': 'VARCHAR',
    'visit_type': 'VARCHAR', 'channel': 'VARCHAR', 'contacted': 'BOOLEAN',
    'satisfaction': 'VARCHAR', 'complaint_category': 'VARCHAR', 'severity': 'VARCHAR',
    'status': 'VARCHAR', 'due_date': 'DATE', 'closed_date': 'DATE',
    'revisit_satisfaction': 'VARCHAR', 'comment': 'VARCHAR'}})""")
con.execute(open(sql, encoding='utf-8').read())
os.makedirs(f"{out}-parquet", exist_ok=True)
for table in ['meta', 'partials', 'complaints', 'comments']:
    con.execute(f"COPY huifang_{table} TO '{out}/{table}.csv' (HEADER)")
    con.execute(f"COPY huifang_{table} TO '{out}-parquet/{table}.parquet' (FORMAT parquet)")
"#;

/// Loads the canonical table into Spark in local mode with the same types, runs the
/// statements one by one (a Spark literal never holds a line break, so `;` at a line's end
/// ends a statement), and writes the tables as CSV into `out`, and as Spark writes Parquet (a
/// folder of `part-*.parquet` files per table) into `out-parquet`.
const SPARK_RUN: &str = r#"
import csv, sys
from pyspark.sql import SparkSession
visits, sql, out = sys.argv[1:4]
spark = (SparkSession.builder.master("local[1]").appName("huifang")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
         .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
schema = ("`date` DATE, department STRING, id STRING, site STRING, visit_type STRING, "
          "channel STRING, contacted BOOLEAN, satisfaction STRING, complaint_category STRING, "
          "severity STRING, status STRING, due_date DATE, closed_date DATE, "
          "revisit_satisfaction STRING, comment STRING")
(spark.read.schema(schema).option("header", True).option("multiLine", True)
   .option("escape", '"').csv(visits).createOrReplaceTempView("visits"))
for statement in open(sql, encoding="utf-8").read().split(";\n"):
    if statement.strip():
        spark.sql(statement)
for table in ["meta", "partials", "complaints", "comments"]:
    df = spark.table(f"huifang_{table}")
    with open(f"{out}/{table}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(df.columns)
        for row in df.collect():
            w.writerow(["" if v is None else str(v) for v in row])
    # And as Parquet, as Spark writes it: a folder of part files per table.
    df.write.mode("overwrite").parquet(f"{out}-parquet/{table}")
spark.stop()
"#;

/// An engine the SQL is run on, through its Python package.
#[derive(Clone, Copy)]
enum Engine {
    DuckDb,
    Spark,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::DuckDb => "duckdb",
            Engine::Spark => "spark",
        }
    }

    fn script(self) -> &'static str {
        match self {
            Engine::DuckDb => DUCKDB_RUN,
            Engine::Spark => SPARK_RUN,
        }
    }

    /// Whether the engine is here; says so when not.
    fn found(self) -> bool {
        let (module, install) = match self {
            Engine::DuckDb => ("duckdb", "pip install duckdb"),
            Engine::Spark => ("pyspark", "pip install pyspark, and Java 17"),
        };
        let python = Command::new("python3")
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success());
        let java = match self {
            Engine::DuckDb => true,
            Engine::Spark => Command::new("java").arg("-version").output().is_ok(),
        };
        if !(python && java) {
            eprintln!("skipped: {module} is missing ({install})");
        }
        python && java
    }
}

fn duckdb() -> bool {
    Engine::DuckDb.found()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let o = huifang(dir, args);
    assert!(o.status.success(), "huifang {args:?}: {}", stderr(&o));
    o
}

/// The project's canonical table counted by `engine` into the folder named after it.
fn count_in(engine: Engine, project: &TempProject, config: &str) {
    let dir = project.path();
    let canonical = ["--canonical", "--out", "warehouse"];
    run(
        dir,
        &[&["partials", "--config", config][..], &canonical].concat(),
    );
    let dialect = engine.name();
    let sql = run(dir, &["sql", "--config", config, "--dialect", dialect]).stdout;
    std::fs::write(dir.join("partials.sql"), sql).unwrap();
    std::fs::write(dir.join("run.py"), engine.script()).unwrap();
    std::fs::create_dir_all(dir.join(dialect)).unwrap();
    let o = Command::new("python3")
        .current_dir(dir)
        .args(["run.py", "warehouse/visits.csv", "partials.sql", dialect])
        .output()
        .unwrap();
    assert!(o.status.success(), "{dialect}: {}", stderr(&o));
}

/// `config` with `[[partials]]` from `folder` in place of its `[[sources]]` (and without
/// `[[orders]]`, which the tables do not carry), building into folders of its own.
fn reading_partials(project: &TempProject, config: &str, folder: &str) -> PathBuf {
    let toml = std::fs::read_to_string(project.path().join(config)).unwrap();
    let toml = without_orders(&toml);
    let mine = |l: &&str| !l.starts_with("output_dir") && !l.starts_with("snapshots_dir");
    let toml = toml.lines().filter(mine).collect::<Vec<_>>().join("\n");
    let start = toml
        .find("[[sources]]")
        .expect("the config has [[sources]]");
    let end = toml[start..].find("\n\n").map_or(toml.len(), |e| start + e);
    let toml = format!(
        "{}[[partials]]\npath = \"{folder}\"{}",
        &toml[..start],
        &toml[end..]
    );
    let toml =
        format!("output_dir = \"public-{folder}\"\nsnapshots_dir = \"snapshots-{folder}\"\n{toml}");
    let path = project.path().join(format!("{folder}.toml"));
    std::fs::write(&path, toml).unwrap();
    path
}

fn without_orders(toml: &str) -> String {
    toml.replace("[[orders]]\npath = \"sample-data/orders\"\n", "")
}

/// Builds `config` from its rows and from DuckDB's tables and compares the numbers; returns
/// how many files were compared.
fn same_numbers_from_duckdb(project: &TempProject, config: &str) -> usize {
    same_numbers_from(Engine::DuckDb, project, config)
}

/// Builds `config` from its rows and from `engine`'s tables and compares the numbers; returns
/// how many files were compared.
fn same_numbers_from(engine: Engine, project: &TempProject, config: &str) -> usize {
    count_in(engine, project, config);
    same_numbers_as_rows(engine, project, config)
}

/// Builds `config` from its rows and from the tables `engine` counted, as CSV and as Parquet,
/// and compares the numbers; returns how many files were compared.
fn same_numbers_as_rows(engine: Engine, project: &TempProject, config: &str) -> usize {
    let dir = project.path();
    let folder = engine.name();
    run(
        dir,
        &[
            "build",
            "--quiet",
            "--config",
            config,
            "--out",
            "public-rows",
        ],
    );
    let from_tables = reading_partials(project, config, folder);
    run(
        dir,
        &[
            "build",
            "--quiet",
            "--config",
            from_tables.to_str().unwrap(),
        ],
    );
    let files = assert_same_numbers(dir, "public-rows", &format!("public-{folder}"));
    if cfg!(feature = "parquet") {
        // The same tables exported as Parquet by the same run.
        let parquet = format!("{folder}-parquet");
        let from_parquet = reading_partials(project, config, &parquet);
        let from_parquet = from_parquet.to_str().unwrap();
        run(dir, &["build", "--quiet", "--config", from_parquet]);
        let built = format!("public-{parquet}");
        assert_eq!(assert_same_numbers(dir, "public-rows", &built), files);
    }
    files
}

/// Tables DuckDB counted as of 2026-04-20, built as of 04-30 with no visit after the 20th: the
/// numbers of a build from the rows as of 04-30, three complaints having become overdue in
/// between (`partials::tables_counted_on_a_day_give_the_numbers_of_a_later_day` counts them).
#[test]
fn duckdb_tables_of_a_day_give_the_numbers_of_a_later_day() {
    if !duckdb() {
        return;
    }
    let project = crate::partials::open_around_the_20th();
    let dir = project.path();
    let toml = std::fs::read_to_string(dir.join("huifang.toml")).unwrap();
    assert!(toml.contains("as_of = 2026-04-30"));
    let earlier = toml.replace("as_of = 2026-04-30", "as_of = 2026-04-20");
    std::fs::write(dir.join("earlier.toml"), earlier).unwrap();
    count_in(Engine::DuckDb, &project, "earlier.toml");
    let meta = std::fs::read_to_string(dir.join("duckdb/meta.csv")).unwrap();
    assert!(meta.contains("as_of,2026-04-20\n"), "{meta}");
    let table = std::fs::read_to_string(dir.join("duckdb/partials.csv")).unwrap();
    assert!(
        table.contains("2026-04-01,工程部,翠湖花园,open_by_deadline,2026-04-22,1\n"),
        "{table}"
    );
    assert_eq!(
        same_numbers_as_rows(Engine::DuckDb, &project, "huifang.toml"),
        21
    );
}

/// The `partials` fixture with what makes SQL go wrong: a closed status and a category
/// holding `'` and `\`, comments with a comma, quotes and a line break, eight comments in one
/// group (three cut), two on one day, a closing after as-of, a complaint with no site.
fn hostile() -> TempProject {
    let project = TempProject::fixture("partials");
    let config = project.path().join("huifang.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    let status = "[status]\nopen = [\"待处理\", \"处理中\"]\n\
                  closed = [\"已整改\", \"已完成\", \"已解决\", \"已验证\", \"已'关闭\\\\\"]\n\n";
    std::fs::write(
        &config,
        toml.replace("[[sources]]", &format!("{status}[[sources]]")),
    )
    .unwrap();
    let rows = [
        r#"B001,2026-03-03,客服部,锦绣华庭,投诉回访,电话,成功,满意,O'Brien's 类,轻微,已'关闭\,,2026-03-04,"第一条, 带逗号""#,
        r#"B002,2026-03-03,客服部,锦绣华庭,投诉回访,电话,成功,满意,噪音,轻微,已完成,,2026-03-05,"引号 ""quoted"" 和 '单引号'""#,
        "B003,2026-03-20,客服部,锦绣华庭,投诉回访,电话,成功,满意,噪音,,处理中,,,\"两行\n第二行\"",
        r#"B004,2026-03-20,客服部,锦绣华庭,投诉回访,电话,成功,满意,噪音,重大,已完成,,2026-05-10,反斜杠 \ 在这里"#,
        "B005,2026-03-25,客服部,锦绣华庭,投诉回访,电话,成功,满意,噪音,重要,,,,同一天",
        "B006,2026-03-25,客服部,锦绣华庭,投诉回访,电话,成功,满意,噪音,重要,已完成,,,同一天",
        "B007,2026-03-31,客服部,锦绣华庭,投诉回访,电话,成功,满意,噪音,重要,已完成,,2026-04-01,最新的一条",
        "B008,2026-04-30,客服部,,投诉回访,电话,成功,满意,噪音,重要,已完成,2026-04-29,2026-05-01,月末无项目",
    ];
    let data = project.path().join("data/visits.csv");
    let mut text = std::fs::read_to_string(&data).unwrap();
    text.push_str(&(rows.join("\n") + "\n"));
    std::fs::write(&data, text).unwrap();
    project
}

#[test]
fn duckdb_counts_the_fixture_as_huifang_does() {
    if !duckdb() {
        return;
    }
    let project = TempProject::fixture("partials");
    // Months January to April, quarters 1 and 2, the year: 7 reports, three files each (the
    // numbers as JSON and CSV, the action list).
    assert_eq!(same_numbers_from_duckdb(&project, "huifang.toml"), 21);
}

#[test]
fn duckdb_counts_labels_quotes_and_line_breaks_as_huifang_does() {
    if !duckdb() {
        return;
    }
    let project = hostile();
    assert_eq!(same_numbers_from_duckdb(&project, "huifang.toml"), 21);
    // The hand-counted parts: B001 is closed by the status with a quote and a backslash, on
    // time (minor: 2 days from 03-03, closed 03-04); in March 客服部 at 锦绣华庭 has A008 and
    // B001–B007 (8 complaints), of which the newest 5 comments are kept: B007, B005/B006 (one
    // text, two ids), B003, B004.
    let table = std::fs::read_to_string(project.path().join("duckdb/partials.csv")).unwrap();
    assert!(
        table.contains("2026-03-01,客服部,锦绣华庭,complaints,,8\n"),
        "{table}"
    );
    assert!(
        table.contains("2026-03-01,客服部,锦绣华庭,by_status,已'关闭\\,1\n"),
        "{table}"
    );
    // B004 closed on 05-10, after as-of: its closing is in May.
    assert!(
        table.contains("2026-05-01,客服部,锦绣华庭,closings,,1\n"),
        "{table}"
    );
    let comments = std::fs::read_to_string(project.path().join("duckdb/comments.csv")).unwrap();
    let march: Vec<&str> = (comments.lines())
        .filter(|l| l.starts_with("2026-03-01,客服部,锦绣华庭,"))
        .collect();
    let ids: Vec<&str> = march.iter().map(|l| l.split(',').nth(4).unwrap()).collect();
    assert_eq!(ids, ["B007", "B005", "B006", "B003", "B004"], "{comments}");
}

/// [`hostile`] with weekly reports, weeks starting on Sunday: a bucket is then the part of a
/// week inside one month (2026-03-01 is a Sunday; 2026-04-26 to 04-30 is the last bucket).
fn weekly() -> TempProject {
    let project = hostile();
    let config = project.path().join("huifang.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    let periods = "periods = [\"week\", \"month\", \"quarter\", \"year\"]";
    let weekly = format!("{periods}\nweek_start = \"sunday\"\n{toml}");
    std::fs::write(&config, weekly).unwrap();
    project
}

/// The weeks of a project of weekly reports, counted by `engine`.
fn counts_weeks(engine: Engine) {
    let project = weekly();
    let files = same_numbers_from(engine, &project, "huifang.toml");
    // The 7 reports above and the weekly ones.
    assert!(files > 14, "{files}");
    let folder = project.path().join(engine.name());
    let meta = std::fs::read_to_string(folder.join("meta.csv")).unwrap();
    assert!(meta.contains("buckets,month+week:Sun\n"), "{meta}");
    // B008 (Thursday 2026-04-30) is in the bucket of Sunday 04-26; B007 (Tuesday 03-31) in
    // that of Sunday 03-29, closed on 04-01, the first day of April's part of that week.
    let table = std::fs::read_to_string(folder.join("partials.csv")).unwrap();
    assert!(table.contains("2026-04-26,客服部,,visits,,1\n"), "{table}");
    assert!(
        table.contains("2026-03-29,客服部,锦绣华庭,visits,,1\n"),
        "{table}"
    );
    assert!(
        table.contains("2026-04-01,客服部,锦绣华庭,closings,,1\n"),
        "{table}"
    );
}

#[test]
fn duckdb_counts_weeks_as_huifang_does() {
    if duckdb() {
        counts_weeks(Engine::DuckDb);
    }
}

/// Spark in local mode: the weekly variant of the hostile fixture (its quotes, backslashes,
/// line breaks and weeks) in one run, since each run costs a JVM start.
#[test]
fn spark_counts_quotes_line_breaks_and_weeks_as_huifang_does() {
    if Engine::Spark.found() {
        counts_weeks(Engine::Spark);
    }
}

/// The repository's sample (without `[[orders]]`, which the tables do not carry) counted by
/// `engine`: every month, quarter and year of 2024-01 to 2026-11 (35 + 12 + 3), three files
/// each (the numbers as JSON and CSV, the action list), and the two survey campaigns'
/// metrics.json, the same bytes.
fn counts_the_sample(engine: Engine) {
    let project = TempProject::sample();
    let config = project.path().join("huifang.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    let without = without_orders(&toml);
    assert_ne!(
        without, toml,
        "the sample's [[orders]] moved: update without_orders"
    );
    // Word files take time and hold no numbers the comparison reads.
    let without = without.replace("exports = [\"docx\"]", "exports = []");
    std::fs::write(&config, without).unwrap();
    assert_eq!(
        same_numbers_from(engine, &project, "huifang.toml"),
        3 * 50 + 2
    );
}

#[test]
fn duckdb_counts_the_sample_as_huifang_does() {
    if duckdb() {
        counts_the_sample(Engine::DuckDb);
    }
}

#[test]
fn spark_counts_the_sample_as_huifang_does() {
    if Engine::Spark.found() {
        counts_the_sample(Engine::Spark);
    }
}

/// The canonical table holds the visits as huifang reads them: aliases resolved, severities
/// by key, `contacted` decided; and no engine is needed to write it.
#[test]
fn the_canonical_table_holds_the_visits_as_huifang_reads_them() {
    let project = TempProject::fixture("partials");
    let dir = project.path();
    let o = run(dir, &["partials", "--canonical", "--out", "warehouse"]);
    assert!(stderr(&o).contains("personal data"), "{}", stderr(&o));
    let table = std::fs::read_to_string(dir.join("warehouse/visits.csv")).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "date,department,id,site,visit_type,channel,contacted,satisfaction,complaint_category,\
         severity,status,due_date,closed_date,revisit_satisfaction,comment"
    );
    // All 16 visits, also A015 after as-of: the SQL leaves it out, and counts it in the meta.
    assert_eq!(lines.len(), 1 + 16);
    let row = |id: &str| {
        *lines
            .iter()
            .find(|l| l.contains(&format!(",{id},")))
            .unwrap()
    };
    // 重要 is `important`; the comment is whole (the SQL's reader masks it).
    assert_eq!(
        row("A002"),
        "2026-01-12,工程部,A002,锦绣华庭,维修回访,上门,true,一般,漏水,important,已整改,,\
         2026-01-20,,卫生间漏水 电话13812345678"
    );
    // 客户服务部 is an alias of 客服部; 未接通 and 拒访 are not contacted.
    assert!(row("A007").starts_with("2026-03-02,客服部,A007,"));
    assert!(row("A003").contains(",电话,false,"));
    assert!(row("A013").contains(",电话,false,"));
}

#[test]
fn sql_refuses_a_table_name_it_cannot_use() {
    let project = TempProject::fixture("partials");
    let o = huifang(
        project.path(),
        &[
            "sql",
            "--dialect",
            "spark",
            "--table",
            "visits; DROP TABLE x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("`visits; DROP TABLE x` is not a table name"),
        "{}",
        stderr(&o)
    );
    // The same project and arguments print the same SQL.
    let a = run(project.path(), &["sql", "--dialect", "spark"]).stdout;
    let b = run(project.path(), &["sql", "--dialect", "spark"]).stdout;
    assert_eq!(a, b);
    assert!(String::from_utf8(a).unwrap().contains("DATE '2026-04-30'"));
}
