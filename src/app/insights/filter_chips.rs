//! The explorer's intent-quality filters (low confidence, ambiguous, a pair) as
//! removable chips, so a drill-down from the intent-quality panel is visible and
//! can be undone. Reads and writes the explorer's `ExplorerContext` filters.

use leptos::prelude::*;

use crate::app::explorer::use_explorer;

#[component]
pub fn QualityFilterChips() -> impl IntoView {
    let explorer = use_explorer();
    let chips = move || {
        let f = explorer.filters.get();
        let mut out = Vec::new();
        if f.low_confidence {
            out.push(("confidence", "Low confidence".to_string()));
        }
        if f.ambiguous {
            out.push(("ambiguous", "Ambiguous".to_string()));
        }
        if let Some((a, b)) = &f.pair {
            out.push(("pair", format!("Confused: {a} ↔ {b}")));
        }
        out
    };
    view! {
        <Show when=move || !chips().is_empty()>
            <div class="ex-chips" role="group" aria-label="Intent-quality filters" data-role="quality-filters">
                {move || {
                    chips()
                        .into_iter()
                        .map(|(name, text)| {
                            let remove = move |_| {
                                explorer
                                    .filters
                                    .update(|f| match name {
                                        "confidence" => f.low_confidence = false,
                                        "ambiguous" => f.ambiguous = false,
                                        _ => f.pair = None,
                                    })
                            };
                            view! {
                                <button
                                    type="button"
                                    class="chip"
                                    data-filter=name
                                    on:click=remove
                                    aria-label=format!("Remove filter: {text}")
                                >
                                    {text.clone()}
                                    " ×"
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </Show>
    }
}
