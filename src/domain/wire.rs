//! The wire format: every point of the API contract that the vendor leaves open and
//! we assumed (marked **[assumed]** in the contract) lives in this one module, so a
//! difference on the real service is a one-file change. Nothing else in the crate
//! knows a JSON field name, a path or an error code.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::domain::url_encoding::encode_query_value;

/// The API path under the relay, per the vendor spec.
pub const API_PREFIX: &str = "/KoopidPartnerServer/api/APIEndpoint/Dashboard/";

/// One of the five Dashboard endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    Intents,
    Interactions,
    InteractionType,
    CustomerEndpoint,
    Messages,
}

impl Endpoint {
    pub fn path_name(&self) -> &'static str {
        match self {
            Endpoint::Intents => "Intents",
            Endpoint::Interactions => "Interactions",
            Endpoint::InteractionType => "InteractionType",
            Endpoint::CustomerEndpoint => "CustomerEndpoint",
            Endpoint::Messages => "Messages",
        }
    }
}

/// `intenttype` of the Intents endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum IntentType {
    #[default]
    Bot,
    Agent,
}

impl IntentType {
    pub fn as_str(&self) -> &'static str {
        match self {
            IntentType::Bot => "bot",
            IntentType::Agent => "agent",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "bot" => Some(IntentType::Bot),
            "agent" => Some(IntentType::Agent),
            _ => None,
        }
    }
}

/// Count keys the contract names **[assumed]**.
pub mod keys {
    pub const TOTAL: &str = "total";
    pub const COMPLETED: &str = "completed";
    pub const ABANDONED: &str = "abandoned";
    pub const BOT_ONLY: &str = "botOnly";
    pub const BOT_TO_AGENT: &str = "botToAgent";
    pub const AGENT_ONLY: &str = "agentOnly";
}

/// The request body **[assumed names and units]**: epoch ms, `endTime` exclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestBody<'a> {
    pub start_time: i64,
    pub end_time: i64,
    /// Omitted for Messages: a server answers 400 if it is present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    pub timezone: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intenttype: Option<&'static str>,
}

/// The URL of a call: the relay base, the API path, and the ids. The key is added
/// only when the deployment gives the browser one (normally the relay adds it).
pub fn request_url(
    relay: &str,
    endpoint: Endpoint,
    provider_id: &str,
    partner_id: &str,
    api_key: Option<&str>,
) -> String {
    let mut url = format!("{}{}{}", relay.trim_end_matches('/'), API_PREFIX, endpoint.path_name());
    // With token auth the ids may be left out of config.json: the relay takes them
    // from the token's tenant, and an empty `providerId=` would only be refused.
    let mut sep = '?';
    for (name, value) in [("providerId", Some(provider_id)), ("partnerId", Some(partner_id)), ("apiKey", api_key)] {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            url.push(sep);
            url.push_str(name);
            url.push('=');
            url.push_str(&encode_query_value(v));
            sep = '&';
        }
    }
    url
}

/// One bucket of a count response.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct WireBucket {
    pub start: i64,
    pub end: i64,
    /// Missing keys count as 0 **[assumed]**. Values must be non-negative integers:
    /// anything else fails the parse rather than becoming a wrong number.
    #[serde(default)]
    pub counts: BTreeMap<String, u64>,
    #[serde(default)]
    pub partial: bool,
}

#[derive(Deserialize)]
struct CountsEnvelope {
    code: Option<String>,
    buckets: Vec<WireBucket>,
}

/// A redacted message. `text` is untrusted: the UI never renders it as HTML.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Message {
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    pub ts: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sendername: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub senderemail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sendertype: Option<String>,
    /// `"x.y"` exactly as received **[assumed string]**. When a server sends a JSON
    /// number, its literal text is kept (`12.10` stays `12.10`, never `12.1`).
    #[serde(deserialize_with = "session_id_text")]
    pub sessionid: String,
    #[serde(default)]
    pub sentiment: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "opt_text")]
    pub workflownodeid: Option<String>,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub score: f64,
    /// Up to three `{topic, score, text}` **[assumed shape]**.
    #[serde(default)]
    pub topmatches: Vec<TopMatch>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct TopMatch {
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub score: f64,
    #[serde(default)]
    pub text: String,
}

