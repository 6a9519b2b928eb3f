//! The planner: which calls fetch a range's buckets, the fewest that are exact.
//!
//! The API anchors a call's buckets at the call's own `startTime`, so a call that
//! starts at client bucket boundary `b_p` returns the client's buckets only while
//! `b_p + t·interval` (computed by the server from `b_p`) lands on `b_{p+t}`. That
//! fails for months anchored on the 31st (from Feb 29, +1mo is Mar 29, not Mar 31)
//! and for days whose wall time DST skips. A one-bucket call is always exact: the
//! server clips its last bucket at `endTime`, and whatever sub-buckets it returns
//! are summed into that one client bucket. So the greedy planner extends each call
//! while it stays exact and within the per-call limit, and falls back to one-bucket
//! calls; a bucket longer than the limit (a `2mo` interval, a DST month under a
//! 31-day limit) is fetched in pieces at a finer interval and rolled up. Greedy
//! extension is optimal here because every sub-range of an exact call is exact.

use jiff::tz::TimeZone;

use crate::domain::config::RangeLimits;
pub use crate::domain::count_table::bucket_index;
use crate::domain::time::{boundary, Interval, LimitClass, TimeSpan};

/// One call to make: a span and the interval to send (`None` for Messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlannedCall {
    pub span: TimeSpan,
    pub interval: Option<Interval>,
}

/// The interval and limit for pieces of a bucket too long for one call: whichever
/// class allows the longer call, so the fewest pieces.
fn fallback(limits: &RangeLimits) -> (Interval, i64) {
    if limits.day_ms >= limits.hour_ms {
        (Interval::days(1), limits.day_ms)
    } else {
        (Interval::hours(1), limits.hour_ms)
    }
}

/// Splits `span` into pieces of at most `limit` ms, from its start.
pub fn split_span(span: TimeSpan, limit: i64) -> Vec<TimeSpan> {
    let limit = limit.max(1);
    let mut out = Vec::new();
    let mut s = span.start;
    while s < span.end {
        let e = s.saturating_add(limit).min(span.end);
        out.push(TimeSpan::new(s, e));
        s = e;
    }
    out
}

/// Plans the calls for the buckets not yet known (`have[i] == false`).
///
/// `boundaries` are the client's bucket boundaries (`b_0 … b_n`), `limits` the
/// per-call limits in force (configured or learned).
pub fn plan_counts(
    boundaries: &[i64],
    have: &[bool],
    interval: Interval,
    tz: &TimeZone,
    limits: &RangeLimits,
) -> Vec<PlannedCall> {
    let n = boundaries.len().saturating_sub(1);
    debug_assert_eq!(have.len(), n);
    let limit = limits.for_class(interval.limit_class());
    let mut calls = Vec::new();
    let mut p = 0;
    while p < n {
        if have[p] {
            p += 1;
            continue;
        }
        let start = boundaries[p];
        if boundaries[p + 1] - start > limit {
            // One bucket longer than a call may be: pieces at a finer interval.
            let (fine, fine_limit) = fallback(limits);
            for piece in split_span(TimeSpan::new(start, boundaries[p + 1]), fine_limit) {
                calls.push(PlannedCall { span: piece, interval: Some(fine) });
            }
            p += 1;
            continue;
        }
        // Extend while the next bucket is missing too, the call stays within the
        // limit, and the server's boundary from `start` is the client's.
        let mut m = 1;
        while p + m < n
            && !have[p + m]
            && boundaries[p + m + 1] - start <= limit
            && boundary(start, interval, tz, m as i64).ok() == Some(boundaries[p + m])
        {
            m += 1;
        }
        calls.push(PlannedCall { span: TimeSpan::new(start, boundaries[p + m]), interval: Some(interval) });
        p += m;
    }
    calls
}

/// Plans Messages calls for the spans not yet known: pieces within the limit, and
/// the unfinished hour at the end of a span in a call of its own. A range ending
/// "now" then leaves all but that hour settled and cached, so an auto-refresh or a
/// reopened view fetches the last hour or two again, not the whole range.
pub fn plan_messages(missing: &[TimeSpan], limits: &RangeLimits) -> Vec<PlannedCall> {
    const HOUR_MS: i64 = 3_600_000;
    missing
        .iter()
        .flat_map(|s| {
            let cut = s.end - s.end.rem_euclid(HOUR_MS);
            if cut > s.start && cut < s.end {
                vec![TimeSpan::new(s.start, cut), TimeSpan::new(cut, s.end)]
            } else {
                vec![*s]
            }
        })
        .flat_map(|s| split_span(s, limits.for_class(LimitClass::Messages)))
        .map(|span| PlannedCall { span, interval: None })
        .collect()
}

/// The least number of calls any exact plan could make for a range: every call is
/// at most `limit` long. A lower bound for the benchmark.
pub fn lower_bound_calls(range: TimeSpan, limit: i64) -> usize {
    ((range.len_ms() + limit - 1) / limit) as usize
}

#[cfg(test)]
mod tests;
