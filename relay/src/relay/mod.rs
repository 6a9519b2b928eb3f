//! The relay: the browser talks to it, it talks to the vendor.
//!
//! Why it exists: the vendor API needs an `apiKey` query parameter, and a key in
//! a web page is a key published. The relay holds each tenant's key and forwards
//! only the five Dashboard calls to that tenant's upstream, rebuilding the URL and
//! the body from its own config: a page can neither pick another provider nor see
//! or set the key, and no part of a request can steer it to another host or path.
//! With `auth: token`, only a caller with a valid embed token gets data, and the
//! tenant comes from that token alone.
//!
//! Built as axum routes and layers, outermost first, each refusal a contract error
//! body `{"code":"error","error":CODE,"message":..}` with CORS headers for an
//! allowed origin:
//!
//! | layer / route | check | refusal |
//! |---|---|---|
//! | access log ([`access_log`]) | one JSON line per request, with `tid`/`sub` | |
//! | headers (tower-http) | `Cache-Control: no-store`, `nosniff`, `Vary: Origin`; a panic is a 500 body | |
//! | [`gate`] | request target is a plain path (no absolute form, no `%`, `\`, `//`, `.`/`..`) | 400 `BAD_REQUEST_TARGET` |
//! | [`gate`] | path is `/health`, `{PREFIX}/{one of the five}` or (token auth + views mounted) `/v1/views…`, `/v1/me/default-view` | 404 `NOT_FOUND` |
//! | [`gate`] | `Origin`, when present, is one of any tenant's | 403 `ORIGIN_NOT_ALLOWED` |
//! | [`gate`] | a preflight asks for what the mode allows | 403 `PREFLIGHT_REFUSED` (else 204) |
//! | routes | method is POST (GET/HEAD for `/health`) | 405 `METHOD_NOT_ALLOWED` + `Allow` |
//! | [`authn`] | token, tenant origin, scope, rate limits | 401 / 403 / 429 (see there) |
//! | [`proxy`] | `Content-Type: application/json`; body ≤ 16 KB, within 10 s, a JSON object | 415 / 413 / 408 / 400 `INVALID_JSON` |
//! | [`proxy`] | upstream answers within the timeout, under the size cap | 504 `UPSTREAM_TIMEOUT`, 502 `UPSTREAM_UNAVAILABLE` / `UPSTREAM_TOO_LARGE` |
//! | [`upstream_cache`] | an identical call in flight is shared; a settled answer kept | |
//!
//! The connection itself ([`server`]): request headers within the header timeout.

pub mod access_log;
pub mod authn;
pub mod cli;
pub mod config;
pub mod config_file;
pub mod gate;
pub mod origin;
pub mod proxy;
pub mod ratelimit;
pub mod scrub;
pub mod server;
pub mod upstream_cache;

use std::collections::HashSet;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::api::{json_response, ApiError, Endpoint, ErrorCode, PREFIX};
use crate::auth::Verifier;
use access_log::{Access, Logger};
pub use config::{Auth, RelayConfig, Tenant, Upstream};
use origin::Origin;
use ratelimit::Limiter;

/// What every handler and layer shares.
pub struct AppState {
    pub cfg: RelayConfig,
    pub client: reqwest::Client,
    pub limiter: Option<Limiter>,
    pub failed_auth: Option<Limiter>,
    pub log: Logger,
    /// `None` with `auth: none`.
    pub verifier: Option<Verifier>,
    /// The union of every tenant's `allowOrigins` (preflights, the first origin check).
    pub all_origins: HashSet<Origin>,
    pub views_mounted: bool,
    /// Identical calls in flight shared, settled answers kept ([`upstream_cache`]).
    pub upstream_cache: upstream_cache::UpstreamCache,
}

