//! The deployment config, `config.json` beside `index.html` **[assumed field
//! names]**. One build serves every deployment; only this file differs.
//!
//! The relay URL, the ids and a key come only from here, never from the page URL: a
//! crafted link must not be able to point the dashboard at another server.

use std::fmt;

use serde::Deserialize;

use jiff::civil::Weekday;

use super::time::range_expr::ResolveOptions;
use super::time::LimitClass;

/// Per-call range limits by interval class, in ms (contract defaults when absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeLimits {
    pub hour_ms: i64,
    pub day_ms: i64,
    pub messages_ms: i64,
}

pub const DAY_MS: i64 = 86_400_000;

impl Default for RangeLimits {
    /// The contract's **[assumed]** defaults: 7 days for `h`, 31 days for `d`, `mo`
    /// and Messages.
    fn default() -> Self {
        RangeLimits { hour_ms: 7 * DAY_MS, day_ms: 31 * DAY_MS, messages_ms: 31 * DAY_MS }
    }
}

impl RangeLimits {
    pub fn for_class(&self, class: LimitClass) -> i64 {
        match class {
            LimitClass::Hour => self.hour_ms,
            LimitClass::Day => self.day_ms,
            LimitClass::Messages => self.messages_ms,
        }
    }
}

/// How the page proves who is looking (`auth`; embed-auth.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AuthMode {
    /// No token, no `Authorization` header (absent or `"none"`).
    #[default]
    None,
    /// An embed token from the parent frame or the URL fragment; every call
    /// carries `Authorization: Bearer`.
    Token,
}

#[derive(Clone, PartialEq)]
pub struct DeploymentConfig {
    pub auth: AuthMode,
    pub relay_url: String,
    pub provider_id: String,
    pub partner_id: String,
    pub limits: RangeLimits,
    /// Explicitly configured limits are trusted; defaults are only a first guess.
    pub limits_configured: bool,
    pub concurrency: usize,
    pub embed_origins: Vec<String>,
    /// Normally absent: the relay adds the key. Never logged, stored or shown, so
    /// `Debug` below leaves it out.
    pub api_key: Option<String>,
    /// First day of the week for `now/w` (`weekStart`; ours, not the contract's):
    /// Monday (ISO 8601) unless the deployment's managers count weeks otherwise.
    pub week_start: Weekday,
    /// `lowConfidenceScore`: a customer message whose `score` is below this is a
    /// low-confidence recognition in the intent-quality panel (default 0.5).
    pub low_confidence_score: f64,
}

impl fmt::Debug for DeploymentConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeploymentConfig")
            .field("auth", &self.auth)
            .field("relay_url", &self.relay_url)
            .field("provider_id", &self.provider_id)
            .field("partner_id", &self.partner_id)
            .field("limits", &self.limits)
            .field("concurrency", &self.concurrency)
            .field("embed_origins", &self.embed_origins)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("week_start", &self.week_start)
            .field("low_confidence_score", &self.low_confidence_score)
            .finish()
    }
}

