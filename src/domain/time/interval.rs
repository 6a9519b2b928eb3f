//! The aggregation interval of the Dashboard API: `<n>h`, `<n>d`, `<n>mo`, or the
//! words `hours`, `days`, `months` (= `1h`, `1d`, `1mo`). Minimum one hour.
//!
//! `h` is a fixed number of hours; `d` and `mo` are calendar units in the request's
//! zone, so a `1d` bucket across a DST change lasts 23 or 25 hours.

use std::fmt;
use std::str::FromStr;

/// The unit of an [`Interval`]. The order matters: finer units first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntervalUnit {
    Hour,
    Day,
    Month,
}

/// The class an interval's per-call range limit is taken from (config `maxRange`):
/// `h` intervals use the hour limit, `d` and `mo` the day limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LimitClass {
    Hour,
    Day,
    Messages,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    pub count: u32,
    pub unit: IntervalUnit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntervalError {
    Empty,
    /// Not of the form `<n>h`, `<n>d`, `<n>mo` or a unit word.
    Malformed(String),
    /// `0h` and the like, or a number too large to mean anything.
    OutOfRange(String),
}

impl fmt::Display for IntervalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntervalError::Empty => write!(f, "the interval is empty"),
            IntervalError::Malformed(s) => {
                write!(f, "\"{s}\" is not an interval: use <n>h, <n>d or <n>mo (for example 1h, 7d, 1mo)")
            }
            IntervalError::OutOfRange(s) => {
                write!(f, "\"{s}\" is out of range: the smallest interval is 1h")
            }
        }
    }
}

impl std::error::Error for IntervalError {}

/// The largest count accepted: about 50 years in any unit, which keeps every
/// later multiplication far from overflow.
const MAX_COUNT: u32 = 20_000;

impl Interval {
    pub const fn hours(count: u32) -> Self {
        Interval { count, unit: IntervalUnit::Hour }
    }
    pub const fn days(count: u32) -> Self {
        Interval { count, unit: IntervalUnit::Day }
    }
    pub const fn months(count: u32) -> Self {
        Interval { count, unit: IntervalUnit::Month }
    }

    pub fn limit_class(&self) -> LimitClass {
        match self.unit {
            IntervalUnit::Hour => LimitClass::Hour,
            IntervalUnit::Day | IntervalUnit::Month => LimitClass::Day,
        }
    }

    /// The nominal length in milliseconds (a month counted as 31 days, a day as 24
    /// hours): for estimates such as bucket counts, never for boundaries.
    pub fn nominal_ms(&self) -> i64 {
        let unit_ms: i64 = match self.unit {
            IntervalUnit::Hour => 3_600_000,
            IntervalUnit::Day => 86_400_000,
            IntervalUnit::Month => 31 * 86_400_000,
        };
        unit_ms * self.count as i64
    }

    /// The shortest length this interval can have, in milliseconds: a day can be
    /// 22 hours, a month 28 days less two hours (Antarctica/Troll moves its clocks by
    /// two hours; elsewhere one). For estimates only: a day a zone skipped entirely
    /// is no bucket at all.
    pub fn min_ms(&self) -> i64 {
        let c = self.count as i64;
        match self.unit {
            IntervalUnit::Hour => c * 3_600_000,
            IntervalUnit::Day => c * 86_400_000 - 2 * 3_600_000,
            IntervalUnit::Month => c * 28 * 86_400_000 - 2 * 3_600_000,
        }
    }

    /// The form the wire and the URL use: `1h`, `7d`, `1mo`.
    pub fn to_wire(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            IntervalUnit::Hour => "h",
            IntervalUnit::Day => "d",
            IntervalUnit::Month => "mo",
        };
        write!(f, "{}{}", self.count, unit)
    }
}

impl FromStr for Interval {
    type Err = IntervalError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(IntervalError::Empty);
        }
        match s.as_str() {
            "hours" => return Ok(Interval::hours(1)),
            "days" => return Ok(Interval::days(1)),
            "months" => return Ok(Interval::months(1)),
            _ => {}
        }
        let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (digits, unit) = s.split_at(digits_end);
        let unit = match unit {
            "h" => IntervalUnit::Hour,
            "d" => IntervalUnit::Day,
            "mo" => IntervalUnit::Month,
            _ => return Err(IntervalError::Malformed(raw.to_string())),
        };
        if digits.is_empty() {
            return Err(IntervalError::Malformed(raw.to_string()));
        }
        let count: u32 = digits.parse().map_err(|_| IntervalError::OutOfRange(raw.to_string()))?;
        if count == 0 || count > MAX_COUNT {
            return Err(IntervalError::OutOfRange(raw.to_string()));
        }
        Ok(Interval { count, unit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_contract_grammar() {
        assert_eq!("1h".parse(), Ok(Interval::hours(1)));
        assert_eq!("5h".parse(), Ok(Interval::hours(5)));
        assert_eq!("30d".parse(), Ok(Interval::days(30)));
        assert_eq!("1mo".parse(), Ok(Interval::months(1)));
        assert_eq!("hours".parse(), Ok(Interval::hours(1)));
        assert_eq!("days".parse(), Ok(Interval::days(1)));
        assert_eq!("months".parse(), Ok(Interval::months(1)));
        assert_eq!(" 2MO ".parse(), Ok(Interval::months(2)));
    }

    #[test]
    fn refuses_what_is_not_an_interval() {
        for bad in ["", "h", "0h", "1m", "1w", "-1d", "1.5h", "d1", "1 h", "99999999999d"] {
            assert!(bad.parse::<Interval>().is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn round_trips_through_the_wire_form() {
        for s in ["1h", "12h", "1d", "7d", "1mo", "3mo"] {
            assert_eq!(s.parse::<Interval>().unwrap().to_wire(), s);
        }
    }
}
