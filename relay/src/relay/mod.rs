//! The reference CORS relay: the browser talks to it, it talks to the vendor.
//!
//! Why it exists: the vendor API needs an `apiKey` query parameter, and a key in
//! a web page is a key published. The relay holds the key (config file or env var)
//! and forwards only the five Dashboard calls to one configured upstream, rebuilding
//! the URL from its own config (`providerId`, `partnerId`, `apiKey`): a page can
//! neither pick another provider nor see or set the key, and no part of a request
//! (path bytes, query, `Host`, an absolute URL in the request line) can steer it to
//! another host or path.
//!
//! Every request goes through [`handle`], in this order, each refusal a contract
//! error body `{"code":"error","error":CODE,"message":..}` with CORS headers for an
//! allowed origin:
//!
//! | check | refusal |
//! |---|---|
//! | request target is a plain path (no `http://host` absolute form, no `%`, `\`, `//`, `.`/`..` segment) | 400 `BAD_REQUEST_TARGET` |
//! | path is `/health` or `{PREFIX}/{one of the five}` | 404 `NOT_FOUND` |
//! | `Origin`, when present, is on the allowlist | 403 `ORIGIN_NOT_ALLOWED` |
//! | preflight asks for POST with at most `Content-Type` | 403 `PREFLIGHT_REFUSED` (else 204) |
//! | method is POST (GET/HEAD for `/health`) | 405 `METHOD_NOT_ALLOWED` + `Allow` |
//! | caller's token bucket has a token | 429 `RATE_LIMITED` + `Retry-After` |
//! | `Content-Type: application/json` | 415 `UNSUPPORTED_MEDIA_TYPE` |
//! | body at most 16 KB | 413 `PAYLOAD_TOO_LARGE` |
//! | body is a JSON object | 400 `INVALID_JSON` |
//! | upstream answers within the timeout | 504 `UPSTREAM_TIMEOUT` (502 `UPSTREAM_UNAVAILABLE` if unreachable) |
//!
//! What passes back from upstream: status, `Retry-After`, `Content-Type` and the
//! body (any echo of the key scrubbed); none of its other headers. One JSON access
//! log line per request ([`access_log`]).

pub mod access_log;
pub mod cli;
pub mod ratelimit;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::json;

use crate::api::{is_json_content_type, json_response, ApiError, Endpoint, PREFIX};
use access_log::{Access, LogSink, Logger};
use ratelimit::{Limiter, RateLimit};

/// Request bodies are a few hundred bytes; anything bigger is not ours.
pub const MAX_BODY: usize = 16 * 1024;

#[derive(Clone)]
pub struct RelayConfig {
    /// Base URL of the vendor (or the mock), without a trailing slash.
    pub upstream: String,
    pub provider_id: String,
    pub partner_id: String,
    pub api_key: Option<String>,
    /// Exact origins allowed to call (never `*`).
    pub allow_origins: Vec<HeaderValue>,
    pub upstream_timeout: Duration,
    /// Per-caller token bucket; `None` = unlimited (benchmarks only).
    pub rate_limit: Option<RateLimit>,
    /// Where the JSON log lines go.
    pub log: LogSink,
}

impl RelayConfig {
    /// Defaults for everything but the upstream and the ids: no key, no origin
    /// allowed, 30 s timeout, the default rate limit, logs to stderr.
    pub fn new(upstream: impl Into<String>, provider_id: impl Into<String>, partner_id: impl Into<String>) -> Self {
        RelayConfig {
            upstream: upstream.into().trim_end_matches('/').to_string(),
            provider_id: provider_id.into(),
            partner_id: partner_id.into(),
            api_key: None,
            allow_origins: Vec::new(),
            upstream_timeout: Duration::from_secs(30),
            rate_limit: Some(RateLimit::default()),
            log: access_log::stderr_sink(),
        }
    }
}

impl std::fmt::Debug for RelayConfig {
    // Hand-written so the key can never end up in a log through `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayConfig")
            .field("upstream", &self.upstream)
            .field("provider_id", &self.provider_id)
            .field("partner_id", &self.partner_id)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("allow_origins", &self.allow_origins)
            .field("upstream_timeout", &self.upstream_timeout)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

struct RelayState {
    cfg: RelayConfig,
    client: reqwest::Client,
    limiter: Option<Limiter>,
    log: Logger,
}

pub fn router(cfg: RelayConfig) -> Router {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("HTTP client");
    let log = Logger::new(cfg.log.clone(), cfg.api_key.clone());
    let limiter = cfg.rate_limit.map(Limiter::new);
    let state = Arc::new(RelayState { cfg, client, limiter, log });
    // One handler for everything: routing, refusals and CORS in one readable place.
    Router::new().fallback(handle).with_state(state)
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
    let app = router(cfg).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// A refusal: status, contract code, message (and `Allow` for a 405).
struct Refusal(ApiError, Option<&'static str>);

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Refusal(ApiError::new(status, code, message), None)
    }
}

enum Route {
    Health,
    Call(Endpoint),
}

/// The request target must be a plain path naming one of our routes. Everything
/// odd is refused rather than normalised: there is one spelling of each route.
fn route(uri: &Uri) -> Result<Route, Refusal> {
    if uri.scheme().is_some() || uri.authority().is_some() {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST_TARGET",
            "the request target must be a path, not an absolute URL",
        ));
    }
    let path = uri.path();
    let odd = !path.starts_with('/')
        || path.contains(['%', '\\'])
        || path.contains("//")
        || path.split('/').any(|seg| seg == "." || seg == "..");
    if odd {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST_TARGET",
            "encoded, dot or empty path segments are not accepted",
        ));
    }
    if path == "/health" {
        return Ok(Route::Health);
    }
    path.strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(Endpoint::parse)
        .map(Route::Call)
        .ok_or_else(|| Refusal::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such endpoint"))
}

