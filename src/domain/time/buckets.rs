//! Bucket boundaries exactly as the API computes them (api-contract "Buckets"):
//! bucket k starts at `start + k * interval`, always computed from `start` (never by
//! stepping from the previous boundary, which would drift after Jan 31 → Feb 28).
//! Hours are fixed; days and months are calendar arithmetic on the wall clock of the
//! zone, a skipped wall time moving forward by the gap and a repeated one taking the
//! earlier instant (jiff's "compatible" disambiguation). The last bucket ends at the
//! range end and is partial when shorter than a whole interval.

use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::{Interval, IntervalUnit, TimeSpan};

/// One bucket of a range: `[start, end)` in epoch milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bucket {
    pub start: i64,
    pub end: i64,
    /// Shorter than a whole interval: the range ended inside it.
    pub partial: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BucketError {
    /// The range is empty or reversed.
    EmptyRange,
    /// More buckets than the caller allows; `estimate` is roughly how many.
    TooMany { estimate: u64, max: usize },
    /// A boundary fell outside the dates jiff can represent.
    OutOfRange,
}

impl std::fmt::Display for BucketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BucketError::EmptyRange => write!(f, "the range is empty: its end must be after its start"),
            BucketError::TooMany { estimate, max } => {
                write!(f, "about {estimate} buckets, more than the {max} a chart can show")
            }
            BucketError::OutOfRange => write!(f, "the range lies outside the supported dates"),
        }
    }
}

impl std::error::Error for BucketError {}

/// `origin + k * interval` in `tz`, per the contract. `k` may be negative (the
/// previous period is computed this way).
pub fn boundary(origin_ms: i64, interval: Interval, tz: &TimeZone, k: i64) -> Result<i64, BucketError> {
    let steps = k.checked_mul(interval.count as i64).ok_or(BucketError::OutOfRange)?;
    match interval.unit {
        IntervalUnit::Hour => {
            steps.checked_mul(3_600_000).and_then(|d| origin_ms.checked_add(d)).ok_or(BucketError::OutOfRange)
        }
        IntervalUnit::Day | IntervalUnit::Month => {
            let origin = Timestamp::from_millisecond(origin_ms).map_err(|_| BucketError::OutOfRange)?;
            let zoned = origin.to_zoned(tz.clone());
            let span =
                if interval.unit == IntervalUnit::Day { i64_to_span_days(steps)? } else { i64_to_span_months(steps)? };
            zoned.checked_add(span).map(|z| z.timestamp().as_millisecond()).map_err(|_| BucketError::OutOfRange)
        }
    }
}

fn i64_to_span_days(n: i64) -> Result<jiff::Span, BucketError> {
    jiff::Span::new().try_days(n).map_err(|_| BucketError::OutOfRange)
}

fn i64_to_span_months(n: i64) -> Result<jiff::Span, BucketError> {
    jiff::Span::new().try_months(n).map_err(|_| BucketError::OutOfRange)
}

/// A rough bucket count, cheap, for refusing absurd requests before computing them.
pub fn estimate_count(range: TimeSpan, interval: Interval) -> u64 {
    let len = (range.end - range.start).max(0) as u64;
    let min = interval.min_ms().max(1) as u64;
    len.div_ceil(min)
}

/// The boundaries `b_0 = start < b_1 < … < b_n = end` of a range's buckets.
pub fn boundaries(range: TimeSpan, interval: Interval, tz: &TimeZone, max: usize) -> Result<Vec<i64>, BucketError> {
    boundaries_and_last_end(range, interval, tz, max).map(|(b, _)| b)
}

