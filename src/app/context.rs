//! `DashboardContext`: what every component of the page shares (the view, the
//! clock, the resolved view, the fetch engine), made in one place and read with
//! `use_dashboard()`, so no view imports the page that contains it.

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::config::DeploymentConfig;
use crate::domain::time::range_expr::ResolveOptions;
use crate::engine::fetch::{EngineSettings, FetchEngine};
use crate::state::resolve::{resolve, Resolved};
use crate::state::view::ViewState;

use super::browser::{self, BrowserClock, BrowserTransport};

#[derive(Clone, Copy)]
pub struct DashboardContext {
    pub view: RwSignal<ViewState>,
    /// The instant relative ranges resolve against; moved by refresh.
    pub now: RwSignal<i64>,
    /// The view resolved against `now` (`state::resolve`): span, interval, zone.
    pub resolved: Memo<Result<Resolved, String>>,
    pub engine: StoredValue<Rc<FetchEngine>, LocalStorage>,
    /// Bumped to reload every panel (retry, refresh).
    pub reload: RwSignal<u32>,
    /// The deployment's week start, for `now/w` everywhere a range is resolved.
    pub resolve_options: ResolveOptions,
}

impl DashboardContext {
    /// The page's context for `config`, starting at `initial`, resolved in the
    /// browser's zone unless the view names one.
    pub fn new(config: &DeploymentConfig, initial: ViewState) -> Self {
        let view = RwSignal::new(initial);
        let now = RwSignal::new(browser::now_ms());
        let browser_tz = browser::browser_zone();
        let resolve_options = config.resolve_options();
        let zones_loaded = super::zones::use_zone_loader(view);
        let resolved = Memo::new(move |_| {
            zones_loaded.track();
            resolve(&view.get(), now.get(), &browser_tz, &resolve_options)
        });
        // With token auth the session's transport carries the token, and the
        // engine's cache is the token's tenant's.
        let session = super::auth::use_session();
        let transport: Rc<dyn crate::engine::transport::Transport> =
            session.map(|s| s.transport()).unwrap_or_else(|| Rc::new(BrowserTransport));
        let tenant = session.and_then(|s| s.tenant());
        let engine = FetchEngine::for_tenant(
            EngineSettings::from_config(config),
            tenant.as_deref(),
            transport,
            Rc::new(BrowserClock),
        );
        DashboardContext {
            view,
            now,
            resolved,
            engine: StoredValue::new_local(engine),
            reload: RwSignal::new(0),
            resolve_options,
        }
    }
}

pub fn use_dashboard() -> DashboardContext {
    expect_context::<DashboardContext>()
}
