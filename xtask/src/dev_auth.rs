//! The development tenant: what `cargo xtask dev` (and tests that want a relay
//! with token auth) run the relay with. A fresh Ed25519 key pair per start
//! (`relay gen-key`, into the target dir, never committed), a relay config with
//! one tenant `dev` whose issuer is the example portal, and the environment that
//! lets the example portal's backend (examples/embed/portal-server.mjs) mint
//! tokens with the private key, the way a partner portal does.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use serde_json::json;

pub const TENANT: &str = "dev";
/// Only ever between the local relay and the local mock.
pub const DEV_API_KEY: &str = "dev-key";

pub struct DevTenant {
    /// The relay's config file (`relay --config`).
    pub config: PathBuf,
    /// PKCS#8 PEM: the portal's signing key.
    pub private_key: PathBuf,
    pub kid: String,
    /// The portal's origin, which is the tokens' `iss`.
    pub issuer: String,
}

impl DevTenant {
    /// Write a fresh key pair and the relay config into `dir`.
    pub fn create(dir: &Path, relay_bin: &Path, upstream: &str, allow_origins: &[&str], issuer: &str) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        crate::procs::run_ok(Command::new(relay_bin).args(["gen-key", "--name", "dev-ed25519", "--out-dir"]).arg(dir))?;
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
        // A new kid per key, the way a portal names keys it rotates.
        let kid = format!("dev-{secs}");
        std::fs::write(dir.join("dev-api-key"), DEV_API_KEY)?;
        let config = json!({
            "auth": "token",
            "database": format!("sqlite://{}", dir.join("relay-views.db").display()),
            "tenants": [{
                "id": TENANT,
                "issuer": issuer,
                "keys": [{ "kid": kid, "alg": "EdDSA", "publicKeyFile": "dev-ed25519.pub.pem" }],
                "upstream": upstream,
                "providerId": crate::dev::PROVIDER_ID,
                "partnerId": crate::dev::PARTNER_ID,
                "apiKeyFile": "dev-api-key",
                "allowOrigins": allow_origins,
            }]
        });
        let path = dir.join("relay.json");
        std::fs::write(&path, serde_json::to_string_pretty(&config)?)?;
        Ok(DevTenant { config: path, private_key: dir.join("dev-ed25519.pem"), kid, issuer: issuer.to_string() })
    }

    /// The example portal's backend, minting this tenant's tokens, listening on `addr`.
    pub fn portal(&self, addr: &str, ttl_secs: u64) -> Command {
        let mut c = Command::new("node");
        c.arg(crate::util::root().join("examples/embed/portal-server.mjs"))
            .env("PORTAL_ADDR", addr)
            .env("PORTAL_KEY_FILE", &self.private_key)
            .env("PORTAL_KID", &self.kid)
            .env("PORTAL_TENANT", TENANT)
            .env("PORTAL_ISSUER", &self.issuer)
            .env("PORTAL_TTL_SECS", ttl_secs.to_string());
        c
    }

    /// A token minted with `relay mint-token` (for a `#token=` URL).
    pub fn mint(&self, relay_bin: &Path, sub: &str, scope: &str, ttl_secs: u64) -> Result<String> {
        let out = Command::new(relay_bin)
            .args(["mint-token", "--alg", "EdDSA", "--kid", &self.kid, "--tid", TENANT, "--iss", &self.issuer])
            .args(["--sub", sub, "--scope", scope, "--ttl-secs", &ttl_secs.to_string(), "--key-file"])
            .arg(&self.private_key)
            .output()
            .context("relay mint-token")?;
        anyhow::ensure!(out.status.success(), "relay mint-token: {}", String::from_utf8_lossy(&out.stderr));
        Ok(String::from_utf8(out.stdout)?.trim().to_string())
    }
}
