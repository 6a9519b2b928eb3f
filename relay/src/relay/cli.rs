//! The `relay` command line. Every setting comes from a flag, an env var
//! (`RELAY_*`) or the JSON config file (`--config relay.json`, see
//! [`super::config_file`]), in that order of precedence. Keys and secrets belong
//! in files readable only by the relay or in the env, never in a flag (`ps`).
//!
//! Two ways to run:
//! - `auth: token` (the default whenever the file has `tenants`): many tenants,
//!   each call proven by an embed token.
//! - `auth: none`, only when said so (`--auth none`, `RELAY_AUTH=none` or the
//!   file): one tenant from `--upstream`/`--provider-id`/... or the file's
//!   top-level keys, the `Origin` allowlist its only check; a warning at start.
//!
//! Subcommands: `check-config FILE`, `mint-token` (for a portal's tests and the
//! dev portal), `gen-key` (a dev Ed25519 key pair).

use std::time::Duration;

use clap::{Parser, Subcommand};

use super::config::{Auth, RelayConfig, DEFAULT_DATABASE};
use super::config_file::{self, read_secret_file, upstream_url, FileConfig};
use super::origin::Origin;
use super::ratelimit::RateLimit;
use crate::auth::{TokenPolicy, DEFAULT_AUDIENCE, DEFAULT_MAX_LIFETIME_SECS, LEEWAY_SECS};

fn origin(s: &str) -> Result<Origin, String> {
    Origin::parse(s)
}

/// CORS relay in front of the Digital Engagement Dashboard API: verifies embed
/// tokens, adds each tenant's API key and ids, which the browser never holds.
#[derive(Parser, Clone, Default)]
#[command(name = "relay", version, args_conflicts_with_subcommands = true)]
pub struct RelayCli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// JSON config file (tenants, keys, limits; see the README). Flags and env vars override it.
    #[arg(long, env = "RELAY_CONFIG")]
    pub config: Option<String>,
    /// `token` (the default with tenants) or `none` (one tenant, no token: say so explicitly).
    #[arg(long, env = "RELAY_AUTH")]
    pub auth: Option<String>,
    /// Address to listen on [default 127.0.0.1:8788] (port 0 = any free port;
    /// printed as `relay listening on http://ADDR`).
    #[arg(long, env = "RELAY_ADDR")]
    pub addr: Option<String>,
    /// auth none: base URL of the Dashboard API [default http://127.0.0.1:8787].
    #[arg(long, env = "RELAY_UPSTREAM", value_parser = upstream_url)]
    pub upstream: Option<String>,
    /// auth none: providerId sent upstream (whatever the browser sends is dropped).
    #[arg(long, env = "RELAY_PROVIDER_ID")]
    pub provider_id: Option<String>,
    /// auth none: partnerId sent upstream.
    #[arg(long, env = "RELAY_PARTNER_ID")]
    pub partner_id: Option<String>,
    /// auth none: apiKey sent upstream; prefer the env var or a key file (flags are visible in `ps`).
    #[arg(long, env = "RELAY_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// auth none: file holding the apiKey (trailing newline trimmed).
    #[arg(long, env = "RELAY_API_KEY_FILE")]
    pub api_key_file: Option<String>,
    /// auth none: origin allowed to call (repeatable or comma-separated; `*` is refused)
    /// [default http://127.0.0.1:8080, http://localhost:8080].
    #[arg(long, env = "RELAY_ALLOW_ORIGIN", value_delimiter = ',', value_parser = origin)]
    pub allow_origin: Vec<Origin>,
    /// Upstream timeout in milliseconds; past it the browser gets 504 [default 30000].
    #[arg(long, env = "RELAY_UPSTREAM_TIMEOUT_MS")]
    pub upstream_timeout_ms: Option<u64>,
    /// Upstream answers over this many bytes are a 502 [default 67108864 = 64 MB].
    #[arg(long, env = "RELAY_MAX_UPSTREAM_BYTES")]
    pub max_upstream_bytes: Option<u64>,
    /// Sustained calls per second per user (per origin with auth none); 0 turns the limit off [default 20].
    #[arg(long, env = "RELAY_RATE_LIMIT_PER_SECOND")]
    pub rate_limit_per_second: Option<f64>,
    /// Calls a user may make at once [default 60].
    #[arg(long, env = "RELAY_RATE_LIMIT_BURST")]
    pub rate_limit_burst: Option<u32>,
    /// Seconds a settled upstream answer (a range ended over two minutes ago) is kept
    /// and served to the tenant's other callers; 0 keeps none [default 600].
    #[arg(long, env = "RELAY_CACHE_TTL_SECS")]
    pub cache_ttl_secs: Option<u64>,
    /// Bytes of kept answers per tenant, at most [default 33554432 = 32 MB].
    #[arg(long, env = "RELAY_CACHE_MAX_BYTES")]
    pub cache_max_bytes: Option<usize>,
    /// Keep Messages answers too (chat text held in the relay's memory; off by default).
    #[arg(long, env = "RELAY_CACHE_MESSAGES")]
    pub cache_messages: bool,
}

