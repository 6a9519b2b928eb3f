//! The view resolved against the clock: the one place a `ViewState` becomes the
//! span, interval and zone every panel loads for. The zone is resolved here once (a
//! `TimeZone`), not parsed again from its name in every panel.

use jiff::tz::TimeZone;

use crate::domain::time::grid::aligned_span;
use crate::domain::time::range_expr::ResolveOptions;
use crate::domain::time::{check_interval, default_interval, zone, Interval, TimeSpan, MAX_BUCKETS};
use crate::domain::wire::IntentType;

use super::view::ViewState;

/// What every panel loads for.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub span: TimeSpan,
    pub interval: Interval,
    pub tz: TimeZone,
    /// The zone's name as the API is sent it.
    pub tz_name: String,
    pub intenttype: IntentType,
}

/// The view's range at an instant, in the view's zone, before an interval puts it
/// on a grid: what the picker's shift, zoom and interval choices work from (the
/// panels load `Resolved`, which is aligned to the interval).
#[derive(Clone, Debug, PartialEq)]
pub struct RangeAtNow {
    pub span: TimeSpan,
    pub tz: TimeZone,
    /// The instant relative expressions resolved against.
    pub now: i64,
}

/// The zone a view shows: its own, else the browser's.
pub fn view_zone_name(view_tz: &Option<String>, browser_tz: &str) -> String {
    view_tz.clone().unwrap_or_else(|| browser_tz.to_string())
}

/// A zone by name, or the message every panel shows for one it does not know.
pub fn find_zone(name: &str) -> Result<TimeZone, String> {
    zone(name).ok_or_else(|| format!("unknown time zone {name}"))
}

/// `view`'s range at `now` in its zone (else `browser_tz`), with the deployment's
/// resolve options (the view's week start wins); not aligned, no interval checked.
pub fn range_at_now(view: &ViewState, now: i64, browser_tz: &str, opts: &ResolveOptions) -> Result<RangeAtNow, String> {
    let tz = find_zone(&view_zone_name(&view.tz, browser_tz))?;
    let span = view.range.resolve(now, &tz, &view.resolve_options(*opts)).map_err(|e| e.to_string())?;
    Ok(RangeAtNow { span, tz, now })
}

/// `view` at `now`, in its zone (else `browser_tz`), with the deployment's
/// resolve options (the view's week start wins). The interval is the view's, else
/// one chosen from the range's length; a relative range is put on the interval's
/// grid (so a refresh reuses settled buckets); too many buckets is an error.
pub fn resolve(view: &ViewState, now: i64, browser_tz: &str, opts: &ResolveOptions) -> Result<Resolved, String> {
    let tz_name = view_zone_name(&view.tz, browser_tz);
    let RangeAtNow { span, tz, .. } = range_at_now(view, now, browser_tz, opts)?;
    let opts = view.resolve_options(*opts);
    let interval = view.interval.unwrap_or_else(|| default_interval(span.len_ms()));
    let span = aligned_span(&view.range, span, interval, &tz, opts.week_start).map_err(|e| e.to_string())?;
    check_interval(span, interval, &tz, MAX_BUCKETS).map_err(|e| e.to_string())?;
    Ok(Resolved { span, interval, tz, tz_name, intenttype: view.intenttype })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::range_expr::TimeRange;

    const NOW: i64 = 1_772_982_000_000; // 2026-03-08T15:00:00Z

    #[test]
    fn the_views_zone_else_the_browsers() {
        let mut v = ViewState { range: TimeRange::parse("now-7d/d", "now/d").unwrap(), ..ViewState::default() };
        let r = resolve(&v, NOW, "Europe/Berlin", &ResolveOptions::default()).unwrap();
        assert_eq!((r.tz_name.as_str(), r.tz.iana_name()), ("Europe/Berlin", Some("Europe/Berlin")));
        assert_eq!(r.span.len_ms(), 8 * 86_400_000, "no clock change in Berlin that week");
        v.tz = Some("America/New_York".into());
        let r = resolve(&v, NOW, "Europe/Berlin", &ResolveOptions::default()).unwrap();
        assert_eq!(r.tz_name, "America/New_York");
        assert_eq!(r.span.len_ms(), 8 * 86_400_000 - 3_600_000, "8 March lost an hour in New York");
        assert!(resolve(&ViewState::default(), NOW, "Mars/Base", &ResolveOptions::default())
            .unwrap_err()
            .contains("Mars/Base"));
    }

    #[test]
    fn the_range_at_now_is_the_unaligned_span() {
        // now-90m..now: the panels' span is put on the 1m grid... and this one is not.
        let v = ViewState { range: TimeRange::parse("now-90m", "now").unwrap(), ..ViewState::default() };
        let at = range_at_now(&v, NOW + 12_345, "UTC", &ResolveOptions::default()).unwrap();
        assert_eq!((at.span.start, at.span.end, at.now), (NOW + 12_345 - 5_400_000, NOW + 12_345, NOW + 12_345));
        let aligned = resolve(&v, NOW + 12_345, "UTC", &ResolveOptions::default()).unwrap();
        assert_ne!(aligned.span, at.span, "the panels' span is on the interval's grid");
        let mut bad = v.clone();
        bad.tz = Some("Mars/Base".into());
        assert_eq!(
            range_at_now(&bad, NOW, "UTC", &ResolveOptions::default()).unwrap_err(),
            "unknown time zone Mars/Base"
        );
        assert_eq!(view_zone_name(&None, "Europe/Paris"), "Europe/Paris");
        assert_eq!(view_zone_name(&Some("Asia/Tokyo".into()), "Europe/Paris"), "Asia/Tokyo");
    }

    #[test]
    fn the_interval_is_chosen_or_checked() {
        let mut v = ViewState::default();
        let r = resolve(&v, NOW, "UTC", &ResolveOptions::default()).unwrap();
        assert_eq!(r.interval, default_interval(7 * 86_400_000));
        v.range = TimeRange::parse("now-5y", "now").unwrap();
        v.interval = Some(Interval::hours(1));
        assert!(resolve(&v, NOW, "UTC", &ResolveOptions::default()).is_err(), "43,800 hourly buckets");
    }
}
