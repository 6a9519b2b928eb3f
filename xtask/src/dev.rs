//! `cargo xtask dev`: the mock Digital Engagement API on :8787, the relay on :8788
//! in front of it, and `trunk serve` on :8080. Ctrl-C (or any child exiting) stops
//! all of them.

use std::time::Duration;

use anyhow::{bail, Result};

use crate::procs::{self, Log, Server};
use crate::util::{self, root, tool};

pub const MOCK_ADDR: &str = "127.0.0.1:8787";
pub const RELAY_ADDR: &str = "127.0.0.1:8788";
pub const PROVIDER_ID: &str = "1020";
pub const PARTNER_ID: &str = "1021";
/// Only ever between the local relay and the local mock.
const DEV_API_KEY: &str = "dev-key";

pub fn run(args: &[String]) -> Result<()> {
    if let Some(a) = args.first() {
        bail!("`dev` takes no options (got {a})");
    }
    crate::setup::run()?;

    util::header("build relay + mock");
    procs::run_ok(util::cargo().args(["build", "--release", "-p", "relay", "-p", "mock-de", "--bins"]))?;
    let bin = util::target_dir()?.join("release");

    util::header("start");
    let mock = Server::start(
        "mock-de",
        // Keys go by env, not flags: flags are visible in `ps`.
        std::process::Command::new(bin.join("mock-de")).env("MOCK_DE_API_KEY", DEV_API_KEY).args(["--addr", MOCK_ADDR]),
        Log::Terminal,
        Duration::from_secs(30),
    )?;
    let relay = Server::start(
        "relay",
        std::process::Command::new(bin.join("relay")).env("RELAY_API_KEY", DEV_API_KEY).args([
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
            "--allow-origin",
            "http://127.0.0.1:8080",
            "--allow-origin",
            "http://localhost:8080",
        ]),
        Log::Terminal,
        Duration::from_secs(30),
    )?;
    if !root().join("public/config.json").exists() {
        println!("warning: public/config.json is missing; the page will say its config is missing");
    }
    let trunk = Server::spawn("trunk", tool("trunk").args(["serve", "--port", "8080", "--address", "127.0.0.1"]))?;
    println!(
        "\nmock API  {}\nrelay     {}\n\n  open http://127.0.0.1:8080/  (first build takes a while; Ctrl-C stops everything)\n",
        mock.url, relay.url
    );

    let mut servers = [mock, relay, trunk];
    loop {
        std::thread::sleep(Duration::from_millis(300));
        for s in servers.iter_mut() {
            if let Some(status) = s.exited() {
                bail!("{} exited ({status}); stopping the others", s.name);
            }
        }
    }
}
