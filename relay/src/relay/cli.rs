//! The `relay` command line. Every flag also reads an env var (RELAY_*), which is
//! the way to pass the key in production: a flag shows up in `ps`.

use std::time::Duration;

use axum::http::HeaderValue;
use clap::Parser;

use super::RelayConfig;

/// An exact origin: `scheme://host[:port]`, no path, no wildcard.
fn origin(s: &str) -> Result<HeaderValue, String> {
    let rest = s.strip_prefix("http://").or_else(|| s.strip_prefix("https://"));
    let ok = rest.is_some_and(|r| !r.is_empty() && !r.contains(['/', '*', '?', '#', ' ']));
    if !ok {
        return Err(format!("{s:?} is not an origin like https://dash.example.com (no path, no *)"));
    }
    HeaderValue::from_str(s).map_err(|e| e.to_string())
}

fn upstream(s: &str) -> Result<String, String> {
    if !(s.starts_with("http://") || s.starts_with("https://")) || s.contains(['?', '#']) {
        return Err(format!("{s:?} is not a base URL like https://api.example.com"));
    }
    Ok(s.trim_end_matches('/').to_string())
}

/// CORS relay in front of the Digital Engagement Dashboard API: adds the API key
/// and the provider/partner ids, which the browser never holds.
#[derive(Parser, Clone)]
#[command(name = "relay", version)]
pub struct RelayCli {
    /// Address to listen on (port 0 = any free port; printed as `relay listening on http://ADDR`).
    #[arg(long, env = "RELAY_ADDR", default_value = "127.0.0.1:8788")]
    pub addr: String,
    /// Base URL of the Dashboard API (the vendor, or mock-de).
    #[arg(long, env = "RELAY_UPSTREAM", default_value = "http://127.0.0.1:8787", value_parser = upstream)]
    pub upstream: String,
    /// providerId sent upstream (whatever the browser sends is dropped).
    #[arg(long, env = "RELAY_PROVIDER_ID")]
    pub provider_id: String,
    /// partnerId sent upstream.
    #[arg(long, env = "RELAY_PARTNER_ID")]
    pub partner_id: String,
    /// apiKey sent upstream; prefer the env var (flags are visible in `ps`).
    #[arg(long, env = "RELAY_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// Origin allowed to call (repeatable or comma-separated; `*` is refused).
    #[arg(
        long,
        env = "RELAY_ALLOW_ORIGIN",
        value_delimiter = ',',
        value_parser = origin,
        default_values = ["http://127.0.0.1:8080", "http://localhost:8080"]
    )]
    pub allow_origin: Vec<HeaderValue>,
    /// Upstream timeout in milliseconds; past it the browser gets 504.
    #[arg(long, env = "RELAY_UPSTREAM_TIMEOUT_MS", default_value_t = 30_000)]
    pub upstream_timeout_ms: u64,
}

impl RelayCli {
    pub fn config(&self) -> RelayConfig {
        RelayConfig {
            upstream: self.upstream.clone(),
            provider_id: self.provider_id.clone(),
            partner_id: self.partner_id.clone(),
            api_key: self.api_key.clone().filter(|k| !k.is_empty()),
            allow_origins: self.allow_origin.clone(),
            upstream_timeout: Duration::from_millis(self.upstream_timeout_ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        let base = ["relay", "--provider-id", "1020", "--partner-id", "1021"];
        let c = RelayCli::try_parse_from(base).unwrap().config();
        assert_eq!(c.allow_origins.len(), 2, "dev origins by default");
        assert_eq!(c.upstream, "http://127.0.0.1:8787");
        let mut args = base.to_vec();
        args.extend(["--allow-origin", "https://a.example", "--upstream", "https://api.example/"]);
        let c = RelayCli::try_parse_from(args).unwrap().config();
        assert_eq!(c.allow_origins, vec![HeaderValue::from_static("https://a.example")]);
        assert_eq!(c.upstream, "https://api.example");
        for bad in ["*", "https://*.example", "https://a.example/path", "a.example"] {
            let mut args = base.to_vec();
            args.extend(["--allow-origin", bad]);
            assert!(RelayCli::try_parse_from(args).is_err(), "{bad}");
        }
    }
}
