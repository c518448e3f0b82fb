//! One visit at a time: who was visited, how, whether they were reached, what they thought,
//! and the fate of any complaint. The shares and rates below make a believable 物业 year
//! (departments of different quality, seasons, a department that improves); none of them is
//! a rule of DOMAIN.md, which the report applies to whatever the data says.

use chrono::{Datelike, NaiveDate};

use super::SampleOptions;
use super::comments::write_comment;
use super::rng::{Cumulative, Rng};
use super::row::Row;
use super::vocabulary::{
    Category, Channel, ContactResult, DEPARTMENTS, Department, STAFF, Satisfaction, Severity,
    Status, VisitType,
};

/// Share of visits per department; `--departments K` uses the first K.
pub(super) const DEPARTMENT_SHARE: [(Department, u32); DEPARTMENTS] = [
    (Department::CustomerService, 20),
    (Department::Engineering, 25),
    (Department::Cleaning, 15),
    (Department::Security, 12),
    (Department::Landscaping, 8),
    (Department::Parking, 8),
    (Department::Billing, 7),
    (Department::Community, 5),
];

/// Relative size of each estate of [`super::vocabulary::SITES`] (visits are proportional to
/// it).
const SITE_SIZE: [u32; 20] = [
    16, 14, 22, 12, 9, 10, 8, 11, 7, 18, 6, 9, 13, 5, 10, 7, 15, 6, 8, 5,
];

/// What sets one department apart from another.
struct Profile {
    /// Weights of the visit types, in the order of [`VisitType::ALL`].
    visit_types: [u32; 7],
    /// Complaint categories, most frequent first (weighted by [`PARETO`]).
    categories: &'static [Category],
    /// Share (per mille) of the top two satisfaction levels in January 2024.
    quality: i32,
    /// Drift of `quality` in tenths of a per mille per month since January 2024.
    trend: i32,
    /// Seasonal change of `quality` per calendar month (January first).
    season: [i32; 12],
}

fn profile(department: Department) -> &'static Profile {
    match department {
        Department::CustomerService => &Profile {
            visit_types: [40, 15, 20, 5, 5, 5, 10],
            categories: &[Category::Attitude, Category::SlowReply],
            quality: 925,
            trend: 4,
            // 物业费催缴季
            season: [-10, -5, 0, 0, 0, 0, 0, 0, 0, 0, 0, -5],
        },
        Department::Engineering => &Profile {
            visit_types: [15, 10, 15, 35, 10, 10, 5],
            categories: &[
                Category::LiftFault,
                Category::Leak,
                Category::PlumbingWiring,
                Category::AccessControl,
                Category::BrokenFacilities,
            ],
            quality: 790,
            // improves steadily
            trend: 35,
            // 雨季渗漏, 冬季水管
            season: [-15, -10, 0, 0, 0, -20, -40, -30, 0, 0, 0, -15],
        },
        Department::Cleaning => &Profile {
            visit_types: [30, 15, 20, 0, 15, 0, 20],
            categories: &[
                Category::LateRubbish,
                Category::CommonAreaHygiene,
                Category::StairwellOdour,
            ],
            quality: 905,
            trend: -4,
            // 夏季垃圾异味
            season: [0, -20, 0, 0, -10, -50, -100, -100, -50, 0, 0, 0],
        },
        Department::Security => &Profile {
            visit_types: [30, 15, 20, 0, 0, 5, 30],
            categories: &[Category::Noise, Category::Outsiders, Category::Patrols],
            quality: 905,
            trend: 0,
            // 春节烟花, 外来人员
            season: [-40, -60, 0, 0, 0, 0, -15, -10, 0, -10, 0, 0],
        },
        Department::Landscaping => &Profile {
            visit_types: [30, 20, 15, 0, 10, 5, 20],
            categories: &[Category::Gardening, Category::Pests],
            quality: 915,
            trend: 2,
            // 夏季蚊虫
            season: [0, 0, 0, 0, 0, -30, -50, -50, -20, 0, 0, 0],
        },
        Department::Parking => &Profile {
            visit_types: [30, 15, 25, 0, 0, 15, 15],
            categories: &[Category::ParkingManagement, Category::BadParking],
            quality: 875,
            trend: 8,
            // 春节, 国庆
            season: [-30, -40, 0, 0, 0, 0, 0, 0, 0, -20, 0, -10],
        },
        Department::Billing => &Profile {
            visit_types: [45, 20, 20, 0, 5, 5, 5],
            categories: &[Category::FeeQuestion, Category::Invoice],
            quality: 895,
            trend: 0,
            // 账单季
            season: [-40, 0, -20, 0, 0, 0, 0, 0, 0, 0, 0, -30],
        },
        Department::Community => &Profile {
            visit_types: [50, 35, 10, 0, 0, 0, 5],
            categories: &[Category::Events],
            quality: 945,
            trend: 0,
            season: [0, 10, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0],
        },
    }
}

