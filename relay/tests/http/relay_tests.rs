//! The relay in front of an in-process mock: the key is added and never echoed,
//! the browser's query is ignored, CORS is per allowlist on every response, and
//! anything but the five POSTs is refused.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderValue;
use mock_de::faults::FaultConfig;
use mock_de::MockConfig;
use relay::relay::origin::Origin;
use relay::relay::RelayConfig;
use serde_json::{json, Value};

use super::*;

const KEY: &str = "k-s3cret-relay-key";
const ORIGIN: &str = "http://127.0.0.1:8080";

/// Log lines the relay wrote, captured for the key-leak and log-format checks.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<String>>>);

impl Logs {
    fn sink(&self) -> relay::relay::access_log::LogSink {
        let lines = self.0.clone();
        Arc::new(move |l: &str| lines.lock().unwrap().push(l.to_string()))
    }
    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

fn relay_config(upstream: &str, key: Option<&str>, timeout_ms: u64) -> RelayConfig {
    let mut cfg = RelayConfig::new(upstream, "1020", "1021");
    let t = cfg.only_tenant();
    t.upstream.api_key = key.map(str::to_string);
    t.allow_origins = vec![Origin::parse(ORIGIN).unwrap(), Origin::parse("http://localhost:8080").unwrap()];
    cfg.upstream_timeout = Duration::from_millis(timeout_ms);
    cfg.log = relay::relay::access_log::null_sink();
    cfg
}

async fn spawn_relay_with(cfg: RelayConfig) -> String {
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    tokio::spawn(relay::relay::serve(l, cfg));
    format!("http://{a}")
}

async fn spawn_relay(upstream: &str, key: Option<&str>, timeout_ms: u64) -> String {
    spawn_relay_with(relay_config(upstream, key, timeout_ms)).await
}

/// A mock that insists on the key and on provider 1020.
fn strict_mock() -> MockConfig {
    MockConfig { api_key: Some(KEY.into()), allowed_providers: vec!["1020".into()], ..MockConfig::default() }
}

async fn post(url: String, content_type: &str, body: String) -> reqwest::Response {
    client().post(url).header("content-type", content_type).header("origin", ORIGIN).body(body).send().await.unwrap()
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
    let r = post(
        format!("{relay}{DASH}/Interactions?providerId=666&partnerId=1&apiKey=evil"),
        "application/json",
        body.to_string(),
    )
    .await;
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
    let r = post(
        format!("{keyless}{DASH}/Interactions?apiKey={KEY}"),
        "application/json",
        counts_body(T0, T0 + H, "1h").to_string(),
    )
    .await;
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

    let faults = FaultConfig {
        fail_endpoint: Some(mock_de::api::Endpoint::Messages),
        html_errors: true,
        ..FaultConfig::default()
    };
    let mock = spawn_mock(MockConfig { faults, ..MockConfig::default() }).await;
    let relay = spawn_relay(&mock, None, 5_000).await;
    let r = post(
        format!("{relay}{DASH}/Messages"),
        "application/json",
        json!({ "startTime": T0, "endTime": T0 + H }).to_string(),
    )
    .await;
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

    for path in
        ["/", "/__mock/truth/Interactions", "/__mock/stats", &format!("{DASH}/Nope"), "/KoopidPartnerServer/api/Other"]
    {
        let r = post(format!("{relay}{path}"), "application/json", ok_body.clone()).await;
        assert_eq!(r.status(), 404, "{path}");
        assert_cors(r.headers());
        assert_eq!(error_code(&r.text().await.unwrap()), "NOT_FOUND");
    }
    let r = client().get(format!("{relay}{DASH}/Intents")).header("origin", ORIGIN).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_cors(r.headers());
    let r = client()
        .put(format!("{relay}{DASH}/Intents"))
        .header("origin", ORIGIN)
        .body(ok_body.clone())
        .send()
        .await
        .unwrap();
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
    let fits =
        json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "pad": "x".repeat(16 * 1024 - 200) }).to_string();
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
    let r = post(format!("{relay}{DASH}/Interactions"), "application/json", counts_body(T0, T0 + H, "1h").to_string())
        .await;
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
    let r = post(format!("{relay}{DASH}/Interactions"), "application/json", counts_body(T0, T0 + H, "1h").to_string())
        .await;
    assert_eq!(r.status(), 502);
    let text = r.text().await.unwrap();
    assert_eq!(error_code(&text), "UPSTREAM_UNAVAILABLE");
    assert!(!text.contains(KEY));
}

/// One raw HTTP/1.1 exchange, bytes exactly as given (reqwest would normalise `..`
/// and `%2e` away before they reach the relay). Returns (status, head, body).
async fn raw(base: &str, request: String) -> (u16, String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(base.trim_start_matches("http://")).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out)).await.expect("relay answered").unwrap();
    let text = String::from_utf8_lossy(&out).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

