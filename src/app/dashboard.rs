//! The dashboard page: view state from the URL, the picker, the panels.

use leptos::prelude::*;

use crate::domain::config::DeploymentConfig;
use crate::domain::panels::{PanelKind, PanelName};

use super::browser;
use super::context::DashboardContext;
use super::embed::{use_embed, EmbedNotice};
use super::lazy::{lazy_view, split_call};
use super::panels::CountsPanel;
use super::picker::{use_auto_refresh, use_remember_last_view, Picker, ThemeSwitch};

#[component]
pub fn Dashboard(config: DeploymentConfig) -> impl IntoView {
    // The URL's view; with no parameters, the last view of this browser.
    let (mut initial, mut notices) = super::picker::initial_view();
    notices.extend(super::zones::keep_loaded_zone(&mut initial));
    let scopes = super::auth::use_scopes();
    notices.extend(crate::state::access::restrict_to_scopes(&mut initial, &scopes.get_untracked()));
    let ctx = DashboardContext::new(&config, initial);
    let (view, resolved) = (ctx.view, ctx.resolved);
    let engine = ctx.engine.get_value();
    provide_context(ctx);
    // One messages load for the explorer and the insight panels, once the cached
    // counts are restored (like the panels).
    let hydrated = RwSignal::new(false);
    // A memo: a change of the view that keeps this value (a filter) must not reload.
    let wants_messages = Signal::from(Memo::new(move |_| {
        hydrated.get()
            && view.with(|v| {
                [PanelName::Messages, PanelName::Sentiment, PanelName::IntentQuality].iter().any(|p| v.shows(*p))
            })
    }));
    super::messages_feed::provide_messages_feed(ctx, wants_messages, config.low_confidence_score);

    // Settled counts from earlier visits first, so a reload makes no call for them;
    // a storage that does not answer within half a second is not waited for.
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

    // Browser glue that draws nothing of its own.
    let embed = use_embed(&config.embed_origins);
    use_auto_refresh();
    use_remember_last_view();

    let notices = RwSignal::new(notices);
    // Saved views load after the first load (their chunk must not delay it).
    let after_first_load = super::lazy::use_after_first_load();
    let shows = move |kind: PanelKind| view.with(|v| v.shows(kind.name()));
    view! {
        <div class="dashboard">
            <EmbedNotice notice=embed.notice />
            <super::auth::SignInStatus on_recover=move |_| ctx.reload.update(|n| *n += 1) />
            <header class="topbar" data-role="topbar">
                <h1 class="title">"Engagement"</h1>
                <Show when=move || !view.with(|v| v.kiosk)>
                    <Picker />
                    <div class="topbar-end">
                        <Show when=move || {
                            after_first_load.get()
                        }>{lazy_view(move || split_call!(super::lazy::saved_views_menu))}</Show>
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
                    <super::insights::AnomalyStrip />
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
                    <Show when=move || {
                        scopes.get().messages && view.with(|v| v.shows(PanelName::Sentiment))
                    }>{lazy_view(move || split_call!(super::lazy::sentiment_panel))}</Show>
                    <Show when=move || {
                        scopes.get().messages && view.with(|v| v.shows(PanelName::IntentQuality))
                    }>{lazy_view(move || split_call!(super::lazy::intent_quality_panel))}</Show>
                    <Show when=move || {
                        scopes.get().messages && view.with(|v| v.shows(PanelName::Messages))
                    }>{lazy_view(move || split_call!(super::lazy::explorer))}</Show>
                </main>
            </Show>
        </div>
    }
}
