//! The picker's quick ranges, and moving a range: shift back/forward, zoom out.
//!
//! Quick ranges are relative expressions (so a bookmarked "last 7 days" stays the
//! last 7 days) with their own interval. `to` rounds up (see [`super::range_expr`]),
//! which is what makes `now/d` → `now/d` the whole of today.
//!
//! ```
//! use engagement_dashboard::domain::time::presets::{quick_range, matching};
//! let week = quick_range("last-7d").unwrap();
//! assert_eq!((week.from, week.to, week.interval), ("now-7d/d", "now", "1d"));
//! assert_eq!(matching(&week.range()).map(|q| q.label), Some("Last 7 days and today"));
//! ```

use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};

use super::range_expr::{RangeError, RangeExpr, ResolveOptions, TimeRange};
use super::{Interval, TimeSpan};

/// One entry of the quick-range list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QuickRange {
    /// Stable identifier (for `data-*` attributes and tests); never shown.
    pub id: &'static str,
    pub label: &'static str,
    /// `from` and `to` in the URL grammar, canonical.
    pub from: &'static str,
    pub to: &'static str,
    /// The interval the range opens with, in the API's grammar.
    pub interval: &'static str,
}

impl QuickRange {
    pub fn range(&self) -> TimeRange {
        // The list is a constant whose every entry a test parses.
        TimeRange::parse(self.from, self.to).expect("quick ranges are valid expressions")
    }

    pub fn interval(&self) -> Interval {
        self.interval.parse().expect("quick-range intervals are valid")
    }
}

const fn q(
    id: &'static str,
    label: &'static str,
    from: &'static str,
    to: &'static str,
    interval: &'static str,
) -> QuickRange {
    QuickRange { id, label, from, to, interval }
}

/// The quick ranges, in the order the picker lists them: ranges that end now,
/// then calendar units.
pub const QUICK_RANGES: &[QuickRange] = &[
    q("last-6h", "Last 6 hours", "now-6h", "now", "1h"),
    q("last-12h", "Last 12 hours", "now-12h", "now", "1h"),
    q("last-24h", "Last 24 hours", "now-24h", "now", "1h"),
    // The dashboard's default range (`from=now-7d&to=now`), so a first visit shows
    // a name rather than two expressions. The id is older than the label.
    q("last-7x24h", "Last 7 days", "now-7d", "now", "6h"),
    // Whole days back, so that every daily bucket starts at midnight; the last,
    // today's, is partial: the label says so.
    q("last-7d", "Last 7 days and today", "now-7d/d", "now", "1d"),
    q("last-30d", "Last 30 days and today", "now-30d/d", "now", "1d"),
    q("last-90d", "Last 90 days and today", "now-90d/d", "now", "1d"),
    q("today-so-far", "Today so far", "now/d", "now", "1h"),
    q("today", "Today", "now/d", "now/d", "1h"),
    q("yesterday", "Yesterday", "now-1d/d", "now-1d/d", "1h"),
    // Whole weeks from the week start (config `weekStart`, or the picker's choice).
    q("this-week-so-far", "This week so far", "now/w", "now", "1d"),
    q("this-week", "This week", "now/w", "now/w", "1d"),
    q("last-week", "Last week", "now-1w/w", "now-1w/w", "1d"),
    q("this-month", "This month", "now/mo", "now/mo", "1d"),
    q("last-month", "Last month", "now-1mo/mo", "now-1mo/mo", "1d"),
    // Calendar months from Jan 1: one partial bar in January, at most twelve. At the
    // very first millisecond of a year the range is empty (an error to show, like
    // any from >= to); `now/d` as `to` would avoid that but reach into the future.
    q("year-to-date", "Year to date", "now/y", "now", "1mo"),
];

