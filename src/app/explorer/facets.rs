//! Facet checkboxes with counts (recounted from every result) and the histogram
//! of matching messages over the range.

use leptos::prelude::*;

use crate::domain::explorer::filter::options;
use crate::domain::explorer::{histogram, Facet};
use crate::domain::panels::labels::instant_label;
use crate::state::view::ExplorerFilters;

use super::use_explorer;

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
    let explorer = use_explorer();
    let group = move |facet: Facet| {
        let opts = Memo::new(move |_| {
            let selected = explorer.filters.with(|f| match facet {
                Facet::SenderType => f.sendertype.clone(),
                Facet::Topic => f.topic.clone(),
                Facet::Workflow => f.workflow.clone(),
                Facet::Sentiment => f.sentiment.clone(),
            });
            explorer.filtered.with(|r| match r {
                Some(r) => options(&r.loaded.index, &r.result.facets, facet, &selected, TOPIC_LIMIT),
                None => Vec::new(),
            })
        });
        view! {
            <fieldset class="facet" data-facet=facet.name()>
                <legend>{facet.title()}</legend>
                {move || {
                    opts.get()
                        .into_iter()
                        .map(|(value, count, checked)| {
                            let v = value.clone();
                            let toggle = move |_| {
                                let v = v.clone();
                                explorer
                                    .filters
                                    .update(|f| {
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
                                    <input
                                        type="checkbox"
                                        name=facet.name()
                                        value=value.clone()
                                        prop:checked=checked
                                        on:change=toggle
                                    />
                                    <span class="facet-value" dir="auto">
                                        {value.clone()}
                                    </span>
                                    <span class="facet-count" data-count=count.to_string()>
                                        {count.to_string()}
                                    </span>
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </fieldset>
        }
    };
    // On narrow screens the facets fold into a drawer behind this button (CSS
    // shows the button and hides the closed drawer only there).
    let open = RwSignal::new(false);
    let chosen =
        move || explorer.filters.with(|f| f.sendertype.len() + f.topic.len() + f.workflow.len() + f.sentiment.len());
    view! {
        <div class="ex-facets-wrap">
            <button
                type="button"
                class="ex-facets-toggle"
                data-action="toggle-facets"
                aria-controls="ex-facets"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || match chosen() {
                    0 => "Filters".to_string(),
                    n => format!("Filters ({n} chosen)"),
                }}
            </button>
            <div class="ex-facets" id="ex-facets" data-open=move || open.get().to_string()>
                {Facet::ALL.into_iter().map(group).collect_view()}
            </div>
        </div>
    }
}

#[component]
pub fn Histogram() -> impl IntoView {
    let explorer = use_explorer();
    // The bins per result; the bars are drawn once per range and only resized.
    let bins = Memo::new(move |_| {
        explorer.filtered.with(|f| {
            f.as_ref().map(|f| {
                let span = f.loaded.span;
                histogram(&f.loaded.index, &f.result.matches, span.start, span.end, BINS)
            })
        })
    });
    let span = Memo::new(move |_| explorer.loaded.with(|l| l.as_ref().map(|l| l.span)));
    let bars = move || {
        let span = span.get()?;
        let tz = explorer.zone();
        let width = (span.end - span.start) as f64 / BINS as f64;
        Some(
            (0..BINS)
                .map(|i| {
                    let start = span.start + (i as f64 * width) as i64;
                    let when = instant_label(start, &tz);
                    let count = move || bins.with(|b| b.as_ref().and_then(|b| b.get(i).copied()).unwrap_or(0));
                    let height = move || {
                        bins.with(|b| {
                            let b = b.as_deref().unwrap_or(&[]);
                            let max = b.iter().copied().max().unwrap_or(0).max(1) as f64;
                            b.get(i).copied().unwrap_or(0) as f64 / max * 60.0
                        })
                    };
                    view! {
                        <rect
                            x=(i * 10).to_string()
                            y=move || format!("{:.1}", 60.0 - height())
                            width="9"
                            height=move || format!("{:.1}", height())
                            data-count=move || count().to_string()
                            data-start=start.to_string()
                        >
                            // A tooltip; the svg itself carries the accessible name.
                            <title>{move || format!("{when}: {}", count())}</title>
                        </rect>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <svg
            class="ex-histogram"
            data-role="histogram"
            viewBox="0 0 600 60"
            preserveAspectRatio="none"
            role="img"
            aria-label="Matching messages over time"
        >
            {bars}
        </svg>
    }
}
