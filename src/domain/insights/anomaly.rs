//! Anomalies in count series: a bucket far from the usual level of its series.
//!
//! The usual level of a bucket is the **median of the same slot in the previous
//! weeks**: the same weekday and hour for hourly intervals that divide a week (1h,
//! 2h, 3h, 4h, 6h, 8h, 12h, 24h…), the same weekday for `1d`, the same day-of-week
//! for `7d`; for intervals that do not tile a week (5h, 2d, months) simply the
//! previous buckets. Up to [`SAMPLES`] such values are taken, from the history
//! loaded before the range (one extra range per series, [`history_span`]) and from
//! earlier in the range itself; fewer than [`MIN_SAMPLES`] gives no judgement.
//!
//! The spread is the MAD (median absolute deviation, × 1.4826 so it estimates a
//! standard deviation), floored at √median: counts are roughly Poisson, so even a
//! series whose past weeks agree exactly has that much noise. Both are robust: one
//! past spike moves neither. A bucket is flagged
//! - high when it is at least [`ALWAYS_RATIO`] (8) times the usual level and at
//!   least [`MIN_COUNT`] (so an 8× spike is always found), or when it is at least
//!   [`RATIO`] (3) times the usual level, [`Z`] (6) spreads above it, and
//!   [`MIN_EXCESS`] (10) above it;
//! - low when the usual level is at least 20, the bucket is at most an eighth of
//!   it, [`Z`] spreads below it, and the bucket is complete (an unfinished bucket
//!   is always low).
//!
//! The thresholds are deliberately strict: a busy day at twice the usual volume is
//! news to no one; a flag should be worth looking at. The benchmark on the mock
//! (README, "Insights") measures false alarms on a quiet range and found spikes.

use jiff::tz::TimeZone;

use crate::domain::count_table::CountTable;
use crate::domain::time::{boundary, Interval, IntervalUnit, TimeSpan};

pub const SAMPLES: usize = 4;
pub const MIN_SAMPLES: usize = 3;
pub const ALWAYS_RATIO: f64 = 8.0;
pub const MIN_COUNT: u64 = 8;
pub const RATIO: f64 = 3.0;
pub const Z: f64 = 6.0;
pub const MIN_EXCESS: f64 = 10.0;
pub const LOW_MIN_EXPECTED: f64 = 20.0;

/// Buckets per week when the interval tiles a week exactly, else 1.
pub fn season(interval: Interval) -> usize {
    let n = interval.count as usize;
    match interval.unit {
        IntervalUnit::Hour if n > 0 && 168 % n == 0 => 168 / n,
        IntervalUnit::Day if n > 0 && 7 % n == 0 => 7 / n,
        _ => 1,
    }
}

/// The history loaded before `span` for the baseline: [`SAMPLES`] seasons of
/// buckets, in the same interval and zone, ending where the range starts.
pub fn history_span(span: TimeSpan, interval: Interval, tz: &TimeZone) -> Option<TimeSpan> {
    let k = (season(interval) * SAMPLES) as i64;
    let start = boundary(span.start, interval, tz, -k).ok()?;
    (start < span.start).then(|| TimeSpan::new(start, span.start))
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Baseline {
    /// The usual level (median).
    pub expected: f64,
    /// The robust spread (≥ √expected, ≥ 1).
    pub spread: f64,
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Median and floored MAD of `samples`; `None` with fewer than [`MIN_SAMPLES`].
pub fn baseline(samples: &[u64]) -> Option<Baseline> {
    if samples.len() < MIN_SAMPLES {
        return None;
    }
    let mut v: Vec<f64> = samples.iter().map(|&x| x as f64).collect();
    v.sort_by(f64::total_cmp);
    let m = median(&v);
    let mut dev: Vec<f64> = v.iter().map(|x| (x - m).abs()).collect();
    dev.sort_by(f64::total_cmp);
    let mad = 1.4826 * median(&dev);
    Some(Baseline { expected: m, spread: mad.max(m.sqrt()).max(1.0) })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    High,
    Low,
}

/// Whether `value` is anomalous against `b` (see the module notes).
pub fn judge(value: u64, b: &Baseline, complete: bool) -> Option<Direction> {
    let v = value as f64;
    let z = (v - b.expected) / b.spread;
    let always = value >= MIN_COUNT && v >= ALWAYS_RATIO * b.expected;
    let strong = v >= RATIO * b.expected.max(1.0) && z >= Z && v - b.expected >= MIN_EXCESS;
    if always || strong {
        return Some(Direction::High);
    }
    let low = complete && b.expected >= LOW_MIN_EXPECTED && v * ALWAYS_RATIO <= b.expected && z <= -Z;
    low.then_some(Direction::Low)
}

/// One flagged bucket of one series.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub key: String,
    /// Index among the range's buckets (not the history's).
    pub index: usize,
    pub start: i64,
    pub value: u64,
    pub expected: f64,
    pub direction: Direction,
}

/// One series over history then range: `values` holds the history's buckets
/// first (`None`: not loaded), then the range's from `range_from` on. `starts`
/// and `complete` cover the range's buckets only.
pub struct SeriesInput<'a> {
    pub key: &'a str,
    pub values: &'a [Option<u64>],
    pub range_from: usize,
    pub starts: &'a [i64],
    pub complete: &'a [bool],
    pub season: usize,
}