/// The boundaries, and where the last bucket would end were it whole.
///
/// A bucket the contract's rule makes empty (`start_k == start_{k+1}`: a `1d` step
/// onto a calendar day the zone skipped entirely, Pacific/Apia 2011-12-30) covers no
/// instant and is left out, so the boundaries stay strictly increasing.
fn boundaries_and_last_end(
    range: TimeSpan,
    interval: Interval,
    tz: &TimeZone,
    max: usize,
) -> Result<(Vec<i64>, i64), BucketError> {
    if range.end <= range.start {
        return Err(BucketError::EmptyRange);
    }
    let estimate = estimate_count(range, interval);
    if estimate > max as u64 + 1 {
        return Err(BucketError::TooMany { estimate, max });
    }
    let mut out = vec![range.start];
    let mut k = 1;
    loop {
        let b = boundary(range.start, interval, tz, k)?;
        k += 1;
        if b >= range.end {
            out.push(range.end);
            return Ok((out, b));
        }
        let last = *out.last().unwrap();
        if b == last {
            continue;
        }
        // Calendar arithmetic is monotonic, but guard against a boundary going back
        // anyway: a stuck boundary would loop forever.
        if b < last {
            return Err(BucketError::OutOfRange);
        }
        out.push(b);
        if out.len() > max + 1 {
            return Err(BucketError::TooMany { estimate: out.len() as u64, max });
        }
    }
}

