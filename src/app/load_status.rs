//! `LoadStatus`: the one view of a panel's loading / error / partial / empty states
//! (ui-hooks: `[data-role="progress"]`, `error`, `partial` with each
//! `missing-span`, `empty`), shared by the count panels and the explorer.

use jiff::tz::TimeZone;
use leptos::prelude::*;

use crate::domain::panels::labels::instant_label;
use crate::state::load_state::{LoadState, PanelStatus};

use super::progress::ProgressBar;

/// What a panel says in each state.
#[derive(Clone)]
pub struct StatusTexts {
    /// The progress bar's accessible name ("Loading messages").
    pub loading: &'static str,
    /// What could not be loaded ("interactions", "messages").
    pub what: String,
    /// After "Part of the range failed to load; ".
    pub partial: &'static str,
    pub empty: &'static str,
}

#[component]
pub fn LoadStatus(
    #[prop(into)] state: Signal<LoadState>,
    texts: StatusTexts,
    /// What a screen reader hears besides the bar ("3 of 12 calls").
    #[prop(into)]
    progress_detail: Signal<String>,
    /// The zone the missing spans are written in.
    #[prop(into)]
    tz: Signal<TimeZone>,
    /// "Retry" and "Retry missing".
    retry: Callback<()>,
) -> impl IntoView {
    let StatusTexts { loading, what, partial: partial_text, empty: empty_text } = texts;
    let is = move |s: PanelStatus| state.with(|l| l.is(s));
    let progress = move || {
        is(PanelStatus::Loading).then(|| {
            let p = state.with(|l| l.progress);
            view! { <ProgressBar done=p.done total=p.total label=loading detail=progress_detail.get() /> }
        })
    };
    let error = move || {
        is(PanelStatus::Error).then(|| {
            let msg = state.with(|l| l.error.clone().unwrap_or_default());
            view! {
                <div class="panel-error" role="alert" data-role="error">
                    <p>{format!("Could not load {what}: {msg}")}</p>
                    <p class="panel-advice">{crate::domain::advice::what_to_do(&msg)}</p>
                    <button type="button" data-action="retry" on:click=move |_| retry.run(())>
                        "Retry"
                    </button>
                </div>
            }
        })
    };
    let partial = move || {
        is(PanelStatus::Partial).then(|| {
            let tz = tz.get();
            let spans = state.with(|l| {
                l.failures
                    .iter()
                    .map(|(s, why)| {
                        view! {
                            <li data-role="missing-span" data-start=s.start.to_string() data-end=s.end.to_string()>
                                {format!("{} – {}: {why}", instant_label(s.start, &tz), instant_label(s.end, &tz))}
                            </li>
                        }
                    })
                    .collect_view()
            });
            view! {
                <div class="panel-partial" role="alert" data-role="partial">
                    <p>{format!("Part of the range failed to load; {partial_text}")}</p>
                    <ul>{spans}</ul>
                    <button type="button" data-action="retry-missing" on:click=move |_| retry.run(())>
                        "Retry missing"
                    </button>
                </div>
            }
        })
    };
    let empty = move || {
        is(PanelStatus::Empty).then(|| {
            view! {
                <p class="panel-empty" data-role="empty">
                    {empty_text}
                </p>
            }
        })
    };
    view! {
        {progress}
        {error}
        {partial}
        {empty}
    }
}
