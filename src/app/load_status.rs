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
            let (text, advice) = (format!("Could not load {what}: {msg}"), crate::domain::advice::what_to_do(&msg));
            view! {
                <StatusAlert class="panel-error" role="error" action="retry" label="Retry" retry=retry>
                    <p>{text}</p>
                    <p class="panel-advice">{advice}</p>
                </StatusAlert>
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
            let text = format!("Part of the range failed to load; {partial_text}");
            view! {
                <StatusAlert
                    class="panel-partial"
                    role="partial"
                    action="retry-missing"
                    label="Retry missing"
                    retry=retry
                >
                    <p>{text}</p>
                    <ul>{spans}</ul>
                </StatusAlert>
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

/// A failed state: what went wrong (`children`) and the one button that tries
/// again (`data-action` for ui-hooks), as an alert so screen readers announce it.
#[component]
fn StatusAlert(
    class: &'static str,
    /// The `data-role` of ui-hooks (`error`, `partial`).
    role: &'static str,
    action: &'static str,
    label: &'static str,
    retry: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class=class role="alert" data-role=role>
            {children()}
            <button type="button" data-action=action on:click=move |_| retry.run(())>
                {label}
            </button>
        </div>
    }
}
