//! Wire facts that the mock and the relay share: the five endpoint names, the
//! path prefix, and the contract's error body `{"code":"error","error":CODE,"message":..}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Every Dashboard call is `POST {PREFIX}/{Name}`.
pub const PREFIX: &str = "/KoopidPartnerServer/api/APIEndpoint/Dashboard";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    Intents,
    Interactions,
    InteractionType,
    CustomerEndpoint,
    Messages,
}

impl Endpoint {
    pub const ALL: [Endpoint; 5] = [
        Endpoint::Intents,
        Endpoint::Interactions,
        Endpoint::InteractionType,
        Endpoint::CustomerEndpoint,
        Endpoint::Messages,
    ];

    /// Exact, case-sensitive: the vendor's paths are.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Intents => "Intents",
            Endpoint::Interactions => "Interactions",
            Endpoint::InteractionType => "InteractionType",
            Endpoint::CustomerEndpoint => "CustomerEndpoint",
            Endpoint::Messages => "Messages",
        }
    }
}

/// A contract error: status + `error` code + human message.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Extra top-level fields (e.g. `maxRangeMs` on RANGE_TOO_LARGE).
    pub extra: Vec<(&'static str, serde_json::Value)>,
    /// `Retry-After` seconds (429).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), extra: Vec::new(), retry_after: None }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_PARAMETER", message)
    }
    pub fn with(mut self, key: &'static str, v: serde_json::Value) -> Self {
        self.extra.push((key, v));
        self
    }
    pub fn body(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("code".into(), "error".into());
        m.insert("error".into(), self.code.into());
        m.insert("message".into(), self.message.clone().into());
        for (k, v) in &self.extra {
            m.insert((*k).into(), v.clone());
        }
        serde_json::Value::Object(m)
    }
}

/// The `error` code of a refusal, left on the response for the access log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorCode(pub &'static str);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = json_response(self.status, self.body().to_string());
        if let Some(s) = self.retry_after {
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        r.extensions_mut().insert(ErrorCode(self.code));
        r
    }
}

/// A response with a JSON body already serialised.
pub fn json_response(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// Is this Content-Type JSON? (`application/json`, any case, any parameters.)
pub fn is_json_content_type(v: Option<&HeaderValue>) -> bool {
    let Some(v) = v.and_then(|v| v.to_str().ok()) else { return false };
    let mime = v.split(';').next().unwrap_or("").trim();
    mime.eq_ignore_ascii_case("application/json")
}

/// `7d`, `12h`, `90m`, `30s` or plain milliseconds → milliseconds. Used by flags.
pub fn parse_duration_ms(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "ms"),
    };
    let n: i64 = num.parse().map_err(|_| format!("bad duration {s:?} (e.g. 7d, 12h, 604800000)"))?;
    let mul = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(format!("bad duration unit in {s:?} (ms, s, m, h, d)")),
    };
    n.checked_mul(mul).filter(|v| *v > 0).ok_or_else(|| format!("duration {s:?} out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("7d"), Ok(7 * 86_400_000));
        assert_eq!(parse_duration_ms("604800000"), Ok(604_800_000));
        assert_eq!(parse_duration_ms("12h"), Ok(43_200_000));
        assert!(parse_duration_ms("7w").is_err());
        assert!(parse_duration_ms("0").is_err());
    }

    #[test]
    fn content_types() {
        let ok = HeaderValue::from_static("Application/JSON; charset=utf-8");
        assert!(is_json_content_type(Some(&ok)));
        assert!(!is_json_content_type(Some(&HeaderValue::from_static("text/plain"))));
        assert!(!is_json_content_type(None));
    }
}
