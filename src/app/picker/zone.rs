//! The time-zone field: a text input over a datalist of jiff's IANA names (the
//! browser offers type-ahead search), the browser's zone and UTC first. Empty means
//! the browser's zone (no `tz` in the URL). And the week start beside it.

use leptos::prelude::*;

use crate::domain::time::zone_names::{canonical_zone, zone_names};
use crate::state::view::{parse_week_start, week_start_name, WEEK_STARTS};

use super::super::browser;
use crate::app::context::use_dashboard;

#[component]
pub fn ZoneInput() -> impl IntoView {
    let ctx = use_dashboard();
    let view = ctx.view;
    let browser_tz = browser::browser_zone();
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        draft.set(view.with(|v| v.tz.clone()).unwrap_or_default());
        error.set(None);
    });
    let commit = move || {
        let text = draft.get_untracked();
        let text = text.trim();
        if text.is_empty() {
            error.set(None);
            if view.with_untracked(|v| v.tz.is_some()) {
                view.update(|v| v.tz = None);
            }
            return;
        }
        match canonical_zone(text) {
            Some(name) => {
                error.set(None);
                if view.with_untracked(|v| v.tz.as_deref() != Some(name.as_str())) {
                    // The zone's data first; on failure the view keeps its zone.
                    crate::app::zones::when_zone_loaded(Some(name.clone()), move |loaded| match loaded {
                        Ok(()) => view.update(|v| v.tz = Some(name)),
                        Err(e) => error.set(Some(format!("\"{name}\" cannot be used: {e}"))),
                    });
                } else {
                    draft.set(name);
                }
            }
            None => error
                .set(Some(format!("\"{text}\" is not an IANA time zone: pick one from the list, like Europe/Berlin"))),
        }
    };
    let names = zone_names();
    let others: Vec<String> = names.into_iter().filter(|n| *n != browser_tz && n != "UTC").collect();
    let placeholder = format!("{browser_tz} (browser)");
    let first = browser_tz.clone();
    view! {
        <div class="picker-field picker-zone">
            <label for="picker-tz">"Time zone"</label>
            <input
                id="picker-tz"
                type="text"
                name="tz"
                list="picker-tz-list"
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                aria-describedby="picker-tz-status"
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=draft
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    let picked = canonical_zone(&value).is_some() && value.contains('/');
                    draft.set(value);
                    if picked {
                        commit();
                    }
                }
                on:change=move |_| commit()
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        commit();
                    }
                }
            />
            <datalist id="picker-tz-list">
                <option value=first.clone()>{format!("{first} (browser)")}</option>
                {(first != "UTC").then(|| view! { <option value="UTC">"UTC"</option> })}
                {others.into_iter().map(|n| view! { <option value=n.clone()></option> }).collect_view()}
            </datalist>
            <span id="picker-tz-status" class="picker-validation" data-role="tz-validation" aria-live="polite">
                {move || error.get().unwrap_or_default()}
            </span>
        </div>
    }
}

/// The first day of a week for "This week" and `now/w`: the deployment's unless
/// chosen here (`weekstart` in the URL).
#[component]
pub fn WeekStartSelect() -> impl IntoView {
    let ctx = use_dashboard();
    let view = ctx.view;
    let deployment = ctx.resolve_options.week_start;
    let current = move || view.with(|v| v.week_start.map(week_start_name).unwrap_or(""));
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        view.update(|v| v.week_start = parse_week_start(&value));
    };
    let title = |w: jiff::civil::Weekday| {
        let name = week_start_name(w);
        let mut c = name.chars();
        c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
    };
    view! {
        <label class="picker-field">
            <span>"Week starts on"</span>
            <select name="weekstart" on:change=on_change prop:value=current>
                <option value="" selected=move || current().is_empty()>
                    {format!("{} (default)", title(deployment))}
                </option>
                {WEEK_STARTS
                    .into_iter()
                    .filter(|w| *w != deployment)
                    .map(|w| {
                        let name = week_start_name(w);
                        view! {
                            <option value=name selected=move || current() == name>
                                {title(w)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