impl AppState {
    fn new(cfg: RelayConfig, views_mounted: bool) -> Self {
        let client =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("HTTP client");
        let log = Logger::new(cfg.log.clone(), cfg.api_keys());
        let verifier = match &cfg.auth {
            Auth::None => None,
            Auth::Token(policy) => Some(Verifier::new(&cfg.tenants, policy.clone())),
        };
        AppState {
            client,
            log,
            verifier,
            limiter: cfg.rate_limit.map(Limiter::new),
            failed_auth: cfg.failed_auth_limit.map(Limiter::new),
            all_origins: cfg.tenants.iter().flat_map(|t| t.allow_origins.iter().cloned()).collect(),
            views_mounted,
            upstream_cache: upstream_cache::UpstreamCache::new(cfg.cache.clone()),
            cfg,
        }
    }
}

/// The relay without the views API.
pub fn router(cfg: RelayConfig) -> Router {
    app(cfg, None)
}

/// The relay; `views` (the saved-views API's routes `/v1/views`,
/// `/v1/views/{id}`, `/v1/me/default-view`, whose handlers read
/// `Extension<Principal>`; no fallback of its own) is mounted behind token auth
/// with scope `views`, and only with `auth: token`. The gate answers its
/// preflights and puts CORS on its answers.
pub fn app(cfg: RelayConfig, views: Option<Router>) -> Router {
    let views = views.filter(|_| matches!(cfg.auth, Auth::Token(_)));
    let st = Arc::new(AppState::new(cfg, views.is_some()));
    let auth = middleware::from_fn_with_state(st.clone(), authn::authenticate);

    let mut calls = Router::new();
    for ep in Endpoint::ALL {
        let handler = move |s, t, r| proxy::call(s, t, ep, r);
        calls = calls.route(&format!("{PREFIX}/{}", ep.name()), post(handler).fallback(post_only));
    }
    let mut app = Router::new()
        .route("/health", get(health).fallback(get_only))
        .merge(calls.route_layer(auth.clone()))
        .with_state(st.clone());
    if let Some(views) = views {
        app = app.merge(views.route_layer(auth));
    }
    app.fallback(|| async { gate::not_found() })
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "the relay failed on this request")
                .into_response()
        }))
        .layer(middleware::from_fn_with_state(st.clone(), gate::gate))
        .layer(SetResponseHeaderLayer::overriding(header::VARY, HeaderValue::from_static("Origin")))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(middleware::from_fn_with_state(st, log_access))
}

async fn health() -> Response {
    json_response(StatusCode::OK, r#"{"status":"ok"}"#.into())
}

fn method_not_allowed(allow: &'static str) -> Response {
    let e = ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", format!("use {allow}"));
    let mut r = e.into_response();
    r.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
    r
}

async fn post_only() -> Response {
    method_not_allowed("POST, OPTIONS")
}

async fn get_only() -> Response {
    method_not_allowed("GET, HEAD")
}

async fn log_access(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let origin = req.headers().get(header::ORIGIN).cloned();
    let remote = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let resp = next.run(req).await;
    let caller = resp.extensions().get::<authn::Caller>();
    st.log.access(&Access {
        method: method.as_str(),
        path: &path,
        status: resp.status().as_u16(),
        origin: origin.as_ref().and_then(|o| o.to_str().ok()),
        remote,
        duration: started.elapsed(),
        error: resp.extensions().get::<ErrorCode>().map(|c| c.0),
        tid: caller.map(|c| c.tid.as_str()),
        sub: caller.and_then(|c| c.sub.as_deref()),
    });
    resp
}

/// Serve until the listener fails (tests).
pub async fn serve(listener: tokio::net::TcpListener, cfg: RelayConfig) -> std::io::Result<()> {
    serve_until(listener, cfg, std::future::pending()).await
}

/// Serve until `shutdown` completes; then stop accepting, let the requests in
/// flight finish, and return.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    cfg: RelayConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_views(listener, cfg, None, shutdown).await
}

/// [`serve_until`] with the saved-views API's routes mounted (see [`app`]).
pub async fn serve_with_views(
    listener: tokio::net::TcpListener,
    cfg: RelayConfig,
    views: Option<Router>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let timeout = cfg.header_read_timeout;
    server::serve_app(listener, app(cfg, views), timeout, shutdown).await
}
