//! The mock's HTTP surface: the five Dashboard endpoints with the contract's
//! checks in the order a real gateway would apply them (auth, then faults, then
//! request validation, then limits), plus the test-only paths:
//!
//! - `POST /__mock/truth/{Name}`: same body and answer shape, but no range limit,
//!   no message cap, no auth and no faults. E2E tests compare the dashboard with it.
//! - `GET /__mock/stats`, `POST /__mock/stats/reset`: Dashboard calls received
//!   (by endpoint and by status) since start or reset, for the call-count benchmark.
//! - `GET /health`.
//!
//! CORS allows any origin (it is a mock; the real boundary is the relay) and is on
//! every response, errors included, exposing `Retry-After`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use tower_http::cors::{Any, CorsLayer};

use super::buckets::{self, Interval, LimitClass};
use super::counts;
use super::data::Model;
use super::faults::{FaultConfig, Faults};
use super::messages;
use super::request;
use crate::api::{is_json_content_type, json_response, ApiError, Endpoint, PREFIX};

const DAY_MS: i64 = 86_400_000;
/// Past this many buckets a request is refused (a guard for the unlimited truth path).
const MAX_BUCKETS: usize = 100_000;

#[derive(Clone, Debug)]
pub struct MockConfig {
    pub seed: u64,
    /// Scale factor of the event volume (1.0 ≈ 300–600 interactions a day).
    pub volume: f64,
    pub max_range_hour_ms: i64,
    pub max_range_day_ms: i64,
    pub max_range_messages_ms: i64,
    /// Put `maxRangeMs` in RANGE_TOO_LARGE bodies.
    pub max_range_hint: bool,
    pub max_messages: usize,
    /// Required `apiKey` query parameter, if any.
    pub api_key: Option<String>,
    /// Allowed `providerId`s; empty = any.
    pub allowed_providers: Vec<String>,
    pub faults: FaultConfig,
    /// Injected spikes (`--spike`).
    pub spikes: Vec<super::insight_data::Spike>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            seed: 42,
            volume: 1.0,
            max_range_hour_ms: 7 * DAY_MS,
            max_range_day_ms: 31 * DAY_MS,
            max_range_messages_ms: 31 * DAY_MS,
            max_range_hint: true,
            max_messages: 10_000,
            api_key: None,
            allowed_providers: Vec::new(),
            faults: FaultConfig::default(),
            spikes: Vec::new(),
        }
    }
}

#[derive(Default)]
struct Stats {
    total: u64,
    by_endpoint: BTreeMap<&'static str, u64>,
    by_status: BTreeMap<u16, u64>,
}

pub struct MockState {
    cfg: MockConfig,
    model: Model,
    faults: Faults,
    stats: Mutex<Stats>,
}

pub fn router(cfg: MockConfig) -> Router {
    let state = Arc::new(MockState {
        model: Model::new(cfg.seed, cfg.volume).with_spikes(cfg.spikes.clone()),
        faults: Faults::new(cfg.faults.clone(), cfg.seed),
        stats: Mutex::new(Stats::default()),
        cfg,
    });
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600));
    Router::new()
        .route(&format!("{PREFIX}/{{name}}"), post(dashboard).fallback(method_not_allowed))
        .route("/__mock/truth/{name}", post(truth).fallback(method_not_allowed))
        .route("/__mock/stats", get(stats))
        .route("/__mock/stats/reset", post(stats_reset))
        .route("/health", get(|| async { json_response(StatusCode::OK, r#"{"status":"ok"}"#.into()) }))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(1 << 20))
        .layer(cors)
        .with_state(state)
}

/// Serve until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, cfg: MockConfig) -> std::io::Result<()> {
    axum::serve(listener, router(cfg)).await
}

async fn not_found() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such endpoint").into_response()
}

async fn method_not_allowed() -> Response {
    let mut r = ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "use POST").into_response();
    r.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
    r
}

fn query_params(raw: Option<&str>) -> BTreeMap<String, String> {
    raw.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default()
}

async fn dashboard(
    State(st): State<Arc<MockState>>,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(ep) = Endpoint::parse(&name) else {
        return not_found().await;
    };
    {
        let mut s = st.stats.lock().unwrap();
        s.total += 1;
        *s.by_endpoint.entry(ep.name()).or_default() += 1;
    }
    if st.cfg.faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(st.cfg.faults.latency_ms)).await;
    }
    let resp = match checked(&st, ep, raw.as_deref(), &headers, &body) {
        Ok(r) | Err(r) => r,
    };
    *st.stats.lock().unwrap().by_status.entry(resp.status().as_u16()).or_default() += 1;
    resp
}

