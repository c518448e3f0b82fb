//! Real survey exports, as the survey tools wrote them (`../shared/real-exports/`, outside the
//! repository; these tests skip when it is missing). Every row is a response or reported:
//! the rows read are counted a second way, by the csv crate, less the header rows each
//! tool writes (known from the formats, see the folder's README), and a stray quote put into
//! a real export costs at most the one row it is on.

use crate::util;

use huifang::config::EncodingChoice;
use huifang::survey::read::{ExportFormat, QuestionKind, SurveyExport, read_export};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use util::survey::{item_ranks, option_count, report_of};

/// Each export and the header rows its tool writes above the responses.
const EXPORTS: [(&str, usize); 10] = [
    ("limesurvey/survey_100001_R_data_file.csv", 1),
    ("msforms/uva-hotdog-fa24-msforms.csv", 1),
    // The 2016 exporter: question ids, question texts, then `{'ImportId': …}`.
    ("qualtrics/QT-Long_Exhaustive_Sample_Survey.csv", 3),
    // The legacy exporter: `V1…` codes, then question texts.
    ("qualtrics/qualtRics-sample_legacy.csv", 2),
    // Questions, then `Response` / option names.
    ("surveymonkey/StarWars.csv", 2),
    ("surveymonkey/steak-risk-survey.csv", 2),
    // Re-saved with the two header rows merged into one.
    ("surveymonkey/thanksgiving-2015-poll-data.csv", 1),
    ("tencent/4165188.csv", 1),
    ("wjx/wjx-800-text.csv", 1),
    ("wjx/wjx-800-number.csv", 1),
];

fn folder() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-exports");
    dir.is_dir().then_some(dir)
}

/// Records holding at least one non-blank cell, by the csv crate.
fn records(bytes: &[u8]) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut count = 0;
    while reader.read_byte_record(&mut record).unwrap() {
        count += usize::from(record.iter().any(|c| !c.trim_ascii().is_empty()));
    }
    count
}

fn read(path: &Path) -> Option<huifang::survey::read::SurveyExport> {
    read_export(
        path,
        EncodingChoice::Auto,
        ExportFormat::Auto,
        &BTreeMap::new(),
    )
    .ok()
}

#[test]
fn every_row_of_a_real_export_is_a_response() {
    let Some(dir) = folder() else {
        eprintln!("skipped: ../shared/real-exports is not here");
        return;
    };
    let mut read_any = false;
    for (name, header_rows) in EXPORTS {
        let path = dir.join(name);
        let export = read(&path).unwrap_or_else(|| panic!("{name} does not read"));
        read_any = true;
        let expected = records(&std::fs::read(&path).unwrap()) - header_rows;
        assert_eq!(export.rows_read as usize, expected, "{name}");
        assert_eq!(export.rejected, 0, "{name}: {:?}", export.warnings);
        // The file's physical lines add up (else the reader warns that they do not).
        assert!(
            !export.warnings.iter().any(|w| w.contains("accounted for")),
            "{name}: {:?}",
            export.warnings
        );
        assert_eq!(export.responses.len(), expected, "{name}");
    }
    assert!(read_any);
}

#[test]
fn a_stray_quote_in_a_real_export_costs_one_row_at_most() {
    let Some(dir) = folder() else {
        eprintln!("skipped: ../shared/real-exports is not here");
        return;
    };
    for (name, _) in EXPORTS {
        let path = dir.join(name);
        let Some(export) = read(&path) else { continue };
        let bytes = std::fs::read(&path).unwrap();
        // A quote opening the second cell of a line some way down, as a hand edit leaves it.
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', &bytes).map(|i| i + 1))
            .collect();
        let line = line_starts[line_starts.len() / 2];
        let Some(comma) = memchr::memchr(b',', &bytes[line..]) else {
            continue;
        };
        if bytes.get(line + comma + 1) == Some(&b'"') {
            continue;
        }
        let mut broken = bytes.clone();
        broken.insert(line + comma + 1, b'"');
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("export.csv");
        std::fs::write(&copy, &broken).unwrap();
        let after = read(&copy).unwrap_or_else(|| panic!("{name} no longer reads"));
        let (before, now) = (export.responses.len(), after.responses.len());
        eprintln!("{name}: {before} → {now}, rejected {}", after.rejected);
        assert!(
            now + 1 >= before && now <= before,
            "{name}: {before} → {now}"
        );
        assert_eq!(
            after.rows_read,
            after.responses.len() as u64 + after.rejected
        );
    }
}