async fn handle(State(st): State<Arc<RelayState>>, req: Request) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let origin = req.headers().get(header::ORIGIN).cloned();
    let remote = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let allowed_origin = origin.as_ref().filter(|o| st.cfg.allow_origins.contains(o)).cloned();

    let (mut resp, error) = match dispatch(&st, req, origin.as_ref(), remote.as_deref()).await {
        Ok(r) => (r, None),
        Err(Refusal(e, allow)) => {
            let code = e.code;
            let mut r = e.into_response();
            if let Some(a) = allow {
                r.headers_mut().insert(header::ALLOW, HeaderValue::from_static(a));
            }
            (r, Some(code))
        }
    };
    let h = resp.headers_mut();
    if let Some(o) = allowed_origin {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("Retry-After"));
    }
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));

    st.log.access(&Access {
        method: method.as_str(),
        path: &path,
        status: resp.status().as_u16(),
        origin: origin.as_ref().and_then(|o| o.to_str().ok()),
        remote,
        duration: started.elapsed(),
        error,
    });
    resp
}

async fn dispatch(
    st: &RelayState,
    req: Request,
    origin: Option<&HeaderValue>,
    remote: Option<&str>,
) -> Result<Response, Refusal> {
    let route = route(req.uri())?;
    if let Some(o) = origin {
        // Browsers preflight (JSON body), so a foreign page's call stops at its
        // preflight; this refuses the rest outright rather than doing the work.
        if !st.cfg.allow_origins.contains(o) {
            return Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "ORIGIN_NOT_ALLOWED",
                "this origin may not call the relay",
            ));
        }
    }
    let endpoint = match route {
        Route::Health => {
            return match *req.method() {
                Method::GET | Method::HEAD => Ok(json_response(StatusCode::OK, r#"{"status":"ok"}"#.into())),
                _ => Err(method_not_allowed("GET, HEAD")),
            };
        }
        Route::Call(e) => e,
    };
    match *req.method() {
        Method::POST => {}
        Method::OPTIONS if req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) => {
            return preflight(req.headers(), origin);
        }
        _ => return Err(method_not_allowed("POST, OPTIONS")),
    }
    if let Some(limiter) = &st.limiter {
        let key = match (origin.and_then(|o| o.to_str().ok()), remote) {
            (Some(o), _) => o.to_string(),
            (None, Some(ip)) => format!("ip:{ip}"),
            (None, None) => "unknown".into(),
        };
        if let Err(wait) = limiter.check(&key, Instant::now()) {
            let secs = ratelimit::retry_after_secs(wait);
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                format!("too many calls from this origin; retry in {secs} s"),
            );
            e.retry_after = Some(secs);
            return Err(Refusal(e, None));
        }
    }
    let headers = req.headers();
    if !is_json_content_type(headers.get(header::CONTENT_TYPE)) {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Content-Type must be application/json",
        ));
    }
    let too_large =
        || Refusal::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", format!("body over {MAX_BODY} bytes"));
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    let body: Bytes = axum::body::to_bytes(req.into_body(), MAX_BODY).await.map_err(|_| too_large())?;
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(serde_json::Value::Object(_)) => {}
        _ => return Err(Refusal::new(StatusCode::BAD_REQUEST, "INVALID_JSON", "the body must be a JSON object")),
    }
    forward(st, endpoint, body).await
}