fn raw_post(target: &str, host: &str, body: &str) -> String {
    format!(
        "POST {target} HTTP/1.1\r\nHost: {host}\r\nOrigin: {ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// A server standing in for an attacker's target: counts the requests it gets and
/// echoes each one's URL (key included) in its body and a header.
async fn spawn_echo() -> (String, Arc<Mutex<Vec<String>>>) {
    let hits: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = hits.clone();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push(uri.to_string());
            let mut r = axum::response::IntoResponse::into_response((
                axum::http::StatusCode::BAD_REQUEST,
                format!("bad request to {uri}"),
            ));
            r.headers_mut().insert("x-echo", HeaderValue::from_str(&uri.to_string()).unwrap());
            r
        }
    });
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    tokio::spawn(async move { axum::serve(l, app).await });
    (format!("http://{a}"), hits)
}

#[tokio::test]
async fn no_way_to_another_host_or_path() {
    let mock = spawn_mock(strict_mock()).await;
    let (evil, evil_hits) = spawn_echo().await;
    let relay = spawn_relay(&mock, Some(KEY), 5_000).await;
    let host = relay.trim_start_matches("http://");
    let evil_host = evil.trim_start_matches("http://");
    let body = counts_body(T0, T0 + H, "1h").to_string();

    // Encoded, dot and empty segments: refused, not normalised.
    for target in [
        format!("{DASH}/%49ntents"),
        format!("{DASH}/Intents%2F..%2F..%2F__mock%2Fstats"),
        format!("{DASH}/%2e%2e/%2e%2e/__mock/truth/Intents"),
        format!("{DASH}/%2E%2E/Dashboard/Intents"),
        format!("{DASH}/../Dashboard/Intents"),
        format!("{DASH}/./Intents"),
        format!("{DASH}//Intents"),
        format!("/{DASH}/Intents"),
        format!("{DASH}/Intents/.."),
    ] {
        let (status, head, text) = raw(&relay, raw_post(&target, host, &body)).await;
        assert_eq!(status, 400, "{target}: {head}");
        assert_eq!(error_code(&text), "BAD_REQUEST_TARGET", "{target}");
        assert!(head.contains(&format!("access-control-allow-origin: {ORIGIN}")), "CORS on refusals too: {head}");
    }
    // Absolute-form request lines: refused, whatever host they name.
    for target in [
        format!("http://{evil_host}{DASH}/Intents"),
        format!("http://{host}{DASH}/Intents"),
        format!("https://{evil_host}/x"),
    ] {
        let (status, _, text) = raw(&relay, raw_post(&target, host, &body)).await;
        assert_eq!((status, error_code(&text).as_str()), (400, "BAD_REQUEST_TARGET"), "{target}");
    }
    // CONNECT (authority-form) too.
    let (status, _, _) =
        raw(&relay, format!("CONNECT {evil_host} HTTP/1.1\r\nHost: {evil_host}\r\nConnection: close\r\n\r\n")).await;
    assert!(status == 400 || status == 405, "CONNECT: {status}");
    // Host and forwarding headers are not where the upstream comes from: the call
    // still goes to the configured mock (which insists on the key: 200 proves it).
    let intents = json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "intenttype": "bot" }).to_string();
    let tricks = format!(
        "POST {DASH}/Intents HTTP/1.1\r\nHost: {evil_host}\r\nX-Forwarded-Host: {evil_host}\r\nX-Forwarded-Proto: https\r\nForwarded: host={evil_host}\r\nOrigin: {ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{intents}",
        intents.len()
    );
    let (status, _, text) = raw(&relay, tricks).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains(r#""code":"success""#), "{text}");
    assert!(evil_hits.lock().unwrap().is_empty(), "the relay reached another host: {:?}", evil_hits.lock().unwrap());
}

