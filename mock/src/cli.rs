//! The `mock-de` command line (kept in the library so tests can parse it too).

use clap::Parser;

use super::faults::FaultConfig;
use super::insight_data::Spike;
use super::server::MockConfig;
use crate::api::{parse_duration_ms, Endpoint};

fn endpoint(s: &str) -> Result<Endpoint, String> {
    Endpoint::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Endpoint::ALL.iter().map(|e| e.name()).collect();
        format!("unknown endpoint {s:?} (one of {})", names.join(", "))
    })
}

fn fraction(s: &str) -> Result<f64, String> {
    let f: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    (0.0..=1.0).contains(&f).then_some(f).ok_or_else(|| format!("{s} is not in 0..1"))
}

/// Mock Digital Engagement Dashboard API (deterministic synthetic data).
#[derive(Parser, Debug, Clone)]
#[command(name = "mock-de", version)]
pub struct MockCli {
    /// Address to listen on (port 0 = any free port; the bound address is printed
    /// as `mock-de listening on http://ADDR`).
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub addr: String,
    /// Seed of the synthetic data: same seed, same data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Volume scale factor (1 ≈ 300–600 interactions and 1,500–3,000 messages a day).
    #[arg(long, default_value_t = 1.0)]
    pub volume: f64,
    /// Longest range for `h` intervals (ms, or 7d / 12h / 90m / 30s).
    #[arg(long, default_value = "7d", value_parser = parse_duration_ms)]
    pub max_range_hour: i64,
    /// Longest range for `d` and `mo` intervals.
    #[arg(long, default_value = "31d", value_parser = parse_duration_ms)]
    pub max_range_day: i64,
    /// Longest range for Messages.
    #[arg(long, default_value = "31d", value_parser = parse_duration_ms)]
    pub max_range_messages: i64,
    /// Leave `maxRangeMs` out of RANGE_TOO_LARGE bodies.
    #[arg(long)]
    pub no_max_range_hint: bool,
    /// Most messages per Messages call; more gives 400 TOO_MANY_RESULTS.
    #[arg(long, default_value_t = 10_000)]
    pub max_messages: usize,
    /// Require this `apiKey` query parameter (else 401 UNAUTHORIZED).
    #[arg(long, env = "MOCK_DE_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// Allowed providerId (repeatable or comma-separated); others get 403 FORBIDDEN.
    #[arg(long, value_delimiter = ',')]
    pub allowed_provider: Vec<String>,
    /// Delay every Dashboard answer by this many milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Fraction (0..1) of Dashboard calls answered 500, 502 or 503.
    #[arg(long, default_value_t = 0.0, value_parser = fraction)]
    pub fail_rate: f64,
    /// Fraction (0..1) of Dashboard calls answered 429 with `Retry-After: 1`.
    #[arg(long, default_value_t = 0.0, value_parser = fraction)]
    pub rate_limit_rate: f64,
    /// This endpoint always answers 500 (e.g. Interactions).
    #[arg(long, value_parser = endpoint)]
    pub fail_endpoint: Option<Endpoint>,
    /// 5xx bodies are an HTML page instead of JSON.
    #[arg(long)]
    pub html_errors: bool,
    /// Multiply one series for some hours (repeatable): `KEY@TIME*FACTOR[/HOURS]`,
    /// KEY a bot intent, a channel, botOnly/botToAgent/agentOnly or total; e.g.
    /// `"password reset@2026-06-08T14:00:00Z*8"`.
    #[arg(long, value_parser = Spike::parse)]
    pub spike: Vec<Spike>,
}

impl MockCli {
    pub fn config(&self) -> MockConfig {
        MockConfig {
            seed: self.seed,
            volume: self.volume,
            max_range_hour_ms: self.max_range_hour,
            max_range_day_ms: self.max_range_day,
            max_range_messages_ms: self.max_range_messages,
            max_range_hint: !self.no_max_range_hint,
            max_messages: self.max_messages,
            api_key: self.api_key.clone().filter(|k| !k.is_empty()),
            allowed_providers: self.allowed_provider.clone(),
            faults: FaultConfig {
                latency_ms: self.latency_ms,
                fail_rate: self.fail_rate,
                rate_limit_rate: self.rate_limit_rate,
                fail_endpoint: self.fail_endpoint,
                html_errors: self.html_errors,
            },
            spikes: self.spike.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        let c = MockCli::try_parse_from([
            "mock-de",
            "--addr",
            "127.0.0.1:0",
            "--max-range-hour",
            "2d",
            "--no-max-range-hint",
            "--fail-endpoint",
            "Interactions",
            "--allowed-provider",
            "1020,1030",
            "--fail-rate",
            "0.2",
        ])
        .unwrap();
        let cfg = c.config();
        assert_eq!(cfg.max_range_hour_ms, 2 * 86_400_000);
        assert_eq!(cfg.max_range_day_ms, 31 * 86_400_000);
        assert!(!cfg.max_range_hint);
        assert_eq!(cfg.faults.fail_endpoint, Some(Endpoint::Interactions));
        assert_eq!(cfg.allowed_providers, vec!["1020", "1030"]);
        assert!(MockCli::try_parse_from(["mock-de", "--fail-endpoint", "Nope"]).is_err());
        assert!(MockCli::try_parse_from(["mock-de", "--fail-rate", "2"]).is_err());
        let c = MockCli::try_parse_from([
            "mock-de",
            "--spike",
            "password reset@2026-06-08T14:30:00Z*8",
            "--spike",
            "web@2026-06-08T00:00:00Z*8/24",
        ])
        .unwrap();
        assert_eq!(c.spike.len(), 2);
        assert_eq!(c.spike[1].hours, 24);
        assert!(MockCli::try_parse_from(["mock-de", "--spike", "nonsense@2026-06-08T14:00:00Z*8"]).is_err());
    }
}