/// The 腾讯问卷 export's question 1, `服务监督员编号或姓名`, is answered with staff names and
/// numbers: the report counts its answers and lists none of them. The count is the csv
/// crate's, of non-blank cells in that column.
#[test]
fn staff_names_typed_as_answers_are_counted_never_listed() {
    let Some(dir) = folder() else {
        eprintln!("skipped: ../shared/real-exports is not here");
        return;
    };
    let path = dir.join("tencent/4165188.csv");
    let Some(export) = read(&path) else {
        panic!("the 腾讯问卷 export reads");
    };
    let bytes = std::fs::read(&path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes.as_slice());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h.contains("服务监督员编号或姓名"))
        .unwrap();
    let mut answers: Vec<String> = Vec::new();
    for record in reader.records() {
        let cell = record.unwrap().get(column).unwrap_or("").trim().to_owned();
        if !cell.is_empty() {
            answers.push(cell);
        }
    }
    assert!(!answers.is_empty());

    let campaign: huifang::config::SurveyCampaign =
        toml::from_str("name = \"检查\"\nfiles = [\"4165188.csv\"]\n").unwrap();
    let report = huifang::survey::metrics::report(&campaign, "check".into(), &[export]);
    let q = report
        .questions
        .iter()
        .find(|q| q.text.contains("服务监督员编号或姓名"))
        .unwrap();
    assert!(q.personal);
    assert_eq!(q.answered as usize, answers.len());
    assert!(q.options.is_empty() && q.texts.is_empty() && q.crosstab.is_none());
    // Staff numbers such as `014` are too short to look for in the JSON (any `0.0145` holds
    // one); the names are looked for.
    let json = serde_json::to_string(&report).unwrap();
    let names: Vec<&String> = answers
        .iter()
        .filter(|a| !a.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert!(names.len() >= 50);
    let listed: Vec<&&String> = names.iter().filter(|a| json.contains(a.as_str())).collect();
    assert!(listed.is_empty(), "published: {listed:?}");
}

