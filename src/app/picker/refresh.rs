//! Refresh: a button for now, and automatic refresh (off, 1m, 5m, 15m, 1h; in the
//! URL as `refresh=5m`). A refresh moves `ctx.now` (relative ranges move with it)
//! and bumps `ctx.reload`; the engine keeps settled buckets, so only buckets that
//! touch now are fetched again. Absolute ranges never change and are not refreshed.

use gloo_timers::callback::Interval as Timer;
use leptos::prelude::*;

use crate::state::view::Refresh;

use super::super::browser;
use crate::app::context::{use_dashboard, DashboardContext};

pub fn refresh_now(ctx: &DashboardContext) {
    ctx.now.set(browser::now_ms());
    ctx.reload.update(|n| *n = n.wrapping_add(1));
}

fn page_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// Options of `use_auto_refresh_with_options`.
#[derive(Clone, Copy, Debug)]
pub struct UseAutoRefreshOptions {
    /// Skip ticks while the tab is hidden (default `true`): a background tab would
    /// keep calling the relay for charts no one sees; the next visible tick catches up.
    pub pause_while_hidden: bool,
}

impl Default for UseAutoRefreshOptions {
    fn default() -> Self {
        UseAutoRefreshOptions { pause_while_hidden: true }
    }
}

/// Refreshes the dashboard (`refresh_now`) every period the view asks for. Called
/// by the dashboard outside the picker, so a kiosk page (no picker) refreshes too.
/// Returns nothing: the view's `refresh` is the state, the picker shows it.
pub fn use_auto_refresh() {
    use_auto_refresh_with_options(UseAutoRefreshOptions::default())
}

pub fn use_auto_refresh_with_options(options: UseAutoRefreshOptions) {
    let ctx = use_dashboard();
    let timer: StoredValue<Option<Timer>, LocalStorage> = StoredValue::new_local(None);
    // A fixed range does not change: auto-refresh applies to relative ranges only.
    let period = Memo::new(move |_| ctx.view.with(|v| v.refresh.filter(|_| v.range.is_relative())));
    Effect::new(move |_| {
        let every = period.get();
        // Dropping the old timer cancels it.
        timer.set_value(every.map(|r| {
            Timer::new(r.period_ms() as u32, move || {
                if !(options.pause_while_hidden && page_hidden()) {
                    refresh_now(&ctx);
                }
            })
        }));
    });
    // Unmounted, the stored timer is dropped with its owner, which cancels it.
}

#[component]
pub fn RefreshControl() -> impl IntoView {
    let ctx = use_dashboard();
    let view = ctx.view;
    let current = move || view.with(|v| v.refresh.map(|r| r.as_str()).unwrap_or("off"));
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        view.update(|v| v.refresh = Refresh::parse(&value));
    };
    let absolute = move || view.with(|v| !v.range.is_relative());
    view! {
        <div class="split-button" role="group" aria-label="Refresh">
            <button
                type="button"
                data-action="refresh"
                title="Load what is new now"
                on:click=move |_| refresh_now(&ctx)
            >
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                    <path
                        d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v3h-3"
                        fill="none"
                        stroke="currentColor"
                        stroke-width="1.6"
                        stroke-linecap="round"
                        stroke-linejoin="round"
                    />
                </svg>
                <span class="button-text">"Refresh"</span>
            </button>
            <select
                name="refresh"
                aria-label="Auto-refresh"
                on:change=on_change
                prop:value=current
                title=move || {
                    if absolute() {
                        "A fixed range does not change: auto-refresh applies to ranges relative to now"
                    } else {
                        "Refresh automatically"
                    }
                }
            >
                <option value="off" selected=move || current() == "off">
                    "Auto off"
                </option>
                {Refresh::ALL
                    .into_iter()
                    .map(|r| {
                        view! {
                            <option value=r.as_str() selected=move || current() == r.as_str()>
                                {format!("Every {}", r.as_str())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
