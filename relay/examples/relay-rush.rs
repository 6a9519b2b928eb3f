//! `relay-rush`: a morning rush on loopback. Starts mock-de in-process with 150 ms
//! per call (counting the calls it gets) and a relay (`auth none`, rate limit off),
//! then opens the same view in 200 simulated dashboards at once: each sends the
//! calls the dashboard makes for `now-7d` at 1h with the buckets on the hour grid
//! (four panels and the key figures' previous period: six series, two calls each),
//! four at a time. Prints the upstream calls against 200 x one dashboard's (what
//! a relay that passes every call through costs), then the same for a second rush
//! five seconds later (kept answers). Exits 1 if any call fails.
//!
//!     cargo run --release -p relay --example relay-rush -- [--dashboards 200]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::middleware::Next;
use futures_util::stream::{self, StreamExt};
use mock_de::faults::FaultConfig;
use mock_de::MockConfig;
use relay::relay::origin::Origin;
use relay::relay::RelayConfig;

const ORIGIN: &str = "http://127.0.0.1:8080";
const DASH: &str = "/KoopidPartnerServer/api/APIEndpoint/Dashboard";
const H: i64 = 3_600_000;

fn calls(now: i64) -> Vec<(&'static str, String)> {
    let start = now - now.rem_euclid(H) - 168 * H;
    let prev = start - 169 * H;
    let body = |s: i64, e: i64, extra: &str| {
        format!(r#"{{"startTime":{s},"endTime":{e},"interval":"1h","timezone":"UTC"{extra}}}"#)
    };
    let mut out = Vec::new();
    for (ep, extra) in
        [("Interactions", ""), ("InteractionType", ""), ("Intents", r#","intenttype":"bot""#), ("CustomerEndpoint", "")]
    {
        out.push((ep, body(start, start + 168 * H, extra)));
        out.push((ep, body(start + 168 * H, now, extra)));
    }
    for ep in ["Interactions", "InteractionType"] {
        out.push((ep, body(prev, prev + 168 * H, "")));
        out.push((ep, body(prev + 168 * H, now - 169 * H, "")));
    }
    out
}

async fn dashboard(client: &reqwest::Client, relay: &str, now: i64) -> bool {
    let results: Vec<bool> = stream::iter(calls(now))
        .map(|(ep, body)| async move {
            let r = client
                .post(format!("{relay}{DASH}/{ep}"))
                .header("Content-Type", "application/json")
                .header("Origin", ORIGIN)
                .body(body)
                .send()
                .await;
            match r {
                Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                Err(_) => false,
            }
        })
        .buffer_unordered(4)
        .collect()
        .await;
    results.into_iter().all(|ok| ok)
}

async fn rush(client: &reqwest::Client, relay: &str, n: usize, now: i64) -> (bool, Duration) {
    let t0 = Instant::now();
    let all = futures_util::future::join_all((0..n).map(|_| dashboard(client, relay, now))).await;
    (all.into_iter().all(|ok| ok), t0.elapsed())
}

async fn start_relay(upstream: &str) -> String {
    let mut cfg = RelayConfig::new(upstream, "1020", "1021");
    cfg.only_tenant().allow_origins = vec![Origin::parse(ORIGIN).unwrap()];
    cfg.rate_limit = None;
    cfg.log = relay::relay::access_log::null_sink();
    let (l, addr) = relay::bind("127.0.0.1:0").await.expect("bind relay");
    tokio::spawn(relay::relay::serve(l, cfg));
    format!("http://{addr}")
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.windows(2).find(|w| w[0] == "--dashboards").map_or(200, |w| w[1].parse().expect("a number"));

    let upstream_calls = Arc::new(AtomicU64::new(0));
    let counter = upstream_calls.clone();
    let faults = FaultConfig { latency_ms: 150, ..FaultConfig::default() };
    let mock = mock_de::router(MockConfig { faults, ..MockConfig::default() }).layer(axum::middleware::from_fn(
        move |req: Request, next: Next| {
            counter.fetch_add(1, Ordering::Relaxed);
            next.run(req)
        },
    ));
    let (l, mock_addr) = relay::bind("127.0.0.1:0").await.expect("bind mock");
    tokio::spawn(async move { axum::serve(l, mock).await });
    let upstream = format!("http://{mock_addr}");
    let client = reqwest::Client::builder().pool_max_idle_per_host(4 * n).build().expect("client");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;

    // One dashboard alone, through its own relay: what each costs without sharing.
    let alone = start_relay(&upstream).await;
    let (ok_alone, _) = rush(&client, &alone, 1, now).await;
    let one = upstream_calls.swap(0, Ordering::Relaxed);

    let relay = start_relay(&upstream).await;
    let (ok1, wall1) = rush(&client, &relay, n, now).await;
    let first = upstream_calls.swap(0, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (ok2, wall2) = rush(&client, &relay, n, now + 5_000).await;
    let second = upstream_calls.swap(0, Ordering::Relaxed);

    println!("one dashboard (6 series of now-7d at 1h): {one} upstream calls");
    println!(
        "{:<36} {:>15} {:>22} {:>9}",
        format!("rush of {n} dashboards at once"),
        "upstream calls",
        "without sharing",
        "wall ms"
    );
    println!("{:<36} {:>15} {:>22} {:>9}", "first (nothing kept yet)", first, n as u64 * one, wall1.as_millis());
    println!(
        "{:<36} {:>15} {:>22} {:>9}",
        "5 s later (settled answers kept)",
        second,
        n as u64 * one,
        wall2.as_millis()
    );
    if ok_alone && ok1 && ok2 {
        std::process::ExitCode::SUCCESS
    } else {
        eprintln!("some calls failed");
        std::process::ExitCode::FAILURE
    }
}
