//! `cargo xtask test`: the lint gate (format and clippy), native tests, wasm
//! component tests in headless Chromium, then end-to-end tests (release build served
//! statically against the mock API, driven by `node --test` + playwright-core).
//! Every stage runs even if an earlier one failed; the last line says which failed,
//! and any failed stage (the lint gate included) fails the run.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::json;

use crate::dev::{PARTNER_ID, PROVIDER_ID};
use crate::procs::{self, Log, Server};
use crate::serve::{Headers, StaticServers};
use crate::util::{self, tool};

#[derive(Default)]
struct Options {
    lint: bool,
    native: bool,
    wasm: bool,
    e2e: bool,
    e2e_filter: Option<String>,
    skip_setup: bool,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--lint" => o.lint = true,
            "--native" => o.native = true,
            "--wasm" => o.wasm = true,
            "--e2e" => o.e2e = true,
            "--e2e-filter" => o.e2e_filter = Some(it.next().context("--e2e-filter needs a pattern")?.clone()),
            "--skip-setup" => o.skip_setup = true,
            other => bail!("unknown option `{other}` (see `cargo xtask help`)"),
        }
    }
    if !(o.lint || o.native || o.wasm || o.e2e) {
        if o.e2e_filter.is_some() {
            o.e2e = true;
        } else {
            (o.lint, o.native, o.wasm, o.e2e) = (true, true, true, true);
        }
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result<()> {
    let opts = parse(args)?;
    if !opts.skip_setup {
        crate::setup::run()?;
    }
    type Stage = fn(&Options) -> Result<()>;
    let mut stages: Vec<(&str, Stage)> = Vec::new();
    if opts.lint {
        stages.push(("lint", lint));
    }
    if opts.native {
        stages.push(("native", native));
    }
    if opts.wasm {
        stages.push(("wasm", wasm));
    }
    if opts.e2e {
        stages.push(("e2e", e2e));
    }

    let mut results = Vec::new();
    for (name, stage) in stages {
        util::header(&format!("test stage: {name}"));
        let t = Instant::now();
        let r = stage(&opts);
        if let Err(e) = &r {
            eprintln!("stage {name} failed: {e:#}");
        }
        results.push((name, r.is_ok(), t.elapsed()));
    }

    util::header("summary");
    for (name, ok, took) in &results {
        println!("{:<8} {}  ({:.0?})", name, if *ok { "passed" } else { "FAILED" }, took);
    }
    for line in NOTES.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        println!("note: {line}");
    }
    let failed: Vec<&str> = results.iter().filter(|r| !r.1).map(|r| r.0).collect();
    if failed.is_empty() {
        println!("ALL TESTS PASSED");
        Ok(())
    } else {
        println!("FAILED: {}", failed.join(", "));
        bail!("test stage(s) failed: {}", failed.join(", "))
    }
}

