//! `ProgressBar`: the `[data-role="progress"]` hook of every loading panel
//! (`data-done` / `data-total` = calls finished / planned), accessible as a
//! progressbar with a name and a spoken summary.

use leptos::prelude::*;

#[component]
pub fn ProgressBar(
    done: usize,
    total: usize,
    /// The accessible name ("Loading messages").
    label: &'static str,
    /// What a screen reader hears besides the bar ("3 of 12 calls").
    detail: String,
) -> impl IntoView {
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    view! {
        <div
            class="progress"
            data-role="progress"
            data-done=done.to_string()
            data-total=total.to_string()
            role="progressbar"
            aria-label=label
            aria-valuemin="0"
            aria-valuemax=total.to_string()
            aria-valuenow=done.to_string()
        >
            <span class="bar" style:width=format!("{percent}%")></span>
            <span class="visually-hidden">{detail}</span>
        </div>
    }
}
