//! Who is looking (`"auth": "token"` in config.json): the embed token's handshake,
//! kept in memory only, its refresh before expiry, and the scopes it grants.
//!
//! [`AuthGate`] runs before the dashboard: with token auth it waits for the first
//! token (or the sign-in failure, after at most 10 s) so that no API call goes out
//! without one and the counts cache opens for the token's tenant. It then provides a
//! [`Session`]: the transport every relay call goes through and the scopes that
//! decide which panels and menus exist.

mod handshake;

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::config::{AuthMode, DeploymentConfig};
use crate::domain::token::{refresh_delay_ms, Claims, Scopes};
use crate::engine::auth::{AuthedHttp, TokenBroker};
use crate::engine::transport::Transport;
use crate::engine::views_api::ViewsApi;

use super::browser::{now_ms, BrowserTransport};
use super::dashboard::Dashboard;

pub use super::browser::BrowserHttp;

struct SessionInner {
    transport: Rc<dyn Transport>,
    views: Option<ViewsApi>,
    broker: Option<Rc<TokenBroker>>,
    tenant: Option<String>,
}

/// The page's sign-in, shared by every component (Copy: signals and a handle).
#[derive(Clone, Copy)]
pub struct Session {
    /// What may be shown: the token's scopes, or without auth counts and messages
    /// (saved views then stay in the browser).
    pub scopes: RwSignal<Scopes>,
    /// The current token's claims (never the token itself).
    pub claims: RwSignal<Option<Claims>>,
    /// Why signing in failed, while it has.
    pub failure: RwSignal<Option<String>>,
    /// Bumped when a token arrives after a failure: the panels load again.
    pub recovered: RwSignal<u32>,
    inner: StoredValue<SessionInner, LocalStorage>,
}

impl Session {
    fn new(inner: SessionInner, scopes: Scopes) -> Self {
        Session {
            scopes: RwSignal::new(scopes),
            claims: RwSignal::new(None),
            failure: RwSignal::new(None),
            recovered: RwSignal::new(0),
            inner: StoredValue::new_local(inner),
        }
    }

    /// How count and message calls reach the relay.
    pub fn transport(&self) -> Rc<dyn Transport> {
        self.inner.with_value(|i| i.transport.clone())
    }

    /// The relay's saved-views API, when the token grants `views`.
    pub fn views_api(&self) -> Option<ViewsApi> {
        if !self.scopes.get_untracked().views {
            return None;
        }
        self.inner.with_value(|i| i.views.clone())
    }

    /// The tenant whose counts the cache holds.
    pub fn tenant(&self) -> Option<String> {
        self.inner.with_value(|i| i.tenant.clone())
    }

    /// Whether "sign in again" can do anything (there is a portal to ask).
    pub fn can_ask(&self) -> bool {
        self.inner.with_value(|i| i.broker.as_ref().is_some_and(|b| b.can_ask()))
    }

    /// The user asked to sign in again after a failure: the next call asks the portal.
    pub fn sign_in_again(&self) {
        self.inner.with_value(|i| {
            if let Some(b) = &i.broker {
                b.clear_failure();
            }
        });
        self.failure.set(None);
    }
}

/// A signed-in session for component tests: these claims, this views API.
#[cfg(test)]
pub fn test_session(claims: Claims, views: ViewsApi) -> Session {
    let transport: Rc<dyn Transport> = Rc::new(BrowserTransport);
    let inner = SessionInner { transport, views: Some(views), broker: None, tenant: Some(claims.tid.clone()) };
    let session = Session::new(inner, claims.scopes);
    session.claims.set(Some(claims));
    session
}

/// The page's session; a page without `AuthGate` (component tests) has none.
pub fn use_session() -> Option<Session> {
    use_context::<Session>()
}

/// The scopes in force (everything but server views without a session).
pub fn use_scopes() -> Signal<Scopes> {
    match use_session() {
        Some(s) => s.scopes.into(),
        None => Signal::stored(Scopes::WITHOUT_AUTH),
    }
}