/// Weights of a department's complaint categories by how many it has, most frequent first.
const PARETO: [&[u32]; 6] = [
    &[],
    &[100],
    &[68, 32],
    &[55, 30, 15],
    &[47, 26, 15, 8],
    &[42, 25, 16, 11, 6],
];

/// Per-mille chance that a contacted visit of this type raises a complaint, for a department
/// of average quality (scaled by the department's current quality).
fn complaint_rate(visit_type: VisitType) -> u32 {
    match visit_type {
        VisitType::Regular => 70,
        VisitType::Special => 90,
        VisitType::Complaint => 600,
        VisitType::Repair => 300,
        VisitType::PaidService => 110,
        VisitType::Installation => 120,
        VisitType::Inspection => 90,
    }
}

fn channels(visit_type: VisitType) -> &'static [(Channel, u32)] {
    use Channel::*;
    match visit_type {
        VisitType::Regular => &[
            (Phone, 50),
            (HomeVisit, 35),
            (Walkabout, 4),
            (Sms, 3),
            (WeChat, 8),
        ],
        VisitType::Inspection => &[
            (Phone, 20),
            (HomeVisit, 10),
            (Walkabout, 65),
            (Sms, 2),
            (WeChat, 3),
        ],
        _ => &[
            (Phone, 62),
            (HomeVisit, 14),
            (Walkabout, 6),
            (Sms, 7),
            (WeChat, 11),
        ],
    }
}

fn contact_results(channel: Channel) -> &'static [(ContactResult, u32)] {
    use ContactResult::*;
    if channel.in_person() {
        &[
            (Success, 510),
            (Visited, 405),
            (NoAnswer, 35),
            (Rescheduled, 32),
            (Refused, 18),
        ]
    } else {
        &[
            (Success, 590),
            (Visited, 235),
            (NoAnswer, 100),
            (Rescheduled, 43),
            (Refused, 32),
        ]
    }
}

fn severities(category: Category) -> &'static [(Severity, u32)] {
    use Severity::*;
    match category {
        Category::LiftFault | Category::Leak => &[(Minor, 450), (Important, 380), (Major, 170)],
        _ => &[(Minor, 600), (Important, 300), (Major, 100)],
    }
}

/// Rectification SLA in days (seed 003).
fn sla_days(severity: Severity) -> i32 {
    match severity {
        Severity::Minor => 2,
        Severity::Important => 3,
        Severity::Major => 10,
    }
}

/// Satisfaction after a complaint was closed, when it was closed on time or late.
fn revisit_satisfaction(late: bool) -> &'static [(Satisfaction, u32)] {
    use Satisfaction::*;
    if late {
        &[
            (VerySatisfied, 20),
            (Satisfied, 40),
            (Neutral, 22),
            (Dissatisfied, 13),
            (VeryDissatisfied, 5),
        ]
    } else {
        &[
            (VerySatisfied, 40),
            (Satisfied, 45),
            (Neutral, 10),
            (Dissatisfied, 4),
            (VeryDissatisfied, 1),
        ]
    }
}

pub(super) const DAY_START_SECS: u32 = 8 * 3600;
pub(super) const DAY_SPAN_SECS: u64 = 12 * 3600; // 08:00:00 – 19:59:59

pub(super) struct Generator {
    /// The shares of the `--departments` and `--sites`, each the built-in list's repeated.
    departments: Cumulative,
    sites: Cumulative,
    /// The last day, in days from the common era.
    end: i32,
    comment_scratch: String,
}

impl Generator {
    pub(super) fn new(opts: &SampleOptions) -> Self {
        let departments = (0..opts.departments).map(|i| DEPARTMENT_SHARE[i % DEPARTMENTS].1);
        let sites = (0..opts.sites).map(|i| SITE_SIZE[i % SITE_SIZE.len()]);
        Generator {
            departments: Cumulative::new(departments),
            sites: Cumulative::new(sites),
            end: opts.end.num_days_from_ce(),
            comment_scratch: String::new(),
        }
    }

