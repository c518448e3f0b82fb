//! Follow-ups per 回访人, for the internal staff view (`publish_staff`): who followed each order
//! up, and — where the order export names one — whom it was assigned to. Kept per bucket of
//! completion, as the scopes' counts are, so any period adds whole buckets.

use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One 回访人's follow-ups in a period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StaffFollowUps {
    /// Orders whose first follow-up visit was theirs.
    pub followed: u64,
    /// Of those, followed up within the order type's window.
    pub on_time: u64,
    /// Orders the export assigns to them that were followed up, by anyone.
    pub assigned_followed: u64,
    /// Orders the export assigns to them whose window closed unfollowed.
    pub assigned_missed: u64,
}

impl StaffFollowUps {
    fn add(&mut self, other: &StaffFollowUps) {
        self.followed += other.followed;
        self.on_time += other.on_time;
        self.assigned_followed += other.assigned_followed;
        self.assigned_missed += other.assigned_missed;
    }

    /// 回访及时率 of their own follow-ups: on time ÷ followed.
    pub fn on_time_rate(&self) -> Option<f64> {
        crate::metrics::numbers::rate(self.on_time, self.followed)
    }

    /// 回访率 of the orders assigned to them: followed ÷ (followed + missed), as
    /// `followup_rate` counts it; `None` without assigned orders past their window.
    pub fn assigned_rate(&self) -> Option<f64> {
        let due = self.assigned_followed + self.assigned_missed;
        crate::metrics::numbers::rate(self.assigned_followed, due)
    }
}

/// How one order stands, as far as the staff view is concerned.
pub struct OrderOutcome<'a> {
    /// The bucket of its completion (its first day).
    pub bucket: NaiveDate,
    /// Who followed it up first, when anyone did.
    pub follower: Option<&'a str>,
    pub assignee: Option<&'a str>,
    pub followed: bool,
    pub on_time: bool,
    pub missed: bool,
}

/// Per bucket, per 回访人 (by name, as the data writes it, contact details masked).
#[derive(Clone, Debug, Default)]
pub struct StaffSeries {
    buckets: BTreeMap<NaiveDate, BTreeMap<String, StaffFollowUps>>,
    /// Some order named its 回访人: the staff view can show 回访率 per person.
    pub any_assigned: bool,
}

impl StaffSeries {
    pub fn add(&mut self, o: OrderOutcome<'_>) {
        let bucket = self.buckets.entry(o.bucket).or_default();
        fn entry<'b>(
            bucket: &'b mut BTreeMap<String, StaffFollowUps>,
            name: &str,
        ) -> &'b mut StaffFollowUps {
            let name = crate::privacy::label(name).into_owned();
            bucket.entry(name).or_default()
        }
        if let Some(name) = o.follower.filter(|_| o.followed) {
            let f = entry(bucket, name);
            f.followed += 1;
            f.on_time += u64::from(o.on_time);
        }
        if let Some(name) = o.assignee {
            let f = entry(bucket, name);
            f.assigned_followed += u64::from(o.followed);
            f.assigned_missed += u64::from(o.missed);
            self.any_assigned = true;
        }
    }

    /// Every 回访人's follow-ups of orders completed from `start` to `end` (whole buckets).
    pub fn between(&self, start: NaiveDate, end: NaiveDate) -> BTreeMap<&str, StaffFollowUps> {
        let mut sums: BTreeMap<&str, StaffFollowUps> = BTreeMap::new();
        for staff in self.buckets.range(start..=end).map(|(_, s)| s) {
            for (name, f) in staff {
                sums.entry(name.as_str()).or_default().add(f);
            }
        }
        sums
    }
}
