//! A `from`/`to` pair and its resolution to a half-open span.

use std::fmt;

use jiff::tz::TimeZone;

use super::super::TimeSpan;
use super::{RangeError, RangeExpr, RelOp, RelUnit, ResolveOptions, RoundMode};

/// A `from`/`to` pair as the URL and the picker hold it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TimeRange {
    pub from: RangeExpr,
    pub to: RangeExpr,
}

impl Default for TimeRange {
    /// `now-7d` → `now`, the default of ui-hooks.
    fn default() -> Self {
        TimeRange {
            from: RangeExpr::Relative(vec![RelOp::Offset { amount: -7, unit: RelUnit::Day }]),
            to: RangeExpr::now(),
        }
    }
}

impl TimeRange {
    pub fn new(from: RangeExpr, to: RangeExpr) -> Self {
        TimeRange { from, to }
    }

    /// Parses both ends (`from`, `to` as in the URL).
    pub fn parse(from: &str, to: &str) -> Result<Self, RangeError> {
        Ok(TimeRange { from: from.parse()?, to: to.parse()? })
    }

    /// A fixed range in epoch milliseconds.
    pub fn absolute(span: TimeSpan) -> Self {
        TimeRange { from: RangeExpr::Instant(span.start), to: RangeExpr::Instant(span.end) }
    }

    /// Either end contains `now`: the range moves with the clock (and may be refreshed).
    pub fn is_relative(&self) -> bool {
        self.from.is_relative() || self.to.is_relative()
    }

    /// The half-open span `[from, to)`. `from` rounds down and `to` rounds up
    /// (`opts.round` is ignored), so `now/d` → `now/d` is the whole of today.
    pub fn resolve(&self, now_ms: i64, tz: &TimeZone, opts: &ResolveOptions) -> Result<TimeSpan, RangeError> {
        let start = self.from.resolve(now_ms, tz, &ResolveOptions { round: RoundMode::Floor, ..*opts })?;
        let end = self.to.resolve(now_ms, tz, &ResolveOptions { round: RoundMode::Ceil, ..*opts })?;
        if start >= end {
            return Err(RangeError::Reversed { from: self.from.to_string(), to: self.to.to_string() });
        }
        Ok(TimeSpan::new(start, end))
    }

    /// `[("from", …), ("to", …)]`, canonical and not yet percent-encoded.
    pub fn query_pairs(&self) -> [(&'static str, String); 2] {
        [("from", self.from.to_string()), ("to", self.to.to_string())]
    }

    /// `from=…&to=…`, encoded for a query string (`now+1d` → `now%2B1d`: a query
    /// string would read a bare `+` as a space).
    pub fn to_query(&self) -> String {
        crate::domain::url_encoding::query_string(self.query_pairs())
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", self.from, self.to)
    }
}
