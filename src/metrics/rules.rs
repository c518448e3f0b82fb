//! The counting rules of DOMAIN.md ("Metric definitions"), one small function each, with the
//! sentence of DOMAIN.md it implements. The accumulator (`partial.rs`), the metric values
//! (`values.rs`) and the open-complaint stock (`mod.rs`) call these and decide nothing
//! themselves; `docs/metrics.md` names, for every published number, the function that
//! computes it.

use crate::config::{Config, LevelDef, SlaDays};
use crate::model::{Contact, Severity, StatusId};
use crate::period::Calendar;
use chrono::NaiveDate;

/// The rules a record is counted by: fixed for one build.
#[derive(Clone, Debug)]
pub struct Rules {
    pub as_of: NaiveDate,
    pub levels: usize,
    closed_status: Vec<bool>,
    sla_days: SlaDays,
    /// Whether numbers per 回访人 are gathered (`publish_staff`): personal, so only on request.
    pub staff: bool,
    /// How numbers are bucketed: by month, or by month and week with weekly reports.
    pub calendar: Calendar,
}

impl Rules {
    pub fn new(config: &Config, as_of: NaiveDate) -> Rules {
        Rules {
            as_of,
            levels: config.satisfaction.levels.len(),
            closed_status: config.status.all().map(|(_, closed)| closed).collect(),
            sla_days: config.sla_days,
            staff: config.publish_staff,
            calendar: config.calendar(),
        }
    }

    /// "`as_of` is the date the report's data is current to": a record dated after it is in
    /// no report (the build says how many there were).
    pub fn is_after_as_of(&self, date: NaiveDate) -> bool {
        date > self.as_of
    }

    /// "`closed`: status in the closed set (default: 已整改, 已完成, 已解决, 已关闭, 已验证)."
    /// A complaint without a status is open.
    pub fn is_closed(&self, status: Option<StatusId>) -> bool {
        status.is_some_and(|s| {
            self.closed_status
                .get(usize::from(s.0))
                .copied()
                .unwrap_or(false)
        })
    }

    /// A period is in progress while its last day is after the data date: its complaints have
    /// not all had their time to close.
    pub fn is_in_progress(&self, period_end: NaiveDate) -> bool {
        self.as_of < period_end
    }

    /// "deadline: `due_date` when given, else `date` + the SLA days of the complaint's
    /// severity." With neither a due date nor a severity a complaint has no deadline.
    pub fn deadline(
        &self,
        date: NaiveDate,
        due: Option<NaiveDate>,
        severity: Option<Severity>,
    ) -> Option<NaiveDate> {
        due.or_else(|| {
            let days = self.sla_days(severity?);
            date.checked_add_days(chrono::Days::new(u64::from(days)))
        })
    }

    /// The SLA days of `severity` that [`Self::deadline`] adds (`[sla_days]`): the generated
    /// SQL (`huifang sql`) adds the same.
    pub fn sla_days(&self, severity: Severity) -> u32 {
        self.sla_days.days(severity)
    }

    /// "`overdue`: complaints closed after their deadline, plus complaints not closed whose
    /// deadline is before `as_of`." A complaint closed without a closed date is not overdue,
    /// nor is one without a deadline.
    pub fn is_overdue(
        &self,
        closed: bool,
        closed_date: Option<NaiveDate>,
        deadline: Option<NaiveDate>,
    ) -> bool {
        match (closed, deadline) {
            (_, None) => false,
            (true, Some(deadline)) => closed_date.is_some_and(|d| d > deadline),
            (false, Some(deadline)) => Rules::is_open_overdue_at(deadline, self.as_of),
        }
    }

    /// An open complaint whose deadline is `deadline` is overdue as of `as_of`: the open half
    /// of [`Rules::is_overdue`], for any as-of date. The partial tables count open complaints
    /// not yet overdue per deadline day (`open_by_deadline`), so a later as-of adds those
    /// whose deadline it has passed.
    pub fn is_open_overdue_at(deadline: NaiveDate, as_of: NaiveDate) -> bool {
        deadline < as_of
    }
}

/// Whether a rate is compared with earlier periods. One that waits for complaints to close
/// (closure, on-time) is not while its period is in progress: its complaints have had less
/// time to close than those of a finished period, so a fall would be an artefact of the
/// calendar (issue 17: 整改完成率 73.3% 同比 ▼-26.7 in the current month). Comparing with the
/// same elapsed part of the earlier period would need the earlier statuses as they stood then,
/// which the data does not keep.
pub fn is_compared(waits_for_closing: bool, in_progress: bool) -> bool {
    !(waits_for_closing && in_progress)
}

/// "`visits.contacted`: rows whose `contact_result` is a success value; when the data has no
/// `contact_result` column, every row counts as contacted." A blank cell in a file that has
/// the column is not a success.
pub fn is_contacted(contact: Contact) -> bool {
    matches!(contact, Contact::Reached | Contact::NoColumn)
}

