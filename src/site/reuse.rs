//! Which reports' folders a build keeps from the site it replaces instead of making them
//! again (a version's page is kept on its own: [`super::version_pages`]). Everything below
//! `reports/<id>/` (the report's page, its department and site pages, its versions, its data
//! files) is made from what the report's key covers:
//!
//! - the pages' base: the binary, the config but its as-of date, the theme, templates and
//!   content but the reports' commentary (`ProjectHash::pages_base`);
//! - the numbers of every report ending by the report's end: its own, and those its trends,
//!   环比, 同比 and a year's months read (no page of a report reads a later report's numbers);
//! - the ids of the reports starting by the day after its end, which its ← → ↑ links name
//!   (by id only: whether one of them is still in progress is not on its pages);
//! - the complaint records raised by its end and the day their days are counted to (its
//!   action lists and weekly tables), and the work orders it lists as owed a follow-up;
//! - the survey campaigns it links to, its versions (each by its checksum), and its
//!   commentary.
//!
//! A nightly build after one more day of visits so changes only the periods still running;
//! every ended period's folder is linked from the previous site without a page rendered.
//! A report whose commentary names another period's numbers (`metric(…, period="…")`), and
//! every report of a build with the staff view, are always made anew: what they show is not
//! all in the key.

use super::action_file;
use super::pages::SiteData;
use crate::versions::store::History;
use chrono::NaiveDate;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Digest32 = [u8; 32];

/// Each report's key but its versions (in `data.reports` order), or `None` for one always
/// made anew; [`key`] adds the versions.
/// `numbers` holds each report's [`numbers_digest`] where the caller has them.
pub fn report_parts(
    data: &SiteData<'_>,
    base: &str,
    numbers: Option<&[Digest32]>,
) -> Vec<Option<Digest32>> {
    let reports = data.reports;
    if data.staff.is_some() {
        return vec![None; reports.len()];
    }
    let ids: Vec<&str> = reports.iter().map(|r| r.period.id.as_str()).collect();
    let ends: Vec<NaiveDate> = reports.iter().map(|r| r.period.end).collect();
    let numbers: Vec<Digest32> = match numbers {
        Some(numbers) => numbers.to_vec(),
        None => reports.par_iter().map(numbers_digest).collect(),
    };
    let numbers = digests_by(&ends, &ids, &numbers, &ends);
    let starts: Vec<NaiveDate> = reports.iter().map(|r| r.period.start).collect();
    let names: Vec<Digest32> = (reports.iter())
        .map(|r| Sha256::digest(&r.period.id).into())
        .collect();
    let linked_until: Vec<NaiveDate> = ends.iter().map(|d| d.succ_opt().unwrap_or(*d)).collect();
    let names = digests_by(&starts, &ids, &names, &linked_until);
    let complaints = data.actions.map(|a| a.digests_through(&ends));
    (reports.par_iter().enumerate())
        .map(|(i, report)| {
            let id = report.period.id.as_str();
            let commentary = data.content.reports.get(id);
            // Any mention of `period` (a call may spell it `period = "…"`): at worst a report
            // is rendered that could have been kept.
            if commentary.is_some_and(|doc| doc.body.contains("period")) {
                return None;
            }
            let mut key = Sha256::new();
            key.update(base);
            key.update(format!("\nreport {id}\n"));
            key.update(numbers[i]);
            key.update(names[i]);
            if let (Some(actions), Some(digests)) = (data.actions, &complaints) {
                key.update(digests[i]);
                key.update(actions.reference_date(&report.period).to_string());
            }
            if let Some(csv) = action_file::followups_csv(data, report) {
                key.update(Sha256::digest(csv));
            }
            for survey in data.surveys.iter().filter(|s| s.belongs_to(&report.period)) {
                key.update(format!("survey {}\u{1f}{}\n", survey.slug, survey.name));
            }
            if let Some(doc) = commentary {
                key.update(format!("{:?}\n{}", doc.front, doc.body));
            }
            Some(key.finalize().into())
        })
        .collect()
}

/// The key of report `id` from its [`report_parts`] and its versions in `history`, each by
/// its checksum; `None` if a version has none recorded.
pub fn key(parts: &Digest32, id: &str, history: &History) -> Option<String> {
    let mut key = Sha256::new();
    key.update(parts);
    let checksums = history.checksums.get(id);
    for info in history.versions(id) {
        let checksum = checksums?.get(&info.version)?;
        key.update(format!("version {} {checksum}\n", info.version));
    }
    Some(format!("{:x}", key.finalize()))
}

/// A report's numbers as its `metrics.json` holds them, hashed as written.
pub fn numbers_digest(report: &crate::metrics::PeriodReport) -> Digest32 {
    crate::seal::json_sha256(report)
}

/// For each of `until`, one digest of the `digests` of every item whose `day` is on or
/// before it, taken in (day, id) order.
fn digests_by(
    days: &[NaiveDate],
    ids: &[&str],
    digests: &[Digest32],
    until: &[NaiveDate],
) -> Vec<Digest32> {
    let mut items: Vec<usize> = (0..days.len()).collect();
    items.sort_by_key(|&i| (days[i], ids[i]));
    let mut queries: Vec<usize> = (0..until.len()).collect();
    queries.sort_by_key(|&q| until[q]);
    let mut out = vec![[0; 32]; until.len()];
    let mut hasher = Sha256::new();
    let mut items = items.into_iter().peekable();
    for q in queries {
        while let Some(i) = items.next_if(|&i| days[i] <= until[q]) {
            hasher.update(ids[i]);
            hasher.update(digests[i]);
        }
        out[q] = hasher.clone().finalize().into();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn a_digest_covers_exactly_the_items_on_or_before_its_day() {
        let days = [day(31), day(10), day(20), day(10)];
        let ids = ["d", "a", "c", "b"];
        let digests = [[4; 32], [1; 32], [3; 32], [2; 32]];
        let until = [day(9), day(10), day(25), day(31)];
        let got = digests_by(&days, &ids, &digests, &until);
        // Worked out directly: the items up to each day, in (day, id) order.
        let expect = |upto: &[usize]| -> Digest32 {
            let mut h = Sha256::new();
            for &i in upto {
                h.update(ids[i]);
                h.update(digests[i]);
            }
            h.finalize().into()
        };
        assert_eq!(got[0], expect(&[]));
        assert_eq!(got[1], expect(&[1, 3]));
        assert_eq!(got[2], expect(&[1, 3, 2]));
        assert_eq!(got[3], expect(&[1, 3, 2, 0]));
        // Changing an item after a day leaves that day's digest as it was.
        let mut later = digests;
        later[0] = [9; 32];
        let again = digests_by(&days, &ids, &later, &until);
        assert_eq!(again[..3], got[..3]);
        assert_ne!(again[3], got[3]);
    }
}
