//! The browser app: views only. It reads the deployment config, owns the page's
//! `ViewState` (synced to the URL) and lays out the panels. Logic it needs lives in
//! `state`, `engine` and `domain`; nothing there imports from here.

mod abortable;
pub(crate) mod auth;
mod browser;
mod chart_view;
mod context;
mod dashboard;
mod embed;
mod explorer;
mod fact_store;
mod insights;
pub(crate) mod lazy;
mod load_status;
mod messages_feed;
mod panels;
mod picker;
mod progress;
mod zones;

use leptos::prelude::*;

use crate::domain::config::DeploymentConfig;

pub use browser::{now_ms, BrowserClock, BrowserTransport};

/// Loads `config.json` from beside `index.html`, then shows the dashboard, or a
/// plain message saying what is wrong with the config.
#[component]
pub fn App() -> impl IntoView {
    // The first view's zone data loads beside the config (the first chart needs both).
    let config = LocalResource::new(|| async {
        let (config, ()) = futures::join!(load_config(), zones::load_boot_zones());
        config
    });
    view! {
        <Suspense fallback=|| {
            view! {
                <p class="boot" role="status">
                    "Loading configuration…"
                </p>
            }
        }>
            {move || {
                config
                    .get()
                    .map(|result| match result {
                        Ok(cfg) => view! { <auth::AuthGate config=cfg /> }.into_any(),
                        Err(message) => {
                            view! {
                                <main class="config-error" role="alert" data-role="config-error">
                                    <h1>"The dashboard is not configured"</h1>
                                    <p>{message}</p>
                                    <p>
                                        "The deployment's config.json (beside index.html) must hold relayUrl, providerId and partnerId."
                                    </p>
                                </main>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

async fn load_config() -> Result<DeploymentConfig, String> {
    let response = gloo_net::http::Request::get("config.json")
        .send()
        .await
        .map_err(|e| format!("config.json could not be loaded: {e}"))?;
    if !response.ok() {
        return Err(format!("config.json could not be loaded: HTTP {}", response.status()));
    }
    let text = response.text().await.map_err(|e| format!("config.json could not be read: {e}"))?;
    DeploymentConfig::parse(&text).map_err(|e| e.to_string())
}
