//! `cargo xtask bench --first-chart [--base REV]`: time to first chart of the
//! previous release and of this build, in the same run (tests/bench/first-chart.bench.mjs:
//! headless Chromium, 10 Mbit/s, 40 ms RTT, CPU 4x slower; every file sent
//! brotli-compressed, as a CDN sends it). The previous release is
//! built from a git worktree of REV (default: the commit before issue 14) into the
//! target dir, once; both builds read the same mock.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::procs::{self, Log, Server};
use crate::util;

/// The last commit before issue 14's changes.
pub const DEFAULT_BASE: &str = "becf08d";

pub fn run(args: &[String]) -> Result<()> {
    let base = args.windows(2).find(|w| w[0] == "--base").map_or(DEFAULT_BASE, |w| w[1].as_str());
    let target = util::target_dir()?;
    let dir = target.join("xtask-bench").join("first-chart");
    let new_dist = dir.join("new");
    let base_dist = dir.join(format!("base-{base}"));

    util::header(&format!("bench: first chart, building the previous release ({base}) once"));
    if !base_dist.join("index.html").exists() {
        build_base(base, &dir.join(format!("src-{base}")), &base_dist)?;
    }
    util::header("bench: first chart, building this release");
    crate::dist::build(&new_dist)?;

    procs::run_ok(util::cargo().args(["build", "--release", "-p", "mock-de", "--bin", "mock-de"]))?;
    let mock = Server::start(
        "mock-de",
        std::process::Command::new(target.join("release").join("mock-de")).args(["--addr", "127.0.0.1:0"]),
        Log::File(dir.join("mock-de.log")),
        Duration::from_secs(30),
    )?;
    let config = format!(r#"{{"relayUrl":"{}","providerId":"1020","partnerId":"1021","concurrency":4}}"#, mock.url);
    for d in [&base_dist, &new_dist] {
        std::fs::write(d.join("config.json"), &config)?;
        // Both builds travel brotli-compressed, as from a CDN.
        procs::run_ok(util::tool("node").arg(util::root().join("tools/precompress.mjs")).arg(d))?;
    }
    let servers = crate::serve::StaticServers::new()?;
    let old_url = servers.serve(&base_dist, 0, Vec::new())?;
    let new_url = servers.serve(&new_dist, 0, Vec::new())?;
    util::header("bench: time to first chart (previous release against this build)");
    procs::run_ok(
        std::process::Command::new("node")
            .arg(util::root().join("tests/bench/first-chart.bench.mjs"))
            .env("OLD_URL", &old_url)
            .env("NEW_URL", &new_url)
            .env("CHROMIUM", util::chromium()),
    )?;
    drop(mock);
    Ok(())
}

/// A detached worktree of `rev` (its node_modules linked to ours), built with its
/// own `cargo xtask dist` into `out`.
fn build_base(rev: &str, src: &Path, out: &Path) -> Result<()> {
    let root = util::root();
    if !src.join("Cargo.toml").exists() {
        let git = |args: &[&str]| procs::run_ok(std::process::Command::new("git").arg("-C").arg(&root).args(args));
        git(&["worktree", "prune"])?;
        git(&["worktree", "add", "--detach", src.to_str().context("a UTF-8 path")?, rev])?;
    }
    let modules = src.join("node_modules");
    if !modules.exists() {
        std::os::unix::fs::symlink(root.join("node_modules"), &modules).context("linking node_modules")?;
    }
    procs::run_ok(util::cargo().current_dir(src).args(["xtask", "dist", "--out"]).arg(out))
}
