//! A message text as text nodes and `<mark>` elements: redaction tokens as chips
//! (`mark[data-entity]` with the seed's description as the tooltip) and search
//! hits highlighted. The text is never parsed as HTML.

use leptos::prelude::*;

use crate::domain::explorer::tokens::{entity_description, pieces, Run};

fn runs(text: &str, runs: &[Run]) -> Vec<AnyView> {
    runs.iter()
        .map(|r| {
            let s = text[r.range.clone()].to_string();
            if r.hit {
                view! {
                    <mark class="hit" data-role="hit">
                        {s}
                    </mark>
                }
                .into_any()
            } else {
                s.into_any()
            }
        })
        .collect()
}

/// Renders `text` with tokens and the hits of `query` (already folded).
pub fn render_text(text: &str, query: &str) -> Vec<AnyView> {
    pieces(text, query)
        .into_iter()
        .map(|p| match p.entity {
            Some(name) => {
                let name = text[name].to_string();
                let title = entity_description(&name);
                view! {
                    <mark class="entity" data-entity=name title=title>
                        {runs(text, &p.runs)}
                    </mark>
                }
                .into_any()
            }
            None => runs(text, &p.runs).into_any(),
        })
        .collect()
}

#[component]
pub fn MessageText(#[prop(into)] text: String, #[prop(into)] query: Signal<String>) -> impl IntoView {
    view! {
        <span class="ex-text" data-role="text" dir="auto">
            {move || query.with(|q| render_text(&text, q))}
        </span>
    }
}