    /// Fills `row` for a visit on `day` at `secs` after midnight. Every row consumes the PRNG in
    /// the same way whatever flavour or encoding it is written in.
    pub(super) fn generate(
        &mut self,
        rng: &mut Rng,
        day: i32,
        date: NaiveDate,
        secs: u32,
        row: &mut Row,
    ) {
        let month = date.month0() as usize;
        row.secs = secs;
        row.department_index = rng.weighted_in(&self.departments);
        row.department = DEPARTMENT_SHARE[row.department_index % DEPARTMENTS].0;
        row.site = rng.weighted_in(&self.sites);
        // Most visits to an estate are made by its own 管家.
        row.staff = if rng.chance(800) {
            row.site % STAFF.len()
        } else {
            rng.below(STAFF.len() as u64) as usize
        };
        let profile = profile(row.department);
        row.visit_type = VisitType::ALL[rng.weighted(&profile.visit_types)];
        row.channel = rng.choose(channels(row.visit_type));
        row.contact_result = rng.choose(contact_results(row.channel));
        row.satisfaction_as_digit = rng.chance(100);
        row.excel_serial = rng.chance(10);
        row.id_gap = rng.chance(80);

        row.satisfaction = None;
        row.category = None;
        row.severity = None;
        row.status = None;
        row.due = None;
        row.closed = None;
        row.revisit = None;
        row.comment.clear();

        let quality = quality(profile, date.year(), month);

        if row.contact_result.contacted() {
            // Complaints: more for 投诉回访/维修回访 and for departments doing worse right now.
            let p = complaint_rate(row.visit_type) as i32 * (1000 - quality) / 140;
            if rng.chance(p.clamp(5, 900) as u32) {
                self.complaint(rng, profile, day, month, row);
            }
            // An SMS or WeChat survey is often left unanswered.
            let unanswered = if row.channel.by_message() { 250 } else { 15 };
            if !rng.chance(unanswered) {
                let q = if row.category.is_some() {
                    quality - 260
                } else {
                    quality
                };
                row.satisfaction = Some(satisfaction(rng, q));
            }
        }

        write_comment(rng, row, &mut self.comment_scratch);
    }

    fn complaint(
        &mut self,
        rng: &mut Rng,
        profile: &Profile,
        day: i32,
        month: usize,
        row: &mut Row,
    ) {
        let categories = profile.categories;
        let mut weights = [0u32; 5];
        for ((w, &base), &category) in weights
            .iter_mut()
            .zip(PARETO[categories.len()])
            .zip(categories)
        {
            *w = base
                * match (category, month) {
                    (Category::Leak, 5..=7) => 25,
                    (Category::Pests, 5..=8) => 40,
                    (Category::Pests, _) => 5,
                    (Category::StairwellOdour, 5..=8) => 20,
                    (Category::Noise, 0 | 1) => 20,
                    _ => 10,
                };
        }
        let category = categories[rng.weighted(&weights[..categories.len()])];
        row.category = Some(category);
        let severity = rng.choose(severities(category));
        row.severity = Some(severity);

        // Deadline: an explicit due date on ~30% of complaints, else the SLA.
        let mut deadline = sla_days(severity);
        if rng.chance(300) {
            if rng.chance(300) {
                deadline = (deadline + [-1, 1, 2, 4][rng.below(4) as usize]).max(1);
            }
            row.due = Some(day + deadline);
        }

        let age = self.end - day;
        let fate = rng.below(1000);
        let late = rng.chance(150);
        let delay = if late {
            let mut extra = 1 + rng.below(5) as i32;
            if rng.chance(300) {
                extra += rng.below(25) as i32;
            }
            deadline + extra
        } else {
            rng.below(deadline as u64 + 1) as i32
        };
        let verified = rng.chance(550);
        let no_date = rng.chance(30);
        let revisit_asked = rng.chance(if verified { 950 } else { 600 });
        let revisit = rng.choose(revisit_satisfaction(late));
        let pending_early = rng.chance(600);

        let open_status = if age <= 1 && pending_early {
            Status::Pending
        } else {
            Status::InProgress
        };
        row.status = Some(if fate < 30 {
            // Cannot be solved for now (seed 000 §三.12); reported once it has been looked at.
            if age >= 3 {
                Status::Unsolvable
            } else {
                open_status
            }
        } else if fate < 60 || day + delay > self.end {
            open_status
        } else {
            let closed = day + delay;
            let status = if verified && self.end - closed >= 7 {
                Status::Verified
            } else {
                Status::Rectified
            };
            if !no_date {
                row.closed = Some(closed);
            }
            if revisit_asked {
                row.revisit = Some(revisit);
            }
            status
        });
    }
}

/// Share (per mille) of the top two satisfaction levels for a department in a month.
fn quality(profile: &Profile, year: i32, month0: usize) -> i32 {
    let months = (year - 2024) * 12 + month0 as i32;
    let q = profile.quality + profile.trend * months / 10 + profile.season[month0];
    q.clamp(450, 975)
}

/// A satisfaction level for a top-two share of `q` per mille.
fn satisfaction(rng: &mut Rng, q: i32) -> Satisfaction {
    let q = q.clamp(100, 985);
    let very = (q - 500).clamp(150, 450) as u64; // share of 非常满意 within the top two
    let r = rng.below(1000) as i32;
    if r < q {
        if rng.below(1000) < very {
            Satisfaction::VerySatisfied
        } else {
            Satisfaction::Satisfied
        }
    } else {
        use Satisfaction::*;
        rng.choose(&[(Neutral, 55), (Dissatisfied, 32), (VeryDissatisfied, 13)])
    }
}
