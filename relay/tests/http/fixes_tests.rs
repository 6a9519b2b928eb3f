//! The five holes probing from outside found, each shut: extra body fields
//! forwarded, the key echoed percent-encoded, huge upstream answers buffered
//! whole, trickling clients held open forever, origins compared case-sensitively.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use relay::relay::origin::Origin;
use relay::relay::RelayConfig;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

const ORIGIN: &str = "http://127.0.0.1:8080";

fn open_relay(upstream: &str, key: &str) -> RelayConfig {
    let mut cfg = RelayConfig::new(upstream, "1020", "1021");
    let t = cfg.only_tenant();
    t.upstream.api_key = Some(key.into());
    t.allow_origins = vec![Origin::parse(ORIGIN).unwrap()];
    cfg.log = relay::relay::access_log::null_sink();
    cfg
}

async fn spawn_relay(cfg: RelayConfig) -> String {
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    tokio::spawn(relay::relay::serve(l, cfg));
    format!("http://{a}")
}

async fn post_from(url: String, origin: &str, body: String) -> reqwest::Response {
    client()
        .post(url)
        .header("content-type", "application/json")
        .header("origin", origin)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// An upstream that records each request (URL and body) and answers with `answer(url)`.
async fn spawn_recorder(answer: fn(&str) -> String) -> (String, Arc<Mutex<Vec<(String, String)>>>) {
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let s = seen.clone();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri, body: String| {
        let s = s.clone();
        async move {
            let url = uri.to_string();
            s.lock().unwrap().push((url.clone(), body));
            ([("content-type", "text/html")], answer(&url))
        }
    });
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    tokio::spawn(async move { axum::serve(l, app).await });
    (format!("http://{a}"), seen)
}

#[tokio::test]
async fn the_upstream_body_holds_the_contract_fields_only() {
    let (up, seen) = spawn_recorder(|_| r#"{"code":"success","buckets":[]}"#.into()).await;
    let relay = spawn_relay(open_relay(&up, "k-s3cret-key")).await;
    let page = json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "timezone": "Europe/Berlin",
                       "intenttype": "bot", "providerId": "666", "partnerId": "1", "apiKey": "evil",
                       "extra": { "nested": true } });
    let r = post_from(format!("{relay}{DASH}/Intents"), ORIGIN, page.to_string()).await;
    assert_eq!(r.status(), 200);
    let (url, body) = seen.lock().unwrap()[0].clone();
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "timezone": "Europe/Berlin", "intenttype": "bot" })
    );
    assert!(url.contains("providerId=1020") && !url.contains("666") && !url.contains("evil"), "{url}");
}

#[tokio::test]
async fn the_key_is_scrubbed_in_every_spelling() {
    // A key with characters that percent-encoding changes.
    let key = "k/ey+s3cret=1&x y";
    // The upstream quotes the URL as it got it (form-encoded key), decoded, and in other spellings.
    let (up, seen) = spawn_recorder(|url| {
        let q = url.split_once('?').map(|x| x.1).unwrap_or("");
        let encoded = q.split('&').find_map(|kv| kv.strip_prefix("apiKey=")).unwrap_or("").to_string();
        let decoded: String = form_urlencoded::parse(format!("k={encoded}").as_bytes()).next().unwrap().1.into();
        let upper: String = decoded.bytes().map(|b| format!("%{b:02X}")).collect();
        let lower = upper.to_lowercase();
        let json_escaped = serde_json::to_string(&decoded).unwrap().replace('/', "\\/");
        format!("<html>bad request: {url}<br>{encoded}<br>{decoded}<br>{upper}<br>{lower}<br>{json_escaped}</html>")
    })
    .await;
    let relay = spawn_relay(open_relay(&up, key)).await;
    let r = post_from(format!("{relay}{DASH}/Interactions"), ORIGIN, counts_body(T0, T0 + H, "1h").to_string()).await;
    let text = r.text().await.unwrap();
    let sent = seen.lock().unwrap()[0].0.clone();
    assert!(sent.contains("apiKey=k%2Fey%2Bs3cret%3D1%26x+y"), "the upstream did get the key, encoded: {sent}");
    assert_eq!(text.matches("[redacted]").count(), 6, "{text}");
    for leak in ["s3cret", "S3CRET", "s3cr", "%33cret"] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
}

