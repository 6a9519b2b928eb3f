//! Shift back / forward and zoom out: buttons beside the range button, and the
//! keyboard shortcuts Grafana users know: `t ←`, `t →`, `t z`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::time::presets::{shift, zoom_out, ShiftDirection};

use super::range::set_range;
use super::RangeAtNow;
use crate::app::context::{use_dashboard, DashboardContext};

type RangeMemo = Memo<Result<RangeAtNow, String>>;

fn move_by(ctx: DashboardContext, range_at_now: RangeMemo, direction: ShiftDirection) {
    let Ok(r) = range_at_now.get_untracked() else { return };
    let opts = ctx.view.with_untracked(|v| v.resolve_options(ctx.resolve_options));
    // Forward would show only the future once the range reaches now.
    if direction == ShiftDirection::Forward && r.span.end >= r.now {
        return;
    }
    if let Ok(range) = ctx.view.with_untracked(|v| shift(&v.range, direction, r.now, &r.tz, &opts)) {
        ctx.view.update(|v| set_range(v, range, r.now, &opts));
    }
}

fn zoom(ctx: DashboardContext, range_at_now: RangeMemo) {
    let Ok(r) = range_at_now.get_untracked() else { return };
    let opts = ctx.view.with_untracked(|v| v.resolve_options(ctx.resolve_options));
    if let Ok(range) = ctx.view.with_untracked(|v| zoom_out(&v.range, r.now, &r.tz, &opts)) {
        ctx.view.update(|v| set_range(v, range, r.now, &opts));
    }
}

const CHEVRON_LEFT: &str = "M10 3 5 8l5 5";
const CHEVRON_RIGHT: &str = "M6 3l5 5-5 5";

#[component]
pub fn ShiftButton(range_at_now: RangeMemo, forward: bool) -> impl IntoView {
    let ctx = use_dashboard();
    let (action, label, path, direction) = if forward {
        ("shift-forward", "Shift forward by one range (t →)", CHEVRON_RIGHT, ShiftDirection::Forward)
    } else {
        ("shift-back", "Shift back by one range (t ←)", CHEVRON_LEFT, ShiftDirection::Back)
    };
    let disabled = move || {
        range_at_now.with(|r| match r {
            Err(_) => true,
            Ok(r) => forward && r.span.end >= r.now,
        })
    };
    view! {
        <button
            type="button"
            class="icon-button"
            data-action=action
            aria-label=label
            title=label
            disabled=disabled
            on:click=move |_| move_by(ctx, range_at_now, direction)
        >
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                <path
                    d=path
                    fill="none"
                    stroke="currentColor"
                    stroke-width="1.8"
                    stroke-linecap="round"
                    stroke-linejoin="round"
                />
            </svg>
        </button>
    }
}

#[component]
pub fn ZoomOutButton(range_at_now: RangeMemo) -> impl IntoView {
    let ctx = use_dashboard();
    use_range_shortcuts(ctx, range_at_now);
    let label = "Zoom out: twice the range (t z)";
    view! {
        <button
            type="button"
            class="icon-button"
            data-action="zoom-out"
            aria-label=label
            title=label
            disabled=move || range_at_now.with(|r| r.is_err())
            on:click=move |_| zoom(ctx, range_at_now)
        >
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" stroke-width="1.6" />
                <path
                    d="M5 7h4M10.5 10.5 14 14"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="1.6"
                    stroke-linecap="round"
                />
            </svg>
        </button>
    }
}

/// Typing into a field never triggers a shortcut.
fn typing_in(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA") || el.is_content_editable()
}

/// `t` then `←` / `→` / `z` within a second and a half, as in Grafana.
fn use_range_shortcuts(ctx: DashboardContext, range_at_now: RangeMemo) {
    let pending_since = StoredValue::new(None::<f64>);
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.default_prevented() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || typing_in(ev.target()) {
            return;
        }
        let now = js_sys::Date::now();
        let armed = pending_since.get_value().is_some_and(|t| now - t < 1500.0);
        let key = ev.key();
        if armed {
            pending_since.set_value(None);
            match key.as_str() {
                "ArrowLeft" => move_by(ctx, range_at_now, ShiftDirection::Back),
                "ArrowRight" => move_by(ctx, range_at_now, ShiftDirection::Forward),
                "z" | "Z" => zoom(ctx, range_at_now),
                _ => return,
            }
            ev.prevent_default();
        } else if key == "t" || key == "T" {
            pending_since.set_value(Some(now));
        }
    });
    on_cleanup(move || handle.remove());
}
