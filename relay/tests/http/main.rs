//! HTTP tests of both servers, started in-process on port 0 (one test binary, to
//! keep link time down on a small machine).

mod auth_tests;
mod cli_tests;
mod fixes_tests;
mod relay_tests;
pub mod tokens;

use mock_de::MockConfig;
use serde_json::{json, Value};

pub const D: i64 = 86_400_000;
pub const H: i64 = 3_600_000;
pub const DASH: &str = "/KoopidPartnerServer/api/APIEndpoint/Dashboard";

/// 2026-03-02T00:00:00Z, a Monday.
pub const T0: i64 = 1_772_409_600_000;

pub fn ms(iso: &str) -> i64 {
    iso.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

pub async fn spawn_mock(cfg: MockConfig) -> String {
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    tokio::spawn(mock_de::serve(l, cfg));
    format!("http://{a}")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

/// A Dashboard call with the default ids; returns (status, headers, body text).
pub async fn call(base: &str, name: &str, body: Value) -> (u16, reqwest::header::HeaderMap, String) {
    call_q(base, name, "providerId=1020&partnerId=1021", body).await
}

pub async fn call_q(base: &str, name: &str, query: &str, body: Value) -> (u16, reqwest::header::HeaderMap, String) {
    let r = client()
        .post(format!("{base}{DASH}/{name}?{query}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}

pub async fn truth(base: &str, name: &str, body: Value) -> Value {
    let r = client()
        .post(format!("{base}/__mock/truth/{name}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// The `error` code of a contract error body (panics if the body is not one).
pub fn error_code(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    assert_eq!(v["code"], "error", "{body}");
    assert!(v["message"].is_string(), "{body}");
    v["error"].as_str().unwrap().to_string()
}

pub fn counts_body(start: i64, end: i64, interval: &str) -> Value {
    json!({ "startTime": start, "endTime": end, "interval": interval })
}
