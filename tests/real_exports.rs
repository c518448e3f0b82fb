//! Real survey exports, as the survey tools wrote them (`../shared/real-exports/`, outside the
//! repository; these tests skip when it is missing). Every row is a response or reported:
//! the rows read are counted a second way, by the csv crate, less the header rows each
//! tool writes (known from the formats, see the folder's README), and a stray quote put into
//! a real export costs at most the one row it is on.

use huifang::config::EncodingChoice;
use huifang::survey::read::{ExportFormat, read_export};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each export and the header rows its tool writes above the responses.
const EXPORTS: [(&str, usize); 9] = [
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
        // Telling every tool's layout apart is not this test's business: a file the reader
        // does not know is skipped here.
        let Some(export) = read(&path) else { continue };
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