/// The quick ranges a search finds, in list order: each word of `query` must
/// occur (ignoring case) in the label, the id or an expression, so "7d", "week",
/// "last mon" and "now/d" all find something. An empty query finds them all.
pub fn search(query: &str) -> Vec<&'static QuickRange> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    QUICK_RANGES
        .iter()
        .filter(|q| {
            let hay = format!("{} {} {} {}", q.label, q.id, q.from, q.to).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect()
}

/// The quick range with this id.
pub fn quick_range(id: &str) -> Option<&'static QuickRange> {
    QUICK_RANGES.iter().find(|q| q.id == id)
}

/// The quick range a range is (so the picker can show "Last 7 days" rather than
/// two expressions), compared in canonical form: `now-7D/d` matches too.
pub fn matching(range: &TimeRange) -> Option<&'static QuickRange> {
    QUICK_RANGES.iter().find(|q| q.range() == *range)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShiftDirection {
    Back,
    Forward,
}

fn zoned(ms: i64, tz: &TimeZone) -> Option<Zoned> {
    Timestamp::from_millisecond(ms).ok().map(|t| t.to_zoned(tz.clone()))
}

fn is_start_of_day(z: &Zoned) -> bool {
    z.start_of_day().is_ok_and(|s| s.timestamp() == z.timestamp())
}

/// `span` moved by its own length, so that the new span and the old one meet.
///
/// The length is counted the way the range was most likely made, so that shifting
/// "last month" gives the month before rather than 31 days back:
/// * both ends at the start of a month (local): by that many calendar months;
/// * both ends at the start of a day: by that many calendar days (a week across a DST
///   change stays midnight to midnight);
/// * both ends at the same wall time of day: by that many calendar days, same wall time;
/// * otherwise by the exact length in milliseconds.
pub fn shift_span(span: TimeSpan, direction: ShiftDirection, tz: &TimeZone) -> Result<TimeSpan, RangeError> {
    let oor = || RangeError::OutOfRange { input: format!("{}..{}", span.start, span.end) };
    if span.is_empty() {
        return Err(RangeError::Reversed { from: span.start.to_string(), to: span.end.to_string() });
    }
    let sign = match direction {
        ShiftDirection::Back => -1,
        ShiftDirection::Forward => 1,
    };
    let (zs, ze) = (zoned(span.start, tz).ok_or_else(oor)?, zoned(span.end, tz).ok_or_else(oor)?);
    let midnights = is_start_of_day(&zs) && is_start_of_day(&ze);
    let calendar_step = if midnights && zs.day() == 1 && ze.day() == 1 {
        let months = (ze.year() as i64 * 12 + ze.month() as i64) - (zs.year() as i64 * 12 + zs.month() as i64);
        Some(Span::new().try_months(sign * months).map_err(|_| oor())?)
    } else if midnights || zs.time() == ze.time() {
        let days = zs.date().until(ze.date()).map_err(|_| oor())?.get_days() as i64;
        Some(Span::new().try_days(sign * days).map_err(|_| oor())?)
    } else {
        None
    };
    let moved = |z: &Zoned| -> Result<i64, RangeError> {
        let step = calendar_step.ok_or_else(oor)?;
        let date = z.date().checked_add(step).map_err(|_| oor())?;
        // Midnights stay midnights (or the day's first instant when midnight is
        // skipped); other wall times stay the same wall time ("compatible" in a gap).
        let target =
            if midnights { date.to_zoned(tz.clone()) } else { date.to_datetime(z.time()).to_zoned(tz.clone()) };
        target.map(|t| t.timestamp().as_millisecond()).map_err(|_| oor())
    };
    // The end that meets the old span is copied, not recomputed: a wall time in a
    // repeated hour would come back as its first pass and overlap by an hour.
    let exact = || -> Result<TimeSpan, RangeError> {
        let len = span.len_ms() * sign;
        Ok(TimeSpan::new(span.start.checked_add(len).ok_or_else(oor)?, span.end.checked_add(len).ok_or_else(oor)?))
    };
    let shifted = match (calendar_step, direction) {
        (Some(_), ShiftDirection::Back) => TimeSpan::new(moved(&zs)?, span.start),
        (Some(_), ShiftDirection::Forward) => TimeSpan::new(span.end, moved(&ze)?),
        (None, _) => exact()?,
    };
    // Calendar days back from a day after one the zone skipped entirely (Pacific/
    // Apia 2011-12-30) can land on that day, which starts where the range does:
    // nothing left. Move by the exact length instead (to the day that existed).
    let shifted = if shifted.is_empty() { exact()? } else { shifted };
    if shifted.is_empty() {
        return Err(oor());
    }
    Ok(shifted)
}

