//! The range picker (first cut): quick ranges, interval, zone, refresh.

use leptos::prelude::*;

use crate::domain::time::presets::{matching, quick_range, QUICK_RANGES};
use crate::domain::time::{valid_intervals, zone, Interval};

use super::browser;
use super::dashboard::use_dashboard;

/// Zones offered besides the browser's; typing any IANA name in the URL works too.
const COMMON_ZONES: &[&str] = &[
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
];

#[component]
pub fn Picker() -> impl IntoView {
    let ctx = use_dashboard();
    let view = ctx.view;
    let browser_tz = browser::browser_zone();

    let current_preset = move || view.with(|v| matching(&v.range).map(|q| q.id).unwrap_or("custom"));
    let on_preset = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if let Some(q) = quick_range(&id) {
            ctx.now.set(browser::now_ms());
            view.update(|v| {
                v.range = q.range();
                v.interval = Some(q.interval());
            });
        }
    };
    let intervals = move || {
        ctx.resolved.with(|r| match r {
            Ok(r) => zone(&r.tz).map(|tz| valid_intervals(r.span, &tz)).unwrap_or_default(),
            Err(_) => Vec::new(),
        })
    };
    let current_interval = move || ctx.resolved.with(|r| r.as_ref().map(|r| r.interval.to_wire()).unwrap_or_default());
    let on_interval = move |ev: leptos::ev::Event| {
        if let Ok(i) = event_target_value(&ev).parse::<Interval>() {
            view.update(|v| v.interval = Some(i));
        }
    };
    let tz_for_select = browser_tz.clone();
    let current_tz = move || view.with(|v| v.tz.clone()).unwrap_or_else(|| tz_for_select.clone());
    let zones = {
        let mut z: Vec<String> = vec![browser_tz.clone()];
        z.extend(COMMON_ZONES.iter().map(|s| s.to_string()).filter(|s| *s != browser_tz));
        z
    };
    let on_tz = move |ev: leptos::ev::Event| {
        let tz = event_target_value(&ev);
        view.update(|v| v.tz = Some(tz));
    };

    view! {
        <form class="picker" data-role="picker" on:submit=|ev| ev.prevent_default()>
            <label>
                <span>"Range"</span>
                <select name="range" data-role="quick-range" on:change=on_preset prop:value=current_preset>
                    {QUICK_RANGES.iter().map(|q| view! { <option value=q.id>{q.label}</option> }).collect_view()}
                    <option value="custom" disabled=true>"Custom"</option>
                </select>
            </label>
            <label>
                <span>"Interval"</span>
                <select name="interval" on:change=on_interval prop:value=current_interval>
                    {move || intervals().into_iter().map(|i| {
                        let w = i.to_wire();
                        view! { <option value=w.clone()>{w.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>"Time zone"</span>
                <select name="tz" on:change=on_tz prop:value=current_tz>
                    {zones.into_iter().map(|z| view! { <option value=z.clone()>{z.clone()}</option> }).collect_view()}
                </select>
            </label>
            <button type="button" data-action="refresh" on:click=move |_| { ctx.now.set(browser::now_ms()); ctx.reload.update(|n| *n += 1); }>
                "Refresh"
            </button>
        </form>
    }
}
