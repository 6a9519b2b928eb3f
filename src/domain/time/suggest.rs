//! Which interval to offer for a range: a default, the choices of the interval select,
//! and a refusal (with a better suggestion) when an interval would make too many buckets.
//!
//! # The default
//!
//! Intervals come from a ladder of "nice" values, [`LADDER`]: 1h 2h 3h 6h 12h 1d 7d
//! 1mo 3mo 6mo 12mo. [`default_interval`] picks the **coarsest ladder entry that still
//! gives more than 24 buckets** (one per hour of a day), and 1h when none does. Since
//! neighbouring entries differ by at most a factor 7 (1d → 7d), that lands between
//! 24 and about 170 buckets for any range of a day or more, the readable span of a
//! bar chart (Grafana aims at a similar 20–200). Some results:
//!
//! | range | default | buckets |
//! |---|---|---|
//! | up to 2 days | 1h | ≤ 48 |
//! | 3 days | 2h | 36 |
//! | 7 days | 6h | 28 |
//! | 14 days | 12h | 28 |
//! | 30 / 90 days | 1d | 30 / 90 |
//! | 1 year | 7d | 52 |
//! | 3 years | 1mo | 36 |
//!
//! The picker's presets carry their own interval (last 7 days is shown by 1d), so this
//! rule only serves custom ranges and a range that arrives without `interval`.
//!
//! ```
//! use engagement_dashboard::domain::time::{suggest::default_interval, Interval};
//! const DAY: i64 = 86_400_000;
//! assert_eq!(default_interval(DAY), Interval::hours(1));
//! assert_eq!(default_interval(30 * DAY), Interval::days(1));
//! assert_eq!(default_interval(365 * DAY), Interval::days(7));
//! ```

use jiff::tz::TimeZone;

use super::{boundaries, BucketError, Interval, IntervalError, IntervalUnit, TimeSpan};

/// The interval select's choices, finest first.
pub const LADDER: [Interval; 11] = [
    Interval::hours(1),
    Interval::hours(2),
    Interval::hours(3),
    Interval::hours(6),
    Interval::hours(12),
    Interval::days(1),
    Interval::days(7),
    Interval::months(1),
    Interval::months(3),
    Interval::months(6),
    Interval::months(12),
];

/// The most buckets a request may make (a chart of more is unreadable, and the
/// table view would be huge).
pub const MAX_BUCKETS: usize = 2000;

/// [`default_interval`] aims for more buckets than this.
const MIN_DEFAULT_BUCKETS: f64 = 24.0;

/// An average length, for choosing (never for boundaries): a month of 30.44 days
/// rather than the 31 of [`Interval::nominal_ms`], so that three years count 36 months.
fn average_ms(interval: Interval) -> f64 {
    let unit = match interval.unit {
        IntervalUnit::Hour => 3_600_000.0,
        IntervalUnit::Day => 86_400_000.0,
        IntervalUnit::Month => 365.2425 / 12.0 * 86_400_000.0,
    };
    unit * interval.count as f64
}

/// The default interval for a range of this length (see the module docs).
pub fn default_interval(range_len_ms: i64) -> Interval {
    let len = range_len_ms.max(0) as f64;
    LADDER.iter().rev().find(|iv| len / average_ms(**iv) > MIN_DEFAULT_BUCKETS).copied().unwrap_or(LADDER[0])
}

/// Why an interval is not offered, and what to use instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntervalRefusal {
    /// For the user: names the interval, the problem and the suggestion.
    pub message: String,
    /// The finest ladder interval that works for the range.
    pub suggestion: Interval,
}

impl std::fmt::Display for IntervalRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IntervalRefusal {}

