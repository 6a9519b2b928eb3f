//! The relay in front of an in-process mock: the key is added and never echoed,
//! the browser's query is ignored, CORS is per allowlist on every response, and
//! anything but the five POSTs is refused.

use std::time::Duration;

use axum::http::HeaderValue;
use relay::mock::faults::FaultConfig;
use relay::mock::MockConfig;
use relay::relay::RelayConfig;
use serde_json::{json, Value};

use super::*;

const KEY: &str = "k-s3cret-relay-key";
const ORIGIN: &str = "http://127.0.0.1:8080";

async fn spawn_relay(upstream: &str, key: Option<&str>, timeout_ms: u64) -> String {
    let cfg = RelayConfig {
        upstream: upstream.to_string(),
        provider_id: "1020".into(),
        partner_id: "1021".into(),
        api_key: key.map(str::to_string),
        allow_origins: vec![HeaderValue::from_static(ORIGIN), HeaderValue::from_static("http://localhost:8080")],
        upstream_timeout: Duration::from_millis(timeout_ms),
    };
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    tokio::spawn(relay::relay::serve(l, cfg));
    format!("http://{a}")
}

/// A mock that insists on the key and on provider 1020.
fn strict_mock() -> MockConfig {
    MockConfig { api_key: Some(KEY.into()), allowed_providers: vec!["1020".into()], ..MockConfig::default() }
}

