//! `relay-load`: a bounded load test on loopback. Starts mock-de and two relays
//! in-process (port 0): one with `auth none`, one with a token tenant (EdDSA).
//! Sends rounds of N requests all at once (default 500) through each, as an
//! allowed origin (each request with its own user's token on the second), and
//! prints throughput and latency; then the cost of verifying one token, per
//! algorithm. Exits 1 if any request fails or answers anything but 200 with the
//! mock's JSON.
//!
//!     cargo run --release -p relay --example relay-load -- [--requests 500] [--rounds 3] [--latency-ms 0]
//!
//! `--latency-ms` makes the mock answer that much later (a remote vendor), which
//! shows the relay holding N requests open at once rather than serialising them.
//! The rate limits are off here (this is one origin, one address).

use std::time::{Duration, Instant};

use mock_de::faults::FaultConfig;
use mock_de::MockConfig;
use relay::auth::keys::{KeyAlg, SigningKey, VerifyKey};
use relay::auth::{TokenPolicy, Verifier};
use relay::relay::origin::Origin;
use relay::relay::RelayConfig;
use relay::relay::{Tenant, Upstream};

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
    let upstream = format!("http://{mock_addr}");

    let mut open = RelayConfig::new(&upstream, "1020", "1021");
    let t = open.only_tenant();
    t.upstream.api_key = Some("load-key".into());
    t.allow_origins = vec![Origin::parse(ORIGIN).unwrap()];

    let mut up = Upstream::new(&upstream, "1020", "1021");
    up.api_key = Some("load-key".into());
    let tenant = Tenant {
        id: "load".into(),
        issuer: "https://portal.load.example".into(),
        keys: vec![VerifyKey::public_pem("k1", KeyAlg::EdDSA, &fixture("ed25519.pub.pem")).unwrap()],
        upstream: up,
        allow_origins: vec![Origin::parse(ORIGIN).unwrap()],
    };
    let tokens = RelayConfig::with_tenants(TokenPolicy::default(), vec![tenant]);
    let signer = SigningKey::private_pem(Some("k1".into()), KeyAlg::EdDSA, &fixture("ed25519.pem")).unwrap();
    let bearer: Vec<String> = (0..n)
        .map(|i| {
            let c = relay::auth::claims(
                "load",
                "https://portal.load.example",
                &format!("user-{i}"),
                "engagement-dashboard",
                "counts",
                3600,
            );
            format!("Bearer {}", signer.sign(&c).unwrap())
        })
        .collect();

    let mut failed = 0;
    let mut summary = Vec::new();
    for (label, mut cfg, auth) in [("auth none", open, None), ("auth token (EdDSA)", tokens, Some(&bearer))] {
        cfg.rate_limit = None;
        cfg.failed_auth_limit = None;
        cfg.log = relay::relay::access_log::null_sink();
        let (l, relay_addr) = relay::bind("127.0.0.1:0").await.expect("bind relay");
        tokio::spawn(relay::relay::serve(l, cfg));
        let url = format!("http://{relay_addr}{DASH}/Interactions");
        println!("\n== {label}");
        let (f, line) = load(&url, n, rounds, latency_ms, auth).await;
        failed += f;
        summary.push(format!("{label}: {line}"));
    }
    println!("\n== verification cost per token (one core, {VERIFY_N} tokens each)");
    for alg in KeyAlg::ALL {
        println!("{}", verify_cost(alg));
    }
    println!("\n== summary");
    for s in &summary {
        println!("{s}");
    }
    if failed > 0 {
        println!("FAILED: {failed} requests did not get a 200 with the mock's JSON");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}

const VERIFY_N: u32 = 2000;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/http/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Mean time of `Verifier::verify` (signature + every claim rule) for one algorithm.
fn verify_cost(alg: KeyAlg) -> String {
    let secret = b"load-test-hs256-secret-of-32-bytes-or-more";
    let (verify, sign) = match alg {
        KeyAlg::HS256 => (VerifyKey::hmac("k", secret).unwrap(), SigningKey::hmac(Some("k".into()), secret).unwrap()),
        _ => {
            let (private, public) = match alg {
                KeyAlg::EdDSA => ("ed25519.pem", "ed25519.pub.pem"),
                KeyAlg::ES256 => ("es256.pem", "es256.pub.pem"),
                _ => ("rs256.pem", "rs256.pub.pem"),
            };
            (
                VerifyKey::public_pem("k", alg, &fixture(public)).unwrap(),
                SigningKey::private_pem(Some("k".into()), alg, &fixture(private)).unwrap(),
            )
        }
    };
    let tenant = Tenant {
        id: "load".into(),
        issuer: "iss".into(),
        keys: vec![verify],
        upstream: Upstream::new("http://127.0.0.1:9", "1", "2"),
        allow_origins: Vec::new(),
    };
    let v = Verifier::new(&[std::sync::Arc::new(tenant)], TokenPolicy::default());
    let token = sign.sign(&relay::auth::claims("load", "iss", "u", "engagement-dashboard", "counts", 600)).unwrap();
    let now = relay::auth::now_secs();
    let started = Instant::now();
    for _ in 0..VERIFY_N {
        v.verify(std::hint::black_box(&token), now).expect("verifies");
    }
    let per = started.elapsed() / VERIFY_N;
    format!(
        "{:>6}: {:>7.1} µs per token ({:.0} tokens/s)",
        alg.name(),
        per.as_secs_f64() * 1e6,
        1.0 / per.as_secs_f64()
    )
}

/// Rounds of `n` requests at once; returns (failures, summary line).
async fn load(url: &str, n: usize, rounds: u64, latency_ms: u64, auth: Option<&Vec<String>>) -> (usize, String) {
    let client = reqwest::Client::builder().pool_max_idle_per_host(n).build().expect("client");
    println!("{n} concurrent requests x {rounds} rounds, relay -> mock-de on loopback, mock latency {latency_ms} ms");
    let mut failed = 0usize;
    let mut all = Vec::new();
    let mut total_elapsed = Duration::ZERO;
    for round in 1..=rounds {
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
        let started = Instant::now();
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let (client, url, barrier) = (client.clone(), url.to_string(), barrier.clone());
                let authorization = auth.map(|a| a[i].clone());
                // Different ranges, so the mock does real work for each.
                let start = T0 - (i as i64 % 30) * DAY;
                let body = format!(
                    r#"{{"startTime":{start},"endTime":{},"interval":"1h","timezone":"Europe/Berlin"}}"#,
                    start + DAY
                );
                tokio::spawn(async move {
                    barrier.wait().await;
                    let t = Instant::now();
                    let mut req = client.post(&url).header("content-type", "application/json").header("origin", ORIGIN);
                    if let Some(a) = authorization {
                        req = req.header("authorization", a);
                    }
                    let r = req.body(body).send().await;
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
    let line = format!(
        "{} requests, {failed} failed, {:.0} req/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        all.len(),
        all.len() as f64 / total_elapsed.as_secs_f64(),
        ms(pct(&all, 0.50)),
        ms(pct(&all, 0.99)),
        ms(*all.last().unwrap())
    );
    println!("total: {line}");
    (failed, line)
}
