//! The header's controls: one range button whose popover holds quick ranges
//! (searchable), absolute from/to, recently used ranges, zone and week start;
//! shift and zoom beside it; the interval; refresh with auto-refresh; and, apart,
//! saved views and the theme.
//!
//! Every control writes `ViewState` (the dashboard mirrors it into the URL); none
//! keeps state of its own beyond what the user is typing. Hooks for tests are
//! `name` attributes of inputs and selects, and `data-action` / `data-role`.

mod calendar;
mod last_view;
mod moves;
mod popover;
mod range;
mod recent;
mod refresh;
mod saved;
mod saved_parts;
mod saved_server;
mod saved_server_menu;
#[cfg(test)]
mod saved_server_tests;
#[cfg(test)]
mod tests;
mod theme;
mod zone;

use leptos::prelude::*;

use crate::domain::time::{default_interval, valid_intervals, Interval};
use crate::state::resolve::range_at_now;

use super::browser;
use super::context::use_dashboard;

pub use last_view::use_remember_last_view;
pub(crate) use popover::range_popover_body;
pub use refresh::use_auto_refresh;
pub use saved::{initial_view, SavedViewsMenu};
pub use saved_server::prepare_default_view;
pub use theme::ThemeSwitch;

pub(crate) use crate::state::resolve::RangeAtNow;

/// The zone the view uses: its own, else the browser's.
pub(crate) fn view_zone_name(tz: &Option<String>) -> String {
    crate::state::resolve::view_zone_name(tz, &browser::browser_zone())
}

/// The view's range at the dashboard's `now`, unaligned (`state::resolve::range_at_now`),
/// as a memo the picker's controls share: one resolution per change of the view or
/// the clock, not one per control.
pub(crate) fn use_range_at_now() -> Memo<Result<RangeAtNow, String>> {
    let ctx = use_dashboard();
    let browser_tz = browser::browser_zone();
    Memo::new(move |_| {
        let now = ctx.now.get();
        ctx.view.with(|v| range_at_now(v, now, &browser_tz, &ctx.resolve_options))
    })
}

/// The range controls of the header, in one row where it fits.
#[component]
pub fn Picker() -> impl IntoView {
    let range_at_now = use_range_at_now();
    view! {
        <div class="picker" data-role="picker" role="group" aria-label="Time range">
            <moves::ShiftButton range_at_now=range_at_now forward=false />
            <popover::RangeControl range_at_now=range_at_now />
            <moves::ShiftButton range_at_now=range_at_now forward=true />
            <moves::ZoomOutButton range_at_now=range_at_now />
            <IntervalSelect range_at_now=range_at_now />
            <refresh::RefreshControl />
        </div>
    }
}

/// "auto (…)" plus the intervals that give 1..=2000 buckets for the range.
#[component]
fn IntervalSelect(range_at_now: Memo<Result<RangeAtNow, String>>) -> impl IntoView {
    let ctx = use_dashboard();
    let view = ctx.view;
    let choices = move || {
        let current = view.with(|v| v.interval);
        let (mut list, auto) = range_at_now.with(|r| match r {
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
