//! `huifang sql` run on a real engine: the canonical visits table (`huifang partials
//! --canonical`) loaded into DuckDB, the generated SQL run there, its four tables exported as
//! CSV and built from (`[[partials]]`); every `metrics.json` and `metrics.csv` must be
//! byte-identical to a build from the visit logs. Needs DuckDB's Python package (`pip install
//! duckdb`, as `.ci/run` does); without it each test says so and passes.

use crate::util::{TempProject, huifang, tree};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Loads the canonical table with the types of docs/partials.md, runs the SQL, exports the
/// tables as docs/partials.md shows.
const DUCKDB_RUN: &str = r#"
import duckdb, sys
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
for table in ['meta', 'partials', 'complaints', 'comments']:
    con.execute(f"COPY huifang_{table} TO '{out}/{table}.csv' (HEADER)")
"#;

/// Whether DuckDB's Python package is here; says so when not.
fn duckdb() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: DuckDB's Python package is missing (pip install duckdb)");
    }
    found
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let o = huifang(dir, args);
    assert!(o.status.success(), "huifang {args:?}: {}", stderr(&o));
    o
}

/// The project's canonical table counted by DuckDB into `folder`, with `extra` arguments to
/// `huifang sql`.
fn count_in_duckdb(project: &TempProject, config: &str, folder: &str, extra: &[&str]) {
    let dir = project.path();
    run(
        dir,
        &[
            "partials",
            "--config",
            config,
            "--canonical",
            "--out",
            "warehouse",
        ],
    );
    let mut args = vec!["sql", "--config", config, "--dialect", "duckdb"];
    args.extend_from_slice(extra);
    let sql = run(dir, &args).stdout;
    std::fs::write(dir.join("partials.sql"), sql).unwrap();
    std::fs::write(dir.join("run.py"), DUCKDB_RUN).unwrap();
    std::fs::create_dir_all(dir.join(folder)).unwrap();
    let o = Command::new("python3")
        .current_dir(dir)
        .args(["run.py", "warehouse/visits.csv", "partials.sql", folder])
        .output()
        .unwrap();
    assert!(o.status.success(), "DuckDB: {}", stderr(&o));
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

/// Every `metrics.json` and `metrics.csv` under `folder`.
fn numbers(dir: &Path, folder: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let wanted = |p: &Path| p.ends_with("metrics.json") || p.ends_with("metrics.csv");
    let all = tree(&dir.join(folder));
    all.into_iter().filter(|(p, _)| wanted(p)).collect()
}

/// Builds `config` from its rows and from DuckDB's tables and compares the numbers; returns
/// how many files were compared.
fn same_numbers_from_duckdb(project: &TempProject, config: &str) -> usize {
    let dir = project.path();
    count_in_duckdb(project, config, "duckdb", &[]);
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
    let from_tables = reading_partials(project, config, "duckdb");
    run(
        dir,
        &[
            "build",
            "--quiet",
            "--config",
            from_tables.to_str().unwrap(),
        ],
    );
    let (rows, tables) = (numbers(dir, "public-rows"), numbers(dir, "public-duckdb"));
    let names = |f: &[(PathBuf, Vec<u8>)]| f.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&rows), names(&tables));
    for ((path, a), (_, b)) in rows.iter().zip(&tables) {
        assert!(
            a == b,
            "{} differs:\nfrom rows:   {}\nfrom DuckDB: {}",
            path.display(),
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
    }
    rows.len()
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
    // Months January to April, quarters 1 and 2, the year: 7 reports, two files each.
    assert_eq!(same_numbers_from_duckdb(&project, "huifang.toml"), 14);
}

#[test]
fn duckdb_counts_labels_quotes_and_line_breaks_as_huifang_does() {
    if !duckdb() {
        return;
    }
    let project = hostile();
    assert_eq!(same_numbers_from_duckdb(&project, "huifang.toml"), 14);
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

#[test]
fn duckdb_counts_weeks_as_huifang_does() {
    if !duckdb() {
        return;
    }
    let project = hostile();
    let config = project.path().join("huifang.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    // Weeks from Sunday: 2026-03-01 is a Sunday, 2026-02-28 a Saturday (the end of a week
    // that began in February and the last bucket of February).
    let weekly = format!(
        "periods = [\"week\", \"month\", \"quarter\", \"year\"]\nweek_start = \"sunday\"\n{toml}"
    );
    std::fs::write(&config, weekly).unwrap();
    let files = same_numbers_from_duckdb(&project, "huifang.toml");
    // The 7 reports above and the weekly ones.
    assert!(files > 14, "{files}");
    let meta = std::fs::read_to_string(project.path().join("duckdb/meta.csv")).unwrap();
    assert!(meta.contains("buckets,month+week:Sun\n"), "{meta}");
}

#[test]
fn duckdb_counts_the_sample_as_huifang_does() {
    if !duckdb() {
        return;
    }
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
    // Every month, quarter and year of 2024-01 to 2026-11 (35 + 12 + 3), two files each, and
    // the two survey campaigns' metrics.json.
    assert_eq!(same_numbers_from_duckdb(&project, "huifang.toml"), 2 * 50 + 2);
}