/// (0) The lint gate: every check runs (so one run lists every problem), and any
/// failure fails the stage.
fn lint(_: &Options) -> Result<()> {
    let mut failed = Vec::new();
    let mut check = |what: &'static str, cmd: &mut std::process::Command| {
        util::header(&format!("lint: {what}"));
        if let Err(e) = procs::run_ok(cmd) {
            eprintln!("lint {what} failed: {e:#}");
            failed.push(what);
        }
    };
    check("rustfmt", util::cargo().args(["fmt", "--all", "--", "--check"]));
    check("leptosfmt", tool("leptosfmt").args(["--check", "src"]));
    check("clippy (native)", util::cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]));
    check(
        "clippy (wasm32)",
        util::cargo().args([
            "clippy",
            "-p",
            "engagement-dashboard",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    if !failed.is_empty() {
        bail!("{} (fix: `cargo fmt --all`, `leptosfmt src`, then the clippy findings)", failed.join(", "));
    }
    Ok(())
}

/// (a) Plain `cargo test` for every workspace crate, with a throwaway PostgreSQL
/// for the relay's saved-views tests (their SQLite half runs either way).
fn native(_: &Options) -> Result<()> {
    let mut cmd = util::cargo();
    cmd.args(["test", "--workspace"]).env_remove(crate::pg::URL_ENV);
    let pg = match crate::pg::Postgres::start() {
        Ok(pg) => {
            cmd.env(crate::pg::URL_ENV, &pg.url);
            note(format!("views tests ran on SQLite and PostgreSQL ({})", pg.url));
            Some(pg)
        }
        Err(e) => {
            println!("PostgreSQL half of the views tests skipped: {e:#}");
            note(format!("views tests: PostgreSQL half SKIPPED ({e:#}); SQLite half ran"));
            None
        }
    };
    let result = procs::run_ok(&mut cmd);
    drop(pg);
    result
}

/// Lines for the summary (what ran, what was skipped and why).
static NOTES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn note(line: String) {
    NOTES.lock().unwrap_or_else(|e| e.into_inner()).push(line);
}

/// (b) `#[wasm_bindgen_test]` tests of the app crate, in headless Chromium through
/// chromedriver; browser flags come from `webdriver.json` in the workspace root
/// (cargo runs the test runner there).
fn wasm(_: &Options) -> Result<()> {
    let mut cmd = util::cargo();
    cmd.args(["test", "--target", "wasm32-unknown-unknown", "--lib", "-p", "engagement-dashboard"])
        .env("PATH", util::tool_path())
        .env("CHROMEDRIVER", util::chromedriver())
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        // Component tests need a DOM: run in the browser even if a test module
        // forgot `wasm_bindgen_test_configure!(run_in_browser)`.
        .env("WASM_BINDGEN_USE_BROWSER", "1")
        .env_remove("GECKODRIVER")
        .env_remove("SAFARIDRIVER");
    procs::run_ok(&mut cmd)
}

/// One statically served copy of `dist/` with its own config.json (and origin).
struct Site {
    /// Env var that tells the tests its URL.
    env: &'static str,
    /// Served directory name under the e2e work dir.
    dir: &'static str,
    /// `config.json` to write beside index.html.
    config: serde_json::Value,
    /// Extra response headers (e.g. a Content-Security-Policy).
    headers: Headers,
}

fn dashboard_config(relay_url: &str) -> serde_json::Value {
    json!({ "relayUrl": relay_url, "providerId": PROVIDER_ID, "partnerId": PARTNER_ID, "concurrency": 4 })
}

/// (c) End to end: release build, mock APIs, static servers, `node --test tests/e2e/`.
/// The spiked mock's spikes: an hour of one bot intent, and a day of one channel.
const INTENT_SPIKE: &str = "password reset@2026-06-10T14:00:00Z*8";
const CHANNEL_SPIKE: &str = "web@2026-06-11T00:00:00Z*8/24";

fn e2e(opts: &Options) -> Result<()> {
    let target = util::target_dir()?;
    let work = target.join("xtask-e2e");
    let logs = work.join("logs");
    let artifacts = target.join("e2e-artifacts");

    // The page under test: what `cargo xtask dist` ships (trunk's release build
    // with the boot script moved out of index.html for a strict CSP). Built into
    // our own dist so a developer's `trunk serve` (which writes dist/) is left alone.
    let dist = work.join("dist");
    crate::dist::build(&dist)?;

    // The mock API binaries (debug build: shares artifacts with `cargo test`).
    procs::run_ok(util::cargo().args(["build", "-p", "mock-de", "--bin", "mock-de"]))?;
    let mock_bin = target.join("debug").join("mock-de");

    let started = Duration::from_secs(60);
    // The page calls the mocks directly (no relay, no key): never let an inherited
    // MOCK_DE_API_KEY make them demand one.
    let mock_cmd = || {
        let mut c = std::process::Command::new(&mock_bin);
        c.env_remove("MOCK_DE_API_KEY").args(["--addr", "127.0.0.1:0", "--seed", "42"]);
        c
    };
    let mock = Server::start("mock-de", &mut mock_cmd(), Log::File(logs.join("mock-de.log")), started)?;
    let faulty = Server::start(
        "mock-de (faulty)",
        mock_cmd().args(["--fail-endpoint", "Interactions", "--html-errors"]),
        Log::File(logs.join("mock-de-faulty.log")),
        started,
    )?;

    // Spikes injected at fixed past instants (tests/e2e/insights-anomalies.test.mjs).
    let spiked = Server::start(
        "mock-de (spiked)",
        mock_cmd().args(["--spike", INTENT_SPIKE, "--spike", CHANNEL_SPIKE]),
        Log::File(logs.join("mock-de-spiked.log")),
        started,
    )?;

    // To add a deployment variant for a new test: add a Site here and read its
    // env var in tests/e2e (see tests/e2e/README.md).
    // The example portal page (examples/embed/) on two more origins: the allowed
    // embedder and a foreign one.
    let servers = StaticServers::new()?;
    let host_dir = util::root().join("examples").join("embed");
    let embed_host = servers.serve(&host_dir, 0, vec![])?;
    let embed_foreign = servers.serve(&host_dir, 0, vec![])?;
    let sites = vec![
        Site { env: "DASHBOARD_URL", dir: "main", config: dashboard_config(&mock.url), headers: vec![] },
        Site { env: "DASHBOARD_FAULTY_URL", dir: "faulty", config: dashboard_config(&faulty.url), headers: vec![] },
        // Served with the strict Content-Security-Policy of docs/deploy.md.
        Site {
            env: "DASHBOARD_CSP_URL",
            dir: "csp",
            config: dashboard_config(&mock.url),
            headers: strict_csp(&mock.url, "'none'")?,
        },
        // Embedded by the example portal page (EMBED_HOST_URL); EMBED_FOREIGN_URL
        // may frame it too (frame-ancestors) but is not in embedOrigins.
        Site {
            env: "DASHBOARD_EMBED_URL",
            dir: "embed",
            config: {
                let mut c = dashboard_config(&mock.url);
                c["embedOrigins"] = json!([embed_host]);
                c
            },
            headers: strict_csp(&mock.url, &format!("{embed_host} {embed_foreign}"))?,
        },
        Site { env: "DASHBOARD_SPIKE_URL", dir: "spiked", config: dashboard_config(&spiked.url), headers: vec![] },
        Site {
            env: "DASHBOARD_BADCONFIG_URL",
            dir: "badconfig",
            config: json!({ "providerId": PROVIDER_ID, "partnerId": PARTNER_ID, "concurrency": 4 }),
            headers: vec![],
        },
    ];

    let mut node = tool("node");
    node.args(["--test", "--test-concurrency=1"]);
    if let Some(p) = &opts.e2e_filter {
        node.arg(format!("--test-name-pattern={p}"));
    }
    node.arg("tests/e2e/")
        .env("MOCK_URL", &mock.url)
        .env("FAULTY_MOCK_URL", &faulty.url)
        .env("SPIKE_MOCK_URL", &spiked.url)
        .env("PROVIDER_ID", PROVIDER_ID)
        .env("PARTNER_ID", PARTNER_ID)
        .env("CHROMIUM", util::chromium())
        .env("E2E_ARTIFACTS", &artifacts)
        .env("EMBED_HOST_URL", &embed_host)
        .env("EMBED_FOREIGN_URL", &embed_foreign);
    println!("EMBED_HOST_URL = {embed_host}\nEMBED_FOREIGN_URL = {embed_foreign}  ({})", host_dir.display());
    for site in &sites {
        let dir = work.join("sites").join(site.dir);
        prepare_site(&dist, &dir, &site.config)?;
        let url = servers.serve(&dir, 0, site.headers.clone())?;
        println!("{} = {url}  ({})", site.env, dir.display());
        node.env(site.env, url);
    }
    // Token auth and saved views: the real relay with tenants (test_auth.rs).
    let auth = crate::test_auth::start(&work, &logs, &mock.url, &servers, &dist)?;
    for (k, v) in &auth.env {
        node.env(k, v);
    }
    let _ = std::fs::remove_dir_all(&artifacts);

    let result = procs::run_ok(&mut node);
    if result.is_err() {
        for m in [&mock, &faulty, &spiked, &auth.relay] {
            if let Some(tail) = m.log_tail(20) {
                println!("--- last lines of {}{} ---\n{tail}", m.name, m.log_hint());
            }
        }
        if artifacts.is_dir() {
            println!("screenshots and page HTML of failed tests: {}", artifacts.display());
        }
    }
    // `servers`, `faulty` and `mock` drop here: static servers and mocks stop,
    // on success and failure alike.
    result
}

/// The Content-Security-Policy a deployment serves (docs/deploy.md), with the
/// relay (here the mock) as the one other origin the page may call.
pub(crate) fn strict_csp(relay: &str, frame_ancestors: &str) -> Result<Headers> {
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' {relay}; \
         img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors {frame_ancestors}"
    );
    Ok(vec![crate::serve::parse_header(&format!("Content-Security-Policy: {csp}"))?])
}

fn prepare_site(dist: &Path, dir: &PathBuf, config: &serde_json::Value) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    util::copy_dir(dist, dir)?;
    std::fs::write(dir.join("config.json"), serde_json::to_string_pretty(config)? + "\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(args: &[&str]) -> Options {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn no_stage_option_means_all_stages() {
        let o = opts(&[]);
        assert!(o.lint && o.native && o.wasm && o.e2e);
        let o = opts(&["--wasm"]);
        assert!(!o.lint && !o.native && o.wasm && !o.e2e);
        let o = opts(&["--lint"]);
        assert!(o.lint && !o.native && !o.wasm && !o.e2e);
        let o = opts(&["--e2e-filter", "table"]);
        assert!(!o.lint && !o.native && !o.wasm && o.e2e);
        assert_eq!(o.e2e_filter.as_deref(), Some("table"));
        assert!(parse(&["--bogus".to_string()]).is_err());
    }
}