/// "The satisfied levels default to the top two (非常满意 + 满意)": the configured scale marks
/// each level satisfied or not.
pub fn is_satisfied(level: &LevelDef) -> bool {
    level.satisfied
}

/// "`days_to_close`: `closed_date - date` in days, over closed complaints that have a
/// `closed_date`." A closed date before the visit counts as 0 days.
pub fn days_to_close(date: NaiveDate, closed_date: NaiveDate) -> u32 {
    u32::try_from((closed_date - date).num_days()).unwrap_or(0)
}

/// The day a closed complaint stops being open, for `open_at_end` ("not closed by the
/// period's end (not closed at all, or `closed_date` after the end)"): its closed date, or the
/// day of its visit when it was closed without a date.
pub fn closing_day(visit_date: NaiveDate, closed_date: Option<NaiveDate>) -> NaiveDate {
    closed_date.unwrap_or(visit_date)
}

/// "`low_sample`: true when `responses` is under the configured minimum (default 30)."
pub fn is_low_sample(responses: u64, min_sample: u32) -> bool {
    responses < u64::from(min_sample)
}

/// Open complaints around a period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenStock {
    /// Complaints dated before the period that were still open when it began.
    pub carried_over: u64,
    /// "`open_at_end` (遗留): complaints dated on or before the period's end that were not
    /// closed by the period's end …, including those carried over from earlier periods."
    pub open_at_end: u64,
}

/// `open_at_end` and `carried_over` of the period `start..=end` from a series of buckets
/// (a bucket's first day, complaints raised, complaints closed — by [`closing_day`]), in
/// order: the running sum of complaints minus closings through the period's end, and
/// through the day before it. Periods are whole runs of buckets (see
/// [`Calendar`](crate::period::Calendar)), so a bucket is in a period when its first day is.
/// Closings never precede their visit, so every running sum counts real complaints.
pub fn open_stock(
    buckets: impl IntoIterator<Item = (NaiveDate, u64, u64)>,
    start: NaiveDate,
    end: NaiveDate,
) -> OpenStock {
    let (mut before, mut through_end) = (0i64, 0i64);
    for (bucket, complaints, closings) in buckets {
        if bucket > end {
            break;
        }
        let delta = complaints as i64 - closings as i64;
        if bucket < start {
            before += delta;
        }
        through_end += delta;
    }
    debug_assert!(before >= 0 && through_end >= 0);
    OpenStock {
        carried_over: before.max(0) as u64,
        open_at_end: through_end.max(0) as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    fn rules() -> Rules {
        Rules::new(&Config::default(), day(3, 20))
    }

    #[test]
    fn deadline_is_the_due_date_else_the_sla_of_the_severity() {
        let r = rules();
        assert_eq!(
            r.deadline(day(3, 1), Some(day(3, 4)), None),
            Some(day(3, 4))
        );
        // Defaults of seed 003: 重大 10 days, 重要 3, 轻微 2.
        assert_eq!(
            r.deadline(day(3, 1), None, Some(Severity::Major)),
            Some(day(3, 11))
        );
        assert_eq!(
            r.deadline(day(3, 1), None, Some(Severity::Minor)),
            Some(day(3, 3))
        );
        assert_eq!(r.deadline(day(3, 1), None, None), None);
    }

    #[test]
    fn overdue_closed_late_or_open_past_the_deadline_at_as_of() {
        let r = rules();
        let deadline = Some(day(3, 10));
        assert!(r.is_overdue(true, Some(day(3, 11)), deadline));
        assert!(!r.is_overdue(true, Some(day(3, 10)), deadline));
        assert!(!r.is_overdue(true, None, deadline));
        // Open: overdue once the deadline is before as-of (2025-03-20).
        assert!(r.is_overdue(false, None, deadline));
        assert!(!r.is_overdue(false, None, Some(day(3, 20))));
        assert!(!r.is_overdue(false, None, None));
    }

    #[test]
    fn contacted_is_a_success_or_a_file_without_the_column() {
        assert!(is_contacted(Contact::Reached));
        assert!(is_contacted(Contact::NoColumn));
        assert!(!is_contacted(Contact::NotReached));
        assert!(!is_contacted(Contact::Blank));
    }

    #[test]
    fn open_stock_is_a_running_sum_through_the_period() {
        let m = |n| day(n, 1);
        // Jan: 3 raised, 1 closed; Feb: 2 raised, 3 closed; Mar: 1 raised; Apr: 5 raised.
        let series = [(m(1), 3, 1), (m(2), 2, 3), (m(3), 1, 0), (m(4), 5, 0)];
        let s = open_stock(series, day(2, 1), day(3, 31));
        // Carried into February: 3 − 1 = 2; open at the end of March: 2 + 2 − 3 + 1 = 2.
        assert_eq!((s.carried_over, s.open_at_end), (2, 2));
    }
}