impl DeploymentConfig {
    /// How this deployment resolves `now/w` and the other range expressions.
    pub fn resolve_options(&self) -> ResolveOptions {
        ResolveOptions { week_start: self.week_start, ..ResolveOptions::default() }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    NotJson(String),
    Missing(&'static str),
    Invalid { field: &'static str, why: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NotJson(e) => write!(f, "config.json is not valid JSON: {e}"),
            ConfigError::Missing(field) => write!(f, "config.json lacks the required field \"{field}\""),
            ConfigError::Invalid { field, why } => write!(f, "config.json field \"{field}\" is invalid: {why}"),
        }
    }
}

/// A string, or a number written without quotes (`"providerId": 1020`).
#[derive(Deserialize)]
#[serde(untagged)]
enum IdValue {
    Text(String),
    Number(serde_json::Number),
}

impl IdValue {
    fn into_string(self) -> String {
        match self {
            IdValue::Text(s) => s,
            IdValue::Number(n) => n.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum DurationValue {
    Text(String),
    Ms(i64),
}

#[derive(Deserialize, Default)]
struct RawMaxRange {
    hour: Option<DurationValue>,
    day: Option<DurationValue>,
    messages: Option<DurationValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawConfig {
    auth: Option<String>,
    relay_url: Option<String>,
    provider_id: Option<IdValue>,
    partner_id: Option<IdValue>,
    max_range: Option<RawMaxRange>,
    concurrency: Option<u32>,
    #[serde(default)]
    embed_origins: Vec<String>,
    api_key: Option<String>,
    week_start: Option<String>,
    low_confidence_score: Option<f64>,
}

/// `7d`, `36h`, `90m`, or a number of milliseconds.
pub fn parse_duration_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: i64 = n.parse().ok()?;
    let ms = match unit.trim() {
        "" | "ms" => n,
        "s" => n.checked_mul(1000)?,
        "m" => n.checked_mul(60_000)?,
        "h" => n.checked_mul(3_600_000)?,
        "d" => n.checked_mul(DAY_MS)?,
        _ => return None,
    };
    (ms > 0).then_some(ms)
}

fn duration(field: &'static str, v: Option<DurationValue>, default: i64) -> Result<(i64, bool), ConfigError> {
    match v {
        None => Ok((default, false)),
        Some(DurationValue::Ms(ms)) if ms >= 3_600_000 => Ok((ms, true)),
        Some(DurationValue::Text(s)) => match parse_duration_ms(&s) {
            Some(ms) if ms >= 3_600_000 => Ok((ms, true)),
            _ => Err(ConfigError::Invalid {
                field,
                why: format!("\"{s}\" is not a duration of at least 1h (like \"7d\")"),
            }),
        },
        Some(DurationValue::Ms(ms)) => Err(ConfigError::Invalid { field, why: format!("{ms} ms is under an hour") }),
    }
}

impl DeploymentConfig {
    pub fn parse(json: &str) -> Result<Self, ConfigError> {
        let raw: RawConfig = serde_json::from_str(json).map_err(|e| ConfigError::NotJson(e.to_string()))?;
        let relay_url = raw.relay_url.filter(|s| !s.trim().is_empty()).ok_or(ConfigError::Missing("relayUrl"))?;
        let lower = relay_url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://") || relay_url.starts_with('/')) {
            return Err(ConfigError::Invalid { field: "relayUrl", why: "must be an http(s) URL or a path".into() });
        }
        let auth = match raw.auth.as_deref().map(str::trim) {
            None | Some("none") => AuthMode::None,
            Some("token") => AuthMode::Token,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    field: "auth",
                    why: format!("\"{other}\" is not \"token\" or \"none\""),
                })
            }
        };
        // With tokens the relay takes the ids from the tenant of the verified token;
        // ids written here are still sent (a single-tenant relay may want them).
        let id = |v: Option<IdValue>, field: &'static str| match v.map(IdValue::into_string).filter(|s| !s.is_empty()) {
            Some(s) => Ok(s),
            None if auth == AuthMode::Token => Ok(String::new()),
            None => Err(ConfigError::Missing(field)),
        };
        let provider_id = id(raw.provider_id, "providerId")?;
        let partner_id = id(raw.partner_id, "partnerId")?;
        let defaults = RangeLimits::default();
        let mr = raw.max_range.unwrap_or_default();
        let (hour_ms, h_set) = duration("maxRange.hour", mr.hour, defaults.hour_ms)?;
        let (day_ms, d_set) = duration("maxRange.day", mr.day, defaults.day_ms)?;
        let (messages_ms, m_set) = duration("maxRange.messages", mr.messages, defaults.messages_ms)?;
        let concurrency = match raw.concurrency {
            None => 4,
            Some(0) => return Err(ConfigError::Invalid { field: "concurrency", why: "must be at least 1".into() }),
            Some(n) => n.min(32) as usize,
        };
        let week_start = match raw.week_start.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("monday") => Weekday::Monday,
            Some("sunday") => Weekday::Sunday,
            Some("saturday") => Weekday::Saturday,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    field: "weekStart",
                    why: format!("\"{other}\" is not monday, sunday or saturday"),
                })
            }
        };
        let low_confidence_score = match raw.low_confidence_score {
            None => crate::domain::insights::quality::DEFAULT_LOW_CONFIDENCE,
            Some(v) if (0.0..=1.0).contains(&v) => v,
            Some(v) => {
                return Err(ConfigError::Invalid { field: "lowConfidenceScore", why: format!("{v} is not in 0..1") })
            }
        };
        Ok(DeploymentConfig {
            auth,
            relay_url: relay_url.trim_end_matches('/').to_string(),
            provider_id,
            partner_id,
            limits: RangeLimits { hour_ms, day_ms, messages_ms },
            limits_configured: h_set || d_set || m_set,
            concurrency,
            embed_origins: raw.embed_origins,
            api_key: raw.api_key.filter(|k| !k.is_empty()),
            week_start,
            low_confidence_score,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimal_config_takes_contract_defaults() {
        let c = DeploymentConfig::parse(r#"{"relayUrl":"https://r.example/","providerId":"1020","partnerId":1021}"#)
            .unwrap();
        assert_eq!(c.relay_url, "https://r.example");
        assert_eq!(c.partner_id, "1021");
        assert_eq!(c.limits, RangeLimits::default());
        assert_eq!(c.concurrency, 4);
        assert!(c.api_key.is_none());
        assert_eq!(c.week_start, Weekday::Monday);
        assert_eq!(c.low_confidence_score, 0.5);
    }

    #[test]
    fn low_confidence_score_is_a_fraction() {
        let parse = |v: &str| {
            DeploymentConfig::parse(&format!(
                r#"{{"relayUrl":"/r","providerId":"1","partnerId":"2","lowConfidenceScore":{v}}}"#
            ))
        };
        assert_eq!(parse("0.35").unwrap().low_confidence_score, 0.35);
        assert_eq!(parse("1").unwrap().low_confidence_score, 1.0);
        assert!(matches!(parse("1.5"), Err(ConfigError::Invalid { field: "lowConfidenceScore", .. })));
        assert!(matches!(parse("\"high\""), Err(ConfigError::NotJson(_))));
    }

    #[test]
    fn week_start_is_monday_sunday_or_saturday() {
        let parse = |w: &str| {
            DeploymentConfig::parse(&format!(
                r#"{{"relayUrl":"/r","providerId":"1","partnerId":"2","weekStart":"{w}"}}"#
            ))
        };
        assert_eq!(parse("Sunday").unwrap().week_start, Weekday::Sunday);
        assert_eq!(parse("saturday").unwrap().week_start, Weekday::Saturday);
        assert_eq!(parse("monday").unwrap().week_start, Weekday::Monday);
        assert!(matches!(parse("friday"), Err(ConfigError::Invalid { field: "weekStart", .. })));
    }

    #[test]
    fn max_range_and_concurrency_are_read() {
        let c = DeploymentConfig::parse(
            r#"{"relayUrl":"/relay","providerId":"1","partnerId":"2","maxRange":{"hour":"3d","day":"14d","messages":86400000},"concurrency":6}"#,
        )
        .unwrap();
        assert_eq!(c.limits, RangeLimits { hour_ms: 3 * DAY_MS, day_ms: 14 * DAY_MS, messages_ms: DAY_MS });
        assert_eq!(c.concurrency, 6);
    }

    #[test]
    fn missing_fields_are_named() {
        assert_eq!(
            DeploymentConfig::parse(r#"{"providerId":"1","partnerId":"2"}"#),
            Err(ConfigError::Missing("relayUrl"))
        );
        assert_eq!(
            DeploymentConfig::parse(r#"{"relayUrl":"/r","partnerId":"2"}"#),
            Err(ConfigError::Missing("providerId"))
        );
        assert!(matches!(DeploymentConfig::parse("<html>"), Err(ConfigError::NotJson(_))));
        assert!(matches!(
            DeploymentConfig::parse(r#"{"relayUrl":"javascript:alert(1)","providerId":"1","partnerId":"2"}"#),
            Err(ConfigError::Invalid { .. })
        ));
    }

    #[test]
    fn auth_is_none_unless_token_is_written() {
        let parse = |extra: &str| DeploymentConfig::parse(&format!(r#"{{"relayUrl":"/r"{extra}}}"#));
        assert_eq!(parse(r#","providerId":"1","partnerId":"2""#).unwrap().auth, AuthMode::None);
        assert_eq!(parse(r#","providerId":"1","partnerId":"2","auth":"none""#).unwrap().auth, AuthMode::None);
        // A multi-tenant relay takes the ids from the token: none needed here.
        let c = parse(r#","auth":"token""#).unwrap();
        assert_eq!((c.auth, c.provider_id.as_str()), (AuthMode::Token, ""));
        assert_eq!(parse(r#","auth":"none""#), Err(ConfigError::Missing("providerId")));
        assert!(matches!(parse(r#","auth":"jwt""#), Err(ConfigError::Invalid { field: "auth", .. })));
    }

    #[test]
    fn the_key_never_appears_in_debug_output() {
        let c =
            DeploymentConfig::parse(r#"{"relayUrl":"/r","providerId":"1","partnerId":"2","apiKey":"s3cret"}"#).unwrap();
        assert!(!format!("{c:?}").contains("s3cret"));
    }
}
