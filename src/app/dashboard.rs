//! The dashboard page: view state from the URL, the picker, the panels.

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::config::DeploymentConfig;
use crate::domain::panels::{PanelKind, PanelName};
use crate::domain::time::range_expr::ResolveOptions;
use crate::domain::time::{default_interval, zone, Interval, TimeSpan};
use crate::domain::wire::IntentType;
use crate::engine::fetch::{EngineSettings, FetchEngine};
use crate::state::view::ViewState;

use super::browser::{self, BrowserClock, BrowserTransport};
use super::explorer::Explorer;
use super::panels::CountsPanel;
use super::picker::{AutoRefresh, Picker, RememberLastView, SavedViewsMenu, ThemeSwitch};

/// What every panel loads for: the view resolved against the clock.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub span: TimeSpan,
    pub interval: Interval,
    pub tz: String,
    pub intenttype: IntentType,
}

/// Shared by every component of the page.
#[derive(Clone, Copy)]
pub struct DashboardContext {
    pub view: RwSignal<ViewState>,
    /// The instant relative ranges resolve against; moved by refresh.
    pub now: RwSignal<i64>,
    pub resolved: Memo<Result<Resolved, String>>,
    pub engine: StoredValue<Rc<FetchEngine>, LocalStorage>,
    /// Bumped to reload every panel (retry, refresh).
    pub reload: RwSignal<u32>,
    /// The deployment's week start, for `now/w` everywhere a range is resolved.
    pub resolve_options: ResolveOptions,
}

pub fn use_dashboard() -> DashboardContext {
    expect_context::<DashboardContext>()
}

pub(super) fn resolve(view: &ViewState, now: i64, browser_tz: &str, opts: &ResolveOptions) -> Result<Resolved, String> {
    let tz_name = view.tz.clone().unwrap_or_else(|| browser_tz.to_string());
    let tz = zone(&tz_name).ok_or_else(|| format!("unknown time zone {tz_name}"))?;
    let opts = view.resolve_options(*opts);
    let span = view.range.resolve(now, &tz, &opts).map_err(|e| e.to_string())?;
    let interval = view.interval.unwrap_or_else(|| default_interval(span.len_ms()));
    // Relative ranges on the interval's grid, so a refresh reuses settled buckets.
    let span = crate::domain::time::grid::aligned_span(&view.range, span, interval, &tz, opts.week_start)
        .map_err(|e| e.to_string())?;
    crate::domain::time::check_interval(span, interval, &tz, crate::domain::time::MAX_BUCKETS)
        .map_err(|e| e.to_string())?;
    Ok(Resolved { span, interval, tz: tz_name, intenttype: view.intenttype })
}

#[component]
pub fn Dashboard(config: DeploymentConfig) -> impl IntoView {
    // The URL's view; with no parameters, the last view of this browser.
    let (initial, notices) = super::picker::initial_view();
    let view = RwSignal::new(initial);
    let now = RwSignal::new(browser::now_ms());
    let browser_tz = browser::browser_zone();
    let resolve_options = config.resolve_options();
    let resolved = Memo::new(move |_| resolve(&view.get(), now.get(), &browser_tz, &resolve_options));
    let engine =
        FetchEngine::new(EngineSettings::from_config(&config), Rc::new(BrowserTransport), Rc::new(BrowserClock));
    let ctx = DashboardContext {
        view,
        now,
        resolved,
        engine: StoredValue::new_local(engine.clone()),
        reload: RwSignal::new(0),
        resolve_options,
    };
    provide_context(ctx);

    // Settled counts from earlier visits first, so a reload makes no call for them;
    // a storage that does not answer within half a second is not waited for.
    let hydrated = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        let restore = Box::pin(super::fact_store::hydrate(&engine));
        let give_up = Box::pin(gloo_timers::future::TimeoutFuture::new(500));
        let _ = futures::future::select(restore, give_up).await;
        hydrated.set(true);
    });

    // The URL follows the view (replaceState: no history entry, no scroll jump).
    Effect::new(move |_| browser::replace_query(&view.with(|v| v.to_query())));
    // The theme is an attribute on <html> so CSS custom properties switch with it.
    Effect::new(move |_| {
        let theme = view.with(|v| v.theme);
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("data-theme", theme.as_str());
        }
    });

    let notices = RwSignal::new(notices);
    let shows = move |kind: PanelKind| view.with(|v| v.shows(kind.name()));
    view! {
        <div class="dashboard">
            <super::embed::Embed origins=config.embed_origins.clone() />
            <AutoRefresh />
            <RememberLastView />
            <header class="topbar" data-role="topbar">
                <h1 class="title">"Engagement"</h1>
                <Show when=move || !view.with(|v| v.kiosk)>
                    <Picker />
                    <div class="topbar-end">
                        <SavedViewsMenu />
                        <ThemeSwitch />
                    </div>
                </Show>
            </header>
            <Show when=move || !notices.with(Vec::is_empty)>
                <div class="notices" role="status" data-role="notices">
                    <ul>{move || notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                    <button type="button" on:click=move |_| notices.set(Vec::new())>
                        "Dismiss"
                    </button>
                </div>
            </Show>
            {move || {
                resolved
                    .get()
                    .err()
                    .map(|e| {
                        view! {
                            <div class="range-error" role="alert" data-role="range-error">
                                {e}
                            </div>
                        }
                    })
            }}
            <Show when=move || hydrated.get()>
                <main class="panels">
                    <super::panels::KeyFigures />
                    {PanelKind::ALL
                        .into_iter()
                        .map(|kind| {
                            view! {
                                <Show when=move || shows(kind)>
                                    <CountsPanel kind=kind />
                                </Show>
                            }
                        })
                        .collect_view()}
                    <Show when=move || view.with(|v| v.shows(PanelName::Messages))>
                        <Explorer />
                    </Show>
                </main>
            </Show>
        </div>
    }
}