#[tokio::test]
async fn refusals_have_clear_statuses() {
    let mock = spawn_mock(MockConfig::default()).await;
    let relay = spawn_relay(&mock, Some(KEY), 5_000).await;
    let url = format!("{relay}{DASH}/Interactions");
    let ok_body = counts_body(T0, T0 + H, "1h").to_string();

    // Methods: 405 with Allow, on the endpoints and on /health.
    for m in ["GET", "PUT", "DELETE", "PATCH", "HEAD"] {
        let r = client()
            .request(reqwest::Method::from_bytes(m.as_bytes()).unwrap(), &url)
            .header("origin", ORIGIN)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 405, "{m}");
        assert_eq!(r.headers()["allow"], "POST, OPTIONS", "{m}");
        assert_cors(r.headers());
    }
    let r = client().post(format!("{relay}/health")).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["allow"].to_str().unwrap()), (405, "GET, HEAD"));
    let r = client().request(reqwest::Method::OPTIONS, &url).header("origin", ORIGIN).send().await.unwrap();
    assert_eq!(r.status(), 405, "OPTIONS that is not a preflight");

    // Preflights: only POST with Content-Type.
    let preflight = |method: &'static str, headers: &'static str| {
        client()
            .request(reqwest::Method::OPTIONS, &url)
            .header("origin", ORIGIN)
            .header("access-control-request-method", method)
            .header("access-control-request-headers", headers)
            .send()
    };
    let r = preflight("POST", "content-type").await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["access-control-allow-methods"], "POST");
    for (m, h) in [("PUT", "content-type"), ("POST", "content-type, authorization"), ("POST", "x-api-key")] {
        let r = preflight(m, h).await.unwrap();
        assert_eq!(r.status(), 403, "{m} {h}");
        assert_eq!(error_code(&r.text().await.unwrap()), "PREFLIGHT_REFUSED");
    }
    let r = client()
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    assert_eq!(error_code(&r.text().await.unwrap()), "ORIGIN_NOT_ALLOWED");

    // Bodies: JSON content type AND a JSON object, at most 16 KB.
    let r = post(url.clone(), "text/plain", ok_body.clone()).await;
    assert_eq!((r.status().as_u16(), error_code(&r.text().await.unwrap()).as_str()), (415, "UNSUPPORTED_MEDIA_TYPE"));
    let r = client().post(&url).header("origin", ORIGIN).body(ok_body.clone()).send().await.unwrap();
    assert_eq!(r.status(), 415, "no Content-Type");
    for bad in ["", "not json", "[1,2]", "\"text\"", "42", "{\"startTime\":", "null"] {
        let r = post(url.clone(), "application/json", bad.to_string()).await;
        assert_eq!(
            (r.status().as_u16(), error_code(&r.text().await.unwrap()).as_str()),
            (400, "INVALID_JSON"),
            "{bad:?}"
        );
    }
    // Over 16 KB without a Content-Length (chunked): still 413.
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(17 * 1024));
    let mut chunked = format!(
        "POST {DASH}/Interactions HTTP/1.1\r\nHost: x\r\nOrigin: {ORIGIN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    for part in big.as_bytes().chunks(4096) {
        chunked += &format!("{:x}\r\n{}\r\n", part.len(), std::str::from_utf8(part).unwrap());
    }
    chunked += "0\r\n\r\n";
    let (status, _, text) = raw(&relay, chunked).await;
    assert_eq!((status, error_code(&text).as_str()), (413, "PAYLOAD_TOO_LARGE"));
    // A declared length over the limit is refused before the body is read.
    let (status, _, _) = raw(
        &relay,
        format!("POST {DASH}/Interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n{{}}"),
    )
    .await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn rate_limit_per_origin() {
    let mock = spawn_mock(MockConfig::default()).await;
    let mut cfg = relay_config(&mock, None, 5_000);
    cfg.rate_limit = Some(relay::relay::ratelimit::RateLimit { per_second: 0.5, burst: 3 });
    let relay = spawn_relay_with(cfg).await;
    let url = format!("{relay}{DASH}/Interactions");
    let body = counts_body(T0, T0 + H, "1h").to_string();
    for _ in 0..3 {
        assert_eq!(post(url.clone(), "application/json", body.clone()).await.status(), 200);
    }
    let r = post(url.clone(), "application/json", body.clone()).await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "2");
    assert_cors(r.headers());
    assert_eq!(error_code(&r.text().await.unwrap()), "RATE_LIMITED");
    // Another allowed origin has its own bucket.
    let r = client()
        .post(&url)
        .header("content-type", "application/json")
        .header("origin", "http://localhost:8080")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // /health is never limited.
    assert_eq!(client().get(format!("{relay}/health")).header("origin", ORIGIN).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_key_never_leaks_to_responses_or_logs() {
    let logs = Logs::default();
    let (echo, echo_hits) = spawn_echo().await;
    let mock = spawn_mock(strict_mock()).await;
    let mut responses = Vec::new();
    let mut record = |r: (u16, String, String)| responses.push(format!("{} {} {}", r.0, r.1, r.2));

    // An upstream that echoes the URL (key included) in its body and headers.
    let mut cfg = relay_config(&echo, Some(KEY), 5_000);
    cfg.log = logs.sink();
    let relay = spawn_relay_with(cfg).await;
    let body = counts_body(T0, T0 + H, "1h").to_string();
    let r = post(format!("{relay}{DASH}/Interactions?apiKey=mine&x=1"), "application/json", body.clone()).await;
    assert_eq!(r.status(), 400, "status passed through");
    assert!(r.headers().get("x-echo").is_none(), "upstream headers other than the contract's are dropped");
    let text = r.text().await.unwrap();
    assert!(text.contains("[redacted]") && !text.contains(KEY), "{text}");
    assert!(
        echo_hits.lock().unwrap()[0].contains(KEY),
        "the echo server did get the key (so the test means something)"
    );

    // Every other kind of answer, through a relay in front of the strict mock.
    let mut cfg = relay_config(&mock, Some(KEY), 5_000);
    cfg.log = logs.sink();
    cfg.rate_limit = Some(relay::relay::ratelimit::RateLimit { per_second: 0.1, burst: 3 });
    let relay = spawn_relay_with(cfg).await;
    let host = relay.trim_start_matches("http://").to_string();
    for req in [
        raw_post(&format!("{DASH}/Interactions?apiKey=evil&providerId=1"), &host, &body),
        raw_post(&format!("{DASH}/Nope?q=1"), &host, &body),
        raw_post(&format!("{DASH}/%2e%2e/x"), &host, &body),
        raw_post(&format!("http://example.com{DASH}/Intents"), &host, &body),
        raw_post(&format!("{DASH}/Interactions"), &host, "[]"),
        format!("GET {DASH}/Intents HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        format!("GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        raw_post(&format!("{DASH}/Interactions"), &host, &body),
        raw_post(&format!("{DASH}/Interactions"), &host, &body),
    ] {
        record(raw(&relay, req).await);
    }
    // An upstream timeout and an unreachable upstream.
    let slow =
        spawn_mock(MockConfig { faults: FaultConfig { latency_ms: 2_000, ..FaultConfig::default() }, ..strict_mock() })
            .await;
    let mut cfg = relay_config(&slow, Some(KEY), 100);
    cfg.log = logs.sink();
    let r = raw(&spawn_relay_with(cfg).await, raw_post(&format!("{DASH}/Interactions"), &host, &body)).await;
    assert_eq!(r.0, 504);
    record(r);
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    drop(l);
    let mut cfg = relay_config(&format!("http://{a}"), Some(KEY), 2_000);
    cfg.log = logs.sink();
    let r = raw(&spawn_relay_with(cfg).await, raw_post(&format!("{DASH}/Interactions"), &host, &body)).await;
    assert_eq!(r.0, 502);
    record(r);

    let statuses: Vec<u16> = responses.iter().map(|r| r[..3].parse().unwrap()).collect();
    assert_eq!(statuses, vec![200, 404, 400, 400, 400, 405, 200, 200, 429, 504, 502], "{responses:#?}");
    for r in &responses {
        assert!(!r.contains(KEY), "key in a response: {r}");
    }

    // Logs: one JSON object per line, no key, no query.
    let lines = logs.lines();
    assert!(lines.len() >= 12, "{lines:#?}");
    let mut access = 0;
    for line in &lines {
        assert!(!line.contains(KEY), "key in a log line: {line}");
        let v: Value = serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON line: {line}"));
        assert!(v["ts"].is_string() && v["event"].is_string(), "{line}");
        if v["event"] == "access" {
            access += 1;
            assert!(v["method"].is_string() && v["status"].is_u64() && v["durationMs"].is_number(), "{line}");
            assert!(v["path"].as_str().unwrap().starts_with('/'), "{line}");
            assert!(!line.contains('?') && !line.contains("evil"), "the query is never logged: {line}");
        }
    }
    assert_eq!(access, 12, "one access line per request: {lines:#?}");
    let first = lines.iter().find(|l| l.contains(r#""status":200"#)).unwrap();
    let v: Value = serde_json::from_str(first).unwrap();
    assert_eq!(v["origin"], ORIGIN);
    assert_eq!(v["path"], format!("{DASH}/Interactions"));
}

#[tokio::test]
async fn graceful_shutdown_finishes_requests_in_flight() {
    let faults = FaultConfig { latency_ms: 800, ..FaultConfig::default() };
    let mock = spawn_mock(MockConfig { faults, ..MockConfig::default() }).await;
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(relay::relay::serve_until(l, relay_config(&mock, None, 5_000), async {
        let _ = rx.await;
    }));
    let url = format!("http://{a}{DASH}/Interactions");
    let in_flight = tokio::spawn(post(url.clone(), "application/json", counts_body(T0, T0 + H, "1h").to_string()));
    tokio::time::sleep(Duration::from_millis(300)).await;
    tx.send(()).unwrap();
    let r = in_flight.await.unwrap();
    assert_eq!(r.status(), 200, "the request in flight was finished");
    assert!(r.text().await.unwrap().contains("success"));
    tokio::time::timeout(Duration::from_secs(5), server).await.expect("server stopped").unwrap().unwrap();
    assert!(tokio::net::TcpStream::connect(a).await.is_err(), "no longer accepting");
}
