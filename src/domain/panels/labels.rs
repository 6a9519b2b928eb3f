//! Human labels for bucket starts in the chosen zone.

use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::Timestamp;

use crate::domain::time::{Interval, IntervalUnit};

/// A bucket start as the chart axis and table show it: hours with the time, days
/// with the date, months with the month. Always in the dashboard's zone.
pub fn bucket_label(start_ms: i64, interval: Interval, tz: &TimeZone) -> String {
    let Ok(ts) = Timestamp::from_millisecond(start_ms) else {
        return start_ms.to_string();
    };
    let z = ts.to_zoned(tz.clone());
    let fmt = match interval.unit {
        IntervalUnit::Hour => "%Y-%m-%d %H:%M",
        IntervalUnit::Day => "%a %Y-%m-%d",
        IntervalUnit::Month => "%b %Y",
    };
    // A day bucket that does not start at the start of its day (a range from 09:30)
    // says so; one at 01:00 because DST skipped midnight (Santiago) is that day.
    let day_start = z.start_of_day().is_ok_and(|d| d.timestamp() == z.timestamp());
    if interval.unit != IntervalUnit::Hour && !day_start {
        return z.strftime("%Y-%m-%d %H:%M").to_string();
    }
    // A wall time the clock shows twice (DST ends) is told apart by its zone name,
    // or by its offset when both passes have the same name (Moscow, 2014: MSK).
    if let (IntervalUnit::Hour, AmbiguousOffset::Fold { before, after }) =
        (interval.unit, tz.to_ambiguous_timestamp(z.datetime()).offset())
    {
        let name = |o: jiff::tz::Offset| {
            o.to_timestamp(z.datetime()).ok().map(|t| tz.to_offset_info(t).abbreviation().to_string())
        };
        let fmt = if name(before) != name(after) { "%Y-%m-%d %H:%M %Z" } else { "%Y-%m-%d %H:%M %:z" };
        return z.strftime(fmt).to_string();
    }
    z.strftime(fmt).to_string()
}

/// A full instant with its offset, for tooltips and notices.
pub fn instant_label(ms: i64, tz: &TimeZone) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M %Z").to_string(),
        Err(_) => ms.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_in_the_zone() {
        let tz = TimeZone::get("America/New_York").unwrap();
        let ms = "2026-03-08T05:00:00Z".parse::<Timestamp>().unwrap().as_millisecond();
        assert_eq!(bucket_label(ms, Interval::days(1), &tz), "Sun 2026-03-08");
        assert_eq!(bucket_label(ms, Interval::hours(1), &tz), "2026-03-08 00:00");
        assert_eq!(bucket_label(ms, Interval::months(1), &tz), "Mar 2026");
        assert_eq!(instant_label(ms, &tz), "2026-03-08 00:00 EST");
    }

    #[test]
    fn labels_across_dst_changes_are_distinct_and_days_stay_days() {
        let ms = |s: &str| s.parse::<Timestamp>().unwrap().as_millisecond();
        // New York 2026-11-01: 01:00 EDT (05:00Z) and 01:00 EST (06:00Z) both read
        // "01:00"; they used to get the same label.
        let ny = TimeZone::get("America/New_York").unwrap();
        assert_eq!(bucket_label(ms("2026-11-01T05:00:00Z"), Interval::hours(1), &ny), "2026-11-01 01:00 EDT");
        assert_eq!(bucket_label(ms("2026-11-01T06:00:00Z"), Interval::hours(1), &ny), "2026-11-01 01:00 EST");
        assert_eq!(bucket_label(ms("2026-11-01T07:00:00Z"), Interval::hours(1), &ny), "2026-11-01 02:00");
        // Moscow 2014-10-26: 02:00 MSK (+04) went back to 01:00 MSK (+03).
        let msk = TimeZone::get("Europe/Moscow").unwrap();
        assert_eq!(bucket_label(ms("2014-10-25T21:00:00Z"), Interval::hours(1), &msk), "2014-10-26 01:00 +04:00");
        assert_eq!(bucket_label(ms("2014-10-25T22:00:00Z"), Interval::hours(1), &msk), "2014-10-26 01:00 +03:00");
        // Santiago 2026-09-06 begins at 01:00 -03 (04:00Z): midnight is skipped. That
        // day's bucket is the day, not "2026-09-06 01:00".
        let scl = TimeZone::get("America/Santiago").unwrap();
        assert_eq!(bucket_label(ms("2026-09-06T04:00:00Z"), Interval::days(1), &scl), "Sun 2026-09-06");
        assert_eq!(bucket_label(ms("2026-09-06T05:00:00Z"), Interval::days(1), &scl), "2026-09-06 02:00");
    }
}
