//! Work orders (`[[orders]]`) are read by the visit logs' rules: synonym and mapped headers,
//! title lines, GB18030, workbooks, stray quotes, bad dates, the counts. What is particular
//! to them: the completed date may not come before the created date, and an order id is read
//! once across all the order files. The expected numbers are worked out by hand from the
//! fixture `tests/fixtures/orders`.

use crate::util::{self, TempProject, fixture, huifang, ymd};
use huifang::config::{Config, Project};
use huifang::ingest::FileReport;
use huifang::ingest::orders::{OrdersRead, read_orders};
use huifang::ingest::report::Impact;
use huifang::model::{Symbols, VisitRecord};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

const REPAIRS: &str = "orders/2026-03-报修.csv";
const COMPLAINTS: &str = "complaints/投诉登记.csv";

/// The orders of a project read after its visit logs, as a build reads them.
fn read(config: &Path) -> (util::Loaded, OrdersRead) {
    let mut loaded = util::load_config(config);
    let read = read_orders(&loaded.project, &mut loaded.symbols).expect("order paths resolve");
    for file in &read.report.files {
        assert_eq!(
            file.rows_read,
            file.accepted + file.rejected,
            "{}",
            file.path
        );
        assert!(file.lines_add_up(), "{file:?}");
    }
    (loaded, read)
}

fn file<'a>(read: &'a OrdersRead, path: &str) -> &'a FileReport {
    let found = read.report.files.iter().find(|f| f.path == path);
    found.unwrap_or_else(|| panic!("{path} not read: {:?}", read.report))
}

/// (line, column number, field, rejected) of every problem of a file.
fn problems(file: &FileReport) -> Vec<(u64, Option<usize>, Option<&str>, bool)> {
    file.diagnostics
        .iter()
        .map(|d| {
            let column = d.column.as_ref();
            (
                d.line,
                column.map(|c| c.number),
                column.and_then(|c| c.field),
                d.impact == Impact::Rejected,
            )
        })
        .collect()
}

/// (id, type, department, site, created, completed) of every order, names spelled out.
fn spelled(loaded: &util::Loaded, read: &OrdersRead) -> Vec<String> {
    read.orders
        .iter()
        .map(|o| {
            format!(
                "{} {} {} {} {} {:?}",
                o.id,
                loaded.name(o.order_type),
                loaded.name(o.department),
                loaded.opt_name(o.site).unwrap_or("-"),
                o.created,
                o.completed
            )
        })
        .collect()
}

