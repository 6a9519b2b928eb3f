//! Chart colours from the theme's CSS custom properties, and a signal that changes
//! whenever they may have: the view's theme, or the OS preference under `auto`.

use std::cell::OnceCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::browser;
use crate::domain::panels::chart::ChartStyle;
use crate::state::view::Theme;

thread_local! {
    /// Bumped when `prefers-color-scheme` flips (one listener per page).
    /// Reference-counted, not arena-owned: it must outlive whichever reactive
    /// owner happened to ask for it first (a memo's owner is reset on every run).
    static MEDIA_TICK: OnceCell<ArcRwSignal<u32>> = const { OnceCell::new() };
}

fn media_tick() -> ArcRwSignal<u32> {
    MEDIA_TICK.with(|cell| {
        cell.get_or_init(|| {
            let tick = ArcRwSignal::new(0u32);
            let bump = tick.clone();
            if let Some(mq) =
                web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            {
                let cb = Closure::<dyn FnMut()>::new(move || bump.update(|n| *n += 1));
                let _ = mq.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
                // Lives as long as the page: one listener, never removed.
                cb.forget();
            }
            tick
        })
        .clone()
    })
}

/// The chart style for `theme`, read from CSS. The `data-theme` attribute is set
/// here too (the dashboard sets it as well): the colours must be read after it
/// has switched, whichever effect runs first.
pub fn chart_style(theme: Theme) -> ChartStyle {
    let _ = media_tick().get();
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    let mut style = ChartStyle::default();
    for (var, field) in
        [("--chart-text", &mut style.text), ("--chart-grid", &mut style.grid_line), ("--surface", &mut style.surface)]
    {
        if let Some(c) = browser::css_var(var) {
            *field = c;
        }
    }
    let palette: Vec<String> = (1..=10).filter_map(|i| browser::css_var(&format!("--chart-{i}"))).collect();
    if !palette.is_empty() {
        style.palette = palette;
    }
    // Tests and users who asked for less motion get no animation.
    style.animation =
        !browser::prefers_reduced_motion() && browser::css_var("--chart-animation").is_none_or(|v| v != "off");
    style
}
