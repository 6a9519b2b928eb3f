//! Split points: the views the first chart of a counts-only view does not need
//! (the message explorer, the insight panels, saved views, the range popover's
//! body). With the `split` feature each `#[lazy]` function below goes into its own
//! wasm chunk, fetched the first time it is called (`cargo xtask wasm-split` makes
//! the chunks; README "Building"). Without the feature (tests, clippy) they are
//! plain functions and the same code paths run, only without a fetch.
//!
//! Header pieces wait for the first load (`use_after_first_load`: the first chart
//! drawn and every count panel's answer in), so their chunks never compete with
//! the counts and ECharts for the network or the main thread.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::future::Future;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::picker::RangeAtNow;
use crate::domain::panels::PanelKind;

/// Calls split point `$f` with `$a`: a future of its view (with the `split`
/// feature, its chunk is fetched first, and a chunk that cannot be fetched is an
/// `Err`).
#[cfg(feature = "split")]
macro_rules! split_call {
    ($f:path $(, $a:expr)*) => { $f($($a),*) };
}
#[cfg(not(feature = "split"))]
macro_rules! split_call {
    ($f:path $(, $a:expr)*) => { async move { $f($($a),*) } };
}
pub(crate) use split_call;

/// A chunk that did not arrive: offline, a proxy error, or a new release that
/// replaced this one's files on the server.
pub use leptos::wasm_split::SplitLoaderError as ChunkError;

/// Declares a split point: with the `split` feature its body goes into its own
/// wasm chunk (`$module` names it: `split_$module.wasm`) and a failed download
/// comes back as `Err(ChunkError)`, which `lazy_view` shows; without the feature
/// it is a plain function. leptos' own `#[lazy]` panics instead, which stops the
/// whole page, so the lower-level macro it wraps is used with `fallible`.
macro_rules! split_point {
    ($module:ident, $(#[$m:meta])* pub fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        $(#[$m])*
        #[cfg_attr(
            feature = "split",
            leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible)
        )]
        pub fn $name($($arg: $ty),*) -> Result<AnyView, ChunkError> {
            Ok(untrack(|| $body))
        }
    };
}

/// Shows the view a split point makes once its chunk has loaded (nothing
/// before). `load` starts a load; when one fails, an alert says so and offers a
/// retry, which calls `load` again (a failed chunk is not remembered as failed).
pub fn lazy_view<F>(load: impl Fn() -> F + 'static) -> impl IntoView
where
    F: Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    // One thread in a browser: the Send bounds of views are met by the wrappers.
    let load = SendWrapper::new(load);
    move || {
        attempt.track();
        let loading = SendWrapper::new(load());
        let loaded = async move {
            match loading.await {
                Ok(view) => view,
                Err(_) => view! { <ChunkFailed retry=move || attempt.update(|n| *n += 1) /> }.into_any(),
            }
        };
        view! { <Suspense fallback=|| ()>{Suspend::new(SendWrapper::new(loaded))}</Suspense> }
    }
}

/// Where a part of the page should be, when its chunk could not be downloaded.
#[component]
fn ChunkFailed(retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div class="chunk-failed" role="alert" data-role="chunk-failed">
            <p>
                "This part of the dashboard could not be downloaded. Check the connection and try again; "
                "if the dashboard was updated meanwhile, reload the page."
            </p>
            <button type="button" data-action="retry-chunk" on:click=move |_| retry()>
                "Try again"
            </button>
        </div>
    }
}

thread_local! {
    static FIRST_CHART: ArcRwSignal<bool> = ArcRwSignal::new(false);
    /// Count panels still loading their first answer, by a number of their own.
    static LOADING_PANELS: ArcRwSignal<BTreeSet<u64>> = ArcRwSignal::new(BTreeSet::new());
    static NEXT_PANEL: Cell<u64> = const { Cell::new(0) };
}

/// Called by a chart once it has drawn. Leaves the performance mark
/// `first-chart` (tests and the benchmark read it).
pub fn first_chart_drawn() {
    FIRST_CHART.with(|s| {
        if !s.get_untracked() {
            if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                let _ = p.mark("first-chart");
            }
            s.set(true);
        }
    });
}

/// A count panel holds the deferred pieces back while `loading()` is true: the
/// first chart is often drawn from the first of several answers, and chunks
/// compiled then would compete with the rest of the page's first load for the
/// main thread (measured: `cargo xtask bench --first-chart`, README "Figures").
pub fn hold_deferred_while(loading: impl Fn() -> bool + Send + Sync + 'static) {
    let id = NEXT_PANEL.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    let set = LOADING_PANELS.with(|s| s.clone());
    let for_effect = set.clone();
    Effect::new(move |_| {
        let busy = loading();
        for_effect.update(|s| {
            if busy {
                s.insert(id);
            } else {
                s.remove(&id);
            }
        });
    });
    on_cleanup(move || {
        set.try_update(|s| s.remove(&id));
    });
}

/// How long deferred pieces wait for a first load that may never end (a panel
/// that keeps retrying). Long enough not to compete with a slow first load.
const DEFER_AT_MOST_MS: u32 = 10_000;

/// True from the moment the page's first chart is drawn and no count panel is
/// still loading, or the view shows no count panel (no chart to wait for), or
/// `DEFER_AT_MOST_MS` have passed; never false again. Always true without the
/// `split` feature (the wasm tests).
pub fn use_after_first_load() -> Signal<bool> {
    // Without the split there is nothing to fetch, so nothing to hold back.
    if !cfg!(feature = "split") {
        return Signal::stored(true);
    }
    let view = super::context::use_dashboard().view;
    let drawn = FIRST_CHART.with(|s| s.clone());
    let loading = LOADING_PANELS.with(|s| s.clone());
    let timed_out = RwSignal::new(false);
    if !drawn.get_untracked() {
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(DEFER_AT_MOST_MS).await;
            timed_out.try_set(true);
        });
    }
    let no_chart = move || view.with(|v| !PanelKind::ALL.iter().any(|k| v.shows(k.name())));
    Memo::new(move |was: Option<&bool>| {
        was == Some(&true) || (drawn.get() && loading.with(BTreeSet::is_empty)) || timed_out.get() || no_chart()
    })
    .into()
}

split_point!(
    explorer_part,
    pub fn explorer() {
        view! { <super::explorer::Explorer /> }.into_any()
    }
);

split_point!(
    sentiment_panel_part,
    pub fn sentiment_panel() {
        view! { <super::insights::SentimentPanel /> }.into_any()
    }
);

split_point!(
    intent_quality_panel_part,
    pub fn intent_quality_panel() {
        view! { <super::insights::IntentQualityPanel /> }.into_any()
    }
);

split_point!(
    saved_views_menu_part,
    pub fn saved_views_menu() {
        view! { <super::picker::SavedViewsMenu /> }.into_any()
    }
);

split_point!(
    range_popover_body_part,
    pub fn range_popover_body(range_at_now: Memo<Result<RangeAtNow, String>>) {
        super::picker::range_popover_body(range_at_now)
    }
);
