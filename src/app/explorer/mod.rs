//! The message explorer (issue 6): `section[data-panel="messages"]`.
//!
//! `Explorer` loads the range's messages through the engine (progress, states,
//! retry), builds the index once per load, and keeps the filters in sync with the
//! view (so with the URL). `ExplorerBody` is everything under it and needs only an
//! `ExplorerContext` in context: the browser tests mount it with a synthetic index.

mod detail;
mod download;
mod facets;
mod list;
#[cfg(test)]
mod tests;
mod text;

use std::sync::Arc;

use jiff::tz::TimeZone;
use leptos::prelude::*;

use crate::domain::explorer::filter::{apply_timed, FilterResult, FilterSpec};
use crate::domain::insights::quality::QualityFilter;
use crate::domain::time::zone;
use crate::state::view::ExplorerFilters;

use super::context::use_dashboard;
use super::messages_feed::{use_messages_feed, FeedStatus};

pub use detail::Detail;
pub use list::MessageList;
pub use text::MessageText;

pub use crate::app::messages_feed::Loaded;

/// A filter result for one index.
#[derive(Clone)]
pub struct Filtered {
    pub loaded: Loaded,
    pub result: Arc<FilterResult>,
    pub text_ms: f64,
    pub facet_ms: f64,
}

impl PartialEq for Filtered {
    fn eq(&self, other: &Self) -> bool {
        self.loaded == other.loaded && Arc::ptr_eq(&self.result, &other.result)
    }
}

impl Filtered {
    /// The message at display position `pos` (newest first reverses the ts order).
    pub fn at(&self, pos: usize, newest_first: bool) -> Option<u32> {
        let m = &self.result.matches;
        if pos >= m.len() {
            return None;
        }
        Some(if newest_first { m[m.len() - 1 - pos] } else { m[pos] })
    }
    pub fn len(&self) -> usize {
        self.result.matches.len()
    }
}

/// Everything the explorer's parts share.
#[derive(Clone, Copy)]
pub struct ExplorerContext {
    pub loaded: RwSignal<Option<Loaded>>,
    pub filters: RwSignal<ExplorerFilters>,
    pub filtered: Memo<Option<Filtered>>,
    /// The folded query, for highlights.
    pub query: Memo<String>,
    pub newest_first: RwSignal<bool>,
    /// The focused display position in the list.
    pub active: RwSignal<Option<usize>>,
    /// The message whose detail is open.
    pub opened: RwSignal<Option<u32>>,
    /// The zone name times are shown in.
    pub tz: Signal<String>,
}

impl ExplorerContext {
    /// With its own (empty) load: the browser tests fill it.
    #[cfg(test)]
    pub fn new(tz: Signal<String>) -> ExplorerContext {
        ExplorerContext::with_loaded(tz, RwSignal::new(None), crate::domain::insights::quality::DEFAULT_LOW_CONFIDENCE)
    }

    /// Over a load owned elsewhere (the page's messages feed); `low_confidence` is
    /// config `lowConfidenceScore`, for the `confidence=low` filter.
    pub fn with_loaded(tz: Signal<String>, loaded: RwSignal<Option<Loaded>>, low_confidence: f64) -> ExplorerContext {
        let filters = RwSignal::new(ExplorerFilters::default());
        let filtered = Memo::new(move |prev: Option<&Option<Filtered>>| {
            let loaded = loaded.get()?;
            filters.with(|f| {
                let spec = FilterSpec {
                    q: &f.q,
                    sendertype: &f.sendertype,
                    topic: &f.topic,
                    workflow: &f.workflow,
                    sentiment: &f.sentiment,
                    quality: QualityFilter {
                        low_confidence: f.low_confidence.then_some(low_confidence),
                        ambiguous: f.ambiguous,
                        pair: f.pair.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                    },
                };
                let previous = prev.and_then(|p| p.as_ref()).filter(|p| p.loaded == loaded).map(|p| &*p.result);
                let (result, [text_ms, facet_ms]) = apply_timed(&loaded.index, &spec, previous, &perf_now);
                Some(Filtered { loaded: loaded.clone(), result: Arc::new(result), text_ms, facet_ms })
            })
        });
        let query = Memo::new(move |_| crate::domain::explorer::tokens::fold(&filters.with(|f| f.q.clone())));
        ExplorerContext {
            loaded,
            filters,
            filtered,
            query,
            newest_first: RwSignal::new(true),
            active: RwSignal::new(None),
            opened: RwSignal::new(None),
            tz,
        }
    }

    pub fn zone(&self) -> TimeZone {
        zone(&self.tz.get_untracked()).unwrap_or(TimeZone::UTC)
    }
}

pub fn use_explorer() -> ExplorerContext {
    expect_context::<ExplorerContext>()
}

pub use crate::app::messages_feed::perf_now;

/// How long typing must pause before the filters reach the view and the URL.
const VIEW_SYNC_MS: u64 = 250;

