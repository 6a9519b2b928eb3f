//! A range in words, for the range button: "Last 7 days", "1–31 Mar 2026",
//! "Jan – Mar 2026", "3 Mar 2026, 10:00–14:30". Pure; the zone is the view's.
//!
//! A quick range is named by its label; `now-N<unit>` → `now` is "Last N units";
//! anything else is described from the span it resolves to, as compactly as its
//! ends allow (whole months, whole days, or times of day). Ends are half-open:
//! a range that ends at midnight on 1 Apr ends with 31 Mar.
//!
//! ```
//! use engagement_dashboard::domain::time::words::span_in_words;
//! use engagement_dashboard::domain::time::TimeSpan;
//! let tz = jiff::tz::TimeZone::UTC;
//! let ms = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_millisecond();
//! let march = TimeSpan::new(ms("2026-03-01T00:00:00Z"), ms("2026-04-01T00:00:00Z"));
//! assert_eq!(span_in_words(march, &tz), "1–31 Mar 2026");
//! let days = TimeSpan::new(ms("2026-03-02T00:00:00Z"), ms("2026-03-10T00:00:00Z"));
//! assert_eq!(span_in_words(days, &tz), "2–9 Mar 2026");
//! ```

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use super::presets::matching;
use super::range_expr::{RangeExpr, RelOp, RelUnit, ResolveOptions, TimeRange};
use super::TimeSpan;

/// The words for `range`: its quick-range label, "Last N units", or its span
/// (resolved at `now_ms` in `tz`) in words. An unresolvable range is shown as typed.
pub fn range_in_words(range: &TimeRange, now_ms: i64, tz: &TimeZone, opts: &ResolveOptions) -> String {
    if let Some(q) = matching(range) {
        return q.label.to_string();
    }
    if let Some(words) = last_n(range) {
        return words;
    }
    match range.resolve(now_ms, tz, opts) {
        Ok(span) if range.to == RangeExpr::now() => format!("{} – now", instant_in_words(span.start, tz)),
        Ok(span) => span_in_words(span, tz),
        Err(_) => format!("{} to {}", range.from, range.to),
    }
}

/// `now-N<unit>` → `now`: "Last N units" ("Last hour" for one).
fn last_n(range: &TimeRange) -> Option<String> {
    if range.to != RangeExpr::now() {
        return None;
    }
    let RangeExpr::Relative(ops) = &range.from else { return None };
    let [RelOp::Offset { amount, unit }] = ops.as_slice() else { return None };
    if *amount >= 0 {
        return None;
    }
    let n = amount.unsigned_abs();
    let name = match unit {
        RelUnit::Second => "second",
        RelUnit::Minute => "minute",
        RelUnit::Hour => "hour",
        RelUnit::Day => "day",
        RelUnit::Week => "week",
        RelUnit::Month => "month",
        RelUnit::Year => "year",
    };
    Some(if n == 1 { format!("Last {name}") } else { format!("Last {n} {name}s") })
}

fn zoned(ms: i64, tz: &TimeZone) -> Option<Zoned> {
    Timestamp::from_millisecond(ms).ok().map(|t| t.to_zoned(tz.clone()))
}

fn is_day_start(z: &Zoned) -> bool {
    z.start_of_day().is_ok_and(|s| s.timestamp() == z.timestamp())
}

/// "24 Nov 2026 19:05" (the year always: a link may be opened years later).
pub fn instant_in_words(ms: i64, tz: &TimeZone) -> String {
    match zoned(ms, tz) {
        Some(z) if is_day_start(&z) => z.strftime("%-d %b %Y").to_string(),
        Some(z) => z.strftime("%-d %b %Y %H:%M").to_string(),
        None => ms.to_string(),
    }
}

fn day_month(d: Date) -> String {
    d.strftime("%-d %b").to_string()
}

/// The span in words, compact where its ends allow.
pub fn span_in_words(span: TimeSpan, tz: &TimeZone) -> String {
    let (Some(a), Some(b)) = (zoned(span.start, tz), zoned(span.end, tz)) else {
        return format!("{}–{}", span.start, span.end);
    };
    if is_day_start(&a) && is_day_start(&b) && b.date() > a.date() {
        // Whole days: name the last day in the range, not the exclusive end.
        let first = a.date();
        let last = b.date().yesterday().unwrap_or(b.date());
        if first.day() == 1 && b.date().day() == 1 {
            return months_in_words(first, last);
        }
        return days_in_words(first, last);
    }
    let (da, db) = (a.date(), b.date());
    let hm = |z: &Zoned| z.strftime("%H:%M").to_string();
    if da == db {
        format!("{} {}, {}–{}", day_month(da), da.year(), hm(&a), hm(&b))
    } else if da.year() == db.year() {
        format!("{} {} – {} {} {}", day_month(da), hm(&a), day_month(db), db.year(), hm(&b))
    } else {
        format!("{} {} {} – {} {} {}", day_month(da), da.year(), hm(&a), day_month(db), db.year(), hm(&b))
    }
}

