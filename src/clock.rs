//! The build's clock. `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
//! convention) sets it when present, so two builds of the same inputs on two machines, or
//! a year apart, write the same bytes; without it, it is the system's clock.

use chrono::{DateTime, Utc};

const VARIABLE: &str = "SOURCE_DATE_EPOCH";

#[derive(Debug, thiserror::Error)]
#[error(
    "{VARIABLE}=`{0}` is not a time: it must be a whole number of seconds since 1970-01-01 UTC \
     (e.g. `$(git log -1 --format=%ct)`), or unset"
)]
pub struct ClockError(String);

/// `SOURCE_DATE_EPOCH` as a time, `None` when it is unset or empty.
pub fn source_date_epoch() -> Result<Option<DateTime<Utc>>, ClockError> {
    let Some(value) = std::env::var_os(VARIABLE) else {
        return Ok(None);
    };
    let value = value.to_string_lossy().trim().to_owned();
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<i64>()
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .map(Some)
        .ok_or(ClockError(value))
}

/// Now, as the build records and prints it. A malformed `SOURCE_DATE_EPOCH` is reported by
/// the commands before they start ([`source_date_epoch`]); here it reads as unset.
pub fn now() -> DateTime<Utc> {
    source_date_epoch().ok().flatten().unwrap_or_else(Utc::now)
}
