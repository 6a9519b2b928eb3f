//! `use_counts`: a panel's data as a signal, reloaded when the resolved view or the
//! reload counter changes. The previous load is aborted first, so a slow old
//! answer can never land in a new view.

use leptos::prelude::*;

use crate::domain::count_table::CountTable;
use crate::domain::insights::anomaly::history_span;
use crate::domain::panels::kpi::previous_period;
use crate::domain::wire::Endpoint;
use crate::engine::fetch::{CountsOutcome, CountsRequest, LoadError, Progress};
use crate::state::load_state::{Holding, LoadState};

use crate::app::abortable::use_abortable_load;
use crate::app::context::use_dashboard;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct CountsView {
    pub load: LoadState,
    pub table: Option<CountTable>,
}

/// A panel's data and its own "retry missing" trigger.
#[derive(Clone, Copy)]
pub struct CountsHandle {
    pub data: RwSignal<CountsView>,
    /// Bumped by "retry missing": settled buckets come from the cache, so only the
    /// failed spans (and any touching now) are fetched again.
    pub retry: RwSignal<u32>,
}

/// Which range a load covers: the view's, the previous period of the same
/// length (key figures), or the weeks before the range that anomaly baselines
/// need (`insights::anomaly::history_span`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Current,
    Previous,
    History,
}

/// Loads `endpoint` for the dashboard's resolved view; `with_intenttype` sends the
/// view's `intenttype` (Intents only).
pub fn use_counts(endpoint: Endpoint, with_intenttype: bool, period: Period) -> CountsHandle {
    let ctx = use_dashboard();
    let out = RwSignal::new(CountsView::default());
    let retry = RwSignal::new(0u32);
    let failed = move |e: String| out.set(CountsView { load: LoadState::failed(e), table: None });
    use_abortable_load(move || {
        let _ = ctx.reload.get();
        let _ = retry.get();
        let resolved = match ctx.resolved.get() {
            Ok(r) => r,
            Err(e) => {
                failed(e);
                return None;
            }
        };
        let range = match period {
            Period::Current => Ok(resolved.span),
            Period::Previous => {
                previous_period(resolved.span, resolved.interval, &resolved.tz).map_err(|e| e.to_string())
            }
            Period::History => history_span(resolved.span, resolved.interval, &resolved.tz)
                .ok_or_else(|| "no history before this range".to_string()),
        };
        let range = match range {
            Ok(r) => r,
            Err(e) => {
                failed(e);
                return None;
            }
        };
        let req = CountsRequest {
            endpoint,
            intenttype: with_intenttype.then_some(resolved.intenttype),
            range,
            interval: resolved.interval,
            tz: resolved.tz_name.clone(),
        };
        out.set(CountsView::default());
        let engine = ctx.engine.get_value();
        Some(async move {
            // try_: the panel may be gone by the time an answer lands.
            let mut on_update = |table: &CountTable, progress: Progress| {
                out.try_update(|v| {
                    v.table = Some(table.clone());
                    v.load.progress = progress;
                });
            };
            let result = engine.load_counts(&req, &mut on_update).await;
            out.try_set(finish(result));
            crate::app::fact_store::save_new(&engine).await;
        })
    });
    CountsHandle { data: out, retry }
}

fn finish(result: Result<CountsOutcome, LoadError>) -> CountsView {
    let outcome = match result {
        Ok(o) => o,
        Err(e) => return CountsView { load: LoadState::failed(e.to_string()), table: None },
    };
    let failures = outcome.failures.iter().map(|(s, e)| (*s, e.to_string())).collect();
    let holding = Holding {
        anything: outcome.table.cells.iter().any(Option::is_some),
        complete: outcome.table.is_complete(),
        nothing_counted: outcome.table.cells.iter().flatten().all(|c| c.values().all(|v| *v == 0)),
    };
    CountsView { load: LoadState::settled(outcome.progress, failures, holding), table: Some(outcome.table) }
}