fn method_not_allowed(allow: &'static str) -> Refusal {
    Refusal(ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", format!("use {allow}")), Some(allow))
}

/// Answer a CORS preflight (the origin was checked already): POST with at most
/// `Content-Type` is granted, anything else refused.
fn preflight(headers: &HeaderMap, origin: Option<&HeaderValue>) -> Result<Response, Refusal> {
    if origin.is_none() {
        return Err(Refusal::new(StatusCode::BAD_REQUEST, "PREFLIGHT_REFUSED", "a preflight needs an Origin"));
    }
    let method_ok = headers.get(header::ACCESS_CONTROL_REQUEST_METHOD).is_some_and(|m| m.as_bytes() == b"POST");
    let headers_ok = headers
        .get_all(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .all(|h| h.is_empty() || h.eq_ignore_ascii_case("content-type"));
    if !(method_ok && headers_ok) {
        return Err(Refusal::new(StatusCode::FORBIDDEN, "PREFLIGHT_REFUSED", "only POST with Content-Type is allowed"));
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    Ok(r)
}

async fn forward(st: &RelayState, ep: Endpoint, body: Bytes) -> Result<Response, Refusal> {
    // The URL comes from config alone: upstream base, the fixed prefix, one of five
    // names, and our own query. Nothing of the request's target or headers.
    let mut url = format!("{}{PREFIX}/{}?", st.cfg.upstream, ep.name());
    {
        let mut q = form_urlencoded::Serializer::new(&mut url);
        q.append_pair("providerId", &st.cfg.provider_id).append_pair("partnerId", &st.cfg.partner_id);
        if let Some(k) = &st.cfg.api_key {
            q.append_pair("apiKey", k);
        }
    }
    let up = st
        .client
        .post(&url)
        .header(header::CONTENT_TYPE, "application/json")
        .timeout(st.cfg.upstream_timeout)
        .body(body)
        .send()
        .await
        .map_err(|e| upstream_error(st, ep, e))?;
    let status = up.status();
    let retry_after = up.headers().get(header::RETRY_AFTER).cloned();
    let content_type = up.headers().get(header::CONTENT_TYPE).cloned();
    let bytes = up.bytes().await.map_err(|e| upstream_error(st, ep, e))?;
    let bytes = scrub(bytes, st.cfg.api_key.as_deref());
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    if let Some(v) = retry_after {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    if let Some(v) = content_type {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    Ok(r)
}

/// 504 for a timeout, 502 for anything else; neither the answer nor the log line
/// carries the URL.
fn upstream_error(st: &RelayState, ep: Endpoint, e: reqwest::Error) -> Refusal {
    let timeout = st.cfg.upstream_timeout;
    if e.is_timeout() {
        let m = format!("upstream did not answer within {} ms", timeout.as_millis());
        return Refusal::new(StatusCode::GATEWAY_TIMEOUT, "UPSTREAM_TIMEOUT", m);
    }
    let detail = e.without_url().to_string();
    st.log.event(json!({ "event": "upstream_error", "endpoint": ep.name(), "detail": detail }));
    Refusal::new(StatusCode::BAD_GATEWAY, "UPSTREAM_UNAVAILABLE", "upstream request failed")
}

/// Replace any echo of the key in an upstream body (an error page quoting the
/// request URL, say) before it reaches the browser.
fn scrub(body: Bytes, key: Option<&str>) -> Bytes {
    let Some(key) = key.filter(|k| k.len() >= 4) else { return body };
    let k = key.as_bytes();
    if !body.windows(k.len()).any(|w| w == k) {
        return body;
    }
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(k) {
            out.extend_from_slice(b"[redacted]");
            i += k.len();
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_key_echoes() {
        let b = scrub(Bytes::from_static(b"bad url ?apiKey=s3cret-key&x=s3cret-key"), Some("s3cret-key"));
        assert_eq!(&b[..], b"bad url ?apiKey=[redacted]&x=[redacted]");
        let b = scrub(Bytes::from_static(b"{}"), Some("s3cret-key"));
        assert_eq!(&b[..], b"{}");
    }

    #[test]
    fn debug_hides_key() {
        let mut cfg = RelayConfig::new("http://x", "1", "2");
        cfg.api_key = Some("s3cret-key".into());
        assert!(!format!("{cfg:?}").contains("s3cret"));
    }

    #[test]
    fn one_spelling_per_route() {
        let ok = |s: &str| route(&s.parse::<Uri>().unwrap()).ok().map(|r| matches!(r, Route::Call(_)));
        assert_eq!(ok(&format!("{PREFIX}/Intents")), Some(true));
        assert_eq!(ok(&format!("{PREFIX}/Intents?apiKey=x")), Some(true));
        assert_eq!(ok("/health"), Some(false));
        // (A target `Uri` cannot even parse is refused by hyper with 400 already.)
        let code = |s: &str| match s.parse::<Uri>().map(|u| route(&u)) {
            Err(_) => 400,
            Ok(Err(Refusal(e, _))) => e.status.as_u16(),
            Ok(Ok(_)) => 200,
        };
        for bad in [
            format!("{PREFIX}/%49ntents"),
            format!("{PREFIX}/Intents%2F..%2F..%2Fx"),
            format!("{PREFIX}/%2e%2e/Intents"),
            format!("{PREFIX}/../Dashboard/Intents"),
            format!("{PREFIX}/./Intents"),
            format!("{PREFIX}//Intents"),
            format!("/{PREFIX}/Intents"),
            format!("{PREFIX}/Intents\\..\\x"),
            format!("http://evil.example{PREFIX}/Intents"),
        ] {
            assert_eq!(code(&bad), 400, "{bad}");
        }
        for missing in [
            format!("{PREFIX}/Nope"),
            format!("{PREFIX}/intents"),
            format!("{PREFIX}/Intents/"),
            "/".into(),
            "/__mock/stats".into(),
        ] {
            assert_eq!(code(&missing), 404, "{missing}");
        }
    }
}
