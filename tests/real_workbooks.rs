//! The real 问卷星 downloads as 问卷星 gives them, `.xls` workbooks (`../shared/real-exports/wjx/`,
//! outside the repository; skipped when it is missing). The expected counts are an
//! independent recount: `xlrd` over the same workbooks, in a few lines of Python, one counter
//! per column (a `┋`-joined cell counted once per option), written down here.

use crate::util;

use huifang::config::EncodingChoice;
use huifang::survey::read::{ExportFormat, QuestionKind, SurveyExport, read_export};
use std::path::{Path, PathBuf};
use util::survey::{index, option_count as count};

fn folder() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-exports/wjx");
    dir.is_dir().then_some(dir)
}

fn read(path: &Path) -> SurveyExport {
    read_export(
        path,
        EncodingChoice::Auto,
        ExportFormat::Auto,
        &Default::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn kind(export: &SurveyExport, number: &str) -> QuestionKind {
    export.questions[index(export, number)].kind
}

#[test]
fn the_wjx_text_download_reads_from_its_xls() {
    let Some(dir) = folder() else {
        eprintln!("skipped: ../shared/real-exports is not here");
        return;
    };
    let export = read(&dir.join("[问卷星数据]800_800_0.xls"));
    assert_eq!(export.format, ExportFormat::WjxText);
    assert_eq!(
        (export.encoding, export.sheet.as_deref()),
        ("xls", Some("Sheet1"))
    );
    assert_eq!((export.rows_read, export.responses.len()), (800, 800));
    assert_eq!(export.rejected, 0);
    // 序号 is a number cell (1.0): the id reads as Excel shows it.
    assert_eq!(export.responses[0].id.as_deref(), Some("1"));
    assert_eq!(export.responses[799].id.as_deref(), Some("800"));
    for (option, n) in [("1部", 521), ("2部", 261), ("3部", 12), ("4部及以上", 6)] {
        assert_eq!(count(&export, "1", option), n, "1、手机部数 {option}");
    }
    for (option, n) in [("男", 427), ("女", 373)] {
        assert_eq!(count(&export, "3", option), n, "3、性别 {option}");
    }
    for (option, n) in [("美食", 492), ("运动", 479), ("艺术", 95), ("手工艺", 76)] {
        assert_eq!(count(&export, "6", option), n, "6、兴趣爱好 {option}");
    }
    assert_eq!(kind(&export, "1"), QuestionKind::Single);
    assert_eq!(kind(&export, "6"), QuestionKind::Multiple);
    assert_eq!(kind(&export, "8"), QuestionKind::Multiple);
}

#[test]
fn the_wjx_number_download_reads_from_its_xls() {
    let Some(dir) = folder() else {
        eprintln!("skipped: ../shared/real-exports is not here");
        return;
    };
    let export = read(&dir.join("[问卷星数据]800_800_2.xls"));
    assert_eq!(export.format, ExportFormat::WjxNumber);
    assert_eq!((export.rows_read, export.responses.len()), (800, 800));
    for (option, n) in [("1", 62), ("2", 163), ("3", 251), ("7", 8), ("8", 2)] {
        assert_eq!(count(&export, "5", option), n, "5、月收入 {option}");
    }
    for (option, n) in [("1", 15), ("2", 247), ("3", 293), ("7", 7)] {
        assert_eq!(
            count(&export, "7", option),
            n,
            "7、爱好投入占收入比重 {option}"
        );
    }
    assert_eq!(kind(&export, "5"), QuestionKind::Single);
}