/// The flagged buckets of one series, in time order.
pub fn detect(s: &SeriesInput) -> Vec<Finding> {
    let mut out = Vec::new();
    let season = s.season.max(1);
    for (i, &start) in s.starts.iter().enumerate() {
        let at = s.range_from + i;
        let Some(Some(value)) = s.values.get(at).copied() else { continue };
        let samples: Vec<u64> =
            (1..=SAMPLES).filter_map(|k| at.checked_sub(k * season)).filter_map(|j| s.values[j]).collect();
        let Some(b) = baseline(&samples) else { continue };
        if let Some(direction) = judge(value, &b, s.complete.get(i).copied().unwrap_or(true)) {
            out.push(Finding { key: s.key.to_string(), index: i, start, value, expected: b.expected, direction });
        }
    }
    out
}

/// "password reset: 310 on Mon 8 Jun 14:00, usually about 40".
pub fn describe(f: &Finding, when: &str) -> String {
    let usual = if f.expected >= 10.0 { format!("{:.0}", f.expected) } else { format!("{:.1}", f.expected) };
    format!("{}: {} on {when}, usually about {usual}", f.key, f.value)
}

/// Per bucket of `t`: whether it is whole and over (an unfinished or cut-short
/// bucket is only judged for spikes, never for drops).
pub fn completeness(t: &CountTable, interval: Interval, tz: &TimeZone, now_ms: i64) -> Vec<bool> {
    (0..t.len())
        .map(|i| {
            let b = t.bucket(i);
            b.end <= now_ms && boundary(b.start, interval, tz, 1).is_ok_and(|e| e == b.end)
        })
        .collect()
}

/// Every flagged bucket of `keys` in `current`, judged against `history` (the
/// buckets just before it, or `None` when that failed to load) and the range's
/// own earlier buckets. Findings come grouped by key, each in time order.
pub fn detect_tables(
    history: Option<&CountTable>,
    current: &CountTable,
    keys: &[String],
    interval: Interval,
    complete: &[bool],
) -> Vec<Finding> {
    let season = season(interval);
    let starts: Vec<i64> = (0..current.len()).map(|i| current.bucket(i).start).collect();
    // History that does not end where the range starts cannot be lined up.
    let history = history.filter(|h| h.boundaries.last() == current.boundaries.first());
    let mut out = Vec::new();
    for key in keys {
        let mut values: Vec<Option<u64>> =
            history.map(|h| (0..h.len()).map(|i| h.value(i, key)).collect()).unwrap_or_default();
        let range_from = values.len();
        values.extend((0..current.len()).map(|i| current.value(i, key)));
        out.extend(detect(&SeriesInput { key, values: &values, range_from, starts: &starts, complete, season }));
    }
    out
}
