//! mock-de over HTTP: bucket shapes, split consistency, every error, CORS, stats.

use std::collections::BTreeMap;

use mock_de::faults::FaultConfig;
use mock_de::MockConfig;
use serde_json::{json, Value};

use super::*;

/// Sum of every bucket's counts, per key.
fn totals(v: &Value) -> BTreeMap<String, u64> {
    let mut t = BTreeMap::new();
    for b in v["buckets"].as_array().unwrap() {
        for (k, n) in b["counts"].as_object().unwrap() {
            *t.entry(k.clone()).or_insert(0) += n.as_u64().unwrap();
        }
    }
    t
}

#[tokio::test]
async fn calendar_days_across_dst_over_http() {
    let base = spawn_mock(MockConfig::default()).await;
    // New York days of 2026-03-07..09 (spring forward on the 8th) and a partial 10th.
    let body = json!({ "startTime": ms("2026-03-07T05:00:00Z"), "endTime": ms("2026-03-10T16:00:00Z"),
                       "interval": "1d", "timezone": "America/New_York" });
    let (s, _, text) = call(&base, "Interactions", body).await;
    assert_eq!(s, 200, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["code"], "success");
    let b = v["buckets"].as_array().unwrap();
    let spans: Vec<(i64, i64)> = b.iter().map(|b| (b["start"].as_i64().unwrap(), b["end"].as_i64().unwrap())).collect();
    assert_eq!(
        spans,
        vec![
            (ms("2026-03-07T05:00:00Z"), ms("2026-03-08T05:00:00Z")),
            (ms("2026-03-08T05:00:00Z"), ms("2026-03-09T04:00:00Z")),
            (ms("2026-03-09T04:00:00Z"), ms("2026-03-10T04:00:00Z")),
            (ms("2026-03-10T04:00:00Z"), ms("2026-03-10T16:00:00Z")),
        ]
    );
    assert!(b[..3].iter().all(|b| b.get("partial").is_none()));
    assert_eq!(b[3]["partial"], true);
    for b in b {
        let c = &b["counts"];
        let n = |k: &str| c.get(k).and_then(Value::as_u64).unwrap_or(0);
        assert_eq!(n("total"), n("completed") + n("abandoned"));
        assert!(n("total") > 50);
    }
}

#[tokio::test]
async fn zero_counts_and_empty_buckets_are_omitted() {
    let base = spawn_mock(MockConfig::default()).await;
    // Before 2020 the mock has no data at all: every bucket is empty, so none is sent.
    let (s, _, text) =
        call(&base, "CustomerEndpoint", counts_body(ms("2019-12-31T00:00:00Z"), ms("2020-01-01T02:00:00Z"), "1h"))
            .await;
    assert_eq!(s, 200);
    let v: Value = serde_json::from_str(&text).unwrap();
    let b = v["buckets"].as_array().unwrap();
    assert!(b.iter().all(|b| b["start"].as_i64().unwrap() >= ms("2020-01-01T00:00:00Z")), "{text}");
    assert!(b.iter().all(|b| b["counts"].as_object().unwrap().values().all(|n| n.as_u64().unwrap() > 0)));
}

#[tokio::test]
async fn counts_add_up_over_any_split() {
    let base = spawn_mock(MockConfig::default()).await;
    let (start, end) = (T0 + 1_234, T0 + 3 * D + 777);
    for (name, extra) in
        [("Interactions", None), ("Intents", Some("agent")), ("InteractionType", None), ("CustomerEndpoint", None)]
    {
        let with = |mut b: Value| {
            if let Some(t) = extra {
                b["intenttype"] = json!(t);
            }
            b
        };
        let whole = truth(&base, name, with(counts_body(start, end, "1mo"))).await;
        let whole = totals(&whole);
        assert!(whole.values().sum::<u64>() > 500, "{name}: {whole:?}");
        // Odd cut points, not on any hour.
        let cuts = [start, start + 5 * H + 17, start + D + 999, start + 2 * D + 13 * H + 1, end];
        let mut sum: BTreeMap<String, u64> = BTreeMap::new();
        for w in cuts.windows(2) {
            let (s, _, text) = call(&base, name, with(counts_body(w[0], w[1], "5h"))).await;
            assert_eq!(s, 200, "{text}");
            for (k, n) in totals(&serde_json::from_str(&text).unwrap()) {
                *sum.entry(k).or_insert(0) += n;
            }
        }
        assert_eq!(sum, whole, "{name}");
    }
    // Hourly buckets of two halves are exactly the hourly buckets of the whole.
    let whole = truth(&base, "Interactions", counts_body(T0, T0 + 2 * D, "1h")).await;
    let a = truth(&base, "Interactions", counts_body(T0, T0 + D, "1h")).await;
    let b = truth(&base, "Interactions", counts_body(T0 + D, T0 + 2 * D, "1h")).await;
    let mut joined = a["buckets"].as_array().unwrap().clone();
    joined.extend(b["buckets"].as_array().unwrap().iter().cloned());
    assert_eq!(&joined, whole["buckets"].as_array().unwrap());
}

