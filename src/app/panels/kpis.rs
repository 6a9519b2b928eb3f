//! The key figures strip (ui-hooks "Key figures"): each card has `data-kpi`,
//! `data-value` and `data-previous` (absent when there is no figure, shown as
//! "n/a") and `data-state` (`loading` until both periods have settled).

use leptos::prelude::*;

use crate::domain::panels::kpi::KpiName;
use crate::domain::wire::Endpoint;

use super::load::{use_counts, CountsHandle, Period};
use crate::state::load_state::PanelStatus;

#[component]
pub fn KeyFigures() -> impl IntoView {
    let load = |e, p| use_counts(e, false, p);
    let now = (load(Endpoint::Interactions, Period::Current), load(Endpoint::InteractionType, Period::Current));
    let before = (load(Endpoint::Interactions, Period::Previous), load(Endpoint::InteractionType, Period::Previous));
    let cards = KpiName::ALL.into_iter().map(|k| view! { <Card kpi=k now=now before=before /> }).collect_view();
    view! {
        <section class="kpis" aria-label="Key figures">
            {cards}
        </section>
    }
}

fn figure(kpi: KpiName, (i, t): (CountsHandle, CountsHandle)) -> Option<f64> {
    i.data.with(|i| t.data.with(|t| kpi.compute(i.table.as_ref(), t.table.as_ref())))
}

fn settled((i, t): (CountsHandle, CountsHandle)) -> bool {
    i.data.with(|d| !d.load.is(PanelStatus::Loading)) && t.data.with(|d| !d.load.is(PanelStatus::Loading))
}

#[component]
fn Card(kpi: KpiName, now: (CountsHandle, CountsHandle), before: (CountsHandle, CountsHandle)) -> impl IntoView {
    let value = Memo::new(move |_| figure(kpi, now));
    let previous = Memo::new(move |_| figure(kpi, before));
    let state = move || if settled(now) && settled(before) { "ready" } else { "loading" };
    let change = move || kpi.change(value.get(), previous.get());
    let trend = move || match change() {
        Some(c) if c > 0.0 => "up",
        Some(c) if c < 0.0 => "down",
        _ => "flat",
    };
    view! {
        <div
            class="kpi"
            data-kpi=kpi.as_str()
            data-state=state
            data-value=move || value.get().map(|v| v.to_string())
            data-previous=move || previous.get().map(|v| v.to_string())
        >
            <span class="kpi-label">{kpi.label()}</span>
            // While loading, a skeleton (CSS) rather than an "n/a" that is not yet true.
            <span class="kpi-value">
                {move || if state() == "loading" { "Loading…".to_string() } else { kpi.format_value(value.get()) }}
            </span>
            <span class="kpi-change" data-trend=trend>
                {move || {
                    if state() == "loading" {
                        "Comparing with the previous period…".to_string()
                    } else {
                        format!(
                            "{} vs previous period ({})",
                            kpi.format_change(change()),
                            kpi.format_value(previous.get()),
                        )
                    }
                }}
            </span>
        </div>
    }
}
