//! Key figures (ui-hooks "Key figures"): interactions total, containment rate and
//! handoff rate, each against the previous period, and the change between them.

use jiff::tz::TimeZone;

use crate::domain::count_table::CountTable;
use crate::domain::time::{boundaries, boundary, BucketError, Interval, TimeSpan, MAX_BUCKETS};
use crate::domain::wire::keys;

use super::derive;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KpiName {
    InteractionsTotal,
    ContainmentRate,
    HandoffRate,
}

impl KpiName {
    pub const ALL: [KpiName; 3] = [KpiName::InteractionsTotal, KpiName::ContainmentRate, KpiName::HandoffRate];

    /// The `data-kpi` value.
    pub fn as_str(&self) -> &'static str {
        match self {
            KpiName::InteractionsTotal => "interactions-total",
            KpiName::ContainmentRate => "containment-rate",
            KpiName::HandoffRate => "handoff-rate",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            KpiName::InteractionsTotal => "Interactions",
            KpiName::ContainmentRate => "Containment rate",
            KpiName::HandoffRate => "Handoff rate",
        }
    }

    pub fn is_rate(&self) -> bool {
        *self != KpiName::InteractionsTotal
    }

    /// The figure from the loaded tables (`Interactions` for the total,
    /// `InteractionType` for the rates). Only a complete table counts: a total
    /// over part of the range would look like a drop.
    pub fn compute(&self, interactions: Option<&CountTable>, types: Option<&CountTable>) -> Option<f64> {
        fn complete(t: Option<&CountTable>) -> Option<&CountTable> {
            t.filter(|t| t.is_complete())
        }
        match self {
            KpiName::InteractionsTotal => complete(interactions).map(|t| t.total(keys::TOTAL) as f64),
            KpiName::ContainmentRate => {
                complete(types).and_then(|t| derive::containment(t.total(keys::BOT_ONLY), t.total(keys::BOT_TO_AGENT)))
            }
            KpiName::HandoffRate => {
                complete(types).and_then(|t| derive::handoff(t.total(keys::BOT_ONLY), t.total(keys::BOT_TO_AGENT)))
            }
        }
    }

    /// The change from `previous` to `value`: relative for counts (none from 0),
    /// a difference in percentage points for rates.
    pub fn change(&self, value: Option<f64>, previous: Option<f64>) -> Option<f64> {
        let (v, p) = (value?, previous?);
        if self.is_rate() {
            Some(v - p)
        } else {
            (p > 0.0).then(|| (v - p) / p)
        }
    }

    /// The figure as the card shows it; "n/a" when there is none.
    pub fn format_value(&self, value: Option<f64>) -> String {
        match value {
            None => "n/a".into(),
            Some(v) if self.is_rate() => format!("{:.1} %", v * 100.0),
            Some(v) => thousands(v.round() as u64),
        }
    }

    pub fn format_change(&self, change: Option<f64>) -> String {
        match change {
            None => "no comparison".into(),
            Some(c) if self.is_rate() => format!("{:+.1} pp", c * 100.0),
            Some(c) => format!("{:+.1} %", c * 100.0),
        }
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The previous period: the range shifted back by its own length counted in the
/// interval's units (n buckets: hours for `h`, calendar days or months in the
/// zone for `d` and `mo`). A range of whole buckets ends where it starts; one
/// whose last bucket is partial ends n units before its own end (today so far
/// compares with yesterday up to the same time).
pub fn previous_period(span: TimeSpan, interval: Interval, tz: &TimeZone) -> Result<TimeSpan, BucketError> {
    let mut n = boundaries(span, interval, tz, MAX_BUCKETS)?.len() as i64 - 1;
    // A calendar day the zone skipped (Pacific/Apia 2011-12-30) is a step with no
    // bucket: count the steps, not the buckets.
    let mut nth = boundary(span.start, interval, tz, n)?;
    while nth < span.end {
        n += 1;
        nth = boundary(span.start, interval, tz, n)?;
    }
    let start = boundary(span.start, interval, tz, -n)?;
    let end = if nth == span.end { span.start } else { boundary(span.end, interval, tz, -n)? };
    // n days before the end can be a wall time DST skipped on the range's first day
    // (a midnight change: Santiago's 00:30 on 2026-09-06), moved forward past the
    // range's start: never overlap the range.
    Ok(TimeSpan::new(start, end.min(span.start)))
}

#[cfg(test)]
mod tests;
