//! `section[data-panel="sentiment"]`: messages per bucket by sign, and the mean,
//! for all messages, one topic or one sender type. A click on a bar opens the
//! explorer on that bucket's messages of that sign (and scope).

use std::rc::Rc;

use leptos::prelude::*;

use crate::app::context::use_dashboard;
use crate::app::messages_feed::use_messages_feed;
use crate::domain::explorer::Facet;
use crate::domain::insights::chart::sentiment_chart;
use crate::domain::insights::sentiment::{SentimentScope, SentimentTable};
use crate::domain::panels::PanelName;
use crate::state::view::ExplorerFilters;

use super::panel::{InsightPanel, OnBucket};
use super::{open_explorer, use_insight_data, InsightData};

fn scope_value(s: &SentimentScope) -> String {
    match s {
        SentimentScope::All => "all".into(),
        SentimentScope::Topic(t) => format!("topic:{t}"),
        SentimentScope::SenderType(t) => format!("sendertype:{t}"),
    }
}

fn parse_scope(v: &str) -> SentimentScope {
    if let Some(t) = v.strip_prefix("topic:") {
        SentimentScope::Topic(t.to_string())
    } else if let Some(t) = v.strip_prefix("sendertype:") {
        SentimentScope::SenderType(t.to_string())
    } else {
        SentimentScope::All
    }
}

#[component]
pub fn SentimentPanel() -> impl IntoView {
    let ctx = use_dashboard();
    let feed = use_messages_feed();
    let scope = RwSignal::new(SentimentScope::All);
    let InsightData { buckets, model, spec, .. } = use_insight_data(
        move |l, b| scope.with(|s| SentimentTable::build(&l.index, &b.boundaries, &b.missing, s)),
        SentimentTable::model,
        sentiment_chart,
    );
    let on_bucket: OnBucket = Rc::new(move |i, key| {
        let Some(span) = buckets.with_untracked(|b| b.as_ref()?.span(i)) else { return };
        let Some(sign) = key else { return };
        let mut f = ExplorerFilters { sentiment: vec![sign], ..Default::default() };
        match scope.get_untracked() {
            SentimentScope::All => {}
            SentimentScope::Topic(t) => f.topic = vec![t],
            SentimentScope::SenderType(t) => f.sendertype = vec![t],
        }
        open_explorer(&ctx, span, f);
    });
    // The choices: every sender type and topic of the load, most messages first.
    let choices = Memo::new(move |_| {
        feed.loaded.with(|l| {
            let Some(l) = l.as_ref() else { return Vec::new() };
            let mut out = Vec::new();
            for (facet, make) in [
                (Facet::SenderType, SentimentScope::SenderType as fn(String) -> SentimentScope),
                (Facet::Topic, SentimentScope::Topic as fn(String) -> SentimentScope),
            ] {
                let mut values: Vec<String> = l.index.dict(facet).values.clone();
                values.sort();
                out.extend(values.into_iter().map(make));
            }
            out
        })
    });
    let controls = ViewFn::from(move || {
        view! {
            <label class="insight-scope">
                "Messages "
                <select name="sentiment-scope" on:change=move |ev| scope.set(parse_scope(&event_target_value(&ev)))>
                    <option value="all" selected=move || scope.with(|s| *s == SentimentScope::All)>
                        "All"
                    </option>
                    {move || {
                        choices
                            .get()
                            .into_iter()
                            .map(|c| {
                                let text = match &c {
                                    SentimentScope::Topic(t) => format!("Topic: {t}"),
                                    SentimentScope::SenderType(t) => format!("Sender: {t}"),
                                    SentimentScope::All => "All".into(),
                                };
                                let v = scope_value(&c);
                                let selected = move || scope.with(|s| *s == c);
                                view! {
                                    <option value=v selected=selected>
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    });
    view! { <InsightPanel name=PanelName::Sentiment title="Sentiment" buckets model spec on_bucket controls /> }
}
