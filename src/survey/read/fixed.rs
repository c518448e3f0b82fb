//! The fixed columns of a response, those that are no question: its id, when it was started
//! and submitted, how long it took, who answered, and whether it was finished.

use super::column_plan::{ColumnPlan, Finished};
use super::context::Ctx;
use super::grid::Row;
use super::model::Response;
use super::values::{EXPECTED_SECONDS, ip_part, parse_seconds};
use crate::dates::{EXPECTED_DATETIME, parse_datetime};
use crate::ingest::text::shown;

/// An identity column's value for "nobody signed in" (Microsoft Forms writes `anonymous` in
/// its Email column): it names no respondent, else every such response would repeat the first.
fn is_anonymous(value: &str) -> bool {
    value.eq_ignore_ascii_case("anonymous") || value == "匿名"
}

/// The response's own fields (answers are filled in by the caller).
pub(super) fn read_fixed(
    ctx: &Ctx<'_>,
    layout: &ColumnPlan,
    row: &Row,
    warnings: &mut Vec<String>,
) -> Response {
    let fixed = &layout.fixed;
    let text = |col: Option<usize>| {
        col.map(|c| row.cell(c))
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let not_read = |c: usize, value: &str, expected: &str, warnings: &mut Vec<String>| {
        warnings.push(format!(
            "line {}, column {} ({}): `{}` is not {expected}",
            row.line,
            c + 1,
            ctx.header_label(c),
            shown(value)
        ));
    };
    let datetime = |col: Option<usize>, warnings: &mut Vec<String>| {
        let c = col?;
        let value = row.cell(c);
        if value.is_empty() {
            return None;
        }
        let parsed = parse_datetime(value);
        if parsed.is_none() {
            not_read(c, value, EXPECTED_DATETIME, warnings);
        }
        parsed
    };
    let submitted = datetime(fixed.submitted, warnings);
    let started = datetime(fixed.started, warnings);
    let seconds = match fixed.seconds {
        Some(c) if !row.cell(c).is_empty() => {
            let value = row.cell(c);
            let parsed = parse_seconds(value);
            if parsed.is_none() {
                not_read(c, value, EXPECTED_SECONDS, warnings);
            }
            parsed
        }
        _ => match (started, submitted) {
            (Some(start), Some(end)) if end >= start => {
                u32::try_from((end - start).num_seconds()).ok()
            }
            _ => None,
        },
    };
    let respondent = fixed
        .respondent
        .iter()
        .map(|&c| ip_part(row.cell(c)))
        .find(|v| !v.is_empty() && !is_anonymous(v))
        .map(str::to_owned);
    let finished = match fixed.finished {
        Some(Finished::Flag(c)) => match row.cell(c).to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        Some(Finished::Present(c)) => Some(!row.cell(c).is_empty()),
        None => None,
    };
    Response {
        line: row.line,
        id: text(fixed.id),
        submitted,
        seconds,
        respondent,
        finished,
        answers: Vec::new(),
        other_text: Vec::new(),
    }
}