/// (question number, kind, [(option, count)]).
type QuestionCheck = (&'static str, QuestionKind, &'static [(&'static str, usize)]);

/// What a real export must read as: its format, its responses, and per question checked its
/// kind and some options' counts (counted over every response, as read).
struct Expected {
    file: &'static str,
    format: ExportFormat,
    responses: usize,
    questions: &'static [QuestionCheck],
}

use QuestionKind::{Multiple, Rating, Single, Text};

/// The numbers below were recounted from the files themselves, without huifang, by a Python
/// script over the csv module (`/work/recount/recount.py`, output kept beside it). Per column
/// it is, in short:
///
/// ```python
/// import csv, collections
/// rows = list(csv.reader(open(path, encoding=enc)))[header_rows:]
/// one = collections.Counter(r[col].strip() for r in rows if r[col].strip())      # a choice
/// ticked = sum(1 for r in rows if r[col].strip() not in ("", "0"))               # a checkbox
/// first = sum(1 for r in rows if r[col].strip() == "1")                          # ranked first
/// responses = sum(1 for r in rows if any(c.strip() for c in r))
/// ```
///
/// Option labels are as read: markup decoded (`&gt;80%` → `>80%`).
const RECOUNTED: [Expected; 10] = [
    Expected {
        file: "surveymonkey/StarWars.csv",
        format: ExportFormat::SurveyMonkey,
        responses: 1186,
        questions: &[
            ("1", Single, &[("Yes", 936), ("No", 250)]),
            (
                "3",
                Multiple,
                &[
                    ("Star Wars: Episode I  The Phantom Menace", 673),
                    ("Star Wars: Episode V The Empire Strikes Back", 758),
                    ("Star Wars: Episode VI Return of the Jedi", 738),
                ],
            ),
            // First places.
            (
                "4",
                QuestionKind::Ranking,
                &[
                    ("Star Wars: Episode I  The Phantom Menace", 129),
                    ("Star Wars: Episode IV  A New Hope", 204),
                    ("Star Wars: Episode V The Empire Strikes Back", 289),
                ],
            ),
            (
                "5.1",
                Single,
                &[
                    ("Very favorably", 610),
                    ("Very unfavorably", 1),
                    ("Unfamiliar (N/A)", 15),
                ],
            ),
            (
                "11",
                Single,
                &[("18-29", 218), ("45-60", 291), ("> 60", 269)],
            ),
            (
                "12",
                Single,
                &[
                    ("$0 - $24,999", 138),
                    ("$50,000 - $99,999", 298),
                    ("$150,000+", 95),
                ],
            ),
        ],
    },
    Expected {
        file: "surveymonkey/steak-risk-survey.csv",
        format: ExportFormat::SurveyMonkey,
        responses: 550,
        questions: &[
            ("1", Single, &[("Lottery A", 267), ("Lottery B", 279)]),
            (
                "9",
                Single,
                &[("Rare", 23), ("Medium rare", 166), ("Well", 36)],
            ),
            (
                "11",
                Single,
                &[("18-29", 110), ("30-44", 133), ("> 60", 131)],
            ),
        ],
    },
    Expected {
        file: "surveymonkey/thanksgiving-2015-poll-data.csv",
        format: ExportFormat::SurveyMonkey,
        responses: 1058,
        questions: &[
            ("1", Single, &[("Yes", 980), ("No", 78)]),
            (
                "2",
                Single,
                &[
                    ("Turkey", 859),
                    ("Other (please specify)", 35),
                    ("Turducken", 3),
                ],
            ),
            (
                "7",
                Multiple,
                &[
                    ("Mashed potatoes", 817),
                    ("Rolls/biscuits", 766),
                    ("Other (please specify)", 111),
                ],
            ),
            ("12", Multiple, &[("Macy's Parade", 502)]),
            (
                "22",
                Single,
                &[
                    ("$0 to $9,999", 66),
                    ("$200,000 and up", 80),
                    ("Prefer not to answer", 136),
                ],
            ),
        ],
    },
    Expected {
        file: "qualtrics/QT-Long_Exhaustive_Sample_Survey.csv",
        format: ExportFormat::Qualtrics,
        responses: 31,
        questions: &[
            // Codes, not a mean.
            ("Q2", Single, &[("1", 5), ("3", 2), ("7", 9)]),
            (
                "Q9",
                Multiple,
                &[
                    ("Kale", 21),
                    ("Kale chips", 18),
                    ("Chocolate with >80% cocoa", 20),
                ],
            ),
            // The recode column Q15_-1 is its NA choice.
            (
                "Q15",
                Multiple,
                &[
                    ("Kale", 19),
                    ("Straight tomato paste", 20),
                    (
                        "NA - My family is full of fruitarians\\\\(Really though, the fruitarians \
                         should be eating the tomato paste.)",
                        21,
                    ),
                ],
            ),
            ("Q23_cucumbers", Rating, &[("1", 13), ("2", 10), ("3", 8)]),
            (
                "Q24_cucumbers",
                Single,
                &[("1", 12), ("10", 6), ("100", 13)],
            ),
            ("Q47", Text, &[]),
        ],
    },
    Expected {
        file: "qualtrics/qualtRics-sample_legacy.csv",
        format: ExportFormat::Qualtrics,
        responses: 1,
        questions: &[("Q1", Single, &[("2", 1)]), ("Q2", Text, &[])],
    },
    Expected {
        file: "limesurvey/survey_100001_R_data_file.csv",
        format: ExportFormat::LimeSurvey,
        responses: 3,
        questions: &[
            ("2", Single, &[("3", 1), ("4", 1)]),
            (
                "5",
                Multiple,
                &[("Bar", 0), ("Indoor dance event", 1), ("Music festival", 2)],
            ),
            (
                "6",
                Multiple,
                &[("Hotel", 0), ("Friends or family", 2), ("Couchsurfing", 1)],
            ),
        ],
    },
    Expected {
        file: "msforms/uva-hotdog-fa24-msforms.csv",
        format: ExportFormat::MicrosoftForms,
        responses: 187,
        questions: &[
            ("1", Single, &[("No", 126), ("Yes", 61)]),
            ("2", Single, &[("Yes", 181), ("No", 6)]),
            ("3", Text, &[]),
        ],
    },
    Expected {
        file: "tencent/4165188.csv",
        format: ExportFormat::Tencent,
        responses: 70,
        questions: &[
            ("3.1", Single, &[("车站", 48), ("列车上", 22)]),
            ("3.2", Single, &[("2号线", 32), ("4号线", 17), ("1号线", 7)]),
            ("4", Single, &[("B.没有发现问题", 54), ("A.发现了问题", 16)]),
        ],
    },
    Expected {
        file: "wjx/wjx-800-text.csv",
        format: ExportFormat::WjxText,
        responses: 800,
        questions: &[
            (
                "4",
                Single,
                &[("16~19岁", 1), ("30~34岁", 248), ("60岁以上", 8)],
            ),
            (
                "5",
                Single,
                &[("无收入", 8), ("3000元以下", 62), ("不知道/拒绝回答", 2)],
            ),
            (
                "6",
                Multiple,
                &[("美食", 492), ("运动", 479), ("其他【请注明】", 2)],
            ),
            (
                "8",
                Multiple,
                &[("财经", 448), ("不关注", 11), ("其他【请注明】", 5)],
            ),
        ],
    },
    Expected {
        file: "wjx/wjx-800-number.csv",
        format: ExportFormat::WjxNumber,
        responses: 800,
        questions: &[
            ("1", Single, &[("1", 521), ("2", 261), ("4", 6)]),
            (
                "6",
                Multiple,
                &[("运动", 479), ("健康", 242), ("其他【请注明】", 2)],
            ),
            (
                "8",
                Multiple,
                &[
                    ("不关注", 11),
                    ("ACG文化(动漫、游戏等)", 131),
                    ("其他【请注明】", 5),
                ],
            ),
        ],
    },
];

#[test]
fn every_real_csv_export_reads_with_recounted_numbers() {
    let Some(dir) = folder() else {
        eprintln!("skipped: ../shared/real-exports is not here");
        return;
    };
    for expected in RECOUNTED {
        let name = expected.file;
        let export = read(&dir.join(name)).unwrap_or_else(|| panic!("{name} does not read"));
        assert_eq!(export.format, expected.format, "{name}");
        assert_eq!(export.responses.len(), expected.responses, "{name}");
        for (number, kind, counts) in expected.questions {
            let question = export
                .questions
                .iter()
                .find(|q| q.number == *number)
                .unwrap_or_else(|| panic!("{name}: no question {number}"));
            assert_eq!(question.kind, *kind, "{name} question {number}");
            for (option, count) in *counts {
                assert_eq!(
                    option_count(&export, number, option),
                    *count,
                    "{name} question {number} option {option}"
                );
            }
        }
    }
}

/// Metadata is never a question: LimeSurvey's Response ID, Seed, timings and equations,
/// Microsoft Forms' Email and Name, Qualtrics' V1…V10 and Location columns; Qualtrics recode
/// and export-tag columns are folded into their question, and its codes come with a hint.
#[test]
fn real_exports_publish_no_metadata_as_questions() {
    let Some(dir) = folder() else {
        eprintln!("skipped: ../shared/real-exports is not here");
        return;
    };
    let read_named = |name: &str| read(&dir.join(name)).unwrap_or_else(|| panic!("{name}"));
    let lime = read_named("limesurvey/survey_100001_R_data_file.csv");
    for q in &lime.questions {
        assert!(
            !["Response ID", "Seed", "Date submitted", "Total time"].contains(&q.text.as_str())
                && !q.text.starts_with('{')
                && !q.text.starts_with("Group time")
                && !q.text.starts_with("Question time"),
            "{q:?}"
        );
    }
    // 646 columns: 7 metadata, 336 timings, 126 equations, 51 debug displays (recount).
    let forms = read_named("msforms/uva-hotdog-fa24-msforms.csv");
    assert_eq!(forms.questions.len(), 3);
    // Every Email reads `anonymous`: no respondent.
    assert!(forms.responses.iter().all(|r| r.respondent.is_none()));
    let legacy = read_named("qualtrics/qualtRics-sample_legacy.csv");
    let numbers: Vec<&str> = legacy.questions.iter().map(|q| q.number.as_str()).collect();
    assert_eq!(numbers, ["Q1", "Q2"]);
    let long = read_named("qualtrics/QT-Long_Exhaustive_Sample_Survey.csv");
    assert!(
        !long
            .questions
            .iter()
            .any(|q| q.number.contains("-1") || q.kind == QuestionKind::Numeric)
    );
    assert!(long.warnings.iter().any(|w| w.contains("choice codes")));
    let q15 = long.questions.iter().find(|q| q.number == "Q15").unwrap();
    assert_eq!(q15.options.len(), 7);
    // 腾讯问卷: 70 rows from 10 用户标识; one response per respondent keeps 10.
    let tencent = read_named("tencent/4165188.csv");
    let report = report_of(
        vec![tencent],
        "[validity]\nduplicate_key = \"respondent\"\n",
    );
    assert_eq!((report.valid, report.invalid.duplicate), (10, 60));
}

/// The report of the Star Wars ranking: per film its mean place (recounted as the mean of its
/// rank column over those who ranked it) and first places; scale order for the ordinal
/// questions, as recounted.
#[test]
fn real_exports_rank_and_order_as_recounted() {
    let Some(dir) = folder() else {
        eprintln!("skipped: ../shared/real-exports is not here");
        return;
    };
    let mut star_wars = read(&dir.join("surveymonkey/StarWars.csv")).unwrap();
    huifang::survey::scale_order::order_options(&mut star_wars, &[]);
    let options = |e: &SurveyExport, n: &str| -> Vec<String> {
        e.questions
            .iter()
            .find(|q| q.number == n)
            .unwrap()
            .options
            .clone()
    };
    assert_eq!(
        options(&star_wars, "11"),
        ["18-29", "30-44", "45-60", "> 60"]
    );
    assert_eq!(
        options(&star_wars, "5.6"),
        [
            "Very favorably",
            "Somewhat favorably",
            "Neither favorably nor unfavorably (neutral)",
            "Somewhat unfavorably",
            "Very unfavorably",
            "Unfamiliar (N/A)"
        ]
    );
    let report = report_of(vec![star_wars], "");
    let ranking = report.questions.iter().find(|q| q.number == "4").unwrap();
    let ranks = item_ranks(ranking);
    // Episode I 3117/835, II 3417/836, III 3625/835, IV 2736/836, V 2101/836, VI 2548/836.
    assert_eq!(
        ranks,
        [
            (835, Some(3117.0 / 835.0), 129),
            (836, Some(3417.0 / 836.0), 32),
            (835, Some(3625.0 / 835.0), 36),
            (836, Some(2736.0 / 836.0), 204),
            (836, Some(2101.0 / 836.0), 289),
            (836, Some(2548.0 / 836.0), 146),
        ]
    );
    let mut wjx = read(&dir.join("wjx/wjx-800-text.csv")).unwrap();
    huifang::survey::scale_order::order_options(&mut wjx, &[]);
    assert_eq!(
        options(&wjx, "5"),
        [
            "无收入",
            "3000元以下",
            "3001-5000元",
            "5001-8000元",
            "8001-10000元",
            "10001-15000元",
            "15000元以上",
            "不知道/拒绝回答"
        ]
    );
    assert_eq!(
        options(&wjx, "7"),
        [
            "没有投入",
            "10%左右",
            "20%左右",
            "30%左右",
            "40%左右",
            "50%左右",
            "超过50%"
        ]
    );
}

/// `huifang build` on a project whose campaigns are every real export, unedited — the 问卷星
/// `.xls` downloads (named `[问卷星数据]…`, which is no glob) included: exit 0, a page per
/// campaign, each file's line with every row accepted, and nothing personal on the site.
#[test]
fn every_real_export_builds_unedited() {
    let Some(dir) = folder() else {
        eprintln!("skipped: ../shared/real-exports is not here");
        return;
    };
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "xls"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 12);
    let project = tempfile::tempdir().unwrap();
    let mut config = String::from("title = \"real exports\"\nas_of = 2026-11-20\n");
    for (i, file) in files.iter().enumerate() {
        config.push_str(&format!(
            "[[surveys]]\nname = \"调查 {i}\"\nslug = \"s{i}\"\nfiles = [\"{}\"]\n",
            file.display()
        ));
    }
    std::fs::write(project.path().join("huifang.toml"), config).unwrap();
    let out = util::huifang(project.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for (i, file) in files.iter().enumerate() {
        let name = file.file_name().unwrap().to_string_lossy();
        let line = stderr
            .lines()
            .find(|l| l.starts_with("survey ") && l.contains(name.as_ref()))
            .unwrap_or_else(|| panic!("no line for {name}: {stderr}"));
        assert!(line.contains("rejected 0"), "{line}");
        let page = project
            .path()
            .join(format!("public/surveys/s{i}/index.html"));
        assert!(page.is_file(), "{name}: no page");
    }
    assert!(stderr.contains("[问卷星数据]800_800_0.xls!Sheet1 (xls): read 800 rows: accepted 800"));
    let scan = util::huifang(project.path(), &["privacy-scan", "public"]);
    assert_eq!(
        scan.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&scan.stdout)
    );
}
