//! The anomaly strip `[data-role="anomalies"]` near the top of the page, and the
//! flags the count panels mark on their charts.
//!
//! Per endpoint with a shown panel: the range's counts (the same request the
//! panels make, so the engine shares it: no extra call), then, once those are in,
//! ONE extra range of history before it (`Period::History`, through the engine and
//! its cache), and `domain::insights::anomaly` judges every series the panels show.
//! History starts only after the range's counts are in, so it never delays a chart.

use leptos::prelude::*;

use crate::app::context::use_dashboard;
use crate::app::panels::{use_counts, CountsView, Period};
use crate::domain::insights::anomaly::{completeness, describe, detect_tables, Direction, Finding};
use crate::domain::panels::labels::bucket_label;
use crate::domain::panels::{PanelKind, TableModel};
use crate::domain::time::TimeSpan;
use crate::domain::wire::Endpoint;
use crate::state::load_state::PanelStatus;
use crate::state::view::ExplorerFilters;

use super::open_explorer;

/// One finding on one panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    pub panel: PanelKind,
    pub finding: Finding,
    pub span: TimeSpan,
    /// The bucket as the panel labels it.
    pub when: String,
}

/// The page's flags, by endpoint (each detector replaces its own).
#[derive(Clone, Copy)]
pub struct Anomalies {
    pub flags: RwSignal<Vec<(Endpoint, Vec<Flag>)>>,
}

impl Anomalies {
    pub fn for_panel(&self, kind: PanelKind) -> Vec<Finding> {
        self.flags.with(|all| {
            all.iter().flat_map(|(_, f)| f).filter(|f| f.panel == kind).map(|f| f.finding.clone()).collect()
        })
    }
    /// The endpoint's judgement (an empty list: judged, nothing unusual).
    fn set(&self, endpoint: Endpoint, flags: Vec<Flag>) {
        self.flags.try_update(|all| {
            all.retain(|(e, _)| *e != endpoint);
            all.push((endpoint, flags));
        });
    }
    /// Not judged (yet): its counts are loading, or its panels are gone.
    fn clear(&self, endpoint: Endpoint) {
        self.flags.try_update(|all| all.retain(|(e, _)| *e != endpoint));
    }
}

/// The flags for the count panels' chart marks (`None` before the strip exists).
pub fn use_anomalies() -> Option<Anomalies> {
    use_context::<Anomalies>()
}

const ENDPOINTS: [Endpoint; 4] =
    [Endpoint::Interactions, Endpoint::Intents, Endpoint::InteractionType, Endpoint::CustomerEndpoint];

