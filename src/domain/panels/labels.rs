//! Human labels for bucket starts in the chosen zone.

use jiff::tz::TimeZone;
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
    // A day bucket that does not start at midnight (a range from 09:30) says so.
    if interval.unit != IntervalUnit::Hour && (z.hour(), z.minute()) != (0, 0) {
        return z.strftime("%Y-%m-%d %H:%M").to_string();
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
}