#[derive(Subcommand, Clone)]
pub enum Command {
    /// Check a config file and list its tenants (never a secret); exit 2 if it is bad.
    CheckConfig {
        /// The JSON config file.
        file: String,
    },
    /// Print a signed embed token (what a portal's backend does; for tests and the dev portal).
    MintToken(MintArgs),
    /// Write a fresh Ed25519 key pair: DIR/NAME.pem (private, PKCS#8) and DIR/NAME.pub.pem.
    GenKey {
        #[arg(long)]
        out_dir: String,
        #[arg(long, default_value = "ed25519")]
        name: String,
    },
}

#[derive(clap::Args, Clone)]
pub struct MintArgs {
    /// Private key (PKCS#8 PEM) for EdDSA/ES256/RS256, or the secret file for HS256.
    #[arg(long)]
    pub key_file: String,
    #[arg(long, default_value = "EdDSA")]
    pub alg: String,
    #[arg(long)]
    pub kid: Option<String>,
    #[arg(long)]
    pub tid: String,
    #[arg(long)]
    pub iss: String,
    #[arg(long)]
    pub sub: String,
    #[arg(long, default_value = DEFAULT_AUDIENCE)]
    pub aud: String,
    /// Space-separated: counts, messages, views.
    #[arg(long, default_value = "counts messages")]
    pub scope: String,
    /// Lifetime in seconds (exp - iat).
    #[arg(long, default_value_t = 600)]
    pub ttl_secs: u64,
    /// Comma-separated team ids.
    #[arg(long, value_delimiter = ',')]
    pub teams: Vec<String>,
    #[arg(long)]
    pub name: Option<String>,
}

/// Everything `main` needs to serve.
#[derive(Debug)]
pub struct Settings {
    pub addr: String,
    pub relay: RelayConfig,
}

impl RelayCli {
    /// Flags/env over the config file over defaults.
    pub fn settings(&self) -> Result<Settings, String> {
        let file = match &self.config {
            None => FileConfig::default(),
            Some(path) => FileConfig::read(path)?,
        };
        self.merge(file)
    }

