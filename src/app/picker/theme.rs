//! The theme control: light, dark or the system's; kept in the URL (`theme`).
//! In the header's own corner, apart from the range controls.

use leptos::prelude::*;

use crate::state::view::Theme;

use crate::app::context::use_dashboard;

#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let view = use_dashboard().view;
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(t) = Theme::parse(&event_target_value(&ev)) {
            view.update(|v| v.theme = t);
        }
    };
    view! {
        <label class="picker-inline theme-switch" title="Colour theme">
            <span class="visually-hidden">"Theme"</span>
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.5" />
                <path d="M8 2a6 6 0 0 1 0 12z" fill="currentColor" />
            </svg>
            <select name="theme" on:change=on_change prop:value=move || view.with(|v| v.theme.as_str())>
                <option value="auto">"System"</option>
                <option value="light">"Light"</option>
                <option value="dark">"Dark"</option>
            </select>
        </label>
    }
}
