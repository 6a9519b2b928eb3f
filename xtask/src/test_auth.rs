//! The e2e stack for token auth and saved views: the REAL relay with two tenants
//! (`acme`, `globex`: each its own issuer and Ed25519 key, both over the mock) and
//! token auth, a copy of the dashboard with `"auth": "token"`, and a test portal
//! page (tests/e2e/portal/) that embeds it and answers its token requests with
//! tokens the test mints (the portal's backend, played by the test with the
//! tenant's private key). Keys are generated fresh for each run (`relay gen-key`).

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::json;

use crate::dev::{PARTNER_ID, PROVIDER_ID};
use crate::procs::{self, Log, Server};
use crate::serve::StaticServers;
use crate::util;

pub const TENANTS: [&str; 2] = ["acme", "globex"];

pub fn issuer(tenant: &str) -> String {
    format!("https://portal.{tenant}.test")
}

/// What the tests need, and the relay to keep running while they do.
pub struct AuthStack {
    pub relay: Server,
    pub env: Vec<(&'static str, String)>,
}

pub fn start(work: &Path, logs: &Path, mock_url: &str, servers: &StaticServers, dist: &Path) -> Result<AuthStack> {
    procs::run_ok(util::cargo().args(["build", "-p", "relay", "--bin", "relay"]))?;
    let relay_bin = util::target_dir()?.join("debug").join("relay");

    let keys = work.join("auth-keys");
    let _ = std::fs::remove_dir_all(&keys);
    for t in TENANTS {
        let mut gen = std::process::Command::new(&relay_bin);
        gen.args(["gen-key", "--out-dir"]).arg(&keys).args(["--name", t]);
        procs::run_ok(&mut gen)?;
    }

    // The portal page, then the dashboard copy it embeds (served before its
    // config.json exists: the relay's URL is known only once it runs, and the
    // relay must know the dashboard's origin first).
    let portal = servers.serve(&util::root().join("tests").join("e2e").join("portal"), 0, vec![])?;
    let site = work.join("sites").join("auth");
    if site.exists() {
        std::fs::remove_dir_all(&site)?;
    }
    util::copy_dir(dist, &site)?;

    let db = work.join("relay-views-e2e.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    // The site's URL is needed in the relay's config and the relay's in the site's
    // CSP header: the site is served with a placeholder-free header set after the
    // relay starts, so take a port for it now.
    let site_port = free_port()?;
    let site_url = format!("http://127.0.0.1:{site_port}");
    let tenants: Vec<_> = TENANTS
        .iter()
        .map(|t| {
            json!({
                "id": t,
                "issuer": issuer(t),
                "keys": [{ "kid": "k1", "alg": "EdDSA", "publicKeyFile": keys.join(format!("{t}.pub.pem")) }],
                "upstream": mock_url,
                "providerId": PROVIDER_ID,
                "partnerId": PARTNER_ID,
                "apiKey": format!("e2e-{t}-key"),
                "allowOrigins": [site_url],
            })
        })
        .collect();
    let config = json!({
        "addr": "127.0.0.1:0",
        "auth": "token",
        "database": format!("sqlite://{}", db.display()),
        // The tests make many calls and refused tokens on purpose from one address.
        "rateLimitPerSecond": 10000.0,
        "rateLimitBurst": 10000,
        "failedAuthPerSecond": 10000.0,
        "failedAuthBurst": 10000,
        "tenants": tenants,
    });
    let config_path = work.join("relay-e2e.json");
    std::fs::write(&config_path, serde_json::to_string_pretty(&config)?)?;
    let mut cmd = std::process::Command::new(&relay_bin);
    cmd.arg("--config").arg(&config_path).env_remove("RELAY_AUTH");
    let relay =
        Server::start("relay (tenants)", &mut cmd, Log::File(logs.join("relay-e2e.log")), Duration::from_secs(60))?;

    let dashboard_config = json!({
        "relayUrl": relay.url,
        "auth": "token",
        "embedOrigins": [portal],
        "concurrency": 4,
    });
    std::fs::write(site.join("config.json"), serde_json::to_string_pretty(&dashboard_config)? + "\n")?;
    let headers = super::test::strict_csp(&relay.url, &portal)?;
    let served = servers.serve(&site, site_port, headers).context("serving the auth dashboard")?;
    anyhow::ensure!(served == site_url, "served at {served}, expected {site_url}");

    let mut env = vec![
        ("AUTH_DASHBOARD_URL", site_url),
        ("PORTAL_URL", portal),
        ("RELAY_URL", relay.url.clone()),
        ("AUTH_KEYS_DIR", keys.display().to_string()),
    ];
    for t in TENANTS {
        env.push((if t == "acme" { "AUTH_ISSUER_ACME" } else { "AUTH_ISSUER_GLOBEX" }, issuer(t)));
    }
    for (k, v) in &env {
        println!("{k} = {v}");
    }
    Ok(AuthStack { relay, env })
}

/// A free loopback port (bound and released: the static server takes it next).
fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}
