//! The `from` / `to` grammar of the URL and the picker (ui-hooks "URL parameters"),
//! parsed into a [`RangeExpr`] and resolved to an instant in an IANA zone.
//!
//! # Accepted forms
//!
//! | form | examples | meaning |
//! |---|---|---|
//! | relative | `now`, `now-30d`, `now+1d`, `now-1mo/mo`, `now/w` | `now`, then offsets and roundings applied left to right (Grafana date math) |
//! | instant | `2026-03-08T10:00:00-05:00`, `2026-03-08T15:00:00.250Z` | ISO 8601 / RFC 3339 with an offset or `Z` |
//! | instant | `1772982000000`, `-86400000` | epoch milliseconds (all digits, optionally negative) |
//! | local | `2026-03-08`, `2026-03-08T10:00`, `2026-03-08T10:00:00` | that wall time in the chosen zone (a plain date is the start of that day) |
//!
//! Units of offsets and roundings: `s` seconds, `m` minutes, `h` (or `H`) hours,
//! `d` days, `w` weeks, `mo` or `M` months, `y` years. `m` is always minutes and
//! `M` always months (Grafana's spelling); `D`, `W`, `Y`, `S` and `MO` in any case
//! are accepted too since they cannot be mistaken. A missing count means 1
//! (`now-d` = `now-1d`), as in Grafana. The canonical form ([`RangeExpr`]'s
//! `Display`) writes the count and the lower-case unit (`mo` for months), and drops
//! zero offsets (`now-0d` is `now`).
//!
//! Query-string leniency: a `+` that reached us as a space is taken as `+`, both in
//! an ISO offset (`2026-03-08T10:00:00 05:30` = `…+05:30`) and in relative
//! expressions (`now 1d` = `now+1d`).
//!
//! The module is split by concern: [`grammar`] (parsing and the canonical form),
//! [`rounding`] (offsets and roundings on the zone's wall clock, across DST changes)
//! and [`range`] (the `from`/`to` pair).
//!
//! # Resolution
//!
//! * `s`, `m`, `h` offsets are fixed durations.
//! * `d`, `w`, `mo`, `y` offsets are calendar arithmetic on the zone's wall clock:
//!   `now-1d` is the same wall time yesterday, which is 23 or 25 hours ago across a
//!   DST change; a month from the 31st clamps to the last day of a shorter month.
//!   A wall time a DST change skips moves forward by the gap, a repeated one takes the
//!   earlier instant (jiff "compatible", as the bucket maths of the API does).
//! * Rounding `/d`, `/w`, `/mo`, `/y` goes to the start of that day, week
//!   ([`ResolveOptions::week_start`], Monday by default), month or year in the zone,
//!   i.e. local midnight, or the first instant of the day when midnight is skipped.
//!   `/h`, `/m`, `/s` go to the start of the wall-clock hour (minute, second)
//!   containing the instant, and end where the wall clock leaves it: a DST jump
//!   can cut it short (Chatham's 02:45 → 03:45), and when the clock turns back each
//!   pass of the repeated wall times is a unit of its own.
//! * [`RoundMode::Ceil`] (used for `to`, as Grafana does) rounds UP to the end of the
//!   unit instead: `to=now/d` is the end of today. Ranges here are half-open, so
//!   "the end of today" is the exclusive instant where tomorrow starts, not
//!   23:59:59.999. An instant already on a boundary still moves to the end of its
//!   unit (`now/d` at 00:00 as `to` = next midnight), so "today" is always a whole day.
//!   Absolute times are never rounded: `to=2026-03-08` is midnight at the start of
//!   that day (exclusive).
//!
//! ```
//! use engagement_dashboard::domain::time::range_expr::{RangeExpr, ResolveOptions, RoundMode};
//! use jiff::tz::TimeZone;
//!
//! let tz = TimeZone::get("America/New_York").unwrap();
//! let now = 1_772_982_000_000; // 2026-03-08T15:00:00Z, 11:00 EDT, the day clocks sprang forward
//! let today: RangeExpr = "now/d".parse().unwrap();
//! let floor = today.resolve(now, &tz, &ResolveOptions::default()).unwrap();
//! let ceil = today.resolve(now, &tz, &ResolveOptions { round: RoundMode::Ceil, ..Default::default() }).unwrap();
//! assert_eq!(ceil - floor, 23 * 3_600_000); // that day has 23 hours
//! assert_eq!("now-1M/mo".parse::<RangeExpr>().unwrap().to_string(), "now-1mo/mo");
//! ```

mod grammar;
mod range;
mod rounding;
#[cfg(test)]
mod tests;

use std::fmt;

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;

pub use range::TimeRange;
use rounding::{add, round};

/// The unit of an offset or a rounding in a relative expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelUnit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl RelUnit {
    /// The canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RelUnit::Second => "s",
            RelUnit::Minute => "m",
            RelUnit::Hour => "h",
            RelUnit::Day => "d",
            RelUnit::Week => "w",
            RelUnit::Month => "mo",
            RelUnit::Year => "y",
        }
    }
    pub(super) fn fixed_ms(self) -> Option<i64> {
        match self {
            RelUnit::Second => Some(1_000),
            RelUnit::Minute => Some(60_000),
            RelUnit::Hour => Some(3_600_000),
            _ => None,
        }
    }
}

