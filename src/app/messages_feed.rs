//! `MessagesFeed`: the range's messages, loaded ONCE through the engine for every
//! part of the page that reads them (the explorer, the sentiment and
//! intent-quality panels), with the load's state and retry; and `FeedStatus`, the
//! page's one status view (`LoadStatus`) over it.
//!
//! Provided by the dashboard; the load (the page's one loader hook) runs while any
//! of those panels is shown and restarts when the range, the reload counter or the
//! retry counter changes.

use std::sync::Arc;

use jiff::tz::TimeZone;
use leptos::prelude::*;

use crate::domain::explorer::MessageIndex;
use crate::domain::time::TimeSpan;
use crate::engine::fetch::Progress;
use crate::state::load_state::{Holding, LoadState};

use super::abortable::use_abortable_load;
use super::context::{use_dashboard, DashboardContext};
use super::load_status::{LoadStatus, StatusTexts};

/// An index with the load it came from (explorer rows are keyed by it).
#[derive(Clone)]
pub struct Loaded {
    pub index: Arc<MessageIndex>,
    pub generation: u32,
    /// The range loaded.
    pub span: TimeSpan,
    /// Spans that failed after retries: what they hold is unknown, never zero.
    pub failed: Arc<Vec<TimeSpan>>,
}

impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.index, &other.index) && self.generation == other.generation
    }
}

/// Where the load stands, and what it cost.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LoadView {
    pub load: LoadState,
    pub received: usize,
    pub load_ms: f64,
    pub index_ms: f64,
}

#[derive(Clone, Copy)]
pub struct MessagesFeed {
    pub loaded: RwSignal<Option<Loaded>>,
    pub state: RwSignal<LoadView>,
    /// Bumped by a panel's "Retry": loads the range again.
    pub retry: RwSignal<u32>,
    /// Config `lowConfidenceScore`.
    pub low_confidence: f64,
}

pub fn use_messages_feed() -> MessagesFeed {
    expect_context::<MessagesFeed>()
}

pub fn perf_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Creates and provides the feed; it loads while `wanted` is true.
pub fn provide_messages_feed(ctx: DashboardContext, wanted: Signal<bool>, low_confidence: f64) -> MessagesFeed {
    let feed = MessagesFeed {
        loaded: RwSignal::new(None),
        state: RwSignal::new(LoadView::default()),
        retry: RwSignal::new(0),
        low_confidence,
    };
    provide_context(feed);
    let span = Memo::new(move |_| ctx.resolved.with(|r| r.as_ref().map(|r| r.span).map_err(|e| e.clone())));
    let generation = StoredValue::new(0u32);
    use_abortable_load(move || {
        let _ = ctx.reload.get();
        let _ = feed.retry.get();
        if !wanted.get() {
            return None;
        }
        let span = match span.get() {
            Ok(s) => s,
            Err(e) => {
                feed.loaded.set(None);
                feed.state.set(LoadView { load: LoadState::failed(e), ..LoadView::default() });
                return None;
            }
        };
        feed.state.set(LoadView::default());
        let engine = ctx.engine.get_value();
        Some(async move {
            let started = perf_now();
            // try_: the page may be gone by the time an answer lands.
            let mut on_update = |progress: Progress, received: usize| {
                feed.state.try_update(|s| {
                    s.load.progress = progress;
                    s.received = received;
                });
            };
            let outcome = engine.load_messages(span, &mut on_update).await;
            let load_ms = perf_now() - started;
            let t0 = perf_now();
            let count = outcome.messages.len();
            let index = Arc::new(MessageIndex::build(outcome.messages));
            let index_ms = perf_now() - t0;
            let failures: Vec<(TimeSpan, String)> = outcome.failures.iter().map(|(s, e)| (*s, e.to_string())).collect();
            let holding = Holding { anything: count > 0, complete: true, nothing_counted: count == 0 };
            let Some(gen) = generation.try_get_value().map(|g| g + 1) else { return };
            generation.set_value(gen);
            let failed = Arc::new(failures.iter().map(|(s, _)| *s).collect());
            feed.loaded.try_set(Some(Loaded { index, generation: gen, span, failed }));
            feed.state.try_set(LoadView {
                load: LoadState::settled(outcome.progress, failures, holding),
                received: count,
                load_ms,
                index_ms,
            });
        })
    });
    feed
}

/// The feed's state as a panel shows it (progress, error, missing spans, empty).
#[component]
pub fn FeedStatus(
    /// "No messages in this range." and the like.
    empty_text: &'static str,
) -> impl IntoView {
    let ctx = use_dashboard();
    let feed = use_messages_feed();
    let texts = StatusTexts {
        loading: "Loading messages",
        what: "messages".into(),
        partial: "messages from these spans are missing:",
        empty: empty_text,
    };
    let progress_detail = Signal::derive(move || {
        feed.state
            .with(|s| format!("{} of {} calls, {} messages", s.load.progress.done, s.load.progress.total, s.received))
    });
    let tz = Signal::derive(move || ctx.resolved.with(|r| r.as_ref().map(|r| r.tz.clone()).unwrap_or(TimeZone::UTC)));
    view! {
        <LoadStatus
            state=Signal::derive(move || feed.state.with(|s| s.load.clone()))
            texts=texts
            progress_detail=progress_detail
            tz=tz
            retry=Callback::new(move |_| feed.retry.update(|n| *n += 1))
        />
    }
}