/// The range moved back or forward by its own length (see [`shift_span`]), as
/// absolute epoch-ms expressions: shifting "last 7 days" back gives the week before,
/// which must not move on with the clock.
pub fn shift(
    range: &TimeRange,
    direction: ShiftDirection,
    now_ms: i64,
    tz: &TimeZone,
    opts: &ResolveOptions,
) -> Result<TimeRange, RangeError> {
    let span = range.resolve(now_ms, tz, opts)?;
    Ok(TimeRange::absolute(shift_span(span, direction, tz)?))
}

/// `span` twice as long around the same centre; except that when that would push
/// an end that was not in the future past `now_ms`, the doubled span is moved back
/// to end at `now_ms` (zooming out of "last 24 hours" gives the last 48 hours, not
/// twelve empty hours of future).
pub fn zoom_out_span(span: TimeSpan, now_ms: i64) -> TimeSpan {
    let len = span.len_ms().max(1);
    let half = len / 2;
    let (mut start, mut end) = (span.start.saturating_sub(half), span.end.saturating_add(len - half));
    if span.end <= now_ms && end > now_ms {
        let back = end - now_ms;
        start = start.saturating_sub(back);
        end = now_ms.max(span.end);
    }
    TimeSpan::new(start, end)
}

/// The range zoomed out ×2 (see [`zoom_out_span`]), as absolute epoch-ms expressions.
pub fn zoom_out(range: &TimeRange, now_ms: i64, tz: &TimeZone, opts: &ResolveOptions) -> Result<TimeRange, RangeError> {
    let span = range.resolve(now_ms, tz, opts)?;
    Ok(TimeRange::absolute(zoom_out_span(span, now_ms)))
}