/// The buckets of a range, the last marked partial when the range ends inside it.
pub fn buckets(range: TimeSpan, interval: Interval, tz: &TimeZone, max: usize) -> Result<Vec<Bucket>, BucketError> {
    let (bounds, last_end) = boundaries_and_last_end(range, interval, tz, max)?;
    let n = bounds.len() - 1;
    Ok((0..n)
        .map(|i| Bucket { start: bounds[i], end: bounds[i + 1], partial: i + 1 == n && last_end > range.end })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }
    fn tz(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    #[test]
    fn a_22_hour_day_is_within_the_estimate() {
        // Antarctica/Troll jumps from +00 to +02 on 29 March 2026: that day lasts 22 hours.
        let troll = tz("Antarctica/Troll");
        let range = TimeSpan::new(ms("2026-03-29T00:00:00Z"), ms("2026-03-29T22:00:00Z"));
        let b = boundaries(range, Interval::days(1), &troll, 10).unwrap();
        assert_eq!(b, vec![range.start, range.end], "one whole day of 22 hours");
        assert!(estimate_count(range, Interval::days(1)) >= 1);
        assert!(Interval::days(1).min_ms() <= range.end - range.start);
    }

    #[test]
    fn new_york_days_across_spring_forward_last_23_hours() {
        // 2026-03-08 is the US spring-forward day: midnight to midnight is 23 hours.
        let range = TimeSpan::new(ms("2026-03-07T05:00:00Z"), ms("2026-03-10T04:00:00Z"));
        let b = boundaries(range, Interval::days(1), &tz("America/New_York"), 100).unwrap();
        assert_eq!(
            b,
            vec![
                ms("2026-03-07T05:00:00Z"),
                ms("2026-03-08T05:00:00Z"),
                ms("2026-03-09T04:00:00Z"),
                ms("2026-03-10T04:00:00Z"),
            ]
        );
        assert_eq!(b[2] - b[1], 23 * 3_600_000);
    }

    #[test]
    fn new_york_day_across_fall_back_lasts_25_hours() {
        let range = TimeSpan::new(ms("2026-11-01T04:00:00Z"), ms("2026-11-02T05:00:00Z"));
        let b = buckets(range, Interval::days(1), &tz("America/New_York"), 100).unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].end - b[0].start, 25 * 3_600_000);
        assert!(!b[0].partial);
    }

    #[test]
    fn months_are_anchored_at_the_start_not_stepped() {
        // Jan 31 + 1mo = Feb 29 (2028 is leap), + 2mo = Mar 31, + 3mo = Apr 30.
        let range = TimeSpan::new(ms("2028-01-31T00:00:00Z"), ms("2028-05-15T00:00:00Z"));
        let b = buckets(range, Interval::months(1), &TimeZone::UTC, 100).unwrap();
        let starts: Vec<i64> = b.iter().map(|b| b.start).collect();
        assert_eq!(
            starts,
            vec![
                ms("2028-01-31T00:00:00Z"),
                ms("2028-02-29T00:00:00Z"),
                ms("2028-03-31T00:00:00Z"),
                ms("2028-04-30T00:00:00Z"),
            ]
        );
        assert_eq!(b.last().unwrap().end, ms("2028-05-15T00:00:00Z"));
        assert!(b.last().unwrap().partial);
        assert!(!b[0].partial);
    }

    #[test]
    fn a_skipped_wall_time_moves_forward_by_the_gap() {
        // 02:30 on 2026-03-08 does not exist in New York: it becomes 03:30 EDT.
        let start = ms("2026-03-07T07:30:00Z"); // 02:30 EST on Mar 7
        let b1 = boundary(start, Interval::days(1), &tz("America/New_York"), 1).unwrap();
        assert_eq!(b1, ms("2026-03-08T07:30:00Z")); // 03:30 EDT
        let b2 = boundary(start, Interval::days(1), &tz("America/New_York"), 2).unwrap();
        assert_eq!(b2, ms("2026-03-09T06:30:00Z")); // 02:30 EDT again
    }

    #[test]
    fn hours_are_fixed_and_the_last_bucket_is_partial() {
        let range = TimeSpan::new(ms("2026-11-01T00:00:00Z"), ms("2026-11-01T12:00:00Z"));
        let b = buckets(range, Interval::hours(5), &tz("America/New_York"), 100).unwrap();
        assert_eq!(b.len(), 3);
        assert!(b.iter().take(2).all(|b| b.end - b.start == 5 * 3_600_000 && !b.partial));
        assert!(b[2].partial && b[2].end - b[2].start == 2 * 3_600_000);
    }

    #[test]
    fn apia_skipped_day_leaves_no_empty_bucket() {
        // Samoa skipped 2011-12-30: 2011-12-29T24:00-10:00 was followed by
        // 2011-12-31T00:00+14:00, both 2011-12-30T10:00Z. From Dec 28 00:00 -10
        // (10:00Z), +2d (Dec 30 00:00, skipped: forward by the 24 h gap) and +3d
        // (Dec 31 00:00 +14) are the same instant: that bucket is empty and left out
        // (it used to refuse the whole range, "Last 7 days" included).
        let range = TimeSpan::new(ms("2011-12-28T10:00:00Z"), ms("2011-12-31T10:00:00Z"));
        let b = buckets(range, Interval::days(1), &tz("Pacific/Apia"), 100).unwrap();
        assert_eq!(
            b,
            vec![
                Bucket { start: ms("2011-12-28T10:00:00Z"), end: ms("2011-12-29T10:00:00Z"), partial: false },
                Bucket { start: ms("2011-12-29T10:00:00Z"), end: ms("2011-12-30T10:00:00Z"), partial: false },
                Bucket { start: ms("2011-12-30T10:00:00Z"), end: ms("2011-12-31T10:00:00Z"), partial: false },
            ]
        );
        // Ending inside the day after the skip: the last bucket is partial.
        let range = TimeSpan::new(ms("2011-12-28T10:00:00Z"), ms("2011-12-30T12:00:00Z"));
        let b = buckets(range, Interval::days(1), &tz("Pacific/Apia"), 100).unwrap();
        assert_eq!(b.len(), 3);
        assert!(b[2].partial && b[2].start == ms("2011-12-30T10:00:00Z"));
    }

    #[test]
    fn negative_steps_reach_the_previous_period() {
        let start = ms("2026-03-31T00:00:00Z");
        assert_eq!(boundary(start, Interval::months(1), &TimeZone::UTC, -1).unwrap(), ms("2026-02-28T00:00:00Z"));
    }

    #[test]
    fn too_many_buckets_are_refused_before_any_work() {
        let range = TimeSpan::new(0, 10 * 365 * 86_400_000);
        assert!(matches!(
            boundaries(range, Interval::hours(1), &TimeZone::UTC, 2000),
            Err(BucketError::TooMany { .. })
        ));
    }
}
