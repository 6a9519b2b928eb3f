//! The `relay` command line. Every setting comes from a flag, an env var
//! (`RELAY_*`) or a JSON config file (`--config relay.json`), in that order of
//! precedence. The key belongs in the env (`RELAY_API_KEY`), a file readable only
//! by the relay (`apiKeyFile` / `RELAY_API_KEY_FILE`, e.g. a container secret) or
//! the config file: never in a flag, which shows up in `ps`.
//!
//! Config file keys (all optional except the ids, which may come from flags/env):
//!
//! ```json
//! { "addr": "0.0.0.0:8788", "upstream": "https://api.vendor.example",
//!   "providerId": "1020", "partnerId": "1021", "apiKeyFile": "/run/secrets/de-key",
//!   "allowOrigins": ["https://dashboard.partner.example"],
//!   "upstreamTimeoutMs": 30000, "rateLimitPerSecond": 20, "rateLimitBurst": 60 }
//! ```

use std::time::Duration;

use axum::http::HeaderValue;
use clap::Parser;
use serde::Deserialize;

use super::ratelimit::RateLimit;
use super::RelayConfig;

/// An exact origin: `scheme://host[:port]`, no path, no wildcard.
fn origin(s: &str) -> Result<HeaderValue, String> {
    let s = s.trim();
    let rest = s.strip_prefix("http://").or_else(|| s.strip_prefix("https://"));
    let ok = rest.is_some_and(|r| !r.is_empty() && !r.contains(['/', '*', '?', '#', ' ', '@']));
    if !ok {
        return Err(format!("{s:?} is not an origin like https://dash.example.com (no path, no *)"));
    }
    HeaderValue::from_str(s).map_err(|e| e.to_string())
}

fn upstream(s: &str) -> Result<String, String> {
    let s = s.trim();
    if !(s.starts_with("http://") || s.starts_with("https://")) || s.contains(['?', '#', '@']) {
        return Err(format!("{s:?} is not a base URL like https://api.example.com"));
    }
    Ok(s.trim_end_matches('/').to_string())
}

/// CORS relay in front of the Digital Engagement Dashboard API: adds the API key
/// and the provider/partner ids, which the browser never holds.
#[derive(Parser, Clone, Default)]
#[command(name = "relay", version)]
pub struct RelayCli {
    /// JSON config file (keys: addr, upstream, providerId, partnerId, apiKey,
    /// apiKeyFile, allowOrigins, upstreamTimeoutMs, rateLimitPerSecond, rateLimitBurst).
    /// Flags and env vars override it.
    #[arg(long, env = "RELAY_CONFIG")]
    pub config: Option<String>,
    /// Address to listen on [default 127.0.0.1:8788] (port 0 = any free port;
    /// printed as `relay listening on http://ADDR`).
    #[arg(long, env = "RELAY_ADDR")]
    pub addr: Option<String>,
    /// Base URL of the Dashboard API (the vendor, or mock-de) [default http://127.0.0.1:8787].
    #[arg(long, env = "RELAY_UPSTREAM", value_parser = upstream)]
    pub upstream: Option<String>,
    /// providerId sent upstream (whatever the browser sends is dropped).
    #[arg(long, env = "RELAY_PROVIDER_ID")]
    pub provider_id: Option<String>,
    /// partnerId sent upstream.
    #[arg(long, env = "RELAY_PARTNER_ID")]
    pub partner_id: Option<String>,
    /// apiKey sent upstream; prefer the env var or a key file (flags are visible in `ps`).
    #[arg(long, env = "RELAY_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// File holding the apiKey (trailing whitespace trimmed).
    #[arg(long, env = "RELAY_API_KEY_FILE")]
    pub api_key_file: Option<String>,
    /// Origin allowed to call (repeatable or comma-separated; `*` is refused)
    /// [default http://127.0.0.1:8080, http://localhost:8080].
    #[arg(long, env = "RELAY_ALLOW_ORIGIN", value_delimiter = ',', value_parser = origin)]
    pub allow_origin: Vec<HeaderValue>,
    /// Upstream timeout in milliseconds; past it the browser gets 504 [default 30000].
    #[arg(long, env = "RELAY_UPSTREAM_TIMEOUT_MS")]
    pub upstream_timeout_ms: Option<u64>,
    /// Sustained calls per second per origin; 0 turns the limit off [default 20].
    #[arg(long, env = "RELAY_RATE_LIMIT_PER_SECOND")]
    pub rate_limit_per_second: Option<f64>,
    /// Calls an origin may make at once [default 60].
    #[arg(long, env = "RELAY_RATE_LIMIT_BURST")]
    pub rate_limit_burst: Option<u32>,
}