fn message_set(v: &Value) -> Vec<(String, i64, String)> {
    let mut m: Vec<(String, i64, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["sessionid"].as_str().unwrap().to_string(),
                m["ts"].as_i64().unwrap(),
                m["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    m.sort();
    m
}

#[tokio::test]
async fn messages_add_up_over_any_split_and_are_unsorted() {
    let base = spawn_mock(MockConfig::default()).await;
    let (start, end) = (T0 + 14 * H + 5, T0 + 18 * H + 3);
    let whole = truth(&base, "Messages", json!({ "startTime": start, "endTime": end })).await;
    let whole_set = message_set(&whole);
    assert!(whole_set.len() > 200, "{}", whole_set.len());
    let ts: Vec<i64> = whole.as_array().unwrap().iter().map(|m| m["ts"].as_i64().unwrap()).collect();
    assert!(ts.windows(2).any(|w| w[0] > w[1]), "the contract promises no order; the mock must not sort");
    let mut parts = Vec::new();
    for w in [start, start + 37 * 60_000 + 11, start + 2 * H + 1, end].windows(2) {
        let (s, _, text) =
            call(&base, "Messages", json!({ "startTime": w[0], "endTime": w[1], "timezone": "Europe/Berlin" })).await;
        assert_eq!(s, 200, "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        for m in v.as_array().unwrap() {
            let t = m["ts"].as_i64().unwrap();
            assert!(t >= w[0] && t < w[1]);
            assert!(m["sessionid"].is_string() && m["timestamp"].is_string() && m["topic"].is_string());
        }
        parts.extend(message_set(&v));
    }
    parts.sort();
    assert_eq!(parts, whole_set);
}

async fn expect_error(base: &str, name: &str, body: Value, status: u16, code: &str) -> Value {
    let (s, h, text) = call(base, name, body).await;
    assert_eq!((s, error_code(&text).as_str()), (status, code), "{text}");
    assert!(h.get("content-type").unwrap().to_str().unwrap().starts_with("application/json"));
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn invalid_parameters() {
    let base = spawn_mock(MockConfig::default()).await;
    let bad = [
        ("Interactions", json!({ "startTime": T0, "endTime": T0, "interval": "1h" })),
        ("Interactions", json!({ "startTime": T0, "endTime": T0 + H, "interval": "30m" })),
        ("Interactions", json!({ "startTime": T0, "endTime": T0 + H, "interval": "0h" })),
        ("Interactions", json!({ "startTime": T0, "endTime": T0 + H })),
        ("Interactions", json!({ "endTime": T0 + H, "interval": "1h" })),
        ("Interactions", json!({ "startTime": "yesterday", "endTime": T0 + H, "interval": "1h" })),
        ("Interactions", json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "timezone": "Mars/Olympus" })),
        ("Interactions", json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "intenttype": "bot" })),
        ("Intents", json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h" })),
        ("Intents", json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "intenttype": "robot" })),
        ("Messages", json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h" })),
    ];
    for (name, body) in bad {
        expect_error(&base, name, body, 400, "INVALID_PARAMETER").await;
    }
    let ok = counts_body(T0, T0 + H, "hours");
    let (s, _, text) = call_q(&base, "Interactions", "partnerId=1021", ok.clone()).await;
    assert_eq!((s, error_code(&text).as_str()), (400, "INVALID_PARAMETER"));
    let (s, _, text) = call_q(&base, "Interactions", "providerId=1020", ok.clone()).await;
    assert_eq!((s, error_code(&text).as_str()), (400, "INVALID_PARAMETER"));
    // Not JSON: refused.
    let r = client()
        .post(format!("{base}{DASH}/Interactions?providerId=1&partnerId=2"))
        .header("content-type", "text/plain")
        .body(ok.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    // The words and a good zone work.
    let (s, _, _) = call(&base, "Intents", json!({ "startTime": T0, "endTime": T0 + D, "interval": "days", "timezone": "Asia/Kolkata", "intenttype": "bot" })).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn range_limits_at_the_boundary() {
    let cfg = MockConfig { max_range_messages_ms: H, ..MockConfig::default() };
    let base = spawn_mock(cfg).await;
    for (iv, limit) in [("1h", 7 * D), ("5h", 7 * D), ("1d", 31 * D), ("1mo", 31 * D)] {
        let (s, _, text) = call(&base, "InteractionType", counts_body(T0, T0 + limit, iv)).await;
        assert_eq!(s, 200, "{iv} exactly at the limit: {text}");
        let v =
            expect_error(&base, "InteractionType", counts_body(T0, T0 + limit + 1, iv), 400, "RANGE_TOO_LARGE").await;
        assert_eq!(v["maxRangeMs"], json!(limit));
    }
    let (s, _, _) = call(&base, "Messages", json!({ "startTime": T0, "endTime": T0 + H })).await;
    assert_eq!(s, 200);
    let v = expect_error(&base, "Messages", json!({ "startTime": T0, "endTime": T0 + H + 1 }), 400, "RANGE_TOO_LARGE")
        .await;
    assert_eq!(v["maxRangeMs"], json!(H));
    // The truth path has no limit.
    let t = truth(&base, "Interactions", counts_body(T0, T0 + 400 * D, "1d")).await;
    assert!(t["buckets"].as_array().unwrap().len() > 390);

    let base =
        spawn_mock(MockConfig { max_range_hint: false, max_range_hour_ms: 2 * D, ..MockConfig::default() }).await;
    let (s, _, _) = call(&base, "Interactions", counts_body(T0, T0 + 2 * D, "1h")).await;
    assert_eq!(s, 200);
    let v = expect_error(&base, "Interactions", counts_body(T0, T0 + 2 * D + 1, "1h"), 400, "RANGE_TOO_LARGE").await;
    assert!(v.get("maxRangeMs").is_none(), "{v}");
}

#[tokio::test]
async fn too_many_results_never_truncates() {
    let base = spawn_mock(MockConfig::default()).await;
    // Five weekdays hold more than the 10,000 allowed per call; one day does not.
    let body = json!({ "startTime": T0, "endTime": T0 + 5 * D });
    let v = expect_error(&base, "Messages", body.clone(), 400, "TOO_MANY_RESULTS").await;
    assert!(v["message"].as_str().unwrap().contains("10000"));
    let all = truth(&base, "Messages", body).await;
    assert!(all.as_array().unwrap().len() > 10_000);
    let (s, _, text) = call(&base, "Messages", json!({ "startTime": T0, "endTime": T0 + D })).await;
    assert_eq!(s, 200);
    let n = serde_json::from_str::<Value>(&text).unwrap().as_array().unwrap().len();
    assert!((1_000..10_000).contains(&n), "{n}");
}

#[tokio::test]
async fn auth_and_provider_errors() {
    let cfg =
        MockConfig { api_key: Some("k-123".into()), allowed_providers: vec!["1020".into()], ..MockConfig::default() };
    let base = spawn_mock(cfg).await;
    let body = counts_body(T0, T0 + H, "1h");
    for q in ["providerId=1020&partnerId=1021", "providerId=1020&partnerId=1021&apiKey=nope"] {
        let (s, _, text) = call_q(&base, "Interactions", q, body.clone()).await;
        assert_eq!((s, error_code(&text).as_str()), (401, "UNAUTHORIZED"));
    }
    let (s, _, text) = call_q(&base, "Interactions", "providerId=9&partnerId=1021&apiKey=k-123", body.clone()).await;
    assert_eq!((s, error_code(&text).as_str()), (403, "FORBIDDEN"));
    let (s, _, _) = call_q(&base, "Interactions", "providerId=1020&partnerId=1021&apiKey=k-123", body.clone()).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn injected_faults_with_cors() {
    let faults = FaultConfig { rate_limit_rate: 1.0, ..FaultConfig::default() };
    let base = spawn_mock(MockConfig { faults, ..MockConfig::default() }).await;
    let r = client()
        .post(format!("{base}{DASH}/Interactions?providerId=1&partnerId=2"))
        .header("content-type", "application/json")
        .header("origin", "http://127.0.0.1:8080")
        .body(counts_body(T0, T0 + H, "1h").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let h = r.headers();
    assert_eq!(h["retry-after"], "1");
    assert_eq!(h["access-control-allow-origin"], "*");
    assert!(h["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase().contains("retry-after"));
    assert_eq!(error_code(&r.text().await.unwrap()), "RATE_LIMITED");
    // The truth path is never faulty.
    truth(&base, "Interactions", counts_body(T0, T0 + H, "1h")).await;

    let faults = FaultConfig { fail_rate: 1.0, ..FaultConfig::default() };
    let base = spawn_mock(MockConfig { faults, ..MockConfig::default() }).await;
    for _ in 0..6 {
        let (s, _, text) = call(&base, "CustomerEndpoint", counts_body(T0, T0 + H, "1h")).await;
        assert!([500, 502, 503].contains(&s), "{s}");
        error_code(&text);
    }

    let faults = FaultConfig {
        fail_endpoint: Some(mock_de::api::Endpoint::Interactions),
        html_errors: true,
        ..FaultConfig::default()
    };
    let base = spawn_mock(MockConfig { faults, ..MockConfig::default() }).await;
    let (s, h, text) = call(&base, "Interactions", counts_body(T0, T0 + H, "1h")).await;
    assert_eq!(s, 500);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(text.contains("<html>") && serde_json::from_str::<Value>(&text).is_err());
    assert_eq!(h["access-control-allow-origin"], "*");
    let (s, _, _) = call(&base, "InteractionType", counts_body(T0, T0 + H, "1h")).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn preflight_stats_and_health() {
    let base = spawn_mock(MockConfig::default()).await;
    let r = client()
        .request(reqwest::Method::OPTIONS, format!("{base}{DASH}/Intents"))
        .header("origin", "http://localhost:9999")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers()["access-control-allow-headers"].to_str().unwrap().contains("content-type"));

    let c = client();
    c.post(format!("{base}/__mock/stats/reset")).send().await.unwrap();
    call(&base, "Intents", json!({})).await; // a 400 still counts as a call received
    call(&base, "Messages", json!({ "startTime": T0, "endTime": T0 + 60_000 })).await;
    call(&base, "Messages", json!({ "startTime": T0, "endTime": T0 + 60_000 })).await;
    truth(&base, "Messages", json!({ "startTime": T0, "endTime": T0 + 60_000 })).await; // not counted
    let s: Value = c.get(format!("{base}/__mock/stats")).send().await.unwrap().json().await.unwrap();
    assert_eq!(s["total"], 3);
    assert_eq!(s["byEndpoint"]["Messages"], 2);
    assert_eq!(s["byEndpoint"]["Intents"], 1);
    assert_eq!(s["byEndpoint"]["Interactions"], 0);
    assert_eq!(s["byStatus"]["400"], 1);
    c.post(format!("{base}/__mock/stats/reset")).send().await.unwrap();
    let s: Value = c.get(format!("{base}/__mock/stats")).send().await.unwrap().json().await.unwrap();
    assert_eq!(s["total"], 0);

    assert_eq!(c.get(format!("{base}/health")).send().await.unwrap().status(), 200);
    let r = c.get(format!("{base}{DASH}/Intents")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    let r = c.post(format!("{base}{DASH}/Nope?providerId=1&partnerId=2")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
}