    pub fn merge(&self, mut file: FileConfig) -> Result<Settings, String> {
        let auth = self.auth.clone().or(file.auth.take());
        let tenants = file.tenants.take();
        let mut relay = match (auth.as_deref(), tenants) {
            (Some("none"), Some(_)) => {
                return Err("auth none serves one tenant from upstream/providerId/partnerId: remove tenants, or use auth token".into())
            }
            (Some("none"), None) => self.unauthenticated(&file)?,
            (Some("token") | None, Some(list)) => {
                let flags = self.upstream.is_some()
                    || self.provider_id.is_some()
                    || self.partner_id.is_some()
                    || self.api_key.is_some()
                    || self.api_key_file.is_some()
                    || !self.allow_origin.is_empty();
                let keys = file.single_tenant_keys();
                if flags || !keys.is_empty() {
                    return Err(format!(
                        "with tenants, upstream, ids, keys and origins belong inside each tenant (found {})",
                        if keys.is_empty() { "flags".to_string() } else { keys.join(", ") }
                    ));
                }
                let audience = file.audience.clone().unwrap_or_else(|| DEFAULT_AUDIENCE.into());
                let max_lifetime_secs = file.max_token_lifetime_secs.unwrap_or(DEFAULT_MAX_LIFETIME_SECS);
                if audience.is_empty() || max_lifetime_secs == 0 {
                    return Err("audience must not be empty and maxTokenLifetimeSecs must be over 0".into());
                }
                let policy = TokenPolicy { audience, max_lifetime_secs, leeway_secs: LEEWAY_SECS };
                RelayConfig::with_tenants(policy, config_file::tenants(&file.dir, &list)?)
            }
            (Some("token"), None) => return Err("auth token needs tenants in the config file (--config FILE)".into()),
            (None, None) => {
                return Err("no tenants configured: give a --config file with tenants (embed tokens), or run without \
                            authentication by saying so: --auth none (RELAY_AUTH=none, or \"auth\": \"none\" in the file)"
                    .into())
            }
            (Some(other), _) => return Err(format!("auth must be \"token\" or \"none\", not {other:?}")),
        };
        relay.database = file.database.clone().unwrap_or_else(|| DEFAULT_DATABASE.into());
        let timeout_ms = self.upstream_timeout_ms.or(file.upstream_timeout_ms).unwrap_or(30_000);
        relay.upstream_timeout = Duration::from_millis(timeout_ms.max(1));
        relay.max_upstream_bytes =
            self.max_upstream_bytes.or(file.max_upstream_bytes).unwrap_or(relay.max_upstream_bytes).max(1);
        if let Some(ms) = file.header_read_timeout_ms {
            relay.header_read_timeout = Duration::from_millis(ms.max(1));
        }
        let defaults = RateLimit::default();
        let per_second = self.rate_limit_per_second.or(file.rate_limit_per_second).unwrap_or(defaults.per_second);
        let burst = self.rate_limit_burst.or(file.rate_limit_burst).unwrap_or(defaults.burst);
        relay.rate_limit = limit(per_second, burst)?;
        let failed = RateLimit::FAILED_AUTH;
        relay.failed_auth_limit = limit(
            file.failed_auth_per_second.unwrap_or(failed.per_second),
            file.failed_auth_burst.unwrap_or(failed.burst),
        )?;
        if let Some(secs) = self.cache_ttl_secs {
            relay.cache.ttl = Duration::from_secs(secs);
        }
        if let Some(bytes) = self.cache_max_bytes {
            relay.cache.max_bytes = bytes;
        }
        relay.cache.messages = self.cache_messages;
        let addr = self.addr.clone().or(file.addr.take()).unwrap_or_else(|| "127.0.0.1:8788".into());
        Ok(Settings { addr, relay })
    }

    /// `auth: none`: the one tenant from flags, env and the file's top-level keys.
    fn unauthenticated(&self, file: &FileConfig) -> Result<RelayConfig, String> {
        let upstream = match (&self.upstream, &file.upstream) {
            (Some(u), _) => u.clone(),
            (None, Some(u)) => upstream_url(u).map_err(|e| format!("upstream: {e}"))?,
            (None, None) => "http://127.0.0.1:8787".into(),
        };
        let provider_id = self
            .provider_id
            .clone()
            .or(file.provider_id.clone())
            .filter(|s| !s.is_empty())
            .ok_or("providerId is required (--provider-id, RELAY_PROVIDER_ID or the config file)")?;
        let partner_id = self
            .partner_id
            .clone()
            .or(file.partner_id.clone())
            .filter(|s| !s.is_empty())
            .ok_or("partnerId is required (--partner-id, RELAY_PARTNER_ID or the config file)")?;
        let api_key = match (self.api_key.clone(), &self.api_key_file, &file.api_key_file, &file.api_key) {
            (Some(k), _, _, _) => Some(k),
            (None, Some(path), _, _) => Some(read_secret_file(std::path::Path::new(""), path)?),
            (None, None, Some(path), _) => Some(read_secret_file(&file.dir, path)?),
            (None, None, None, k) => k.clone(),
        }
        .filter(|k| !k.is_empty());
        let allow_origins = if !self.allow_origin.is_empty() {
            self.allow_origin.clone()
        } else if let Some(list) = file.allow_origins.as_ref().filter(|l| !l.is_empty()) {
            list.iter().map(|o| Origin::parse(o)).collect::<Result<_, _>>().map_err(|e| format!("allowOrigins: {e}"))?
        } else {
            vec![Origin::parse("http://127.0.0.1:8080")?, Origin::parse("http://localhost:8080")?]
        };
        let mut relay = RelayConfig::new(upstream, provider_id, partner_id);
        let t = relay.only_tenant();
        t.upstream.api_key = api_key;
        t.allow_origins = allow_origins;
        Ok(relay)
    }
}