#[test]
fn orders_read_by_the_visit_logs_rules() {
    let (loaded, read) = read(&fixture("orders").join("huifang.toml"));
    assert!(
        read.report.failures.is_empty(),
        "{:?}",
        read.report.failures
    );
    let paths: Vec<&str> = read.report.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, [REPAIRS, COMPLAINTS], "config order, then sorted");

    // 报修: a title line, the header, 8 rows: BX001, BX002 and BX006 accepted; the stray
    // quote (line 5), 2026-02-30 (6), completed before created (7), the empty row (8) and
    // BX001 again (9) rejected.
    let repairs = file(&read, REPAIRS);
    assert_eq!(repairs.encoding, "UTF-8");
    assert_eq!(
        (repairs.rows_read, repairs.accepted, repairs.rejected),
        (8, 3, 5)
    );
    assert_eq!(repairs.warnings, 0);
    assert_eq!(repairs.title_lines, 1);
    assert_eq!(repairs.line_counts(), [10, 2, 8, 0]);
    assert_eq!(repairs.unused_columns, ["报修内容"]);
    assert_eq!(
        problems(repairs),
        [
            (5, Some(4), Some("site"), true),
            (6, Some(5), Some("created"), true),
            (7, Some(6), Some("completed"), true),
            (8, None, None, true),
            (9, Some(1), Some("id"), true),
        ]
    );
    let messages: Vec<String> = repairs.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        messages[0].contains("a quote (\") opens this cell and runs onto the next line"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("`2026-02-30` is not a date"),
        "{}",
        messages[1]
    );
    assert_eq!(
        messages[2],
        "line 7, column 6 (结单时间 → completed): row rejected: completed date 2026-03-08 is \
         before the created date 2026-03-10; check both dates"
    );
    assert_eq!(messages[3], "line 8: row rejected: the row is empty");
    assert!(
        messages[4].starts_with(
            "line 9, column 1 (报修单号 → id): row rejected: order BX001 was already read at \
             orders/2026-03-报修.csv:3; "
        ),
        "{}",
        messages[4]
    );

    // 投诉 (GB18030, CRLF): TS001 and TS002 accepted; BX002, read in the repairs, rejected.
    let complaints = file(&read, COMPLAINTS);
    assert_eq!(complaints.encoding, "GB18030");
    assert_eq!(
        (
            complaints.rows_read,
            complaints.accepted,
            complaints.rejected
        ),
        (3, 2, 1)
    );
    assert_eq!(complaints.line_counts(), [4, 1, 3, 0]);
    assert_eq!(problems(complaints), [(4, Some(1), Some("id"), true)]);
    assert!(
        complaints.diagnostics[0]
            .message
            .starts_with("order BX002 was already read at orders/2026-03-报修.csv:4;"),
        "{}",
        complaints.diagnostics[0].message
    );
    // 来电时间 by the mapping, the others by their built-in names.
    let created = complaints.columns.iter().find(|c| c.field == "created");
    let created = created.expect("created is read");
    assert_eq!(
        (created.header.as_str(), created.by),
        ("来电时间", "[[orders]] columns")
    );

    // In file order, then line order; 保卫部 is 秩序维护部 by the configured alias; a same-day
    // completion is a completion.
    assert_eq!(
        spelled(&loaded, &read),
        [
            "BX001 维修 工程部 翠湖苑 2026-03-01 Some(2026-03-02)",
            "BX002 维修 工程部 翠湖苑 2026-03-03 None",
            "BX006 保洁 保洁部 翠湖苑 2026-03-15 Some(2026-03-15)",
            "TS001 投诉 客服部 翠湖苑 2026-03-05 Some(2026-03-06)",
            "TS002 投诉 秩序维护部 翠湖苑 2026-03-20 None",
        ]
    );
    // The orders share the visits' symbols: 工程部 is one symbol for both.
    let visit: &VisitRecord = &loaded.records[0];
    assert_eq!(visit.order.as_deref(), Some("BX001"));
    assert_eq!(visit.department, read.orders[0].department);
    assert_eq!(visit.site, read.orders[0].site);
    // The visit log is read as before: the order files are not visit logs.
    assert_eq!(loaded.report.files.len(), 1);
}

/// A workbook in the orders folder: read between the CSV files, its problems named by cell,
/// and an id it repeats named where the CSV file had it.
#[test]
fn a_workbook_of_orders_reads_as_its_rows_and_names_its_cells() {
    let project = TempProject::of(&fixture("orders"), &["orders", "complaints"]);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("工单").unwrap();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let rows: [[&str; 6]; 5] = [
        ["工单台账", "", "", "", "", ""],
        [
            "工单编号",
            "工单分类",
            "部门",
            "小区名称",
            "创建日期",
            "完成日期",
        ],
        [
            "GD101",
            "维修",
            "工程部",
            "翠湖苑",
            "2026-04-01",
            "2026-04-02",
        ],
        ["GD102", "有偿服务", "工程部", "翠湖苑", "2026-04-03", ""],
        ["BX001", "维修", "工程部", "翠湖苑", "2026-04-05", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let date = (r > 1 && c >= 4 && !cell.is_empty()).then(|| {
                let d: Vec<u16> = cell.split('-').map(|n| n.parse().unwrap()).collect();
                ExcelDateTime::from_ymd(d[0], d[1] as u8, d[2] as u8).unwrap()
            });
            match date {
                Some(date) => {
                    sheet.write_datetime_with_format(r, c, date, &day).unwrap();
                }
                None if !cell.is_empty() => {
                    sheet.write_string(r, c, *cell).unwrap();
                }
                None => {}
            }
        }
    }
    book.save(project.path().join("orders/2026-04-工单.xlsx"))
        .unwrap();

    let (loaded, read) = read(&project.config());
    let paths: Vec<&str> = read.report.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, [REPAIRS, "orders/2026-04-工单.xlsx", COMPLAINTS]);
    let book = file(&read, "orders/2026-04-工单.xlsx");
    assert_eq!(book.place(), "orders/2026-04-工单.xlsx!工单");
    assert_eq!(book.encoding, "xlsx");
    assert_eq!((book.rows_read, book.accepted, book.rejected), (3, 2, 1));
    assert_eq!(book.line_counts(), [5, 2, 3, 0]);
    assert_eq!(book.diagnostics.len(), 1);
    let message = book.describe(&book.diagnostics[0]);
    assert!(
        message.starts_with(
            "A5 (工单编号 → id): row rejected: order BX001 was already read at \
             orders/2026-03-报修.csv:3;"
        ),
        "{message}"
    );
    let ids: Vec<&str> = read.orders.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "BX001", "BX002", "BX006", "GD101", "GD102", "TS001", "TS002"
        ]
    );
    let gd101 = &read.orders[3];
    assert_eq!(loaded.name(gd101.order_type), "维修");
    assert_eq!(
        (gd101.created, gd101.completed),
        (ymd(2026, 4, 1), Some(ymd(2026, 4, 2)))
    );
    assert_eq!(read.orders[4].completed, None);
}

