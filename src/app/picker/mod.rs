//! The header's controls: one range button whose popover holds quick ranges
//! (searchable), absolute from/to, recently used ranges, zone and week start;
//! shift and zoom beside it; the interval; refresh with auto-refresh; and, apart,
//! saved views and the theme.
//!
//! Every control writes `ViewState` (the dashboard mirrors it into the URL); none
//! keeps state of its own beyond what the user is typing. Hooks for tests are
//! `name` attributes of inputs and selects, and `data-action` / `data-role`.

mod calendar;
mod moves;
mod popover;
mod range;
mod recent;
mod refresh;
mod saved;
mod saved_server;
#[cfg(test)]
mod saved_server_tests;
#[cfg(test)]
mod tests;
mod theme;
mod zone;

use leptos::prelude::*;

use crate::domain::time::{default_interval, valid_intervals, zone as find_zone, Interval, TimeSpan};

use super::browser;
use super::context::use_dashboard;

pub use refresh::AutoRefresh;
pub use saved::{initial_view, RememberLastView, SavedViewsMenu};
pub use saved_server::prepare_default_view;
pub use theme::ThemeSwitch;

/// The view's range resolved against the clock in its zone, whatever the interval:
/// what shift, zoom and the interval select work from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RangeNow {
    pub span: TimeSpan,
    pub tz: jiff::tz::TimeZone,
    pub now: i64,
}

/// The zone the view uses: its own, else the browser's.
pub(crate) fn view_zone_name(tz: &Option<String>) -> String {
    tz.clone().unwrap_or_else(browser::browser_zone)
}

pub(crate) fn range_now() -> Memo<Result<RangeNow, String>> {
    let ctx = use_dashboard();
    Memo::new(move |_| {
        let now = ctx.now.get();
        ctx.view.with(|v| {
            let name = view_zone_name(&v.tz);
            let tz = find_zone(&name).ok_or_else(|| format!("unknown time zone {name}"))?;
            let span = v.range.resolve(now, &tz, &v.resolve_options(ctx.resolve_options)).map_err(|e| e.to_string())?;
            Ok(RangeNow { span, tz, now })
        })
    })
}

/// The range controls of the header, in one row where it fits.
#[component]
pub fn Picker() -> impl IntoView {
    let rn = range_now();
    view! {
        <div class="picker" data-role="picker" role="group" aria-label="Time range">
            <moves::ShiftButton range_now=rn forward=false />
            <popover::RangeControl range_now=rn />
            <moves::ShiftButton range_now=rn forward=true />
            <moves::ZoomOutButton range_now=rn />
            <IntervalSelect range_now=rn />
            <refresh::RefreshControl />
        </div>
    }
}

/// "auto (…)" plus the intervals that give 1..=2000 buckets for the range.
#[component]
fn IntervalSelect(range_now: Memo<Result<RangeNow, String>>) -> impl IntoView {
    let ctx = use_dashboard();
    let view = ctx.view;
    let choices = move || {
        let current = view.with(|v| v.interval);
        let (mut list, auto) = range_now.with(|r| match r {
            // One bucket wider than the range says nothing: only intervals that fit
            // in the range at least once (a day may be 23 hours, a month 28 days).
            Ok(r) => (
                valid_intervals(r.span, &r.tz).into_iter().filter(|i| i.min_ms() <= r.span.len_ms()).collect(),
                Some(default_interval(r.span.len_ms())),
            ),
            Err(_) => (Vec::new(), None),
        });
        // A URL may carry an interval off the ladder (5d) or one now refused: keep it
        // listed so the select shows what the view holds (the refusal is shown above
        // the panels).
        if let Some(c) = current {
            if !list.contains(&c) {
                list.push(c);
            }
        }
        (list, auto)
    };
    let current = move || view.with(|v| v.interval.map(|i| i.to_wire()).unwrap_or_default());
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if value.is_empty() {
            view.update(|v| v.interval = None);
        } else if let Ok(i) = value.parse::<Interval>() {
            view.update(|v| v.interval = Some(i));
        }
    };
    view! {
        <label class="picker-inline" title="Bucket size: how much time each bar or point covers">
            <span class="picker-inline-label">"Interval"</span>
            <select name="interval" on:change=on_change prop:value=current>
                {move || {
                    let (list, auto) = choices();
                    let auto_label = match auto {
                        Some(a) => format!("auto ({a})"),
                        None => "auto".to_string(),
                    };
                    let selected = current();
                    let mut options = vec![
                        view! {
                            <option value="" selected=selected.is_empty()>
                                {auto_label}
                            </option>
                        }
                            .into_any(),
                    ];
                    options
                        .extend(
                            list
                                .into_iter()
                                .map(|i| {
                                    let w = i.to_wire();
                                    let sel = w == selected;
                                    view! {
                                        <option value=w.clone() selected=sel>
                                            {w.clone()}
                                        </option>
                                    }
                                        .into_any()
                                }),
                        );
                    options
                }}
            </select>
        </label>
    }
}