fn limit(per_second: f64, burst: u32) -> Result<Option<RateLimit>, String> {
    if !(per_second >= 0.0 && per_second.is_finite()) {
        return Err(format!("rate limit {per_second} per second is not a number >= 0"));
    }
    Ok((per_second > 0.0).then_some(RateLimit { per_second, burst: burst.max(1) }))
}

/// `relay check-config FILE`: the report printed on success (no secret in it).
pub fn describe(settings: &Settings) -> String {
    let r = &settings.relay;
    let mut out = format!("addr {}\n", settings.addr);
    match &r.auth {
        Auth::None => out += "auth none: NO TOKEN CHECK, the Origin allowlist only\n",
        Auth::Token(p) => {
            out += &format!("auth token: audience {:?}, max token lifetime {} s\n", p.audience, p.max_lifetime_secs)
        }
    }
    let db_scheme = r.database.split("://").next().unwrap_or("");
    out += &format!("database {db_scheme}://…\n{} tenant(s):\n", r.tenants.len());
    for t in &r.tenants {
        let keys: Vec<String> = t.keys.iter().map(|k| format!("{} ({})", k.kid, k.alg.name())).collect();
        let origins: Vec<&str> = t.allow_origins.iter().map(|o| o.as_str()).collect();
        out += &format!(
            "- {}: issuer {:?}; upstream {} providerId {} partnerId {}; apiKey {}; keys {}; allowOrigins {}\n",
            t.id,
            t.issuer,
            t.upstream.base,
            t.upstream.provider_id,
            t.upstream.partner_id,
            if t.upstream.api_key.is_some() { "set" } else { "NOT SET" },
            if keys.is_empty() { "-".into() } else { keys.join(", ") },
            if origins.is_empty() { "-".into() } else { origins.join(", ") },
        );
    }
    out
}

impl MintArgs {
    /// The signed token these arguments describe, issued now.
    pub fn mint(&self) -> Result<String, String> {
        use crate::auth::keys::{KeyAlg, SigningKey};
        let alg =
            KeyAlg::parse(&self.alg).ok_or_else(|| format!("alg {:?}: EdDSA, ES256, RS256 or HS256", self.alg))?;
        let material = std::fs::read_to_string(&self.key_file).map_err(|e| format!("{}: {e}", self.key_file))?;
        let key = match alg {
            KeyAlg::HS256 => SigningKey::hmac(self.kid.clone(), material.trim_end_matches(['\n', '\r']).as_bytes())?,
            _ => SigningKey::private_pem(self.kid.clone(), alg, &material)?,
        };
        let mut claims = crate::auth::claims(&self.tid, &self.iss, &self.sub, &self.aud, &self.scope, self.ttl_secs);
        if !self.teams.is_empty() {
            claims["teams"] = serde_json::json!(self.teams);
        }
        if let Some(n) = &self.name {
            claims["name"] = serde_json::json!(n);
        }
        key.sign(&claims)
    }
}

#[cfg(test)]
mod tests;
