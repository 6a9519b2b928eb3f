//! Facet checkboxes with counts (recounted from every result) and the histogram
//! of matching messages over the range.

use leptos::prelude::*;

use crate::domain::explorer::filter::options;
use crate::domain::explorer::{histogram, Facet};
use crate::domain::panels::labels::instant_label;
use crate::state::view::ExplorerFilters;

use super::use_ex;

const TOPIC_LIMIT: usize = 40;
const BINS: usize = 60;

fn list_mut(f: &mut ExplorerFilters, facet: Facet) -> &mut Vec<String> {
    match facet {
        Facet::SenderType => &mut f.sendertype,
        Facet::Topic => &mut f.topic,
        Facet::Workflow => &mut f.workflow,
        Facet::Sentiment => &mut f.sentiment,
    }
}

#[component]
pub fn Facets() -> impl IntoView {
    let ex = use_ex();
    let group = move |facet: Facet| {
        let opts = move || {
            let selected = ex.filters.with(|f| match facet {
                Facet::SenderType => f.sendertype.clone(),
                Facet::Topic => f.topic.clone(),
                Facet::Workflow => f.workflow.clone(),
                Facet::Sentiment => f.sentiment.clone(),
            });
            ex.filtered.with(|r| match r {
                Some(r) => options(&r.loaded.index, &r.result.facets, facet, &selected, TOPIC_LIMIT),
                None => Vec::new(),
            })
        };
        view! {
            <fieldset class="facet" data-facet=facet.name()>
                <legend>{facet.title()}</legend>
                {move || opts().into_iter().map(|(value, count, checked)| {
                    let v = value.clone();
                    let toggle = move |_| {
                        let v = v.clone();
                        ex.filters.update(|f| {
                            let l = list_mut(f, facet);
                            if let Some(p) = l.iter().position(|x| *x == v) {
                                l.remove(p);
                            } else {
                                l.push(v);
                            }
                        });
                    };
                    view! {
                        <label class="facet-option">
                            <input type="checkbox" name=facet.name() value=value.clone() prop:checked=checked on:change=toggle />
                            <span class="facet-value" dir="auto">{value.clone()}</span>
                            <span class="facet-count" data-count=count.to_string()>{count.to_string()}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        }
    };
    view! {
        <div class="ex-facets">
            {Facet::ALL.into_iter().map(group).collect_view()}
        </div>
    }
}

#[component]
pub fn Histogram() -> impl IntoView {
    let ex = use_ex();
    let bars = move || {
        ex.filtered.with(|f| {
            let f = f.as_ref()?;
            let span = f.loaded.span;
            let bins = histogram(&f.loaded.index, &f.result.matches, span.start, span.end, BINS);
            let max = bins.iter().copied().max().unwrap_or(0).max(1) as f64;
            let tz = ex.zone();
            let width = (span.end - span.start) as f64 / BINS as f64;
            Some(
                bins.into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let h = c as f64 / max * 60.0;
                        let start = span.start + (i as f64 * width) as i64;
                        let label = format!("{}: {c}", instant_label(start, &tz));
                        view! {
                            <rect x=(i * 10).to_string() y=format!("{:.1}", 60.0 - h) width="9" height=format!("{:.1}", h.max(0.0))
                                data-count=c.to_string() data-start=start.to_string() aria-label=label></rect>
                        }
                    })
                    .collect_view(),
            )
        })
    };
    view! {
        <svg class="ex-histogram" data-role="histogram" viewBox="0 0 600 60" preserveAspectRatio="none" role="img"
            aria-label="Matching messages over time">
            {bars}
        </svg>
    }
}
