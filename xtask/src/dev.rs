//! `cargo xtask dev`: the mock Digital Engagement API on :8787, the relay on :8788
//! in front of it, `trunk serve` on :8080, and the example portal on :8090 whose
//! backend mints embed tokens. Ctrl-C (or any child exiting) stops all of them.
//!
//! The relay runs with a development tenant and a fresh Ed25519 key
//! ([`crate::dev_auth`]) when the dashboard's `public/config.json` says
//! `"auth": "token"`; the page then gets its token the way a portal gives it (the
//! example portal embedding it, or `#token=` in the printed URL). A config
//! without it runs the relay with `--auth none`, so the page shows data either way.

use std::time::Duration;

use anyhow::{bail, Result};

use crate::dev_auth::{DevTenant, DEV_API_KEY};
use crate::procs::{self, Log, Server};
use crate::util::{self, root, tool};

pub const MOCK_ADDR: &str = "127.0.0.1:8787";
pub const RELAY_ADDR: &str = "127.0.0.1:8788";
pub const PORTAL_ADDR: &str = "127.0.0.1:8090";
pub const PROVIDER_ID: &str = "1020";
pub const PARTNER_ID: &str = "1021";
const DASHBOARD_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];
/// Tokens live minutes; the portal hands out fresh ones when asked.
const TOKEN_TTL_SECS: u64 = 600;

/// Does the dashboard's config ask for embed tokens?
fn dashboard_wants_tokens() -> bool {
    std::fs::read_to_string(root().join("public/config.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|c| c["auth"] == "token")
}

pub fn run(args: &[String]) -> Result<()> {
    if let Some(a) = args.first() {
        bail!("`dev` takes no options (got {a})");
    }
    crate::setup::run()?;

    util::header("build relay + mock");
    procs::run_ok(util::cargo().args(["build", "--release", "-p", "relay", "-p", "mock-de", "--bins"]))?;
    let bin = util::target_dir()?.join("release");
    let relay_bin = bin.join("relay");

    util::header("start");
    let mock = Server::start(
        "mock-de",
        // Keys go by env or files, not flags: flags are visible in `ps`.
        std::process::Command::new(bin.join("mock-de")).env("MOCK_DE_API_KEY", DEV_API_KEY).args(["--addr", MOCK_ADDR]),
        Log::Terminal,
        Duration::from_secs(30),
    )?;
    let tokens = dashboard_wants_tokens();
    let portal_url = format!("http://{PORTAL_ADDR}");
    let tenant = DevTenant::create(
        &util::target_dir()?.join("dev-auth"),
        &relay_bin,
        &mock.url,
        &DASHBOARD_ORIGINS,
        &portal_url,
    )?;
    let mut relay_cmd = std::process::Command::new(&relay_bin);
    if tokens {
        relay_cmd.arg("--config").arg(&tenant.config).args(["--addr", RELAY_ADDR]);
    } else {
        relay_cmd.env("RELAY_API_KEY", DEV_API_KEY).args([
            "--auth",
            "none",
            "--addr",
            RELAY_ADDR,
            "--upstream",
            &mock.url,
            "--provider-id",
            PROVIDER_ID,
            "--partner-id",
            PARTNER_ID,
        ]);
        for o in DASHBOARD_ORIGINS {
            relay_cmd.args(["--allow-origin", o]);
        }
    }
    let relay = Server::start("relay", &mut relay_cmd, Log::Terminal, Duration::from_secs(30))?;
    let portal = Server::start(
        "portal",
        &mut tenant.portal(PORTAL_ADDR, TOKEN_TTL_SECS),
        Log::Terminal,
        Duration::from_secs(30),
    )?;
    if !root().join("public/config.json").exists() {
        println!("warning: public/config.json is missing; the page will say its config is missing");
    }
    let trunk = Server::spawn("trunk", tool("trunk").args(["serve", "--port", "8080", "--address", "127.0.0.1"]))?;
    let direct = if tokens {
        let token = tenant.mint(&relay_bin, "dev-user", "counts messages views", TOKEN_TTL_SECS)?;
        format!("  or alone: http://127.0.0.1:8080/#token={token}  (valid {} min)\n", TOKEN_TTL_SECS / 60)
    } else {
        "  or alone: http://127.0.0.1:8080/\n  (public/config.json has no \"auth\": \"token\": the relay runs with --auth none)\n".into()
    };
    let mode = if tokens { format!("tenant dev, key {}", tenant.kid) } else { "auth none".into() };
    println!(
        "\nmock API  {}\nrelay     {}  ({mode})\nportal    {}\n\n  open {}/?dashboard=http://127.0.0.1:8080/  (the example portal embedding the dashboard)\n{direct}\n  first build takes a while; Ctrl-C stops everything\n",
        mock.url, relay.url, portal.url, portal.url
    );

    let mut servers = [mock, relay, portal, trunk];
    loop {
        std::thread::sleep(Duration::from_millis(300));
        for s in servers.iter_mut() {
            if let Some(status) = s.exited() {
                bail!("{} exited ({status}); stopping the others", s.name);
            }
        }
    }
}