/// The exact number of buckets, or `None` when there are more than `max` (or the
/// range is empty or out of jiff's dates).
pub fn bucket_count(range: TimeSpan, interval: Interval, tz: &TimeZone, max: usize) -> Option<usize> {
    // `boundaries` refuses early on an estimate made with the shortest possible unit
    // (a 23-hour day, a 28-day month), which would turn away a range that fits by up
    // to ~10 %. Give it room, then count exactly.
    let room = max + max / 4 + 2;
    match boundaries(range, interval, tz, room) {
        Ok(b) if b.len() - 1 <= max => Some(b.len() - 1),
        Ok(_) | Err(BucketError::TooMany { .. }) | Err(_) => None,
    }
}

/// The finest ladder entry giving at most `max_buckets` buckets (the coarsest entry
/// when even that gives too many).
pub fn finest_fitting(range: TimeSpan, tz: &TimeZone, max_buckets: usize) -> Interval {
    LADDER
        .iter()
        .copied()
        .find(|iv| bucket_count(range, *iv, tz, max_buckets).is_some())
        .unwrap_or(LADDER[LADDER.len() - 1])
}

/// Accepts `interval` for `range` unless it would give more than `max_buckets`
/// buckets (use [`MAX_BUCKETS`]); the refusal suggests the finest ladder entry that fits.
pub fn check_interval(
    range: TimeSpan,
    interval: Interval,
    tz: &TimeZone,
    max_buckets: usize,
) -> Result<(), IntervalRefusal> {
    if range.is_empty() {
        return Err(IntervalRefusal {
            message: "the range is empty, so no interval fits: choose a start before the end".to_string(),
            suggestion: default_interval(0),
        });
    }
    if interval.count == 0 {
        return Err(IntervalRefusal {
            message: format!("\"{interval}\" is not an interval: the smallest is 1h"),
            suggestion: LADDER[0],
        });
    }
    if bucket_count(range, interval, tz, max_buckets).is_some() {
        return Ok(());
    }
    let suggestion = finest_fitting(range, tz, max_buckets);
    Err(IntervalRefusal {
        message: format!(
            "{interval} would make more than {max_buckets} buckets for this range: use {suggestion} or coarser"
        ),
        suggestion,
    })
}

/// Parses an `interval` value (URL, set-range message) and checks it against the
/// range. Anything below an hour (`30m`, `15min`, `0h`) and anything else outside the
/// API's grammar is refused with a suggestion: 1h for sub-hour values when it fits,
/// otherwise the range's default.
pub fn parse_interval(
    raw: &str,
    range: TimeSpan,
    tz: &TimeZone,
    max_buckets: usize,
) -> Result<Interval, IntervalRefusal> {
    match raw.parse::<Interval>() {
        Ok(iv) => check_interval(range, iv, tz, max_buckets).map(|()| iv),
        Err(err) => {
            let fallback = default_interval(range.len_ms());
            let suggestion = if check_interval(range, fallback, tz, max_buckets).is_ok() {
                fallback
            } else {
                finest_fitting(range, tz, max_buckets)
            };
            let t = raw.trim();
            let sub_hour = matches!(err, IntervalError::OutOfRange(_))
                || t.ends_with('m') && !t.ends_with("mo")
                || t.ends_with("min")
                || t.ends_with('s');
            let message = if sub_hour {
                format!("\"{t}\" is too fine: the smallest interval is 1h; using {suggestion}")
            } else {
                format!("{err}; using {suggestion}")
            };
            Err(IntervalRefusal { message, suggestion })
        }
    }
}