/// Reads a string as is, or a number by its literal text (needs serde_json's
/// `raw_value`): parsing `12.10` as f64 would silently become session `12.1`.
fn session_id_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw: &RawValue = Deserialize::deserialize(d)?;
    let s = raw.get().trim();
    if s.starts_with('"') {
        string_text(s).map_err(serde::de::Error::custom)
    } else if s.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        Ok(s.to_string())
    } else {
        Err(serde::de::Error::custom("sessionid must be a string or a number"))
    }
}

/// The same for optional ids a server may send as numbers (`workflownodeid`).
fn opt_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw: Option<&RawValue> = Deserialize::deserialize(d)?;
    match raw.map(|r| r.get().trim()) {
        None | Some("null") => Ok(None),
        Some(s) if s.starts_with('"') => string_text(s).map(Some).map_err(serde::de::Error::custom),
        Some(s) => Ok(Some(s.to_string())),
    }
}

/// The value of a JSON string literal (quotes included, already checked by the
/// parser): without escapes, the text between the quotes; else decoded.
fn string_text(literal: &str) -> Result<String, serde_json::Error> {
    match literal.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) if !inner.contains('\\') => Ok(inner.to_string()),
        _ => serde_json::from_str::<String>(literal),
    }
}

/// A raw HTTP answer as the transport saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    /// The `Retry-After` header, as sent.
    pub retry_after: Option<String>,
    pub body: String,
}

/// A body's bytes as text, decoded as `Response.text()` decodes them: UTF-8, a
/// leading byte order mark dropped, invalid sequences replaced by U+FFFD. The
/// browser transport reads bytes (`arrayBuffer`), which skips building a UTF-16 JS
/// string and re-encoding it into wasm memory; valid UTF-8 is not copied again.
pub fn body_text(mut bytes: Vec<u8>) -> String {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Why a call did not give data. Every variant keeps the HTTP status it came with,
/// so the panel can show it.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    InvalidParameter {
        message: String,
    },
    RangeTooLarge {
        max_range_ms: Option<i64>,
    },
    TooManyResults,
    Unauthorized {
        message: String,
    },
    Forbidden {
        message: String,
    },
    RateLimited {
        retry_after_ms: Option<u64>,
    },
    /// 5xx with whatever message could be read.
    Server {
        status: u16,
        message: String,
    },
    /// Any other non-2xx status, or an unknown error code.
    Http {
        status: u16,
        code: Option<String>,
        message: String,
    },
    /// The body was not JSON at all (an HTML error page from a proxy, say).
    NotJson {
        status: u16,
        snippet: String,
    },
    /// JSON, but not of the expected shape.
    BadShape {
        status: u16,
        detail: String,
    },
}

impl ApiError {
    pub fn status(&self) -> u16 {
        match self {
            ApiError::InvalidParameter { .. } | ApiError::RangeTooLarge { .. } | ApiError::TooManyResults => 400,
            ApiError::Unauthorized { .. } => 401,
            ApiError::Forbidden { .. } => 403,
            ApiError::RateLimited { .. } => 429,
            ApiError::Server { status, .. }
            | ApiError::Http { status, .. }
            | ApiError::NotJson { status, .. }
            | ApiError::BadShape { status, .. } => *status,
        }
    }

    /// Worth another try of the same call (the contract's retry column).
    pub fn is_transient(&self) -> bool {
        matches!(self, ApiError::Server { .. } | ApiError::RateLimited { .. })
            || matches!(self, ApiError::NotJson { status, .. } if *status >= 500)
            || matches!(self, ApiError::Http { status, .. } if *status >= 500 || *status == 408)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::InvalidParameter { message } => write!(f, "HTTP 400: the API refused a parameter: {message}"),
            ApiError::RangeTooLarge { .. } => write!(f, "HTTP 400: the range of one call was too large"),
            ApiError::TooManyResults => write!(f, "HTTP 400: too many messages for one call"),
            ApiError::Unauthorized { message } => {
                write!(f, "HTTP 401: not signed in or not authorised: {message}")
            }
            ApiError::Forbidden { message } => {
                write!(f, "HTTP 403: not allowed: {message}")
            }
            ApiError::RateLimited { .. } => write!(f, "HTTP 429: rate limited by the API"),
            ApiError::Server { status, message } => write!(f, "HTTP {status}: server error: {message}"),
            ApiError::Http { status, code, message } => match code {
                Some(c) => write!(f, "HTTP {status}: {c}: {message}"),
                None => write!(f, "HTTP {status}: {message}"),
            },
            ApiError::NotJson { status, snippet } => {
                write!(f, "HTTP {status}: the answer was not JSON (it begins \"{snippet}\")")
            }
            ApiError::BadShape { status, detail } => {
                write!(f, "HTTP {status}: the answer had an unexpected shape: {detail}")
            }
        }
    }
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: Option<String>,
    message: Option<String>,
    #[serde(rename = "maxRangeMs")]
    max_range_ms: Option<i64>,
}