/// One throwaway project: `files` written under it, and a config of `config`.
fn project_of(config: &str, files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    std::fs::write(dir.path().join("huifang.toml"), config).unwrap();
    dir
}

const VISITS: &[u8] = "回访日期,责任部门\n2026-03-04,工程部\n".as_bytes();

#[test]
fn a_file_without_a_required_column_fails_with_the_mapping_that_fixes_it() {
    let config = "[[sources]]\npath = \"data\"\n\n[[orders]]\npath = \"data/工单\"\n";
    let no_type = "工单号,部门,创建时间,分类名称\nGD1,工程部,2026-03-01,维修\n";
    let dir = project_of(
        config,
        &[
            ("data/visits.csv", VISITS),
            ("data/工单/a.csv", no_type.as_bytes()),
            ("data/工单/b.csv", b""),
        ],
    );
    let (loaded, read) = read(&dir.path().join("huifang.toml"));
    // The order files sit in the visit logs' folder and are not read as visit logs.
    let visits: Vec<&str> = loaded
        .report
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(visits, ["data/visits.csv"]);
    assert!(read.orders.is_empty() && read.report.files.is_empty());
    let failures: Vec<String> = read.report.failures.iter().map(|f| f.to_string()).collect();
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(
        failures[0].starts_with("data/工单/a.csv: no column for required field order_type\n"),
        "{}",
        failures[0]
    );
    assert!(
        failures[0].contains("  built-in names: order_type: 工单类型/工单分类/"),
        "{}",
        failures[0]
    );
    assert!(
        failures[0].ends_with(
            "  fix: map the header in huifang.toml, e.g.\n    [orders.columns]\n    order_type = \"分类名称\""
        ),
        "{}",
        failures[0]
    );
    assert_eq!(
        failures[1],
        "data/工单/b.csv: the file is empty: expected a header row naming at least order_type, \
         department and created"
    );
}

