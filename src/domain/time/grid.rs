//! The interval's grid in a zone: where the buckets of a relative range start.
//!
//! A relative range (`now-7d`) resolved at the minute a page opened would put
//! every boundary at that minute (19:03, 01:03, …): labels read oddly, and a
//! refresh a minute later shares no bucket with the load before it, so nothing
//! settled can be reused. So the start of a relative range moves back to the
//! grid point at or before it, and every later boundary follows from there by the
//! contract's bucket arithmetic:
//!
//! - `n` hours: local midnight plus multiples of `n` hours (6h: 00, 06, 12, 18);
//! - `n` days: local midnights, every `n`-th day counted from 1970-01-01 (whole
//!   weeks from a week start, so `7d` buckets begin on the deployment's week day);
//! - `n` months: the 1st, every `n`-th month counted from January 1970.
//!
//! The first bucket then starts at or before `from` (it may hold data from before
//! it), and the last is partial up to `now`. A `from` the user rounded (`now/d`,
//! `now-1mo/mo`) or gave as an instant or a date is kept as it is. Hours step by fixed hours, as the API
//! does, so across a DST change a 6h range keeps its rhythm in absolute time.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::range_expr::{RangeExpr, RelOp};
use super::{BucketError, Interval, IntervalUnit, TimeRange, TimeSpan};

/// The span whose buckets a view shows: a relative, unrounded `from` moves back
/// to the grid; anything else is the span as resolved.
pub fn aligned_span(
    range: &TimeRange,
    span: TimeSpan,
    interval: Interval,
    tz: &TimeZone,
    week_start: Weekday,
) -> Result<TimeSpan, BucketError> {
    let unrounded_relative =
        matches!(&range.from, RangeExpr::Relative(ops) if !ops.iter().any(|op| matches!(op, RelOp::Round(_))));
    if !unrounded_relative {
        return Ok(span);
    }
    Ok(TimeSpan::new(grid_floor(span.start, interval, tz, week_start)?, span.end))
}

const HOUR_MS: i64 = 3_600_000;

/// The latest grid point of `interval` in `tz` at or before `t_ms`.
pub fn grid_floor(t_ms: i64, interval: Interval, tz: &TimeZone, week_start: Weekday) -> Result<i64, BucketError> {
    let ts = Timestamp::from_millisecond(t_ms).map_err(|_| BucketError::OutOfRange)?;
    let date = ts.to_zoned(tz.clone()).date();
    let n = interval.count.max(1) as i64;
    match interval.unit {
        IntervalUnit::Hour => {
            let midnight = start_of(date, tz)?;
            let step = n * HOUR_MS;
            // A day that starts after t (it cannot, but a zone may skip midnight
            // into the previous day's wall time): anchor on the day before.
            let anchor = if midnight > t_ms { start_of(date.yesterday().map_err(out)?, tz)? } else { midnight };
            Ok(anchor + (t_ms - anchor).div_euclid(step) * step)
        }
        IntervalUnit::Day => {
            // 1970-01-05 was a Monday.
            let epoch = if n % 7 == 0 {
                Date::constant(1970, 1, 5) + jiff::Span::new().days(week_start.to_monday_zero_offset() as i64)
            } else {
                Date::constant(1970, 1, 1)
            };
            let days = (date - epoch).get_days() as i64;
            let back = days.rem_euclid(n);
            let day = date.checked_sub(jiff::Span::new().days(back)).map_err(out)?;
            let start = start_of(day, tz)?;
            if start <= t_ms {
                Ok(start)
            } else {
                start_of(day.checked_sub(jiff::Span::new().days(n)).map_err(out)?, tz)
            }
        }
        IntervalUnit::Month => {
            let months = (date.year() as i64 - 1970) * 12 + (date.month() as i64 - 1);
            let back = months.rem_euclid(n);
            let first = date.first_of_month().checked_sub(jiff::Span::new().months(back)).map_err(out)?;
            start_of(first, tz)
        }
    }
}

fn out<E>(_: E) -> BucketError {
    BucketError::OutOfRange
}

