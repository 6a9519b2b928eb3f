//! Split points: the views the first chart of a counts-only view does not need
//! (the message explorer, the insight panels, saved views, the range popover's
//! body). With the `split` feature each `#[lazy]` function below goes into its own
//! wasm chunk, fetched the first time it is called (`cargo xtask wasm-split` makes
//! the chunks; README "Building"). Without the feature (tests, clippy) they are
//! plain functions and the same code paths run, only without a fetch.
//!
//! Header pieces wait for the first chart (`defer_until_first_chart`), so their
//! chunks never compete with the counts and ECharts for the network.

use std::future::Future;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::picker::RangeAtNow;
use crate::domain::panels::PanelKind;

/// Calls split point `$f` with `$a`: a future of its view (with the `split`
/// feature, its chunk is fetched first).
#[cfg(feature = "split")]
macro_rules! split_call {
    ($f:path $(, $a:expr)*) => { $f($($a),*) };
}
#[cfg(not(feature = "split"))]
macro_rules! split_call {
    ($f:path $(, $a:expr)*) => { async move { $f($($a),*) } };
}
pub(crate) use split_call;

/// Shows the view a split point makes once its chunk has loaded (nothing before).
pub fn lazy_view(load: impl Future<Output = AnyView> + 'static) -> impl IntoView {
    // One thread in a browser: Suspend's Send bound is satisfied by the wrapper.
    let load = SendWrapper::new(load);
    view! { <Suspense fallback=|| ()>{Suspend::new(load)}</Suspense> }
}

thread_local! {
    static FIRST_CHART: ArcRwSignal<bool> = ArcRwSignal::new(false);
}

/// Called by a chart once it has drawn: deferred pieces may load now. Leaves the
/// performance mark `first-chart` (tests and the benchmark read it).
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

/// How long deferred pieces wait for a first chart that may never come (panels
/// that failed). Long enough not to compete with a slow first load.
const DEFER_AT_MOST_MS: u32 = 10_000;

/// True from the moment the page's first chart is drawn, the view shows no count
/// panel (no chart to wait for), or `DEFER_AT_MOST_MS` have passed; never false
/// again. Always true without the `split` feature (the wasm tests).
pub fn use_after_first_chart() -> Signal<bool> {
    // Without the split there is nothing to fetch, so nothing to hold back.
    if !cfg!(feature = "split") {
        return Signal::stored(true);
    }
    let view = super::context::use_dashboard().view;
    let drawn = FIRST_CHART.with(|s| s.clone());
    let timed_out = RwSignal::new(false);
    if !drawn.get_untracked() {
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(DEFER_AT_MOST_MS).await;
            timed_out.try_set(true);
        });
    }
    let no_chart = move || view.with(|v| !PanelKind::ALL.iter().any(|k| v.shows(k.name())));
    Memo::new(move |was: Option<&bool>| was == Some(&true) || drawn.get() || timed_out.get() || no_chart()).into()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn explorer() -> AnyView {
    untrack(|| view! { <super::explorer::Explorer /> }.into_any())
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn sentiment_panel() -> AnyView {
    untrack(|| view! { <super::insights::SentimentPanel /> }.into_any())
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn intent_quality_panel() -> AnyView {
    untrack(|| view! { <super::insights::IntentQualityPanel /> }.into_any())
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn saved_views_menu() -> AnyView {
    untrack(|| view! { <super::picker::SavedViewsMenu /> }.into_any())
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub fn range_popover_body(range_at_now: Memo<Result<RangeAtNow, String>>) -> AnyView {
    untrack(|| super::picker::range_popover_body(range_at_now))
}
