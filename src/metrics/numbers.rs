//! How the data files write numbers (4 decimals) and the one rule every rate follows (no
//! denominator, no rate): shared by the metric values and the modules they hold.

use serde::Serialize;

/// `x` to 4 decimals, as the data files hold it (`+ 0.0` writes a negative zero as `0.0`).
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0 + 0.0
}

/// A number the data files hold to 4 decimals: a rate, a score, a number of days, an interval.
pub trait FourDecimals {
    fn four_decimals(&self) -> Self;
}

impl FourDecimals for f64 {
    fn four_decimals(&self) -> f64 {
        round4(*self)
    }
}

impl<T: FourDecimals> FourDecimals for Option<T> {
    fn four_decimals(&self) -> Option<T> {
        self.as_ref().map(T::four_decimals)
    }
}

impl FourDecimals for [f64; 2] {
    fn four_decimals(&self) -> [f64; 2] {
        self.map(round4)
    }
}

/// `serialize_with` for an exact number written with 4 decimals.
pub fn four_decimals<T: FourDecimals + Serialize, S: serde::Serializer>(
    x: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    x.four_decimals().serialize(s)
}

/// `num / den`, or `None` when `den` is 0.
pub fn rate(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}