/// The first instant of a civil day in `tz` (not always 00:00: a zone may skip it).
fn start_of(date: Date, tz: &TimeZone) -> Result<i64, BucketError> {
    let z = date.to_zoned(tz.clone()).map_err(out)?.start_of_day().map_err(out)?;
    Ok(z.timestamp().as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{boundaries, zone, TimeSpan};

    fn grid_floor_m(t: i64, iv: Interval, tz: &TimeZone) -> Result<i64, BucketError> {
        grid_floor(t, iv, tz, Weekday::Monday)
    }

    #[test]
    fn weeks_start_on_the_week_start_and_only_unrounded_relative_ranges_move() {
        let tz = zone("UTC").unwrap();
        let t = ms("2026-12-03T10:00:00Z"); // a Thursday
        assert_eq!(local(grid_floor(t, Interval::days(7), &tz, Weekday::Monday).unwrap(), "UTC"), "2026-11-30 00:00");
        assert_eq!(local(grid_floor(t, Interval::days(7), &tz, Weekday::Sunday).unwrap(), "UTC"), "2026-11-29 00:00");
        let span = TimeSpan::new(t, t + 86_400_000);
        let moved = |from: &str| {
            let range = TimeRange::parse(from, "now").unwrap();
            aligned_span(&range, span, Interval::hours(6), &tz, Weekday::Monday).unwrap().start
        };
        assert_eq!(local(moved("now-1d"), "UTC"), "2026-12-03 06:00");
        assert_eq!(moved("now-1d/h"), t, "a rounded from is the user's");
        assert_eq!(moved("2026-12-03T10:00:00Z"), t, "an instant is the user's");
    }

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    fn local(t: i64, tz: &str) -> String {
        Timestamp::from_millisecond(t).unwrap().to_zoned(zone(tz).unwrap()).strftime("%F %H:%M").to_string()
    }

    #[test]
    fn six_hours_sit_on_00_06_12_18_local() {
        let tz = zone("America/New_York").unwrap();
        let g = grid_floor_m(ms("2026-03-03T00:03:00Z"), Interval::hours(6), &tz).unwrap();
        assert_eq!(local(g, "America/New_York"), "2026-03-02 18:00");
        let b = boundaries(TimeSpan::new(g, ms("2026-03-04T00:03:00Z")), Interval::hours(6), &tz, 100).unwrap();
        let labels: Vec<String> = b.iter().take(4).map(|t| local(*t, "America/New_York")).collect();
        assert_eq!(labels, ["2026-03-02 18:00", "2026-03-03 00:00", "2026-03-03 06:00", "2026-03-03 12:00"]);
    }

    #[test]
    fn days_sit_on_local_midnights_and_months_on_the_first() {
        let tz = zone("Europe/Berlin").unwrap();
        let t = ms("2026-10-25T13:37:00Z");
        assert_eq!(local(grid_floor_m(t, Interval::days(1), &tz).unwrap(), "Europe/Berlin"), "2026-10-25 00:00");
        assert_eq!(local(grid_floor_m(t, Interval::months(1), &tz).unwrap(), "Europe/Berlin"), "2026-10-01 00:00");
        assert_eq!(local(grid_floor_m(t, Interval::months(3), &tz).unwrap(), "Europe/Berlin"), "2026-10-01 00:00");
        assert_eq!(local(grid_floor_m(t, Interval::months(2), &tz).unwrap(), "Europe/Berlin"), "2026-09-01 00:00");
    }

    #[test]
    fn a_grid_point_is_its_own_floor_and_the_floor_is_stable_within_a_bucket() {
        let tz = zone("Australia/Lord_Howe").unwrap();
        for iv in [Interval::hours(1), Interval::hours(6), Interval::days(1), Interval::days(7), Interval::months(1)] {
            let g = grid_floor_m(ms("2026-04-05T10:17:00Z"), iv, &tz).unwrap();
            assert_eq!(grid_floor_m(g, iv, &tz).unwrap(), g, "{iv}");
            assert!(g <= ms("2026-04-05T10:17:00Z"));
            assert_eq!(grid_floor_m(g + 60_000, iv, &tz).unwrap(), g, "{iv}: a minute later, same bucket");
        }
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_when_it_begins() {
        // Santiago skips 00:00-01:00 on 2026-09-06.
        let tz = zone("America/Santiago").unwrap();
        let g = grid_floor_m(ms("2026-09-06T12:00:00Z"), Interval::days(1), &tz).unwrap();
        assert_eq!(local(g, "America/Santiago"), "2026-09-06 01:00");
    }
}