#[test]
fn orders_are_configured_like_sources_and_none_by_default() {
    let path = Path::new("huifang.toml");
    assert!(Config::default().orders.is_empty());
    let config = Config::parse(
        "[[orders]]\npath = \"工单\"\nencoding = \"gbk\"\nsheet = \"工单\"\n\
         columns = { id = \"单据号\", completed = \"回单时间\" }\n",
        path,
    )
    .unwrap();
    let orders = &config.orders[0];
    assert_eq!(orders.path, "工单");
    assert_eq!(orders.sheet.as_deref(), Some("工单"));
    assert_eq!(orders.columns.len(), 2);
    // A visit field is no order field, and a key sources do not take, orders do not either.
    let e = Config::parse(
        "[[orders]]\npath = \"a.csv\"\ncolumns = { date = \"x\" }\n",
        path,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("unknown variant `date`"), "{e}");
    assert!(e.contains("`order_type`"), "{e}");
    let e = Config::parse("[[orders]]\npath = \"a.csv\"\nformat = \"plain\"\n", path)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown field `format`"), "{e}");

    // No orders: nothing read, nothing to say.
    let dir = project_of("[[sources]]\npath = \"v.csv\"\n", &[("v.csv", VISITS)]);
    let project = Project::load(&dir.path().join("huifang.toml")).unwrap();
    let read = read_orders(&project, &mut Symbols::default()).unwrap();
    assert!(read.orders.is_empty() && read.report.files.is_empty());
    assert!(
        huifang::ingest::orders::input_files(&project)
            .unwrap()
            .is_empty()
    );
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `build` lists the order files under their heading, fails under `--strict` on a rejected
/// order row, is up to date while the order files are, and rebuilds when one changes.
#[test]
fn build_lists_order_files_and_rebuilds_when_one_changes() {
    let project = TempProject::of(&fixture("orders"), &["orders", "complaints"]);
    let dir = project.path();

    // The visit log has no rejected row: the six are the orders'.
    let o = huifang(dir, &["build", "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("6 row(s) rejected under --strict; nothing was written"),
        "{err}"
    );
    assert!(err.contains("work orders:\n"), "{err}");
    assert!(!dir.join("public").exists());

    let o = huifang(dir, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "visits.csv (UTF-8): read 2 rows: accepted 2, rejected 0, warnings 0\nwork orders:\n\
             orders/2026-03-报修.csv (UTF-8): read 8 rows: accepted 3, rejected 5, warnings 0\n"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "\n  line 7, column 6 (结单时间 → completed): row rejected: completed date \
             2026-03-08 is before the created date 2026-03-10"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "complaints/投诉登记.csv (GB18030): read 3 rows: accepted 2, rejected 1, warnings 0\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("total: read 11 rows: accepted 5, rejected 6, warnings 0"),
        "{err}"
    );

    let o = huifang(dir, &["build"]);
    assert!(stderr(&o).contains("is up to date"), "{}", stderr(&o));

    // A changed order file: read again.
    let repairs = dir.join(REPAIRS);
    let mut text = std::fs::read_to_string(&repairs).unwrap();
    text.push_str("BX007,维修,工程部,翠湖苑,2026-03-20,2026-03-21,阳台\n");
    std::fs::write(&repairs, text).unwrap();
    let o = huifang(dir, &["build", "--summary-json", "summary.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains("is up to date"), "{err}");
    assert!(
        err.contains("orders/2026-03-报修.csv (UTF-8): read 9 rows: accepted 4, rejected 5"),
        "{err}"
    );
    // For CI: the order files apart from the visit logs' counts.
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["rejected"], 0, "{summary}");
    let counts = |f: &serde_json::Value| {
        let n = |k: &str| f[k].as_u64().unwrap();
        (n("rows_read"), n("accepted"), n("rejected"), n("warnings"))
    };
    let order_files = summary["order_files"].as_array().unwrap();
    assert_eq!(order_files[0]["path"], REPAIRS);
    assert_eq!(counts(&order_files[0]), (9, 4, 5, 0));
    assert_eq!(order_files[1]["path"], COMPLAINTS);
    assert_eq!(counts(&order_files[1]), (3, 2, 1, 0));

    // `check` lists them too, and fails on their rejected rows.
    let o = huifang(dir, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("work orders:\norders/2026-03-报修.csv"),
        "{err}"
    );
    assert!(
        err.contains(
            "  columns: id ← 投诉编号, order_type ← 业务类型, department ← 责任部门, \
             site ← 项目, created ← 来电时间 ([[orders]] columns), completed ← 办结时间"
        ),
        "{err}"
    );
    assert!(err.contains("error: 6 row(s) rejected"), "{err}");
}

/// An order file that cannot be read stops the build as a visit log does.
#[test]
fn an_unreadable_order_file_stops_the_build() {
    let project = TempProject::of(&fixture("orders"), &["orders", "complaints"]);
    let dir = project.path();
    std::fs::write(dir.join(COMPLAINTS), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap();
    let o = huifang(dir, &["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("1 file(s) could not be read; nothing was written"),
        "{err}"
    );
    assert!(
        err.contains("error: complaints/投诉登记.csv: the file is"),
        "{err}"
    );
    assert!(!dir.join("public").exists());
}
