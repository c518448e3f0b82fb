//! One stray quote, anywhere in a valid visit log, costs at most one row, and never carries
//! text from another line into a department or a site: the promise of the quoting rule
//! (`huifang::ingest::quotes`), checked on random files with random quotes.

use crate::util;

use proptest::prelude::*;

const DEPARTMENTS: [&str; 3] = ["工程部", "客服部", "秩序维护部"];
const SITES: [&str; 2] = ["A区", "B区"];

/// Comments as staff type them: plain, with a comma, over two lines, with a quote in it.
const COMMENTS: [&str; 4] = [
    "好",
    "\"漏水,已修\"",
    "\"电梯\n已修\"",
    "\"说\"\"很好\"\"\"",
];

fn row() -> impl Strategy<Value = String> {
    (1..=28u32, 0..3usize, 0..2usize, 0..4usize).prop_map(|(day, d, s, c)| {
        format!(
            "2026-03-{day:02},{},{},{},李娜",
            DEPARTMENTS[d], SITES[s], COMMENTS[c]
        )
    })
}

fn file() -> impl Strategy<Value = String> {
    (proptest::collection::vec(row(), 1..8), any::<bool>()).prop_map(|(rows, crlf)| {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("回访日期,责任部门,项目,客户意见,回访人{end}");
        for row in rows {
            text.push_str(&row.replace('\n', end));
            text.push_str(end);
        }
        text
    })
}

/// The physical lines of `text`, as a line number counts them.
fn lines(text: &str) -> Vec<&str> {
    text.split("\r\n")
        .flat_map(|l| l.split('\n'))
        .flat_map(|l| l.split('\r'))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_stray_quote_costs_one_row_at_most(text in file(), at in any::<prop::sample::Index>()) {
        let before = util::load_csv(text.as_bytes());
        let positions: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let at = positions[at.index(positions.len())];
        let mut broken = text.clone();
        broken.insert(at, '"');
        let after = util::load_csv(broken.as_bytes());

        let (was, is) = (before.records.len(), after.records.len());
        prop_assert!(is + 1 >= was && is <= was + 1, "{} → {} rows: {:?}", was, is, broken);
        // Rows without an id are named by their line (`visits.csv:12`): each accepted row's
        // department and site are text of that line.
        let physical = lines(&broken);
        for record in &after.records {
            let line: usize = record.id.rsplit(':').next().unwrap().parse().unwrap();
            let own = physical[line - 1];
            let department = after.name(record.department);
            prop_assert!(own.contains(department), "{:?} not on line {}: {:?}", department, line, broken);
            if let Some(site) = after.opt_name(record.site) {
                prop_assert!(own.contains(site), "{:?} not on line {}: {:?}", site, line, broken);
            }
        }
    }
}
