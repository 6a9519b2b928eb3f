//! `use_counts`: a panel's data as a signal, reloaded when the resolved view or the
//! reload counter changes. The previous load is aborted first, so a slow old
//! answer can never land in a new view.

use std::sync::{Arc, Mutex};

use futures::future::{abortable, AbortHandle};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::count_table::CountTable;
use crate::domain::panels::kpi::previous_period;
use crate::domain::time::{zone, TimeSpan};
use crate::domain::wire::Endpoint;
use crate::engine::fetch::{CountsRequest, Progress};

use crate::app::dashboard::use_dashboard;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelStatus {
    Loading,
    Ready,
    Empty,
    Partial,
    Error,
}

impl PanelStatus {
    /// The `data-state` value of ui-hooks.
    pub fn as_str(&self) -> &'static str {
        match self {
            PanelStatus::Loading => "loading",
            PanelStatus::Ready => "ready",
            PanelStatus::Empty => "empty",
            PanelStatus::Partial => "partial",
            PanelStatus::Error => "error",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CountsView {
    pub status: PanelStatus,
    pub table: Option<CountTable>,
    pub progress: Progress,
    /// Spans that failed after retries, with why.
    pub failures: Vec<(TimeSpan, String)>,
    /// Why nothing loaded (status `error`).
    pub error: Option<String>,
}

impl CountsView {
    fn loading() -> Self {
        CountsView {
            status: PanelStatus::Loading,
            table: None,
            progress: Progress::default(),
            failures: Vec::new(),
            error: None,
        }
    }
}

/// A panel's data and its own "retry missing" trigger.
#[derive(Clone, Copy)]
pub struct CountsHandle {
    pub data: RwSignal<CountsView>,
    /// Bumped by "retry missing": settled buckets come from the cache, so only the
    /// failed spans (and any touching now) are fetched again.
    pub retry: RwSignal<u32>,
}

/// Which range a load covers: the view's, or the previous period of the same
/// length (key figures).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Current,
    Previous,
}

/// Loads `endpoint` for the dashboard's resolved view; `with_intenttype` sends the
/// view's `intenttype` (Intents only).
pub fn use_counts(endpoint: Endpoint, with_intenttype: bool, period: Period) -> CountsHandle {
    let ctx = use_dashboard();
    let out = RwSignal::new(CountsView::loading());
    let retry = RwSignal::new(0u32);
    // Held outside the reactive arena: the cleanup must still find the handle when
    // the owner's stored values are already disposed, or a load would outlive its
    // panel and write to disposed signals.
    let running: Arc<Mutex<Option<AbortHandle>>> = Arc::default();
    let for_cleanup = running.clone();
    on_cleanup(move || abort(&for_cleanup));
    Effect::new(move |_| {
        let _ = ctx.reload.get();
        let _ = retry.get();
        let resolved = ctx.resolved.get();
        abort(&running);
        let resolved = match resolved {
            Ok(r) => r,
            Err(e) => {
                out.set(CountsView { status: PanelStatus::Error, error: Some(e), ..CountsView::loading() });
                return;
            }
        };
        let range = match period {
            Period::Current => Ok(resolved.span),
            Period::Previous => zone(&resolved.tz)
                .ok_or_else(|| format!("unknown time zone {}", resolved.tz))
                .and_then(|tz| previous_period(resolved.span, resolved.interval, &tz).map_err(|e| e.to_string())),
        };
        let range = match range {
            Ok(r) => r,
            Err(e) => {
                out.set(CountsView { status: PanelStatus::Error, error: Some(e), ..CountsView::loading() });
                return;
            }
        };
        let req = CountsRequest {
            endpoint,
            intenttype: with_intenttype.then_some(resolved.intenttype),
            range,
            interval: resolved.interval,
            tz: resolved.tz.clone(),
        };
        out.set(CountsView::loading());
        let engine = ctx.engine.get_value();
        let (task, handle) = abortable(async move {
            // try_: the panel may be gone by the time an answer lands.
            let mut on_update = |table: &CountTable, progress: Progress| {
                out.try_update(|v| {
                    v.table = Some(table.clone());
                    v.progress = progress;
                });
            };
            let result = engine.load_counts(&req, &mut on_update).await;
            out.try_set(finish(result));
            crate::app::fact_store::save_new(&engine).await;
        });
        *running.lock().unwrap() = Some(handle);
        spawn_local(async move {
            let _ = task.await;
        });
    });
    CountsHandle { data: out, retry }
}

fn abort(running: &Mutex<Option<AbortHandle>>) {
    if let Some(h) = running.lock().ok().and_then(|mut r| r.take()) {
        h.abort();
    }
}

fn finish(result: Result<crate::engine::fetch::CountsOutcome, crate::engine::fetch::LoadError>) -> CountsView {
    let outcome = match result {
        Ok(o) => o,
        Err(e) => {
            return CountsView { status: PanelStatus::Error, error: Some(e.to_string()), ..CountsView::loading() }
        }
    };
    let failures: Vec<(TimeSpan, String)> = outcome.failures.iter().map(|(s, e)| (*s, e.to_string())).collect();
    let any_known = outcome.table.cells.iter().any(Option::is_some);
    let status = if !outcome.failures.is_empty() && !any_known {
        PanelStatus::Error
    } else if !outcome.failures.is_empty() || !outcome.table.is_complete() {
        PanelStatus::Partial
    } else if outcome.table.cells.iter().flatten().all(|c| c.values().all(|v| *v == 0)) {
        PanelStatus::Empty
    } else {
        PanelStatus::Ready
    };
    let error = (status == PanelStatus::Error).then(|| failures.first().map(|(_, e)| e.clone()).unwrap_or_default());
    CountsView { status, table: Some(outcome.table), progress: outcome.progress, failures, error }
}