/// A raw upstream that answers 200 with an endless chunked body (or a huge
/// declared length), counting the bytes it managed to write.
async fn spawn_flood(declare_length: bool) -> (String, Arc<AtomicU64>) {
    let written = Arc::new(AtomicU64::new(0));
    let w = written.clone();
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let w = w.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let head = if declare_length {
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 419430400\r\n\r\n".to_string()
                } else {
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        .to_string()
                };
                if s.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b'7'; 64 * 1024];
                let framed = if declare_length {
                    chunk.clone()
                } else {
                    [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()].concat()
                };
                // 400 MB at most.
                for _ in 0..6400 {
                    if s.write_all(&framed).await.is_err() {
                        return;
                    }
                    w.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                }
            });
        }
    });
    (format!("http://{a}"), written)
}

#[tokio::test]
async fn an_upstream_answer_over_the_cap_is_a_502_not_held_whole() {
    for declare in [false, true] {
        let (up, written) = spawn_flood(declare).await;
        let mut cfg = open_relay(&up, "k-s3cret-key");
        cfg.max_upstream_bytes = 1024 * 1024;
        let relay = spawn_relay(cfg).await;
        let started = Instant::now();
        let r =
            post_from(format!("{relay}{DASH}/Interactions"), ORIGIN, counts_body(T0, T0 + H, "1h").to_string()).await;
        assert_eq!(r.status(), 502, "declared length: {declare}");
        assert_eq!(r.headers()["access-control-allow-origin"], ORIGIN);
        assert_eq!(error_code(&r.text().await.unwrap()), "UPSTREAM_TOO_LARGE");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let sent = written.load(Ordering::Relaxed);
        // The relay stopped reading at the cap: the upstream got no further than
        // the cap plus what socket buffers hold, far from its 400 MB.
        assert!(sent < 48 * 1024 * 1024, "upstream wrote {sent} bytes (declared length: {declare})");
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_cut_off() {
    let mock = spawn_mock(mock_de::MockConfig::default()).await;
    let mut cfg = open_relay(&mock, "k-s3cret-key");
    cfg.header_read_timeout = Duration::from_millis(1000);
    let relay = spawn_relay(cfg).await;
    let mut s = tokio::net::TcpStream::connect(relay.trim_start_matches("http://")).await.unwrap();
    let started = Instant::now();
    let request = format!("POST {DASH}/Interactions HTTP/1.1\r\nHost: x\r\nX-Slow: {}", "a".repeat(100));
    let mut closed_after = None;
    let mut buf = [0u8; 1024];
    for b in request.bytes() {
        if s.write_all(&[b]).await.is_err() {
            closed_after = Some(started.elapsed());
            break;
        }
        match tokio::time::timeout(Duration::from_millis(200), s.read(&mut buf)).await {
            Ok(Ok(_)) | Ok(Err(_)) => {
                closed_after = Some(started.elapsed());
                break;
            }
            Err(_) => {}
        }
        if started.elapsed() > Duration::from_secs(8) {
            break;
        }
    }
    let closed_after = closed_after.expect("the relay kept a trickling connection open for 8 s");
    assert!(closed_after < Duration::from_secs(4), "cut off after {closed_after:?}");
    // A normal request on a new connection is unaffected.
    let r = post_from(format!("{relay}{DASH}/Interactions"), ORIGIN, counts_body(T0, T0 + H, "1h").to_string()).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn configured_origins_compare_case_insensitively() {
    let mock = spawn_mock(mock_de::MockConfig::default()).await;
    let mut cfg = open_relay(&mock, "k-s3cret-key");
    cfg.only_tenant().allow_origins = vec![Origin::parse("HTTPS://Portal.Example").unwrap()];
    let relay = spawn_relay(cfg).await;
    for sent in ["https://portal.example", "https://portal.example:443"] {
        let r = post_from(format!("{relay}{DASH}/Interactions"), sent, counts_body(T0, T0 + H, "1h").to_string()).await;
        assert_eq!(r.status(), 200, "{sent}");
        assert_eq!(r.headers()["access-control-allow-origin"], sent, "the browser's own spelling comes back");
    }
    for other in ["http://portal.example", "https://portal.example.evil", "https://portal.example:8443"] {
        let r =
            post_from(format!("{relay}{DASH}/Interactions"), other, counts_body(T0, T0 + H, "1h").to_string()).await;
        assert_eq!(r.status(), 403, "{other}");
    }
}
