//! One generated visit, as the generator draws it and before a flavour writes it.

use super::vocabulary::{
    Category, Channel, ContactResult, Department, Satisfaction, Severity, Status, VisitType,
};

/// One generated visit, independent of the file flavour.
#[derive(Default)]
pub(super) struct Row {
    pub(super) secs: u32,
    pub(super) department: Department,
    /// Which of the `--departments` (see [`super::vocabulary::department_name`]).
    pub(super) department_index: usize,
    /// Which of the `--sites` (see [`super::vocabulary::site_name`]).
    pub(super) site: usize,
    pub(super) visit_type: VisitType,
    pub(super) channel: Channel,
    pub(super) contact_result: ContactResult,
    pub(super) satisfaction: Option<Satisfaction>,
    pub(super) category: Option<Category>,
    pub(super) severity: Option<Severity>,
    pub(super) status: Option<Status>,
    /// Due and closing dates, in days from the common era like the visit's day.
    pub(super) due: Option<i32>,
    pub(super) closed: Option<i32>,
    pub(super) revisit: Option<Satisfaction>,
    pub(super) comment: String,
    /// Index into [`super::vocabulary::STAFF`].
    pub(super) staff: usize,
    /// Flavour B writes this row's satisfaction as a digit.
    pub(super) satisfaction_as_digit: bool,
    /// Flavour C writes this row's visit date as an Excel serial number.
    pub(super) excel_serial: bool,
    /// Flavour B's ticket numbers skip one here (a cancelled ticket).
    pub(super) id_gap: bool,
}