/// Whole months from `first` (a 1st) to `last` (the last day of a month).
fn months_in_words(first: Date, last: Date) -> String {
    let month = |d: Date| d.strftime("%b").to_string();
    if first.year() == last.year() {
        if first.month() == 1 && last.month() == 12 {
            return first.year().to_string();
        }
        if first.month() == last.month() {
            // One month reads best as its days ("1–31 Mar 2026"): no doubt where it ends.
            return days_in_words(first, last);
        }
        return format!("{} – {} {}", month(first), month(last), last.year());
    }
    if first.month() == 1 && last.month() == 12 {
        return format!("{}–{}", first.year(), last.year());
    }
    format!("{} {} – {} {}", month(first), first.year(), month(last), last.year())
}

/// Whole days from `first` to `last`, both included.
fn days_in_words(first: Date, last: Date) -> String {
    if first == last {
        return first.strftime("%a %-d %b %Y").to_string();
    }
    if first.year() != last.year() {
        return format!("{} {} – {} {}", day_month(first), first.year(), day_month(last), last.year());
    }
    if first.month() != last.month() {
        return format!("{} – {} {}", day_month(first), day_month(last), last.year());
    }
    format!("{}–{}", first.day(), last.strftime("%-d %b %Y"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::presets::QUICK_RANGES;

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }
    fn words(from: &str, to: &str, tz: &str) -> String {
        let tz = TimeZone::get(tz).unwrap();
        let range = TimeRange::parse(from, to).unwrap();
        range_in_words(&range, ms("2026-11-24T19:05:00Z"), &tz, &ResolveOptions::default())
    }

    #[test]
    fn quick_ranges_and_last_n_read_as_names() {
        for q in QUICK_RANGES {
            assert_eq!(words(q.from, q.to, "UTC"), q.label);
        }
        assert_eq!(words("now-7d", "now", "UTC"), "Last 7 days");
        assert_eq!(words("now-2d", "now", "UTC"), "Last 2 days");
        assert_eq!(words("now-1h", "now", "UTC"), "Last hour");
        assert_eq!(words("now-90m", "now", "UTC"), "Last 90 minutes");
        assert_eq!(words("now-3mo", "now", "UTC"), "Last 3 months");
    }

    #[test]
    fn other_relative_ranges_read_from_their_span() {
        // now-2d/d at 19:05 on 24 Nov: from midnight on the 22nd.
        assert_eq!(words("now-2d/d", "now", "UTC"), "22 Nov 2026 – now");
        // `to` rounds up: now-1d/d ends with yesterday.
        assert_eq!(words("now-2d/d", "now-1d/d", "UTC"), "22–23 Nov 2026");
        assert_eq!(words("now-2d/d", "now-2d/d", "UTC"), "Sun 22 Nov 2026");
        assert_eq!(words("now-3h", "now-1h", "UTC"), "24 Nov 2026, 16:05–18:05");
    }

    #[test]
    fn absolute_spans_are_as_short_as_their_ends_allow() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let s = |a: &str, b: &str| span_in_words(TimeSpan::new(ms(a), ms(b)), &tz);
        // Whole days and months in Berlin (UTC+1 in winter, +2 in summer).
        assert_eq!(s("2026-02-28T23:00:00Z", "2026-03-31T22:00:00Z"), "1–31 Mar 2026");
        assert_eq!(s("2026-02-28T23:00:00Z", "2026-03-30T22:00:00Z"), "1–30 Mar 2026");
        assert_eq!(s("2026-02-28T23:00:00Z", "2026-04-30T22:00:00Z"), "Mar – Apr 2026");
        assert_eq!(s("2025-11-30T23:00:00Z", "2026-01-31T23:00:00Z"), "Dec 2025 – Jan 2026");
        assert_eq!(s("2025-12-31T23:00:00Z", "2026-12-31T23:00:00Z"), "2026");
        assert_eq!(s("2026-03-02T23:00:00Z", "2026-03-03T23:00:00Z"), "Tue 3 Mar 2026");
        assert_eq!(s("2026-03-01T23:00:00Z", "2026-04-02T22:00:00Z"), "2 Mar – 2 Apr 2026");
        assert_eq!(s("2025-12-27T23:00:00Z", "2026-01-03T23:00:00Z"), "28 Dec 2025 – 3 Jan 2026");
        // With times of day.
        assert_eq!(s("2026-03-03T09:00:00Z", "2026-03-03T13:30:00Z"), "3 Mar 2026, 10:00–14:30");
        assert_eq!(s("2026-03-03T09:00:00Z", "2026-03-05T13:30:00Z"), "3 Mar 10:00 – 5 Mar 2026 14:30");
        assert_eq!(s("2025-12-30T09:00:00Z", "2026-01-02T13:30:00Z"), "30 Dec 2025 10:00 – 2 Jan 2026 14:30");
    }

    #[test]
    fn the_zone_decides_what_is_a_whole_day() {
        // Midnight to midnight in UTC is 01:00 to 01:00 in Berlin.
        let span = TimeSpan::new(ms("2026-03-03T00:00:00Z"), ms("2026-03-04T00:00:00Z"));
        assert_eq!(span_in_words(span, &TimeZone::UTC), "Tue 3 Mar 2026");
        assert_eq!(span_in_words(span, &TimeZone::get("Europe/Berlin").unwrap()), "3 Mar 01:00 – 4 Mar 2026 01:00");
    }

    #[test]
    fn unresolvable_ranges_show_as_typed() {
        let range = TimeRange::parse("now", "now-1d").unwrap();
        assert_eq!(range_in_words(&range, 0, &TimeZone::UTC, &ResolveOptions::default()), "now to now-1d");
    }
}
