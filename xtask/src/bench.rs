//! `cargo xtask bench`: figures for the README, printed, never asserted.
//! Starts the mock with 150 ms latency per call and runs the fetch benchmark; the
//! explorer benchmark (a page in headless Chromium) runs when its script exists.
//! Then the saved-views API with 200 users at once on SQLite and PostgreSQL
//! (`cargo xtask bench views` runs that one alone).
//! The anomaly benchmark (examples/anomaly_bench.rs) runs after the fetch ones.
//! `cargo xtask bench --first-chart [--base REV]`: only the time to first chart of the previous
//! release against this build (`bench_first_chart`).

use std::time::Duration;

use anyhow::Result;

use crate::procs::{self, Log, Server};
use crate::util;

pub fn run(args: &[String]) -> Result<()> {
    if args.iter().any(|a| a == "views") {
        return views();
    }
    if args.iter().any(|a| a == "--first-chart") {
        return crate::bench_first_chart::run(args);
    }
    util::header("bench: fetch engine against the mock (150 ms per call)");
    procs::run_ok(util::cargo().args(["build", "--release", "-p", "mock-de", "--bin", "mock-de"]))?;
    let target = util::target_dir()?;
    let logs = target.join("xtask-bench");
    let mock = Server::start(
        "mock-de",
        std::process::Command::new(target.join("release").join("mock-de")).args([
            "--addr",
            "127.0.0.1:0",
            "--latency-ms",
            &crate::bench_fetch::LATENCY_MS.to_string(),
        ]),
        Log::File(logs.join("mock-de.log")),
        Duration::from_secs(30),
    )?;
    crate::bench_fetch::run(&mock.url)?;
    util::header("bench: calls per refresh of a relative range");
    crate::bench_refresh::run(&mock.url)?;
    drop(mock);

    util::header("bench: a page learning an unhinted 10-day limit (150 ms per call)");
    let limit = format!("{}d", crate::bench_fetch::PAGE_LIMIT_DAYS);
    let mock = Server::start(
        "mock-de",
        std::process::Command::new(target.join("release").join("mock-de")).args([
            "--addr",
            "127.0.0.1:0",
            "--latency-ms",
            &crate::bench_fetch::LATENCY_MS.to_string(),
            "--max-range-day",
            &limit,
            "--no-max-range-hint",
        ]),
        Log::File(logs.join("mock-de-page.log")),
        Duration::from_secs(30),
    )?;
    crate::bench_fetch::run_page(&mock.url)?;
    drop(mock);

    // The anomaly detector on the mock's counts: false alarms and found spikes.
    util::header("bench: anomalies (quiet ranges, injected 8x spikes)");
    procs::run_ok(util::cargo().args(["run", "--release", "--example", "anomaly_bench"]))?;

    // The explorer benchmark routes its own 100k-message corpus in the page, so the
    // served build's config only needs to be well-formed.
    util::header("bench: message explorer (100,000 messages, headless Chromium)");
    let dist = logs.join("dist");
    crate::dist::build(&dist)?;
    std::fs::write(
        dist.join("config.json"),
        r#"{"relayUrl":"http://127.0.0.1:9","providerId":"1020","partnerId":"1021","concurrency":4}"#,
    )?;
    let servers = crate::serve::StaticServers::new()?;
    let url = servers.serve(&dist, 0, Vec::new())?;
    procs::run_ok(
        std::process::Command::new("node")
            .arg(util::root().join("tests/bench/explorer.bench.mjs"))
            .env("DASHBOARD_URL", &url)
            .env("CHROMIUM", util::chromium()),
    )?;
    views()
}

/// The views API: p50/p99 with 200 concurrent users, SQLite then PostgreSQL (a
/// throwaway cluster; skipped with the reason when it cannot start).
fn views() -> Result<()> {
    util::header("bench: saved-views API, 200 concurrent users (SQLite, PostgreSQL)");
    let pg = crate::pg::Postgres::start().map_err(|e| println!("PostgreSQL skipped: {e:#}")).ok();
    let mut cmd = util::cargo();
    cmd.args(["run", "--release", "-p", "relay", "--example", "views-bench", "--", "--users", "200"])
        .env_remove(crate::pg::URL_ENV);
    if let Some(pg) = &pg {
        cmd.args(["--postgres", &pg.url]);
    }
    let r = procs::run_ok(&mut cmd);
    drop(pg);
    r
}