/// The ladder entries that give between 1 and [`MAX_BUCKETS`] buckets for `range`:
/// the choices of the interval select. Empty for an empty range.
pub fn valid_intervals(range: TimeSpan, tz: &TimeZone) -> Vec<Interval> {
    LADDER.iter().copied().filter(|iv| bucket_count(range, *iv, tz, MAX_BUCKETS).is_some_and(|n| n >= 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;
    const DAY: i64 = 24 * H;

    #[test]
    fn defaults_aim_at_24_to_200_buckets() {
        for (len, want) in [
            (H, "1h"),
            (23 * H, "1h"),
            (DAY, "1h"),
            (25 * H, "1h"),
            (2 * DAY, "1h"),
            (3 * DAY, "2h"),
            (7 * DAY, "6h"),
            (14 * DAY, "12h"),
            (30 * DAY, "1d"),
            (90 * DAY, "1d"),
            (365 * DAY, "7d"),
            (3 * 365 * DAY, "1mo"),
            (10 * 365 * DAY, "3mo"),
            (100 * 365 * DAY, "12mo"),
        ] {
            assert_eq!(default_interval(len).to_string(), want, "{} h", len / H);
        }
        // Between a day and ten years, the default lands in 24..=200 buckets.
        let mut len = DAY;
        while len < 3650 * DAY {
            let n = len as f64 / average_ms(default_interval(len));
            assert!((24.0..=200.0).contains(&n), "{} h gives {n} buckets", len / H);
            len += 7 * H;
        }
    }

    #[test]
    fn refuses_too_many_buckets_and_suggests_the_finest_that_fits() {
        let tz = TimeZone::UTC;
        let year = TimeSpan::new(0, 365 * DAY);
        let refusal = check_interval(year, Interval::hours(1), &tz, MAX_BUCKETS).unwrap_err();
        assert_eq!(refusal.suggestion, Interval::hours(6)); // 1460 buckets; 3h would be 2920
        assert!(refusal.message.contains("1h") && refusal.message.contains("6h"), "{}", refusal.message);
        assert!(check_interval(year, Interval::hours(6), &tz, MAX_BUCKETS).is_ok());
        assert!(check_interval(year, Interval::hours(5), &tz, MAX_BUCKETS).is_ok());
        assert!(check_interval(year, Interval::hours(4), &tz, MAX_BUCKETS).is_err());
    }

    #[test]
    fn exactly_the_cap_is_allowed_even_where_the_estimate_is_pessimistic() {
        // 2000 days in New York (with DST changes): 2000 buckets of 1d.
        let tz = TimeZone::get("America/New_York").unwrap();
        let start = "2026-01-01T05:00:00Z".parse::<jiff::Timestamp>().unwrap().as_millisecond();
        let end = crate::domain::time::boundary(start, Interval::days(1), &tz, 2000).unwrap();
        let range = TimeSpan::new(start, end);
        assert_eq!(bucket_count(range, Interval::days(1), &tz, 2000), Some(2000));
        assert!(check_interval(range, Interval::days(1), &tz, 2000).is_ok());
        let longer = TimeSpan::new(start, end + 1);
        assert!(check_interval(longer, Interval::days(1), &tz, 2000).is_err());
    }

    #[test]
    fn parse_interval_refuses_sub_hour_values() {
        let tz = TimeZone::UTC;
        let day = TimeSpan::new(0, DAY);
        for raw in ["30m", "15min", "0h", "90s"] {
            let r = parse_interval(raw, day, &tz, MAX_BUCKETS).unwrap_err();
            assert_eq!(r.suggestion, Interval::hours(1), "{raw}");
            assert!(r.message.contains(raw) && r.message.contains("1h"), "{}", r.message);
        }
        let r = parse_interval("weekly", day, &tz, MAX_BUCKETS).unwrap_err();
        assert!(r.message.contains("weekly"), "{}", r.message);
        assert_eq!(parse_interval(" 2h ", day, &tz, MAX_BUCKETS), Ok(Interval::hours(2)));
    }

    #[test]
    fn valid_intervals_are_the_ladder_entries_that_fit() {
        let tz = TimeZone::UTC;
        let week = TimeSpan::new(0, 7 * DAY);
        assert_eq!(valid_intervals(week, &tz), LADDER.to_vec());
        let ten_years = TimeSpan::new(0, 3652 * DAY);
        let v = valid_intervals(ten_years, &tz);
        assert_eq!(v.first(), Some(&Interval::days(7)));
        assert!(!v.contains(&Interval::days(1)));
        assert!(valid_intervals(TimeSpan::new(5, 5), &tz).is_empty());
    }
}