/// Gateway checks, then faults, then the real work (Err = an early answer; both
/// sides are responses, so `?` reads well and boxing would buy nothing).
#[allow(clippy::result_large_err)]
fn checked(
    st: &MockState,
    ep: Endpoint,
    raw: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, Response> {
    let q = query_params(raw);
    let nonempty = |k: &str| q.get(k).filter(|v| !v.is_empty());
    let (Some(provider), Some(_partner)) = (nonempty("providerId"), nonempty("partnerId")) else {
        return Err(ApiError::invalid("providerId and partnerId query parameters are required").into_response());
    };
    if let Some(key) = &st.cfg.api_key {
        if q.get("apiKey") != Some(key) {
            let e = ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "missing or invalid apiKey");
            return Err(e.into_response());
        }
    }
    if !st.cfg.allowed_providers.is_empty() && !st.cfg.allowed_providers.contains(provider) {
        let e = ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", format!("provider {provider} is not allowed"));
        return Err(e.into_response());
    }
    if let Some(r) = st.faults.decide(ep) {
        return Err(r);
    }
    answer(st, ep, headers, body, true)
}

async fn truth(
    State(st): State<Arc<MockState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(ep) = Endpoint::parse(&name) else {
        return not_found().await;
    };
    match answer(&st, ep, &headers, &body, false) {
        Ok(r) | Err(r) => r,
    }
}

/// Validate the body and compute the answer; `limited` applies range limits and
/// the message cap (false on the truth path).
#[allow(clippy::result_large_err)]
fn answer(st: &MockState, ep: Endpoint, headers: &HeaderMap, body: &[u8], limited: bool) -> Result<Response, Response> {
    if !is_json_content_type(headers.get(header::CONTENT_TYPE)) {
        let e = ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Content-Type must be application/json",
        );
        return Err(e.into_response());
    }
    let q = request::parse(ep, body).map_err(IntoResponse::into_response)?;
    if limited {
        let limit = match q.interval.map(Interval::limit_class) {
            None => st.cfg.max_range_messages_ms,
            Some(LimitClass::Hour) => st.cfg.max_range_hour_ms,
            Some(LimitClass::Day) => st.cfg.max_range_day_ms,
        };
        let len = q.end - q.start;
        if len > limit {
            let mut e = ApiError::new(
                StatusCode::BAD_REQUEST,
                "RANGE_TOO_LARGE",
                format!("range of {len} ms exceeds the limit of {limit} ms for this call"),
            );
            if st.cfg.max_range_hint {
                e = e.with("maxRangeMs", json!(limit));
            }
            return Err(e.into_response());
        }
    }
    let body = match q.interval {
        None => {
            let cap = limited.then_some(st.cfg.max_messages);
            match messages::in_range(&st.model, q.start, q.end, cap) {
                Ok(msgs) => serde_json::to_string(&msgs),
                Err(n) => {
                    let e = ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "TOO_MANY_RESULTS",
                        format!(
                            "{n} messages in range, more than the {} allowed per call: split the range",
                            st.cfg.max_messages
                        ),
                    );
                    return Err(e.into_response());
                }
            }
        }
        Some(iv) => {
            let bs = buckets::buckets(q.start, q.end, iv, &q.tz, MAX_BUCKETS)
                .map_err(|m| ApiError::invalid(m).into_response())?;
            serde_json::to_string(&counts::count(&st.model, ep, q.intent_type, &bs))
        }
    };
    Ok(json_response(StatusCode::OK, body.expect("plain data serialises")))
}

async fn stats(State(st): State<Arc<MockState>>) -> Response {
    let s = st.stats.lock().unwrap();
    let by_endpoint: serde_json::Map<String, serde_json::Value> = Endpoint::ALL
        .iter()
        .map(|e| (e.name().to_string(), json!(s.by_endpoint.get(e.name()).copied().unwrap_or(0))))
        .collect();
    let by_status: serde_json::Map<String, serde_json::Value> =
        s.by_status.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    let v = json!({ "total": s.total, "byEndpoint": by_endpoint, "byStatus": by_status });
    json_response(StatusCode::OK, v.to_string())
}

async fn stats_reset(State(st): State<Arc<MockState>>) -> Response {
    *st.stats.lock().unwrap() = Stats::default();
    json_response(StatusCode::OK, r#"{"status":"reset"}"#.into())
}