/// Asks for a fresh token about 60 s before each token expires. A newer token
/// supersedes the wait of an older one.
fn schedule_refreshes(broker: &Rc<TokenBroker>, generation: StoredValue<u32>, claims: &Claims) {
    if !broker.can_ask() {
        return;
    }
    let gen = generation.get_value() + 1;
    generation.set_value(gen);
    let delay = refresh_delay_ms(claims, now_ms()).clamp(0, i64::from(u32::MAX)) as u32;
    let weak = Rc::downgrade(broker);
    spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(delay).await;
        if generation.try_get_value() != Some(gen) {
            return;
        }
        if let Some(b) = weak.upgrade() {
            let _ = b.refresh().await;
        }
    });
}

#[component]
pub fn AuthGate(config: DeploymentConfig) -> impl IntoView {
    if config.auth == AuthMode::None {
        let transport: Rc<dyn Transport> = Rc::new(BrowserTransport);
        let inner = SessionInner { transport, views: None, broker: None, tenant: None };
        provide_context(Session::new(inner, Scopes::WITHOUT_AUTH));
        return view! { <Dashboard config=config /> }.into_any();
    }

    let broker = handshake::start(&config.embed_origins);
    let http = AuthedHttp { http: Rc::new(BrowserHttp), broker: broker.clone() };
    let first = broker.claims();
    let inner = SessionInner {
        transport: Rc::new(http.clone()),
        views: Some(ViewsApi::new(Rc::new(http), &config.relay_url)),
        broker: Some(broker.clone()),
        tenant: None,
    };
    // Until a token says otherwise: counts only.
    let session = Session::new(inner, Scopes::parse(None));
    let generation = StoredValue::new(0u32);
    let on_token = {
        let weak = Rc::downgrade(&broker);
        move |claims: &Claims| {
            // Another tenant's token in the same page: nothing of the first may
            // stay (in-memory caches included), so start afresh.
            let tenant = session.inner.try_with_value(|i| i.tenant.clone()).flatten();
            if tenant.as_ref().is_some_and(|t| *t != claims.tid) {
                let _ = window().location().reload();
                return;
            }
            session.claims.set(Some(claims.clone()));
            session.scopes.set(claims.scopes);
            if session.failure.get_untracked().is_some() {
                session.failure.set(None);
                session.recovered.update(|n| *n += 1);
            }
            if let Some(b) = weak.upgrade() {
                schedule_refreshes(&b, generation, claims);
            }
        }
    };
    broker.on_token(on_token.clone());
    broker.on_failure(move |e| session.failure.set(Some(format!("HTTP 401: {e}"))));
    if let Some(c) = &first {
        on_token(c);
    }
    provide_context(session);

    let ready = RwSignal::new(false);
    spawn_local(async move {
        let signed_in = broker.current().await.is_ok();
        if let Some(c) = broker.claims() {
            let tid = c.tid.clone();
            session.inner.update_value(|i| i.tenant = Some(tid));
        }
        if signed_in {
            super::picker::prepare_default_view(session).await;
        }
        ready.set(true);
    });
    view! {
        <Show
            when=move || ready.get()
            fallback=|| {
                view! {
                    <p class="boot" role="status" data-role="signing-in">
                        "Signing in…"
                    </p>
                }
            }
        >
            <Dashboard config=config.clone() />
        </Show>
    }
    .into_any()
}

/// The sign-in failure above the panels, with "Sign in again" when there is a
/// portal to ask. Panels reload when a token arrives after a failure.
#[component]
pub fn SignInStatus(#[prop(into)] on_recover: Callback<()>) -> impl IntoView {
    let Some(session) = use_session() else { return ().into_any() };
    Effect::new(move |prev: Option<u32>| {
        let n = session.recovered.get();
        if prev.is_some_and(|p| p != n) {
            on_recover.run(());
        }
        n
    });
    let can_ask = session.can_ask();
    view! {
        {move || {
            session
                .failure
                .get()
                .map(|msg| {
                    view! {
                        <div class="auth-error" role="alert" data-role="auth-error">
                            <p>{msg}</p>
                            <Show when=move || can_ask>
                                <button
                                    type="button"
                                    data-action="sign-in-again"
                                    on:click=move |_| {
                                        session.sign_in_again();
                                        on_recover.run(());
                                    }
                                >
                                    "Sign in again"
                                </button>
                            </Show>
                        </div>
                    }
                })
        }}
    }
    .into_any()
}