impl fmt::Display for RelUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step after `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelOp {
    /// `+N unit` or `-N unit`; `amount` carries the sign.
    Offset { amount: i64, unit: RelUnit },
    /// `/unit`: round to the start (or, in [`RoundMode::Ceil`], the end) of the unit.
    Round(RelUnit),
}

impl fmt::Display for RelOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RelOp::Offset { amount, unit } if *amount < 0 => write!(f, "-{}{unit}", amount.unsigned_abs()),
            RelOp::Offset { amount, unit } => write!(f, "+{amount}{unit}"),
            RelOp::Round(unit) => write!(f, "/{unit}"),
        }
    }
}

/// A parsed, unresolved `from` or `to` value. `Display` gives the canonical string,
/// the form the dashboard writes into URLs (absolute instants as epoch ms).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RangeExpr {
    /// `now` followed by offsets and roundings, applied in order.
    Relative(Vec<RelOp>),
    /// A precise instant (ISO with offset, or epoch ms), in epoch milliseconds.
    Instant(i64),
    /// A plain date: the start of that day in the chosen zone.
    LocalDate(Date),
    /// A date-time without offset: that wall time in the chosen zone.
    LocalDateTime(DateTime),
}

/// Which way [`RelOp::Round`] goes. `from` uses `Floor`, `to` uses `Ceil`
/// ([`TimeRange::resolve`] chooses this itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum RoundMode {
    /// To the start of the unit containing the instant.
    #[default]
    Floor,
    /// To the end of that unit (= the start of the next, ranges being half-open).
    Ceil,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResolveOptions {
    /// The first day of a week for `/w`. Monday (ISO 8601) unless a locale says otherwise.
    pub week_start: Weekday,
    pub round: RoundMode,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions { week_start: Weekday::Monday, round: RoundMode::Floor }
    }
}

/// What can go wrong with a `from`/`to` value; `Display` names the bad input and
/// shows a good one, ready for the "ignored with a visible notice" banner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RangeError {
    Empty,
    /// Not in the grammar at all; `detail` says what was wrong.
    Malformed {
        input: String,
        detail: String,
    },
    /// A relative expression with an unknown unit.
    UnknownUnit {
        input: String,
        unit: String,
    },
    /// A number too large, or a result outside the dates jiff supports.
    OutOfRange {
        input: String,
    },
    /// `from` resolves at or after `to`.
    Reversed {
        from: String,
        to: String,
    },
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeError::Empty => write!(
                f,
                "the time is empty: use for example now-7d, now/d, 2026-03-08T10:00:00Z or epoch milliseconds"
            ),
            RangeError::Malformed { input, detail } => write!(
                f,
                "\"{input}\" is not a time ({detail}): use for example now-7d, now-1mo/mo, \
                 2026-03-08T10:00:00-05:00, 2026-03-08 or 1772982000000"
            ),
            RangeError::UnknownUnit { input, unit } => write!(
                f,
                "\"{input}\" has an unknown unit \"{unit}\": use m, h, d, w, mo or y, for example now-30d or now/mo"
            ),
            RangeError::OutOfRange { input } => {
                write!(f, "\"{input}\" lies outside the dates this dashboard can handle: use for example now-1y")
            }
            RangeError::Reversed { from, to } => write!(
                f,
                "the range from \"{from}\" to \"{to}\" is empty: its start must be before its end, \
                 for example from=now-7d&to=now"
            ),
        }
    }
}

impl std::error::Error for RangeError {}

/// Counts beyond this are refused at parse time: far more than any calendar needs,
/// and small enough that no later multiplication overflows.
pub(super) const MAX_AMOUNT: i64 = 100_000_000;

impl RangeExpr {
    /// `now`.
    pub fn now() -> Self {
        RangeExpr::Relative(Vec::new())
    }

    /// An absolute instant in epoch milliseconds.
    pub fn at_ms(ms: i64) -> Self {
        RangeExpr::Instant(ms)
    }

    /// Contains `now`: its value moves with the clock.
    pub fn is_relative(&self) -> bool {
        matches!(self, RangeExpr::Relative(_))
    }

    /// Its instant depends on the zone (relative with a calendar step, or a local wall time).
    pub fn depends_on_zone(&self) -> bool {
        match self {
            RangeExpr::Relative(ops) => ops.iter().any(|op| match op {
                RelOp::Offset { unit, .. } => unit.fixed_ms().is_none(),
                RelOp::Round(_) => true,
            }),
            RangeExpr::Instant(_) => false,
            RangeExpr::LocalDate(_) | RangeExpr::LocalDateTime(_) => true,
        }
    }

    /// The instant this expression names at `now_ms` in `tz`.
    pub fn resolve(&self, now_ms: i64, tz: &TimeZone, opts: &ResolveOptions) -> Result<i64, RangeError> {
        let oor = || RangeError::OutOfRange { input: self.to_string() };
        match self {
            RangeExpr::Instant(ms) => Ok(*ms),
            RangeExpr::LocalDate(d) => {
                d.to_zoned(tz.clone()).map(|z| z.timestamp().as_millisecond()).map_err(|_| oor())
            }
            RangeExpr::LocalDateTime(dt) => {
                dt.to_zoned(tz.clone()).map(|z| z.timestamp().as_millisecond()).map_err(|_| oor())
            }
            RangeExpr::Relative(ops) => {
                let mut z = Timestamp::from_millisecond(now_ms).map_err(|_| oor())?.to_zoned(tz.clone());
                for op in ops {
                    z = match *op {
                        RelOp::Offset { amount, unit } => add(&z, amount, unit).ok_or_else(oor)?,
                        RelOp::Round(unit) => round(&z, unit, opts).ok_or_else(oor)?,
                    };
                }
                Ok(z.timestamp().as_millisecond())
            }
        }
    }

    /// An instant written as ISO 8601 with `Z` (the other form URLs may carry).
    pub fn iso_z(ms: i64) -> Option<String> {
        Timestamp::from_millisecond(ms).ok().map(|t| t.to_string())
    }
}
