//! Files large enough to be read in several pieces by several threads read exactly as they
//! would front to back: every row once, in order, with its physical line number. Expected
//! values come from the generator in this file, which knows what it wrote on which line.

use crate::util;

use huifang::ingest::report::Impact;
use std::fmt::Write as _;

/// Rows enough for about 4 MB, several pieces of 1 MiB.
const ROWS: usize = 100_000;

#[test]
fn a_large_file_reads_as_it_would_front_to_back() {
    for line_end in ["\n", "\r\n"] {
        let mut csv = format!("回访日期,责任部门,编号,回访内容{line_end}");
        let mut line = 2u64;
        let mut bad_lines = Vec::new();
        let mut ids = Vec::new();
        let departments = ["工程部", "客服中心", "秩序维护部"];
        let mut per_department = [0usize; 3];
        for i in 0..ROWS {
            let department = i % 3;
            let date = if i % 997 == 0 {
                "2025-02-30"
            } else {
                "2025-03-05"
            };
            // Every seventh comment is quoted over two lines, with a comma and a quote in it.
            let comment = if i % 7 == 0 {
                format!("\"第{i}条,回访{line_end}说\"\"很好\"\"\"")
            } else {
                format!("意见{i}")
            };
            write!(
                csv,
                "{date},{},R{i},{comment}{line_end}",
                departments[department]
            )
            .unwrap();
            if date == "2025-02-30" {
                bad_lines.push(line);
            } else {
                ids.push(format!("R{i}"));
                per_department[department] += 1;
            }
            line += if i % 7 == 0 { 2 } else { 1 };
        }
        assert!(csv.len() > 3 << 20, "big enough for several pieces");

        let l = util::load_csv(csv.as_bytes());
        let f = l.file();
        assert_eq!(f.rows_read, ROWS as u64);
        assert_eq!(f.rejected, bad_lines.len() as u64);
        assert_eq!(f.accepted + f.rejected, f.rows_read);
        let rejected_lines: Vec<u64> = f
            .diagnostics
            .iter()
            .filter(|d| d.impact == Impact::Rejected)
            .map(|d| d.line)
            .collect();
        assert_eq!(rejected_lines, bad_lines, "line ends {line_end:?}");
        let got_ids: Vec<&str> = l.records.iter().map(|r| &*r.id).collect();
        assert_eq!(got_ids, ids);
        for (d, name) in departments.iter().enumerate() {
            let n = l
                .records
                .iter()
                .filter(|r| l.name(r.department) == *name)
                .count();
            assert_eq!(n, per_department[d], "{name}");
        }
        let quoted = l.records.iter().find(|r| r.id == "R7").unwrap();
        assert_eq!(
            quoted.comment.as_deref(),
            Some(format!("第7条,回访{line_end}说\"很好\"").as_str())
        );
    }
}

#[test]
fn gb18030_met_late_holds_for_the_rest_of_the_file_whatever_the_piece() {
    let row = |department: &[u8], i: usize| -> Vec<u8> {
        let mut r = b"2025-03-05,".to_vec();
        r.extend_from_slice(department);
        r.extend_from_slice(format!(",R{i}\n").as_bytes());
        r
    };
    let (gb, _, _) = encoding_rs::GB18030.encode("工程部");
    let utf8 = "工程".as_bytes();
    let mut csv = b"date,department,id\n".to_vec();
    let mut i = 0;
    // ASCII for 1.5 MiB, one GB18030 row, ASCII for 1.5 MiB more, then UTF-8 text: read front
    // to back, the first text settles GB18030 and the last is read as GB18030 too, with a
    // warning that the file mixes encodings.
    while csv.len() < 3 << 19 {
        csv.extend(row(b"Engineering", i));
        i += 1;
    }
    csv.extend(row(&gb, i));
    i += 1;
    while csv.len() < 3 << 20 {
        csv.extend(row(b"Engineering", i));
        i += 1;
    }
    csv.extend(row(utf8, i));
    let rows = i as u64 + 1;

    let l = util::load_csv(&csv);
    let f = l.file();
    assert_eq!(
        (f.encoding, f.rows_read, f.accepted),
        ("GB18030", rows, rows)
    );
    assert!(
        f.diagnostics
            .iter()
            .any(|d| d.message.contains("mixes two encodings"))
    );
    let names: Vec<&str> = l.records.iter().map(|r| l.name(r.department)).collect();
    let (as_gb18030, _) = encoding_rs::GB18030.decode_without_bom_handling(utf8);
    assert_ne!(as_gb18030, "工程");
    assert_eq!(names.iter().filter(|n| **n == "工程部").count(), 1);
    assert_eq!(names.last().copied(), Some(&*as_gb18030));
    assert_eq!(
        names.iter().filter(|n| **n == "Engineering").count() as u64,
        rows - 2
    );
}
