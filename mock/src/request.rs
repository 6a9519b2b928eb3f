//! Parsing and validating a Dashboard request body, exactly per the contract:
//! `startTime` (incl.) / `endTime` (excl.) epoch ms, `interval` (counts only),
//! `timezone` (IANA, absent = UTC; Messages ignores it), `intenttype` (Intents
//! only). Anything else wrong is a 400 INVALID_PARAMETER with a message that says
//! which field, because the client shows it to a person.

use jiff::tz::TimeZone;
use serde_json::Value;

use super::buckets::Interval;
use crate::api::{ApiError, Endpoint};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntentType {
    Bot,
    Agent,
}

#[derive(Clone, Debug)]
pub struct Query {
    pub start: i64,
    pub end: i64,
    /// None for Messages.
    pub interval: Option<Interval>,
    pub tz: TimeZone,
    pub intent_type: Option<IntentType>,
}

fn int_field(o: &serde_json::Map<String, Value>, k: &str) -> Result<i64, ApiError> {
    match o.get(k) {
        None | Some(Value::Null) => Err(ApiError::invalid(format!("missing field {k}"))),
        Some(v) => v
            .as_i64()
            .filter(|ms| jiff::Timestamp::from_millisecond(*ms).is_ok())
            .ok_or_else(|| ApiError::invalid(format!("{k} must be an integer number of epoch milliseconds"))),
    }
}

pub fn parse(endpoint: Endpoint, body: &[u8]) -> Result<Query, ApiError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| ApiError::invalid(format!("body is not valid JSON: {e}")))?;
    let o = v.as_object().ok_or_else(|| ApiError::invalid("body must be a JSON object"))?;
    let start = int_field(o, "startTime")?;
    let end = int_field(o, "endTime")?;
    if start >= end {
        return Err(ApiError::invalid("startTime must be before endTime"));
    }
    let interval = if endpoint == Endpoint::Messages {
        if o.contains_key("interval") {
            return Err(ApiError::invalid("Messages does not take an interval"));
        }
        None
    } else {
        let s = match o.get("interval") {
            None | Some(Value::Null) => return Err(ApiError::invalid("missing field interval")),
            Some(Value::String(s)) => s,
            Some(_) => return Err(ApiError::invalid("interval must be a string like 1h, 1d or 1mo")),
        };
        Some(Interval::parse(s).ok_or_else(|| {
            ApiError::invalid(format!("unknown interval {s:?}: use <n>h, <n>d, <n>mo (n >= 1) or hours, days, months"))
        })?)
    };
    let tz = match (endpoint, o.get("timezone")) {
        // The contract: Messages accepts and ignores the zone.
        (Endpoint::Messages, _) | (_, None) | (_, Some(Value::Null)) => TimeZone::UTC,
        (_, Some(Value::String(name))) => TimeZone::get(name)
            .map_err(|_| ApiError::invalid(format!("unknown timezone {name:?}: use an IANA name")))?,
        (_, Some(_)) => return Err(ApiError::invalid("timezone must be a string")),
    };
    let intent_type = match (endpoint, o.get("intenttype")) {
        (Endpoint::Intents, Some(Value::String(s))) if s == "bot" => Some(IntentType::Bot),
        (Endpoint::Intents, Some(Value::String(s))) if s == "agent" => Some(IntentType::Agent),
        (Endpoint::Intents, None) => return Err(ApiError::invalid("missing field intenttype (bot or agent)")),
        (Endpoint::Intents, Some(_)) => return Err(ApiError::invalid("intenttype must be \"bot\" or \"agent\"")),
        (_, Some(_)) => return Err(ApiError::invalid(format!("{} does not take intenttype", endpoint.name()))),
        (_, None) => None,
    };
    Ok(Query { start, end, interval, tz, intent_type })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(e: Endpoint, body: &str) -> String {
        parse(e, body.as_bytes()).unwrap_err().message
    }

    #[test]
    fn validation() {
        let ok = r#"{"startTime":0,"endTime":3600000,"interval":"1h","timezone":"Europe/Paris"}"#;
        assert!(parse(Endpoint::Interactions, ok.as_bytes()).is_ok());
        assert!(err(Endpoint::Intents, ok).contains("intenttype"));
        assert!(err(Endpoint::Messages, ok).contains("interval"));
        let msg = r#"{"startTime":0,"endTime":3600000,"timezone":"Not/AZone"}"#;
        assert!(parse(Endpoint::Messages, msg.as_bytes()).is_ok(), "Messages ignores the zone");
        assert!(err(Endpoint::Interactions, r#"{"startTime":0,"endTime":1,"interval":"1h","timezone":"Not/AZone"}"#)
            .contains("timezone"));
        assert!(err(Endpoint::Interactions, r#"{"startTime":5,"endTime":5,"interval":"1h"}"#).contains("before"));
        assert!(err(Endpoint::Interactions, r#"{"startTime":0.5,"endTime":5,"interval":"1h"}"#).contains("startTime"));
        assert!(err(Endpoint::Interactions, r#"{"endTime":5,"interval":"1h"}"#).contains("startTime"));
        assert!(err(Endpoint::Interactions, r#"{"startTime":0,"endTime":5}"#).contains("interval"));
        assert!(err(Endpoint::Interactions, r#"{"startTime":0,"endTime":5,"interval":"30m"}"#).contains("interval"));
        assert!(err(Endpoint::CustomerEndpoint, r#"{"startTime":0,"endTime":5,"interval":"1h","intenttype":"bot"}"#)
            .contains("intenttype"));
        assert!(err(Endpoint::Intents, r#"{"startTime":0,"endTime":5,"interval":"1h","intenttype":"human"}"#)
            .contains("intenttype"));
        assert!(err(Endpoint::Interactions, "[1,2]").contains("object"));
        assert!(err(Endpoint::Interactions, "nope").contains("JSON"));
        let q =
            parse(Endpoint::Intents, br#"{"startTime":0,"endTime":5,"interval":"days","intenttype":"agent"}"#).unwrap();
        assert_eq!(q.intent_type, Some(IntentType::Agent));
        assert_eq!(q.tz, TimeZone::UTC);
    }
}