#[component]
pub fn Explorer() -> impl IntoView {
    let ctx = use_dashboard();
    let tz = Signal::derive(move || {
        ctx.resolved.with(|r| r.as_ref().map(|r| r.tz_name.clone()).unwrap_or_else(|_| "UTC".into()))
    });
    let feed = use_messages_feed();
    let explorer = ExplorerContext::with_loaded(tz, feed.loaded, feed.low_confidence);
    provide_context(explorer);

    // Filters and order <-> view (and so the URL); each side writes only when different.
    explorer.filters.set(ctx.view.with_untracked(|v| v.filters.clone()));
    explorer.newest_first.set(ctx.view.with_untracked(|v| !v.oldest_first));
    Effect::new(move |_| {
        let newest = ctx.view.with(|v| !v.oldest_first);
        if explorer.newest_first.get_untracked() != newest {
            explorer.newest_first.set(newest);
        }
    });
    Effect::new(move |_| {
        let oldest = !explorer.newest_first.get();
        if ctx.view.with_untracked(|v| v.oldest_first != oldest) {
            ctx.view.update(|v| v.oldest_first = oldest);
        }
    });
    Effect::new(move |_| {
        let f = ctx.view.with(|v| v.filters.clone());
        if explorer.filters.with_untracked(|g| *g != f) {
            explorer.filters.set(f);
        }
    });
    // The list follows every key at once; the view (URL, anything stored with it)
    // follows once typing pauses, so a keystroke pays only for the filter.
    let pending: StoredValue<Option<leptos::prelude::TimeoutHandle>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let f = explorer.filters.get();
        if let Some(h) = pending.try_update_value(|p| p.take()).flatten() {
            h.clear();
        }
        if ctx.view.with_untracked(|v| v.filters == f) {
            return;
        }
        let handle = set_timeout_with_handle(
            move || {
                let f = explorer.filters.get_untracked();
                if ctx.view.with_untracked(|v| v.filters != f) {
                    ctx.view.update(|v| v.filters = f);
                }
            },
            std::time::Duration::from_millis(VIEW_SYNC_MS),
        );
        pending.set_value(handle.ok());
    });

    // The page's one messages load; a new load closes the detail and the focus.
    let state = feed.state;
    Effect::new(move |_| {
        feed.loaded.track();
        explorer.opened.set(None);
        explorer.active.set(None);
    });

    view! {
        <section
            class="panel explorer"
            id="explorer"
            data-panel="messages"
            data-state=move || state.with(|s| s.load.status.as_str())
            aria-labelledby="panel-messages-title"
        >
            <header class="panel-head">
                <h2 id="panel-messages-title">"Messages"</h2>
            </header>
            <FeedStatus empty_text="No messages in this range. Try a longer range, or move it back with ◀ (keys t ←)." />
            <span
                data-role="perf"
                hidden
                data-load-ms=move || format!("{:.1}", state.with(|s| s.load_ms))
                data-index-ms=move || format!("{:.1}", state.with(|s| s.index_ms))
                data-filter-ms=move || {
                    explorer.filtered.with(|f| f.as_ref().map(|f| format!("{:.2}", f.text_ms)).unwrap_or_default())
                }
                data-facet-ms=move || {
                    explorer.filtered.with(|f| f.as_ref().map(|f| format!("{:.2}", f.facet_ms)).unwrap_or_default())
                }
            ></span>
            <ExplorerBody />
        </section>
    }
}

/// Search, facets, histogram, list, detail and export, over `ExplorerContext` from context.
#[component]
pub fn ExplorerBody() -> impl IntoView {
    let explorer = use_explorer();
    let on_search = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        explorer.filters.update(|f| f.q = v);
    };
    let total = move || explorer.loaded.with(|l| l.as_ref().map(|l| l.index.len()).unwrap_or(0));
    let count = move || explorer.filtered.with(|f| f.as_ref().map(Filtered::len).unwrap_or(0));
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && explorer.opened.get_untracked().is_some() {
            ev.prevent_default();
            explorer.opened.set(None);
            list::focus_list();
        }
    };
    view! {
        <div class="ex-body" on:keydown=on_keydown>
            <div class="ex-toolbar">
                <input
                    type="search"
                    name="q"
                    placeholder="Search message text (e.g. refund or ****NAME****)"
                    aria-label="Search messages"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || explorer.filters.with(|f| f.q.clone())
                    on:input=on_search
                />
                <output data-role="match-count" data-value=move || count().to_string() aria-live="polite">
                    {move || format!("{} of {} messages", count(), total())}
                </output>
                <label class="ex-order">
                    "Order "
                    <select
                        name="order"
                        on:change=move |ev| explorer.newest_first.set(event_target_value(&ev) != "oldest")
                    >
                        <option value="newest" selected=move || explorer.newest_first.get()>
                            "Newest first"
                        </option>
                        <option value="oldest" selected=move || !explorer.newest_first.get()>
                            "Oldest first"
                        </option>
                    </select>
                </label>
                <download::ExportButtons />
            </div>
            <crate::app::insights::QualityFilterChips />
            <facets::Histogram />
            <div class="ex-main">
                <facets::Facets />
                <MessageList />
                <Detail />
            </div>
        </div>
    }
}
