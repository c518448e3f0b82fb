//! The partial tables (docs/partials.md): `huifang partials` writes them from the visit logs,
//! and a project reading them with `[[partials]]` builds the same numbers as one reading the
//! logs. Fixture `partials`: two departments, two sites, January to April 2026, as of
//! 2026-04-30.

use crate::util::{TempProject, tree};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn huifang(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huifang"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The fixture's settings with `[[partials]]` in place of `[[sources]]`, building into a
/// folder of its own.
pub(crate) fn config_reading_partials(project: &TempProject, folder: &str) -> PathBuf {
    let toml = std::fs::read_to_string(project.path().join("huifang.toml")).unwrap();
    let sources = "[[sources]]\npath = \"data\"";
    assert!(toml.contains(sources));
    let toml = toml.replace(sources, &format!("[[partials]]\npath = \"{folder}\""));
    let toml =
        format!("output_dir = \"public-partials\"\nsnapshots_dir = \"snapshots-partials\"\n{toml}");
    let config = project.path().join("from-partials.toml");
    std::fs::write(&config, toml).unwrap();
    config
}

/// The project with its partial tables written to `tables/`.
fn with_tables() -> TempProject {
    let project = TempProject::fixture("partials");
    let o = huifang(project.path(), &["partials", "--out", "tables"]);
    assert!(o.status.success(), "{}", stderr(&o));
    project
}

/// The rows of a CSV table, header first.
fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    (reader.records())
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// `value` of the partials rows matching (bucket, department, site, measure, key); 0 if none.
fn value(table: &[Vec<String>], wanted: [&str; 5]) -> u64 {
    let matching = table.iter().filter(|r| r[..5] == wanted);
    matching.map(|r| r[5].parse::<u64>().unwrap()).sum()
}

#[test]
fn a_build_from_the_partial_tables_writes_the_same_numbers_as_one_from_the_rows() {
    let project = with_tables();
    let dir = project.path();
    let o = huifang(dir, &["build", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let config = config_reading_partials(&project, "tables");
    let o = huifang(dir, &["build", "--config", config.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Every table is a file of the build's summary, every row of it used.
    let err = stderr(&o);
    assert!(err.contains("tables/partials.csv (UTF-8): read "), "{err}");
    // The visit of 2026-05-02 is after as-of in both builds.
    assert!(
        err.contains("1 record(s) dated after the as-of date 2026-04-30"),
        "{err}"
    );

    // Months January to April, quarters 1 and 2, the year: 7 reports, three files each (the
    // numbers as JSON and CSV, the action list).
    assert_eq!(assert_same_numbers(dir, "public", "public-partials"), 21);
}

/// Every `metrics.json`, `metrics.csv` and `actions.csv` under `dir/rows` (built from the rows)
/// and under `dir/tables` (from partial tables): the same files, the same bytes. Returns how
/// many.
pub(crate) fn assert_same_numbers(dir: &Path, rows: &str, tables: &str) -> usize {
    assert_same_files(dir, rows, tables, |p| {
        ["metrics.json", "metrics.csv", "actions.csv"]
            .iter()
            .any(|name| p.ends_with(name))
    })
}

/// Every file under `dir/rows` and `dir/tables` that `wanted` takes (by its path below the
/// folder): the same files, the same bytes. Returns how many.
fn assert_same_files(
    dir: &Path,
    rows: &str,
    tables: &str,
    wanted: impl Fn(&Path) -> bool,
) -> usize {
    let files = |folder: &str| -> Vec<(PathBuf, Vec<u8>)> {
        let all = tree(&dir.join(folder));
        all.into_iter().filter(|(p, _)| wanted(p)).collect()
    };
    let (a, b) = (files(rows), files(tables));
    assert!(!a.is_empty(), "nothing built in {rows}");
    let names =
        |files: &[(PathBuf, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        let first_difference = || {
            let (x, y) = (String::from_utf8_lossy(x), String::from_utf8_lossy(y));
            let mut lines = x.lines().zip(y.lines()).filter(|(a, b)| a != b);
            lines.next().map(|(a, b)| format!("{a}\n{b}"))
        };
        assert!(
            x == y,
            "{} differs between {rows} and {tables}:\n{:?}",
            path.display(),
            first_difference()
        );
    }
    a.len()
}

#[test]
fn the_partial_tables_hold_the_counts_of_the_rows() {
    let project = with_tables();
    let tables = project.path().join("tables");
    let partials = rows(&tables.join("partials.csv"));
    assert_eq!(
        partials[0],
        ["bucket", "department", "site", "measure", "key", "value"]
    );
    let v = |bucket, department, site, measure, key| {
        value(&partials, [bucket, department, site, measure, key])
    };
    // 客服部 in March: A007 (written 客户服务部, an alias), A009 and A011 at 翠湖花园, A008 at
    // 锦绣华庭.
    assert_eq!(v("2026-03-01", "客服部", "翠湖花园", "visits", ""), 3);
    assert_eq!(v("2026-03-01", "客服部", "锦绣华庭", "visits", ""), 1);
    assert!(!partials.iter().any(|r| r[1] == "客户服务部"));
    // 工程部 in March: A010 and A016 at 锦绣华庭; A006 (February, no site) closed on 03-02.
    assert_eq!(v("2026-03-01", "工程部", "锦绣华庭", "visits", ""), 2);
    assert_eq!(v("2026-03-01", "工程部", "", "closings", ""), 1);
    assert_eq!(v("2026-03-01", "工程部", "", "visits", ""), 0);
    // January 工程部 锦绣华庭: A002, 重要 (3 days) from 01-12, closed 01-20: 8 days, late.
    let jan = |measure, key| v("2026-01-01", "工程部", "锦绣华庭", measure, key);
    assert_eq!(jan("days_to_close", "8"), 1);
    assert_eq!(jan("closed_late", ""), 1);
    assert_eq!(jan("overdue", ""), 1);
    assert_eq!(jan("by_severity", "important"), 1);
    assert_eq!(jan("by_status", "已整改"), 1);
    assert_eq!(jan("levels", "一般"), 1);
    // January 客服部 锦绣华庭: A003 not reached.
    assert_eq!(v("2026-01-01", "客服部", "锦绣华庭", "contacted", ""), 0);
    // A004 (重大, 10 days from 02-03) is still open at as-of: overdue; A011 has no deadline.
    assert_eq!(v("2026-02-01", "工程部", "翠湖花园", "overdue", ""), 1);
    assert_eq!(
        v("2026-03-01", "客服部", "翠湖花园", "without_deadline", ""),
        1
    );
    assert_eq!(
        v(
            "2026-03-01",
            "客服部",
            "翠湖花园",
            "closed_without_date",
            ""
        ),
        1
    );
    // Overdue in all: A002 and A014 closed late, A004 open past its deadline.
    let overdue: u64 = (partials.iter().skip(1))
        .filter(|r| r[3] == "overdue")
        .map(|r| r[5].parse::<u64>().unwrap())
        .sum();
    assert_eq!(overdue, 3);

    // The complaints an action list can hold: open (A004, A010), open past their month (A006)
    // or closed late (A002, A014); A008 closed on time in its month and A011 are not.
    let complaints = rows(&tables.join("complaints.csv"));
    let ids: Vec<&str> = complaints[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(ids, ["A002", "A004", "A006", "A010", "A014"]);
    // Comments are masked: the phone number of A002 never reaches the tables.
    let comments = std::fs::read_to_string(tables.join("comments.csv")).unwrap();
    let all = std::fs::read_to_string(tables.join("complaints.csv")).unwrap() + &comments;
    assert!(!all.contains("13812345678"), "{all}");
    assert!(comments.contains("夜间施工噪音, 影响休息"), "{comments}");
    let meta = rows(&tables.join("meta.csv"));
    assert!(meta.contains(&vec!["as_of".to_owned(), "2026-04-30".to_owned()]));
    assert!(meta.contains(&vec!["after_as_of".to_owned(), "1".to_owned()]));
}

/// Every file under `dir/rows/reports` and `dir/tables/reports` but the versions pages (which
/// name each version's input files): the same files, the same bytes (pages, action lists and
/// numbers). Returns how many.
fn assert_same_reports(dir: &Path, rows: &str, tables: &str) -> usize {
    assert_same_files(dir, rows, tables, |p| {
        p.starts_with("reports") && !p.components().any(|c| c.as_os_str() == "versions")
    })
}

/// Ids of seven digits and more are published masked alike (`*******`), so complaints of one
/// day tie on their date and id. A build from the tables must break those ties as one from
/// the rows does: in the comments kept (newest first, then by id) and in the action lists
/// (then by the names of site and category, not by the order they were met in).
#[test]
fn ties_between_ids_masked_alike_fall_the_same_from_the_tables() {
    let project = TempProject::fixture("partials");
    let dir = project.path();
    let mut csv = String::from(
        "编号,回访日期,责任部门,项目,回访类型,回访方式,回访结果,满意度,问题类别,投诉等级,整改状态,整改期限,完成日期,客户意见\n",
    );
    // Ten open complaints with comments on one day, the sites taking turns; the later the
    // id, the earlier its text: 3000001 says 意见J, 3000010 says 意见A.
    for n in 1..=10u8 {
        let site = if n % 2 == 1 {
            "锦绣华庭"
        } else {
            "翠湖花园"
        };
        let text = char::from(b'K' - n);
        csv += &format!(
            "{},2026-04-28,工程部,{site},维修回访,电话,成功,不满意,漏水,轻微,待处理,,,意见{text}\n",
            3_000_000 + u32::from(n)
        );
    }
    // Two open complaints without a comment, tied on everything but their site: 甲苑 is met
    // first, 乙苑 comes first by name.
    for (id, site) in [(3_000_011, "甲苑"), (3_000_012, "乙苑")] {
        csv += &format!(
            "{id},2026-04-29,工程部,{site},维修回访,电话,成功,不满意,照明,轻微,待处理,,,\n"
        );
    }
    std::fs::write(dir.join("data/visits.csv"), csv).unwrap();
    let o = huifang(dir, &["partials", "--out", "tables"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = huifang(dir, &["build", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let config = config_reading_partials(&project, "tables");
    let o = huifang(
        dir,
        &["build", "--quiet", "--config", config.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    // In place of their ids the comments table holds the table's tag and the place of each
    // (id, text): 01 to 10, 3000001 first.
    let comments = rows(&dir.join("tables/comments.csv"));
    let ids: Vec<(&str, &str)> = (comments[1..].iter())
        .map(|r| (r[6].as_str(), r[4].as_str()))
        .collect();
    let tag = ids[0].1.split_once(':').unwrap().0;
    assert!(
        tag.len() == 8 && tag.bytes().all(|b| b.is_ascii_hexdigit()),
        "{tag}"
    );
    for (text, id) in &ids {
        let n = b'K' - text.as_bytes()[text.len() - 1];
        assert_eq!(*id, format!("{tag}:{n:02}"), "{ids:?}");
    }
    assert_eq!(ids.len(), 10);

    // April's newest five comments of all: those of 3000001 to 3000005.
    let april =
        std::fs::read_to_string(dir.join("public-partials/reports/2026-04/metrics.json")).unwrap();
    let april: serde_json::Value = serde_json::from_str(&april).unwrap();
    let texts: Vec<&str> = (april["overall"]["complaints"]["recent_comments"]
        .as_array()
        .unwrap())
    .iter()
    .map(|c| c["text"].as_str().unwrap())
    .collect();
    assert_eq!(texts, ["意见J", "意见I", "意见H", "意见G", "意见F"]);
    // The two tied complaints are listed 乙苑 first.
    let actions =
        std::fs::read_to_string(dir.join("public-partials/reports/2026-04/actions.csv")).unwrap();
    let tied: Vec<&str> = (actions.lines())
        .filter(|l| l.contains(",照明,"))
        .map(|l| {
            if l.contains(",乙苑,") {
                "乙苑"
            } else {
                "甲苑"
            }
        })
        .collect();
    assert_eq!(tied, ["乙苑", "甲苑"], "{actions}");
    assert!(
        actions
            .lines()
            .filter(|l| l.starts_with("*******,"))
            .count()
            == 12,
        "{actions}"
    );

    // April, Q2 and 2026: pages, action lists and numbers alike.
    assert!(assert_same_reports(dir, "public", "public-partials") > 3 * 3);
}

/// Two folders of tables in one build: a comment's place means nothing outside its own table,
/// so two tables' first comments, alike in day, category and words, are both kept, as a build
/// from both logs keeps them.
#[test]
fn comments_of_two_tables_read_together_are_both_kept() {
    let project = TempProject::fixture("partials");
    let dir = project.path();
    let head = "编号,回访日期,责任部门,项目,回访类型,回访方式,回访结果,满意度,问题类别,投诉等级,整改状态,整改期限,完成日期,客户意见\n";
    let row = |id: &str, site: &str| {
        format!(
            "{id},2026-04-28,工程部,{site},维修回访,电话,成功,不满意,漏水,轻微,待处理,,,未处理\n"
        )
    };
    std::fs::remove_file(dir.join("data/visits.csv")).unwrap();
    for (folder, id, site) in [("east", "E1", "锦绣华庭"), ("west", "W1", "翠湖花园")] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        std::fs::write(
            dir.join(format!("{folder}/visits.csv")),
            format!("{head}{}", row(id, site)),
        )
        .unwrap();
    }
    let toml = std::fs::read_to_string(dir.join("huifang.toml")).unwrap();
    let with = |sources: &str| toml.replace("[[sources]]\npath = \"data\"", sources);
    let config = |name: &str, text: String| {
        std::fs::write(dir.join(name), text).unwrap();
        name.to_owned()
    };
    // Each half's tables, then a build from both folders of tables and one from both logs.
    for half in ["east", "west"] {
        let c = config(
            &format!("{half}.toml"),
            with(&format!("[[sources]]\npath = \"{half}\"")),
        );
        let o = huifang(
            dir,
            &[
                "partials",
                "--config",
                &c,
                "--out",
                &format!("tables-{half}"),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let both_tables =
        "[[partials]]\npath = \"tables-east\"\n\n[[partials]]\npath = \"tables-west\"";
    let both_logs = "[[sources]]\npath = \"east\"\n\n[[sources]]\npath = \"west\"";
    for (name, sources, out) in [
        ("t.toml", both_tables, "public-t"),
        ("r.toml", both_logs, "public-r"),
    ] {
        let c = config(
            name,
            format!("snapshots_dir = \"snapshots-{out}\"\n{}", with(sources)),
        );
        let o = huifang(dir, &["build", "--quiet", "--config", &c, "--out", out]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let comments = |out: &str| {
        let path = dir.join(format!("{out}/reports/2026-04/metrics.json"));
        let april: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        april["overall"]["complaints"]["recent_comments"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!((comments("public-r"), comments("public-t")), (2, 2));
}

#[test]
fn the_partial_tables_are_written_the_same_every_time() {
    let (a, b) = (with_tables(), with_tables());
    assert_eq!(
        tree(&a.path().join("tables")),
        tree(&b.path().join("tables"))
    );
}

/// A bad table stops the build, naming the file, the line and the column.
#[test]
fn a_malformed_partial_table_is_named_with_its_line_and_column() {
    let project = with_tables();
    let dir = project.path();
    let config = config_reading_partials(&project, "tables");
    let config = config.to_str().unwrap();
    let path = dir.join("tables/partials.csv");
    let original = std::fs::read_to_string(&path).unwrap();
    let cases = [
        // Line 3: a count that is no number.
        (3, "many", "line 3, column 6 (value): `many` is not a count"),
        // Line 2: a measure that does not exist.
        (
            2,
            "visitz",
            "line 2, column 4 (measure): unknown measure `visitz`",
        ),
    ];
    for (line, bad, expected) in cases {
        let mut lines: Vec<String> = original.lines().map(str::to_owned).collect();
        let cells: Vec<&str> = lines[line - 1].split(',').collect();
        let mut cells: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        match bad {
            "many" => cells[5] = bad.to_owned(),
            _ => cells[3] = bad.to_owned(),
        }
        lines[line - 1] = cells.join(",");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let o = huifang(dir, &["build", "--config", config]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("partial table tables/partials.csv, "), "{err}");
        assert!(err.contains(expected), "{err}");
    }
    // A bucket that is no month's first day, in the comments.
    std::fs::write(&path, &original).unwrap();
    let comments = dir.join("tables/comments.csv");
    let text = std::fs::read_to_string(&comments).unwrap();
    assert!(text.contains("\n2026-01-01,"), "{text}");
    let broken = text.replacen("\n2026-01-01,", "\n2026-01-15,", 1);
    std::fs::write(&comments, broken).unwrap();
    let err = stderr(&huifang(dir, &["build", "--config", config]));
    assert!(
        err.contains(
            "tables/comments.csv, line 2, column 1 (bucket): 2026-01-15 is not the first day of a \
             bucket"
        ),
        "{err}"
    );
    // A missing table, and tables counted as of another day.
    std::fs::write(&comments, &text).unwrap();
    std::fs::remove_file(dir.join("tables/complaints.csv")).unwrap();
    let err = stderr(&huifang(dir, &["build", "--config", config]));
    assert!(err.contains("tables/complaints.csv: missing"), "{err}");
    let o = huifang(
        dir,
        &["partials", "--out", "tables", "--as-of", "2026-04-29"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = huifang(dir, &["build", "--config", config]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("meta.csv, line 3: the tables were counted as of 2026-04-29, this build is as of 2026-04-30"),
        "{err}"
    );
}

/// The `partials` fixture without its visit after as-of (A015), and with complaints still
/// open around 2026-04-20 (due dates given, so no SLA is involved).
pub(crate) fn open_around_the_20th() -> TempProject {
    let project = TempProject::fixture("partials");
    let data = project.path().join("data/visits.csv");
    let text = std::fs::read_to_string(&data).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("A015,")).collect();
    let added = [
        // Open, due 04-22, 04-29, 04-20 (the day itself: not overdue on it), 04-30, 04-19.
        "C001,2026-04-15,工程部,翠湖花园,维修回访,电话,成功,一般,漏水,重要,处理中,2026-04-22,,",
        "C002,2026-04-16,工程部,翠湖花园,维修回访,电话,成功,一般,漏水,重要,待处理,2026-04-29,,",
        "C003,2026-04-17,客服部,锦绣华庭,投诉回访,电话,成功,一般,噪音,重要,处理中,2026-04-30,,",
        "C004,2026-04-19,客服部,,投诉回访,电话,成功,一般,噪音,重要,处理中,2026-04-20,,",
        "C006,2026-04-12,客服部,锦绣华庭,投诉回访,电话,成功,一般,噪音,重要,处理中,2026-04-19,,",
        // Closed on 04-26, after its deadline of 04-25: late whatever the as-of date.
        "C005,2026-04-10,工程部,锦绣华庭,维修回访,电话,成功,一般,漏水,重要,已整改,2026-04-25,2026-04-26,",
    ];
    let text = kept.join("\n") + "\n" + &added.join("\n") + "\n";
    std::fs::write(&data, text).unwrap();
    project
}

/// Tables counted as of 04-20 and built as of 04-30, with no visit after 04-20: the same
/// numbers as a build from the rows as of 04-30. By hand: overdue as of 04-20 is A002, A014,
/// C005 (closed late) and A004, C006 (open, due before the 20th) = 5; by 04-30 C001 (04-22),
/// C002 (04-29) and C004 (04-20) have passed their deadline too = 8; A010 and C003 (due 04-30)
/// have not.
#[test]
fn tables_counted_on_a_day_give_the_numbers_of_a_later_day() {
    let project = open_around_the_20th();
    let dir = project.path();
    let o = huifang(
        dir,
        &["partials", "--out", "tables", "--as-of", "2026-04-20"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let partials = rows(&dir.join("tables/partials.csv"));
    let sum = |measure: &str| -> u64 {
        let matching = partials.iter().filter(|r| r[3] == measure);
        matching.map(|r| r[5].parse::<u64>().unwrap()).sum()
    };
    assert_eq!(sum("overdue"), 5);
    let mut open: Vec<&str> = (partials.iter())
        .filter(|r| r[3] == "open_by_deadline")
        .map(|r| r[4].as_str())
        .collect();
    open.sort_unstable();
    assert_eq!(
        open,
        [
            "2026-04-20",
            "2026-04-22",
            "2026-04-29",
            "2026-04-30",
            "2026-04-30"
        ]
    );
    let meta = rows(&dir.join("tables/meta.csv"));
    assert!(meta.contains(&vec!["overdue".to_owned(), "by_deadline".to_owned()]));

    // From the rows as of 04-30 (the config's), and from the tables of 04-20.
    let o = huifang(dir, &["build", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let config = config_reading_partials(&project, "tables");
    let o = huifang(dir, &["build", "--config", config.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(assert_same_numbers(dir, "public", "public-partials"), 21);
    let april = std::fs::read_to_string(dir.join("public/reports/monthly/2026-04/metrics.json"));
    if let Ok(april) = april {
        assert!(april.contains("\"overdue\""), "{april}");
    }

    // Not as of an earlier day; nor later once a visit after the tables' day was left out.
    let o = huifang(
        dir,
        &[
            "build",
            "--config",
            config.to_str().unwrap(),
            "--as-of",
            "2026-04-19",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("tables cannot give an earlier day"),
        "{}",
        stderr(&o)
    );
    let o = huifang(
        dir,
        &["partials", "--out", "tables", "--as-of", "2026-04-16"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = huifang(dir, &["build", "--config", config.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("visit(s) dated after 2026-04-16 were left out of them"),
        "{}",
        stderr(&o)
    );
}
