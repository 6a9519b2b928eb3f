//! `relay-load`: a bounded load test on loopback. Starts mock-de and the relay
//! in-process (port 0), then sends rounds of N requests all at once (default 500)
//! through the relay, as an allowed origin, and prints throughput and latency.
//! Exits 1 if any request fails or answers anything but 200 with the mock's JSON.
//!
//!     cargo run --release -p relay --example relay-load -- [--requests 500] [--rounds 3] [--latency-ms 0]
//!
//! `--latency-ms` makes the mock answer that much later (a remote vendor), which
//! shows the relay holding N requests open at once rather than serialising them.
//! The rate limit is off here (it is per origin, and this is one origin).

use std::time::{Duration, Instant};

use mock_de::faults::FaultConfig;
use mock_de::MockConfig;
use relay::relay::origin::Origin;
use relay::relay::RelayConfig;

const ORIGIN: &str = "http://127.0.0.1:8080";
const DASH: &str = "/KoopidPartnerServer/api/APIEndpoint/Dashboard";
/// 2026-03-02T00:00:00Z.
const T0: i64 = 1_772_409_600_000;
const DAY: i64 = 86_400_000;

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.windows(2)
        .find(|w| w[0] == name)
        .map(|w| w[1].parse().unwrap_or_else(|_| panic!("{name} takes a number")))
        .unwrap_or(default)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let n = arg(&args, "--requests", 500).clamp(1, 5_000) as usize;
    let rounds = arg(&args, "--rounds", 3).clamp(1, 20);
    let latency_ms = arg(&args, "--latency-ms", 0).min(5_000);

    let faults = FaultConfig { latency_ms, ..FaultConfig::default() };
    let (l, mock_addr) = relay::bind("127.0.0.1:0").await.expect("bind mock");
    tokio::spawn(mock_de::serve(l, MockConfig { api_key: Some("load-key".into()), faults, ..MockConfig::default() }));
    let mut cfg = RelayConfig::new(format!("http://{mock_addr}"), "1020", "1021");
    let t = cfg.only_tenant();
    t.upstream.api_key = Some("load-key".into());
    t.allow_origins = vec![Origin::parse(ORIGIN).unwrap()];
    cfg.rate_limit = None;
    cfg.log = relay::relay::access_log::null_sink();
    let (l, relay_addr) = relay::bind("127.0.0.1:0").await.expect("bind relay");
    tokio::spawn(relay::relay::serve(l, cfg));
    let url = format!("http://{relay_addr}{DASH}/Interactions");

    let client = reqwest::Client::builder().pool_max_idle_per_host(n).build().expect("client");
    println!("relay-load: {n} concurrent requests x {rounds} rounds, relay -> mock-de on loopback, mock latency {latency_ms} ms");
    let mut failed = 0usize;
    let mut all = Vec::new();
    let mut total_elapsed = Duration::ZERO;
    for round in 1..=rounds {
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
        let started = Instant::now();
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let (client, url, barrier) = (client.clone(), url.clone(), barrier.clone());
                // Different ranges, so the mock does real work for each.
                let start = T0 - (i as i64 % 30) * DAY;
                let body = format!(
                    r#"{{"startTime":{start},"endTime":{},"interval":"1h","timezone":"Europe/Berlin"}}"#,
                    start + DAY
                );
                tokio::spawn(async move {
                    barrier.wait().await;
                    let t = Instant::now();
                    let r = client
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("origin", ORIGIN)
                        .body(body)
                        .send()
                        .await;
                    let ok = match r {
                        Ok(r) if r.status() == 200 => {
                            r.text().await.is_ok_and(|t| t.starts_with(r#"{"code":"success""#))
                        }
                        Ok(r) => {
                            eprintln!("HTTP {}", r.status());
                            false
                        }
                        Err(e) => {
                            eprintln!("error: {e}");
                            false
                        }
                    };
                    (ok, t.elapsed())
                })
            })
            .collect();
        let mut lat = Vec::with_capacity(n);
        for t in tasks {
            let (ok, d) = t.await.expect("task");
            failed += usize::from(!ok);
            lat.push(d);
        }
        let elapsed = started.elapsed();
        total_elapsed += elapsed;
        lat.sort();
        println!(
            "round {round}: {n} requests in {:.0} ms = {:.0} req/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            ms(elapsed),
            n as f64 / elapsed.as_secs_f64(),
            ms(pct(&lat, 0.50)),
            ms(pct(&lat, 0.99)),
            ms(*lat.last().unwrap())
        );
        all.extend(lat);
    }
    all.sort();
    println!(
        "total: {} requests, {failed} failed, {:.0} req/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        all.len(),
        all.len() as f64 / total_elapsed.as_secs_f64(),
        ms(pct(&all, 0.50)),
        ms(pct(&all, 0.99)),
        ms(*all.last().unwrap())
    );
    if failed > 0 {
        println!("FAILED: {failed} requests did not get a 200 with the mock's JSON");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