fn expected_text(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[component]
pub fn AnomalyStrip() -> impl IntoView {
    let ctx = use_dashboard();
    let anomalies = Anomalies { flags: RwSignal::new(Vec::new()) };
    provide_context(anomalies);
    let shown =
        move |e: Endpoint| ctx.view.with(|v| PanelKind::ALL.iter().any(|k| k.endpoint() == e && v.shows(k.name())));
    let detectors = ENDPOINTS
        .into_iter()
        .map(|e| {
            view! {
                <Show when=move || shown(e)>
                    <SeriesDetector endpoint=e />
                </Show>
            }
        })
        .collect_view();
    let items = move || {
        let mut flags: Vec<Flag> = anomalies.flags.with(|a| a.iter().flat_map(|(_, f)| f.clone()).collect());
        flags.sort_by(|a, b| b.span.start.cmp(&a.span.start).then_with(|| a.finding.key.cmp(&b.finding.key)));
        flags
            .into_iter()
            .map(|f| {
                let text = describe(&f.finding, &f.when);
                let title = f.panel.title();
                let mut filters = ExplorerFilters::default();
                if f.panel == PanelKind::Intents {
                    filters.topic = vec![f.finding.key.clone()];
                }
                let span = f.span;
                let open = move |_| open_explorer(&ctx, span, filters.clone());
                let dir = if f.finding.direction == Direction::High { "high" } else { "low" };
                view! {
                    <li>
                        <button
                            type="button"
                            data-role="anomaly"
                            data-panel=f.panel.name().as_str()
                            data-key=f.finding.key.clone()
                            data-start=f.span.start.to_string()
                            data-value=f.finding.value.to_string()
                            data-expected=expected_text(f.finding.expected)
                            data-direction=dir
                            class=format!("anomaly {dir}")
                            on:click=open
                            aria-label=format!("{title}: {text}. Show the messages of that bucket")
                        >
                            <span class="anomaly-panel">{title}</span>
                            " "
                            {text.clone()}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let count = move || anomalies.flags.with(|a| a.iter().map(|(_, f)| f.len()).sum::<usize>());
    // `ready` once every shown endpoint is judged (tests wait for it).
    let state = move || {
        let judged = anomalies.flags.with(|a| ENDPOINTS.iter().all(|e| !shown(*e) || a.iter().any(|(x, _)| x == e)));
        if judged {
            "ready"
        } else {
            "loading"
        }
    };
    view! {
        <section
            class="anomalies"
            data-role="anomalies"
            aria-label="Unusual buckets"
            data-count=move || count().to_string()
            data-state=state
        >
            {detectors}
            <Show when=move || count() != 0>
                <h2 class="anomalies-title">"Unusual"</h2>
                <ul class="anomaly-list">{items}</ul>
            </Show>
        </section>
    }
}

/// One endpoint's range counts (shared with its panels) and, once in, its history.
#[component]
fn SeriesDetector(endpoint: Endpoint) -> impl IntoView {
    let anomalies = expect_context::<Anomalies>();
    let current = use_counts(endpoint, endpoint == Endpoint::Intents, Period::Current).data;
    let settled = move || current.with(|c| !matches!(c.load.status, PanelStatus::Loading | PanelStatus::Error));
    Effect::new(move |_| {
        // Loading: not judged yet; failed: nothing to judge (the panel says why).
        match current.with(|c| c.load.status) {
            PanelStatus::Loading => anomalies.clear(endpoint),
            PanelStatus::Error => anomalies.set(endpoint, Vec::new()),
            _ => {}
        }
    });
    on_cleanup(move || anomalies.clear(endpoint));
    view! {
        <Show when=settled>
            <HistoryDetector endpoint current />
        </Show>
    }
}

#[component]
fn HistoryDetector(endpoint: Endpoint, current: RwSignal<CountsView>) -> impl IntoView {
    // Nothing to draw: the strip lists what this finds.
    let ctx = use_dashboard();
    let anomalies = expect_context::<Anomalies>();
    let history = use_counts(endpoint, endpoint == Endpoint::Intents, Period::History).data;
    Effect::new(move |_| {
        let h = history.get();
        if h.load.status == PanelStatus::Loading {
            return;
        }
        let Some(cur) = current.with(|c| c.table.clone()) else { return };
        let Ok(r) = ctx.resolved.get() else { return };
        let tz = r.tz.clone();
        let complete = completeness(&cur, r.interval, &tz, ctx.engine.get_value().now_ms());
        let mut flags = Vec::new();
        for kind in PanelKind::ALL.into_iter().filter(|k| k.endpoint() == endpoint) {
            if !ctx.view.with_untracked(|v| v.shows(kind.name())) {
                continue;
            }
            let keys: Vec<String> =
                TableModel::build(kind, &cur).columns.into_iter().filter(|c| !c.derived).map(|c| c.key).collect();
            for finding in detect_tables(h.table.as_ref(), &cur, &keys, r.interval, &complete) {
                let span = cur.bucket(finding.index);
                let when = bucket_label(span.start, r.interval, &tz);
                flags.push(Flag { panel: kind, finding, span, when });
            }
        }
        anomalies.set(endpoint, flags);
    });
}