/// The epoch-ms expressions of an absolute range, for callers holding a span.
pub fn absolute(span: TimeSpan) -> (RangeExpr, RangeExpr) {
    (RangeExpr::Instant(span.start), RangeExpr::Instant(span.end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::suggest::check_interval;

    const H: i64 = 3_600_000;

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }
    fn ny() -> TimeZone {
        TimeZone::get("America/New_York").unwrap()
    }
    fn span(a: &str, b: &str) -> TimeSpan {
        TimeSpan::new(ms(a), ms(b))
    }
    fn resolve(id: &str, now: &str) -> TimeSpan {
        quick_range(id).unwrap().range().resolve(ms(now), &ny(), &ResolveOptions::default()).unwrap()
    }

    #[test]
    fn shifting_back_over_a_skipped_day_is_not_empty() {
        // Apia skipped 2011-12-30: Dec 31 began at 2011-12-30T10:00Z (00:00 +14),
        // right after Dec 29 00:00 -10 .. 24:00. One calendar day back from Dec 31 is
        // the skipped Dec 30, which "starts" at 10:00Z too: the shift used to fail.
        // It now moves by the day's 24 hours, to Dec 29 (2011-12-29T10:00Z).
        let apia = TimeZone::get("Pacific/Apia").unwrap();
        let dec31 = span("2011-12-30T10:00:00Z", "2011-12-31T10:00:00Z");
        assert_eq!(
            shift_span(dec31, ShiftDirection::Back, &apia),
            Ok(span("2011-12-29T10:00:00Z", "2011-12-30T10:00:00Z"))
        );
    }

    #[test]
    fn this_week_and_last_week_begin_on_the_week_start() {
        // Wednesday 2026-11-11, noon in New York.
        let now = ms("2026-11-11T17:00:00Z");
        let span = |id: &str, week_start| {
            let opts = ResolveOptions { week_start, ..ResolveOptions::default() };
            let s = quick_range(id).unwrap().range().resolve(now, &ny(), &opts).unwrap();
            (s.start, s.end)
        };
        let at = |date: &str| ms(&format!("{date}T05:00:00Z")); // midnight in New York (EST)
        assert_eq!(span("this-week", jiff::civil::Weekday::Monday), (at("2026-11-09"), at("2026-11-16")));
        assert_eq!(span("this-week", jiff::civil::Weekday::Sunday), (at("2026-11-08"), at("2026-11-15")));
        assert_eq!(span("last-week", jiff::civil::Weekday::Monday), (at("2026-11-02"), at("2026-11-09")));
        // Across the DST end (Nov 1): that Sunday-started week lasts 7 days and 1 hour.
        let (start, end) = span("last-week", jiff::civil::Weekday::Sunday);
        assert_eq!((start, end), (ms("2026-11-01T04:00:00Z"), at("2026-11-08")));
    }

    #[test]
    fn every_quick_range_parses_is_canonical_and_fits_its_interval() {
        let mut ids = std::collections::HashSet::new();
        for q in QUICK_RANGES {
            assert!(ids.insert(q.id), "duplicate id {}", q.id);
            let r = q.range();
            assert_eq!((r.from.to_string(), r.to.to_string()), (q.from.to_string(), q.to.to_string()));
            assert!(r.is_relative());
            assert_eq!(q.interval().to_string(), q.interval);
            assert_eq!(matching(&r), Some(q));
            // Resolvable and within the bucket cap on awkward days.
            for now in ["2026-03-08T15:00:00Z", "2026-11-01T12:00:00Z", "2026-01-01T05:00:00Z", "2026-12-31T23:59:59Z"]
            {
                let resolved = r.resolve(ms(now), &ny(), &ResolveOptions::default());
                if matches!(q.id, "year-to-date" | "today-so-far") && now == "2026-01-01T05:00:00Z" {
                    // The first millisecond of a year (or day), where "so far" is nothing.
                    assert!(matches!(resolved, Err(RangeError::Reversed { .. })));
                    continue;
                }
                let s = resolved.unwrap();
                check_interval(s, q.interval(), &ny(), 2000).unwrap();
            }
        }
        assert_eq!(matching(&TimeRange::parse("now-7D/d", "now").unwrap()).map(|q| q.id), Some("last-7d"));
        assert_eq!(matching(&TimeRange::parse("now-8d", "now").unwrap()), None);
    }

    #[test]
    fn search_finds_by_words_ids_and_expressions() {
        let ids = |q: &str| search(q).into_iter().map(|q| q.id).collect::<Vec<_>>();
        assert_eq!(search("").len(), QUICK_RANGES.len());
        assert_eq!(ids("yest"), ["yesterday"]);
        assert_eq!(ids("LAST mon"), ["last-month"]);
        assert_eq!(ids("week"), ["this-week-so-far", "this-week", "last-week"]);
        assert_eq!(ids("7d"), ["last-7x24h", "last-7d"]);
        assert_eq!(ids("now-1w/w"), ["last-week"]);
        assert!(ids("fortnight").is_empty());
    }

    #[test]
    fn labels_are_unique_and_say_what_they_show() {
        let labels: std::collections::HashSet<_> = QUICK_RANGES.iter().map(|q| q.label).collect();
        assert_eq!(labels.len(), QUICK_RANGES.len());
        assert!(QUICK_RANGES.iter().all(|q| !q.label.contains('×')));
    }

    #[test]
    fn quick_ranges_resolve_to_whole_calendar_units() {
        let now = "2026-03-08T15:00:00Z"; // 11:00 EDT, the day clocks sprang forward
        assert_eq!(resolve("today", now), span("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"));
        assert_eq!(resolve("yesterday", now), span("2026-03-07T05:00:00Z", "2026-03-08T05:00:00Z"));
        assert_eq!(resolve("last-24h", now), span("2026-03-07T15:00:00Z", now));
        assert_eq!(resolve("last-7d", now), span("2026-03-01T05:00:00Z", now));
        assert_eq!(resolve("this-month", now), span("2026-03-01T05:00:00Z", "2026-04-01T04:00:00Z"));
        assert_eq!(resolve("last-month", now), span("2026-02-01T05:00:00Z", "2026-03-01T05:00:00Z"));
        assert_eq!(resolve("year-to-date", now), span("2026-01-01T05:00:00Z", now));
    }

    #[test]
    fn shifting_keeps_calendar_units() {
        let tz = ny();
        let opts = ResolveOptions::default();
        let now = ms("2026-03-11T15:30:00Z");
        // Last month (February) back → January, forward → March.
        let feb = quick_range("last-month").unwrap().range();
        let jan = shift(&feb, ShiftDirection::Back, now, &tz, &opts).unwrap();
        assert_eq!(jan, TimeRange::absolute(span("2026-01-01T05:00:00Z", "2026-02-01T05:00:00Z")));
        assert!(!jan.is_relative());
        let mar = shift(&feb, ShiftDirection::Forward, now, &tz, &opts).unwrap();
        assert_eq!(mar, TimeRange::absolute(span("2026-03-01T05:00:00Z", "2026-04-01T04:00:00Z")));
        // A day across spring-forward: midnight to midnight, 23 hours, then 24.
        let mar8 = span("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z");
        assert_eq!(
            shift_span(mar8, ShiftDirection::Back, &tz).unwrap(),
            span("2026-03-07T05:00:00Z", "2026-03-08T05:00:00Z")
        );
        assert_eq!(
            shift_span(mar8, ShiftDirection::Forward, &tz).unwrap(),
            span("2026-03-09T04:00:00Z", "2026-03-10T04:00:00Z")
        );
        // Last 7 days at 11:30 (same wall time at both ends): a calendar week back.
        let week = span("2026-03-04T16:30:00Z", "2026-03-11T15:30:00Z");
        assert_eq!(
            shift_span(week, ShiftDirection::Back, &tz).unwrap(),
            span("2026-02-25T16:30:00Z", "2026-03-04T16:30:00Z")
        );
        // Anything else moves by its exact length.
        let odd = TimeSpan::new(ms("2026-03-08T01:00:00Z"), ms("2026-03-08T01:00:00Z") + 5 * H + 7);
        let back = shift_span(odd, ShiftDirection::Back, &tz).unwrap();
        assert_eq!((back.end, back.len_ms()), (odd.start, odd.len_ms()));
        assert!(shift_span(TimeSpan::new(5, 5), ShiftDirection::Back, &tz).is_err());
    }

    #[test]
    fn zooming_out_doubles_around_the_centre_without_running_into_the_future() {
        let now = ms("2026-03-11T15:30:00Z");
        let past = span("2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z");
        assert_eq!(zoom_out_span(past, now), span("2026-02-28T00:00:00Z", "2026-03-04T00:00:00Z"));
        let last24 = TimeSpan::new(now - 24 * H, now);
        assert_eq!(zoom_out_span(last24, now), TimeSpan::new(now - 48 * H, now));
        // A range reaching into the future (today, to midnight) stays centred.
        let today = span("2026-03-11T04:00:00Z", "2026-03-12T04:00:00Z");
        assert_eq!(zoom_out_span(today, now), span("2026-03-10T16:00:00Z", "2026-03-12T16:00:00Z"));
        let zoomed =
            zoom_out(&TimeRange::parse("now-24h", "now").unwrap(), now, &ny(), &ResolveOptions::default()).unwrap();
        assert_eq!(zoomed, TimeRange::absolute(TimeSpan::new(now - 48 * H, now)));
    }
}