/// A short, single-line, printable beginning of a body, for error messages.
fn snippet(body: &str) -> String {
    let flat: String = body.chars().take(60).map(|c| if c.is_control() { ' ' } else { c }).collect();
    flat.trim().to_string()
}

/// `Retry-After` as seconds (the contract) or an HTTP date (which we cannot
/// evaluate without a clock here, so it is treated as absent).
pub fn parse_retry_after(v: &str) -> Option<u64> {
    v.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0).map(|s| (s * 1000.0) as u64)
}

/// Classifies a non-2xx answer per the contract's error table.
pub fn classify_error(resp: &RawResponse) -> ApiError {
    let status = resp.status;
    let parsed: Option<ErrorEnvelope> = serde_json::from_str(&resp.body).ok();
    let message = parsed.as_ref().and_then(|e| e.message.clone()).unwrap_or_default();
    let code = parsed.as_ref().and_then(|e| e.error.clone());
    match (status, code.as_deref()) {
        (400, Some("RANGE_TOO_LARGE")) => {
            ApiError::RangeTooLarge { max_range_ms: parsed.and_then(|e| e.max_range_ms).filter(|m| *m > 0) }
        }
        (400, Some("TOO_MANY_RESULTS")) => ApiError::TooManyResults,
        (400, Some("INVALID_PARAMETER")) => ApiError::InvalidParameter { message },
        (401, _) => ApiError::Unauthorized { message },
        (403, _) => ApiError::Forbidden { message },
        (429, _) => ApiError::RateLimited { retry_after_ms: resp.retry_after.as_deref().and_then(parse_retry_after) },
        _ if parsed.is_none() && !resp.body.trim().is_empty() && !is_json(&resp.body) => {
            ApiError::NotJson { status, snippet: snippet(&resp.body) }
        }
        (500..=599, _) => {
            ApiError::Server { status, message: if message.is_empty() { "no details".into() } else { message } }
        }
        _ => ApiError::Http { status, code, message: if message.is_empty() { "no details".into() } else { message } },
    }
}

/// Parses a count response (any 2xx); the status is kept in errors.
pub fn parse_counts(resp: &RawResponse) -> Result<Vec<WireBucket>, ApiError> {
    if !(200..300).contains(&resp.status) {
        return Err(classify_error(resp));
    }
    let env: CountsEnvelope = parse_json(resp)?;
    if let Some(code) = env.code.as_deref() {
        if code != "success" {
            return Err(ApiError::BadShape { status: resp.status, detail: format!("code is \"{code}\"") });
        }
    }
    if let Some(b) = env.buckets.iter().find(|b| b.end <= b.start) {
        return Err(ApiError::BadShape { status: resp.status, detail: format!("an empty bucket at {}", b.start) });
    }
    Ok(env.buckets)
}

/// Parses a Messages response: a JSON array of messages.
pub fn parse_messages(resp: &RawResponse) -> Result<Vec<Message>, ApiError> {
    if !(200..300).contains(&resp.status) {
        return Err(classify_error(resp));
    }
    parse_json(resp)
}

/// Whether `body` is JSON at all (checked without building a value).
fn is_json(body: &str) -> bool {
    serde_json::from_str::<&RawValue>(body).is_ok()
}

/// Parses a 2xx body in one pass (a separate validating pass cost a third of the
/// parse of 100k messages). Only when it fails is the body checked for being JSON
/// at all, to tell `NotJson` (a proxy's HTML page, a cut-off body) from JSON of the
/// wrong shape (`BadShape`), as the first error met may be either. A body the
/// deserialiser accepts is valid JSON: it checks what it skips (unknown fields,
/// raw values) and that nothing follows the value.
fn parse_json<'a, T: Deserialize<'a>>(resp: &'a RawResponse) -> Result<T, ApiError> {
    serde_json::from_str(&resp.body).map_err(|e| {
        if !is_json(&resp.body) {
            ApiError::NotJson { status: resp.status, snippet: snippet(&resp.body) }
        } else {
            ApiError::BadShape { status: resp.status, detail: e.to_string() }
        }
    })
}

#[cfg(test)]
mod tests;
