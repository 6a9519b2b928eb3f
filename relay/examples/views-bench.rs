//! `views-bench`: latency of the saved-views API with many users at once, on
//! SQLite and (given a URL) PostgreSQL. Serves the views routes in-process on
//! loopback behind a bench-only layer that sets the caller (the embed-token check
//! is not what is measured), then runs U users at once, each doing R rounds of
//! create → list → update → set default → get default → delete a view, and prints
//! p50/p99 per call and overall. Figures, never assertions; exits 1 on any
//! unexpected status.
//!
//!     cargo run --release -p relay --example views-bench -- [--users 200] [--rounds 5] [--postgres URL]
//!
//! SQLite uses a fresh file in the temp dir (WAL, synchronous=FULL: one fsync per
//! write, as in production).

use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::middleware::{self, Next};
use relay::principal::{Principal, Scope};
use serde_json::{json, Value};

const CALLS: [&str; 6] =
    ["POST /v1/views", "GET /v1/views", "PUT /v1/views/{id}", "PUT default", "GET default", "DELETE"];

fn arg<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.windows(2).find(|w| w[0] == name).map(|w| w[1].as_str())
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

/// The caller from `x-bench-user` (tenant `bench`, team `t<user % 10>`).
async fn bench_principal(mut req: Request, next: Next) -> axum::response::Response {
    let sub = req.headers().get("x-bench-user").and_then(|v| v.to_str().ok()).unwrap_or("0").to_string();
    let team = format!("t{}", sub.parse::<u32>().unwrap_or(0) % 10);
    req.extensions_mut().insert(Principal {
        tenant: "bench".into(),
        sub,
        name: Some("Bench user".into()),
        teams: vec![team],
        scopes: vec![Scope::Views],
    });
    next.run(req).await
}

async fn run(label: &str, url: &str, users: usize, rounds: usize) -> Result<(), String> {
    let store = relay::views::open(url).await?;
    let app = relay::views::routes(store).layer(middleware::from_fn(bench_principal));
    let (l, addr) = relay::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    tokio::spawn(async move { axum::serve(l, app).await });
    let base = format!("http://{addr}");
    let client = reqwest::Client::builder().pool_max_idle_per_host(users).build().map_err(|e| e.to_string())?;
    let run_id = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();

    let started = Instant::now();
    let mut tasks = Vec::new();
    for u in 0..users {
        let (client, base, run_id) = (client.clone(), base.clone(), run_id.clone());
        tasks.push(tokio::spawn(async move { user(&client, &base, u, rounds, &run_id).await }));
    }
    let mut per_call: Vec<Vec<Duration>> = vec![Vec::new(); CALLS.len()];
    for t in tasks {
        let times = t.await.map_err(|e| e.to_string())??;
        for (i, d) in times {
            per_call[i].push(d);
        }
    }
    let wall = started.elapsed();
    let mut all: Vec<Duration> = per_call.iter().flatten().copied().collect();
    all.sort();
    println!(
        "\n{label}: {users} users × {rounds} rounds, {} calls in {:.1} s ({:.0} calls/s)",
        all.len(),
        wall.as_secs_f64(),
        all.len() as f64 / wall.as_secs_f64()
    );
    println!("  {:<22} {:>9} {:>9}", "call", "p50 ms", "p99 ms");
    for (name, times) in CALLS.iter().zip(per_call.iter_mut()) {
        times.sort();
        println!("  {name:<22} {:>9.1} {:>9.1}", pct(times, 0.5), pct(times, 0.99));
    }
    println!("  {:<22} {:>9.1} {:>9.1}", "all", pct(&all, 0.5), pct(&all, 0.99));
    Ok(())
}

/// One user's rounds; each call's index in [`CALLS`] and its latency.
async fn user(
    client: &reqwest::Client,
    base: &str,
    u: usize,
    rounds: usize,
    run_id: &str,
) -> Result<Vec<(usize, Duration)>, String> {
    let mut out = Vec::new();
    let sub = u.to_string();
    for r in 0..rounds {
        let name = format!("{run_id} view {r}");
        let body = json!({ "name": name, "scope": if r.is_multiple_of(2) { "private" } else { "team" },
                           "team": if r.is_multiple_of(2) { Value::Null } else { json!(format!("t{}", u % 10)) },
                           "view": { "from": "now-7d", "to": "now", "panels": "interactions,intents" } });
        let call = |i: usize, method: reqwest::Method, path: String, body: Option<Value>, if_match: Option<i64>| {
            let mut rq = client.request(method, format!("{base}{path}")).header("x-bench-user", &sub);
            if let Some(b) = body {
                rq = rq.json(&b);
            }
            if let Some(v) = if_match {
                rq = rq.header("if-match", format!("\"{v}\""));
            }
            async move {
                let t = Instant::now();
                let resp = rq.send().await.map_err(|e| e.to_string())?;
                let status = resp.status().as_u16();
                let text = resp.text().await.map_err(|e| e.to_string())?;
                let took = t.elapsed();
                if !(200..300).contains(&status) {
                    return Err(format!("{}: {status} {text}", CALLS[i]));
                }
                Ok::<_, String>(((i, took), serde_json::from_str::<Value>(&text).unwrap_or(Value::Null)))
            }
        };
        let (t, created) = call(0, reqwest::Method::POST, "/v1/views".into(), Some(body.clone()), None).await?;
        out.push(t);
        let id = created["id"].as_str().ok_or("no id")?.to_string();
        out.push(call(1, reqwest::Method::GET, "/v1/views".into(), None, None).await?.0);
        let path = format!("/v1/views/{id}");
        out.push(call(2, reqwest::Method::PUT, path.clone(), Some(body), Some(1)).await?.0);
        let dv = Some(json!({ "viewId": id }));
        out.push(call(3, reqwest::Method::PUT, "/v1/me/default-view".into(), dv, None).await?.0);
        out.push(call(4, reqwest::Method::GET, "/v1/me/default-view".into(), None, None).await?.0);
        out.push(call(5, reqwest::Method::DELETE, path, None, Some(2)).await?.0);
    }
    Ok(out)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let users: usize = arg(&args, "--users").and_then(|s| s.parse().ok()).unwrap_or(200);
    let rounds: usize = arg(&args, "--rounds").and_then(|s| s.parse().ok()).unwrap_or(5);
    let dir = std::env::temp_dir().join(format!("views-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let sqlite = format!("sqlite://{}", dir.join("views.db").display());
    let mut ok = true;
    let mut targets = vec![("SQLite (WAL, synchronous=FULL)", sqlite)];
    match arg(&args, "--postgres").map(str::to_string).or_else(|| std::env::var("VIEWS_TEST_POSTGRES_URL").ok()) {
        Some(pg) => targets.push(("PostgreSQL", pg)),
        None => println!("PostgreSQL skipped: no --postgres URL (or VIEWS_TEST_POSTGRES_URL)"),
    }
    for (label, url) in targets {
        if let Err(e) = run(label, &url, users, rounds).await {
            eprintln!("{label}: {e}");
            ok = false;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