async fn post(url: String, content_type: &str, body: String) -> reqwest::Response {
    client()
        .post(url)
        .header("content-type", content_type)
        .header("origin", ORIGIN)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn assert_cors(h: &reqwest::header::HeaderMap) {
    assert_eq!(h["access-control-allow-origin"], ORIGIN);
    assert!(h["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase().contains("retry-after"));
}

#[tokio::test]
async fn adds_key_and_ids_and_never_echoes_them() {
    let mock = spawn_mock(strict_mock()).await;
    let relay = spawn_relay(&mock, Some(KEY), 5_000).await;
    let body = counts_body(T0, T0 + D, "1h");
    // The page tries to choose the provider and the key: both are replaced.
    let r = post(format!("{relay}{DASH}/Interactions?providerId=666&partnerId=1&apiKey=evil"), "application/json", body.to_string()).await;
    assert_eq!(r.status(), 200);
    assert_cors(r.headers());
    assert!(r.headers().get("access-control-allow-origin").is_some());
    let headers = format!("{:?}", r.headers());
    let text = r.text().await.unwrap();
    assert!(!text.contains(KEY) && !headers.contains(KEY));
    let direct = truth(&mock, "Interactions", body).await;
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), direct);

    // Without the key the mock refuses: proof the relay is what adds it. The 401
    // passes through with CORS.
    let keyless = spawn_relay(&mock, None, 5_000).await;
    let r = post(format!("{keyless}{DASH}/Interactions?apiKey={KEY}"), "application/json", counts_body(T0, T0 + H, "1h").to_string()).await;
    assert_eq!(r.status(), 401, "the browser's apiKey must not be forwarded");
    assert_cors(r.headers());
    assert_eq!(error_code(&r.text().await.unwrap()), "UNAUTHORIZED");
}

#[tokio::test]
async fn passes_status_retry_after_and_body_through() {
    let faults = FaultConfig { rate_limit_rate: 1.0, ..FaultConfig::default() };
    let mock = spawn_mock(MockConfig { faults, ..MockConfig::default() }).await;
    let relay = spawn_relay(&mock, Some(KEY), 5_000).await;
    let r = post(format!("{relay}{DASH}/Intents"), "application/json", counts_body(T0, T0 + H, "1h").to_string()).await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
    assert_cors(r.headers());
    assert_eq!(error_code(&r.text().await.unwrap()), "RATE_LIMITED");

    let faults = FaultConfig { fail_endpoint: Some(relay::api::Endpoint::Messages), html_errors: true, ..FaultConfig::default() };
    let mock = spawn_mock(MockConfig { faults, ..MockConfig::default() }).await;
    let relay = spawn_relay(&mock, None, 5_000).await;
    let r = post(format!("{relay}{DASH}/Messages"), "application/json", json!({ "startTime": T0, "endTime": T0 + H }).to_string()).await;
    assert_eq!(r.status(), 500);
    assert_cors(r.headers());
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(r.text().await.unwrap().contains("<html>"));
}

#[tokio::test]
async fn cors_allowlist_and_preflight() {
    let mock = spawn_mock(MockConfig::default()).await;
    let relay = spawn_relay(&mock, None, 5_000).await;
    let preflight = |origin: &'static str| {
        client()
            .request(reqwest::Method::OPTIONS, format!("{relay}{DASH}/Intents"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let r = preflight(ORIGIN).await.unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], ORIGIN);
    assert!(r.headers()["access-control-allow-headers"].to_str().unwrap().contains("content-type"));
    assert!(r.headers()["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    let r = preflight("https://evil.example").await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // A request from a foreign origin is refused outright, and gets no CORS grant.
    let r = client()
        .post(format!("{relay}{DASH}/Intents"))
        .header("content-type", "application/json")
        .header("origin", "https://evil.example")
        .body(counts_body(T0, T0 + H, "1h").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn refuses_everything_else() {
    let mock = spawn_mock(MockConfig::default()).await;
    let relay = spawn_relay(&mock, Some(KEY), 5_000).await;
    let ok_body = counts_body(T0, T0 + H, "1h").to_string();

    for path in ["/", "/__mock/truth/Interactions", "/__mock/stats", &format!("{DASH}/Nope"), "/KoopidPartnerServer/api/Other"] {
        let r = post(format!("{relay}{path}"), "application/json", ok_body.clone()).await;
        assert_eq!(r.status(), 404, "{path}");
        assert_cors(r.headers());
        assert_eq!(error_code(&r.text().await.unwrap()), "NOT_FOUND");
    }
    let r = client().get(format!("{relay}{DASH}/Intents")).header("origin", ORIGIN).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_cors(r.headers());
    let r = client().put(format!("{relay}{DASH}/Intents")).header("origin", ORIGIN).body(ok_body.clone()).send().await.unwrap();
    assert_eq!(r.status(), 405);

    let r = post(format!("{relay}{DASH}/Interactions"), "text/plain", ok_body.clone()).await;
    assert_eq!(r.status(), 415);
    assert_cors(r.headers());
    let r = post(format!("{relay}{DASH}/Interactions"), "application/x-www-form-urlencoded", ok_body.clone()).await;
    assert_eq!(r.status(), 415);

    let big = json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "pad": "x".repeat(16 * 1024) }).to_string();
    let r = post(format!("{relay}{DASH}/Interactions"), "application/json", big).await;
    assert_eq!(r.status(), 413);
    assert_cors(r.headers());
    // Just under the limit still goes through.
    let fits = json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "pad": "x".repeat(16 * 1024 - 200) }).to_string();
    assert!(fits.len() <= 16 * 1024);
    let r = post(format!("{relay}{DASH}/Interactions"), "application/json", fits).await;
    assert_eq!(r.status(), 200);

    assert_eq!(client().get(format!("{relay}/health")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn upstream_timeout_and_outage() {
    let faults = FaultConfig { latency_ms: 3_000, ..FaultConfig::default() };
    let slow = spawn_mock(MockConfig { faults, ..MockConfig::default() }).await;
    let relay = spawn_relay(&slow, Some(KEY), 200).await;
    let started = std::time::Instant::now();
    let r = post(format!("{relay}{DASH}/Interactions"), "application/json", counts_body(T0, T0 + H, "1h").to_string()).await;
    assert_eq!(r.status(), 504);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_cors(r.headers());
    let text = r.text().await.unwrap();
    assert_eq!(error_code(&text), "UPSTREAM_TIMEOUT");
    assert!(!text.contains(KEY));

    // Nothing listening upstream: 502, and the message does not leak the URL/key.
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    drop(l);
    let relay = spawn_relay(&format!("http://{a}"), Some(KEY), 2_000).await;
    let r = post(format!("{relay}{DASH}/Interactions"), "application/json", counts_body(T0, T0 + H, "1h").to_string()).await;
    assert_eq!(r.status(), 502);
    let text = r.text().await.unwrap();
    assert_eq!(error_code(&text), "UPSTREAM_UNAVAILABLE");
    assert!(!text.contains(KEY));
}
