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

/// `view` at `now`, in its zone (else `browser_tz`), with the deployment's
/// resolve options (the view's week start wins). The interval is the view's, else
/// one chosen from the range's length; a relative range is put on the interval's
/// grid (so a refresh reuses settled buckets); too many buckets is an error.
pub fn resolve(view: &ViewState, now: i64, browser_tz: &str, opts: &ResolveOptions) -> Result<Resolved, String> {
    let tz_name = view.tz.clone().unwrap_or_else(|| browser_tz.to_string());
    let tz = zone(&tz_name).ok_or_else(|| format!("unknown time zone {tz_name}"))?;
    let opts = view.resolve_options(*opts);
    let span = view.range.resolve(now, &tz, &opts).map_err(|e| e.to_string())?;
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
    fn the_interval_is_chosen_or_checked() {
        let mut v = ViewState::default();
        let r = resolve(&v, NOW, "UTC", &ResolveOptions::default()).unwrap();
        assert_eq!(r.interval, default_interval(7 * 86_400_000));
        v.range = TimeRange::parse("now-5y", "now").unwrap();
        v.interval = Some(Interval::hours(1));
        assert!(resolve(&v, NOW, "UTC", &ResolveOptions::default()).is_err(), "43,800 hourly buckets");
    }
}
