//! `section[data-panel="intent-quality"]`: customer messages per bucket, the
//! low-confidence and ambiguous ones, and the intent pairs the bot confuses
//! (`[data-role="confusion-pair"]`), each with example texts. Clicks open the
//! explorer on exactly those messages.

use std::rc::Rc;

use leptos::prelude::*;

use crate::app::context::use_dashboard;
use crate::app::messages_feed::use_messages_feed;
use crate::domain::insights::chart::quality_chart;
use crate::domain::insights::quality::{QualityTable, CUSTOMER};
use crate::domain::panels::PanelName;
use crate::state::view::ExplorerFilters;

use super::panel::{InsightPanel, OnBucket};
use super::{filter_explorer, open_explorer, use_insight_data, InsightData};

/// Pairs listed (ui-hooks asks for at least the top 10).
const PAIRS_SHOWN: usize = 15;

/// The explorer filters selecting a column's messages.
fn filters_for(key: &str) -> ExplorerFilters {
    let mut f = ExplorerFilters { sendertype: vec![CUSTOMER.into()], ..Default::default() };
    match key {
        "lowConfidence" => f.low_confidence = true,
        "ambiguous" => f.ambiguous = true,
        _ => {}
    }
    f
}

#[component]
pub fn IntentQualityPanel() -> impl IntoView {
    let ctx = use_dashboard();
    let feed = use_messages_feed();
    let InsightData { buckets, table, model, spec } = use_insight_data(
        move |l, b| QualityTable::build(&l.index, &b.boundaries, &b.missing, feed.low_confidence),
        QualityTable::model,
        quality_chart,
    );
    let on_bucket: OnBucket = Rc::new(move |i, key| {
        let Some(span) = buckets.with_untracked(|b| b.as_ref()?.span(i)) else { return };
        open_explorer(&ctx, span, filters_for(key.as_deref().unwrap_or_default()));
    });
    let pairs = move || {
        let t = table.get()?;
        let index = feed.loaded.with(|l| l.as_ref().map(|l| l.index.clone()))?;
        let items = t
            .pairs
            .iter()
            .take(PAIRS_SHOWN)
            .map(|p| {
                let (a, b) = (p.a.clone(), p.b.clone());
                let open = {
                    let (a, b) = (a.clone(), b.clone());
                    move |_| {
                        let f = ExplorerFilters {
                            sendertype: vec![CUSTOMER.into()],
                            pair: Some((a.clone(), b.clone())),
                            ..Default::default()
                        };
                        filter_explorer(&ctx, f);
                    }
                };
                let examples = p
                    .examples
                    .iter()
                    .map(|&i| {
                        let text = index.messages()[i as usize].text.clone();
                        // Untrusted text: set as text, never HTML.
                        view! {
                            <li class="pair-example" dir="auto">
                                {text}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <li class="confusion-pair">
                        <button
                            type="button"
                            data-role="confusion-pair"
                            data-topic-a=a.clone()
                            data-topic-b=b.clone()
                            data-value=p.count.to_string()
                            on:click=open
                            aria-label=format!("{a} or {b}: {} ambiguous messages; show them", p.count)
                        >
                            <span class="pair-topics">{format!("{a} ↔ {b}")}</span>
                            <span class="pair-count">{p.count.to_string()}</span>
                        </button>
                        <ul class="pair-examples">{examples}</ul>
                    </li>
                }
            })
            .collect_view();
        let none = t.pairs.is_empty().then(|| view! { <p class="panel-empty">"No ambiguous customer messages."</p> });
        Some(view! {
            <div class="confusion">
                <h3>"Intents the bot confuses"</h3>
                {none}
                <ol class="confusion-pairs">{items}</ol>
            </div>
        })
    };
    let below = ViewFn::from(pairs);
    view! {
        <InsightPanel
            name=PanelName::IntentQuality
            title="Intent recognition quality"
            buckets
            model
            spec
            on_bucket
            below
        />
    }
}
