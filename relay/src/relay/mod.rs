//! The reference CORS relay: the browser talks to it, it talks to the vendor.
//!
//! Why it exists: the vendor API needs an `apiKey` query parameter, and a key in
//! a web page is a key published. The relay holds the key (flag or env var), and
//! forwards only the five Dashboard calls to one configured upstream, rebuilding
//! the query from its own config (`providerId`, `partnerId`, `apiKey`), so a page
//! can neither pick another provider nor see or set the key. It answers CORS for
//! an allowlist of origins, on every response (errors too), and exposes
//! `Retry-After` so the page can honour a 429.
//!
//! What passes back: status, `Retry-After`, `Content-Type` and the body (with any
//! echo of the key scrubbed). Nothing else of the upstream's headers, in
//! particular not its own CORS headers. The key is never logged: log lines carry
//! the path only, and transport errors are printed without their URL.

pub mod cli;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::api::{is_json_content_type, json_response, ApiError, Endpoint, PREFIX};

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
            .finish()
    }
}

struct RelayState {
    cfg: RelayConfig,
    client: reqwest::Client,
}

pub fn router(cfg: RelayConfig) -> Router {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(cfg.allow_origins.clone()))
        .allow_methods([Method::POST, Method::GET])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600));
    let state = Arc::new(RelayState { cfg, client });
    Router::new()
        .route(&format!("{PREFIX}/{{name}}"), post(forward).fallback(method_not_allowed))
        .route("/health", get(|| async { json_response(StatusCode::OK, r#"{"status":"ok"}"#.into()) }))
        .fallback(not_found)
        .layer(cors)
        .with_state(state)
}

pub async fn serve(listener: tokio::net::TcpListener, cfg: RelayConfig) -> std::io::Result<()> {
    axum::serve(listener, router(cfg)).await
}

async fn not_found() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such endpoint").into_response()
}

async fn method_not_allowed() -> Response {
    let mut r = ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "use POST").into_response();
    r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
    r
}

async fn forward(State(st): State<Arc<RelayState>>, Path(name): Path<String>, req: Request) -> Response {
    let started = Instant::now();
    let resp = match forward_inner(&st, &name, req).await {
        Ok(r) | Err(r) => r,
    };
    // Path only: the query (which the browser may have stuffed with anything) and
    // the upstream URL (which holds the key) are never logged.
    eprintln!("relay: POST {PREFIX}/{name} -> {} in {} ms", resp.status().as_u16(), started.elapsed().as_millis());
    resp
}

async fn forward_inner(st: &RelayState, name: &str, req: Request) -> Result<Response, Response> {
    let Some(ep) = Endpoint::parse(name) else {
        return Err(not_found().await);
    };
    let headers = req.headers();
    if let Some(origin) = headers.get(header::ORIGIN) {
        // Browsers preflight (JSON body), so a foreign page never gets here; this
        // refuses the rest outright rather than doing the work and hiding it.
        if !st.cfg.allow_origins.contains(origin) {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", "origin not allowed").into_response());
        }
    }
    if !is_json_content_type(headers.get(header::CONTENT_TYPE)) {
        let e = ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
        return Err(e.into_response());
    }
    let too_large = || ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", format!("body over {MAX_BODY} bytes")).into_response();
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    let body: Bytes = axum::body::to_bytes(req.into_body(), MAX_BODY).await.map_err(|_| too_large())?;

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
        .await;
    let up = match up {
        Ok(r) => r,
        Err(e) => return Err(upstream_error(e, st.cfg.upstream_timeout)),
    };
    let status = up.status();
    let retry_after = up.headers().get(header::RETRY_AFTER).cloned();
    let content_type = up.headers().get(header::CONTENT_TYPE).cloned();
    let bytes = match up.bytes().await {
        Ok(b) => b,
        Err(e) => return Err(upstream_error(e, st.cfg.upstream_timeout)),
    };
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

/// 504 for a timeout, 502 for anything else; the message never carries the URL.
fn upstream_error(e: reqwest::Error, timeout: Duration) -> Response {
    if e.is_timeout() {
        let m = format!("upstream did not answer within {} ms", timeout.as_millis());
        return ApiError::new(StatusCode::GATEWAY_TIMEOUT, "UPSTREAM_TIMEOUT", m).into_response();
    }
    let detail = e.without_url().to_string();
    eprintln!("relay: upstream error: {detail}");
    ApiError::new(StatusCode::BAD_GATEWAY, "UPSTREAM_UNAVAILABLE", "upstream request failed").into_response()
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
        let cfg = RelayConfig {
            upstream: "http://x".into(),
            provider_id: "1".into(),
            partner_id: "2".into(),
            api_key: Some("s3cret-key".into()),
            allow_origins: vec![],
            upstream_timeout: Duration::from_secs(1),
        };
        assert!(!format!("{cfg:?}").contains("s3cret"));
    }
}