/// The config file: the same settings, camelCase; unknown keys are an error (a
/// typo must not silently leave a default in place).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileConfig {
    addr: Option<String>,
    upstream: Option<String>,
    provider_id: Option<String>,
    partner_id: Option<String>,
    api_key: Option<String>,
    api_key_file: Option<String>,
    #[serde(default)]
    allow_origins: Vec<String>,
    upstream_timeout_ms: Option<u64>,
    rate_limit_per_second: Option<f64>,
    rate_limit_burst: Option<u32>,
}

/// Everything `main` needs.
#[derive(Debug)]
pub struct Settings {
    pub addr: String,
    pub relay: RelayConfig,
}

impl RelayCli {
    /// Flags/env over the config file over defaults.
    pub fn settings(&self) -> Result<Settings, String> {
        let file: FileConfig = match &self.config {
            None => FileConfig::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("config file {path}: {e}"))?;
                serde_json::from_str(&text).map_err(|e| format!("config file {path}: {e}"))?
            }
        };
        self.merge(file)
    }

    pub fn merge(&self, file: FileConfig) -> Result<Settings, String> {
        let upstream = match (&self.upstream, file.upstream) {
            (Some(u), _) => u.clone(),
            (None, Some(u)) => self::upstream(&u).map_err(|e| format!("upstream: {e}"))?,
            (None, None) => "http://127.0.0.1:8787".into(),
        };
        let provider_id = self
            .provider_id
            .clone()
            .or(file.provider_id)
            .filter(|s| !s.is_empty())
            .ok_or("providerId is required (--provider-id, RELAY_PROVIDER_ID or the config file)")?;
        let partner_id = self
            .partner_id
            .clone()
            .or(file.partner_id)
            .filter(|s| !s.is_empty())
            .ok_or("partnerId is required (--partner-id, RELAY_PARTNER_ID or the config file)")?;
        let key_file = self.api_key_file.clone().or(file.api_key_file);
        let api_key = match (self.api_key.clone(), key_file, file.api_key) {
            (Some(k), _, _) => Some(k),
            (None, Some(path), _) => Some(
                std::fs::read_to_string(&path).map_err(|e| format!("API key file {path}: {e}"))?.trim_end().to_string(),
            ),
            (None, None, k) => k,
        }
        .filter(|k| !k.is_empty());
        let allow_origins = if !self.allow_origin.is_empty() {
            self.allow_origin.clone()
        } else if !file.allow_origins.is_empty() {
            file.allow_origins
                .iter()
                .map(|o| origin(o))
                .collect::<Result<_, _>>()
                .map_err(|e| format!("allowOrigins: {e}"))?
        } else {
            vec![HeaderValue::from_static("http://127.0.0.1:8080"), HeaderValue::from_static("http://localhost:8080")]
        };
        let timeout_ms = self.upstream_timeout_ms.or(file.upstream_timeout_ms).unwrap_or(30_000);
        let defaults = RateLimit::default();
        let per_second = self.rate_limit_per_second.or(file.rate_limit_per_second).unwrap_or(defaults.per_second);
        let burst = self.rate_limit_burst.or(file.rate_limit_burst).unwrap_or(defaults.burst);
        if !(per_second >= 0.0 && per_second.is_finite()) {
            return Err(format!("rate limit {per_second} per second is not a number >= 0"));
        }
        let mut relay = RelayConfig::new(upstream, provider_id, partner_id);
        relay.api_key = api_key;
        relay.allow_origins = allow_origins;
        relay.upstream_timeout = Duration::from_millis(timeout_ms.max(1));
        relay.rate_limit = (per_second > 0.0).then_some(RateLimit { per_second, burst: burst.max(1) });
        let addr = self.addr.clone().or(file.addr).unwrap_or_else(|| "127.0.0.1:8788".into());
        Ok(Settings { addr, relay })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Settings, String> {
        RelayCli::try_parse_from(args).map_err(|e| e.to_string())?.settings()
    }

    #[test]
    fn flags() {
        let base = ["relay", "--provider-id", "1020", "--partner-id", "1021"];
        let c = parse(&base).unwrap();
        assert_eq!(c.relay.allow_origins.len(), 2, "dev origins by default");
        assert_eq!(c.relay.upstream, "http://127.0.0.1:8787");
        assert_eq!(c.relay.rate_limit, Some(RateLimit::default()));
        assert_eq!(c.addr, "127.0.0.1:8788");
        let mut args = base.to_vec();
        args.extend([
            "--allow-origin",
            "https://a.example",
            "--upstream",
            "https://api.example/",
            "--rate-limit-per-second",
            "0",
        ]);
        let c = parse(&args).unwrap();
        assert_eq!(c.relay.allow_origins, vec![HeaderValue::from_static("https://a.example")]);
        assert_eq!(c.relay.upstream, "https://api.example");
        assert_eq!(c.relay.rate_limit, None);
        for bad in ["*", "https://*.example", "https://a.example/path", "a.example", "https://user@a.example"] {
            let mut args = base.to_vec();
            args.extend(["--allow-origin", bad]);
            assert!(RelayCli::try_parse_from(args).is_err(), "{bad}");
        }
        assert!(parse(&["relay", "--provider-id", "1"]).unwrap_err().contains("partnerId"));
    }

    #[test]
    fn config_file_under_flags() {
        let dir = std::env::temp_dir().join(format!("relay-cli-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = dir.join("key");
        std::fs::write(&key, "file-s3cret\n").unwrap();
        let cfg = dir.join("relay.json");
        let text = serde_json::json!({
            "addr": "0.0.0.0:9999", "upstream": "https://vendor.example/", "providerId": "7", "partnerId": "8",
            "apiKeyFile": key, "allowOrigins": ["https://portal.example"], "upstreamTimeoutMs": 1234,
            "rateLimitPerSecond": 5, "rateLimitBurst": 10
        });
        std::fs::write(&cfg, text.to_string()).unwrap();
        let path = cfg.to_str().unwrap();
        let c = parse(&["relay", "--config", path]).unwrap();
        assert_eq!((c.addr.as_str(), c.relay.upstream.as_str()), ("0.0.0.0:9999", "https://vendor.example"));
        assert_eq!((c.relay.provider_id.as_str(), c.relay.partner_id.as_str()), ("7", "8"));
        assert_eq!(c.relay.api_key.as_deref(), Some("file-s3cret"));
        assert_eq!(c.relay.allow_origins, vec![HeaderValue::from_static("https://portal.example")]);
        assert_eq!(c.relay.upstream_timeout, Duration::from_millis(1234));
        assert_eq!(c.relay.rate_limit, Some(RateLimit { per_second: 5.0, burst: 10 }));
        // A flag wins over the file.
        let c = parse(&["relay", "--config", path, "--provider-id", "9", "--addr", "127.0.0.1:0"]).unwrap();
        assert_eq!((c.relay.provider_id.as_str(), c.addr.as_str()), ("9", "127.0.0.1:0"));
        // Typos and bad values are errors, not silent defaults.
        std::fs::write(&cfg, r#"{"providerId":"1","partnerId":"2","allowOrigin":["https://x.example"]}"#).unwrap();
        assert!(parse(&["relay", "--config", path]).unwrap_err().contains("allowOrigin"));
        std::fs::write(&cfg, r#"{"providerId":"1","partnerId":"2","allowOrigins":["*"]}"#).unwrap();
        assert!(parse(&["relay", "--config", path]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
