//! What the dashboard and the page that embeds it say to each other through
//! `postMessage` (README "Embedding"), without the browser: which origins we talk
//! to, which messages we take, and what a `set-range` message asks for. The browser
//! glue (`app::embed`) only moves these between windows; the token messages of the
//! sign-in handshake are in `domain::token`.

use crate::domain::time::range_expr::{RangeExpr, ResolveOptions, TimeRange};
use crate::domain::time::{check_interval, default_interval, zone, Interval, MAX_BUCKETS};

pub const READY: &str = "engagement-dashboard:ready";
pub const HEIGHT: &str = "engagement-dashboard:height";
pub const SET_RANGE: &str = "engagement-dashboard:set-range";

/// A config origin made canonical (`https://host[:port]`, no trailing slash), or
/// `None` when it is not an exact http(s) origin (`*`, a path, a bare host): a
/// wildcard would let any page drive the dashboard or receive its messages.
pub fn normalize_origin(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('/');
    let lower = s.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"))?;
    if rest.is_empty() || rest.contains(['/', '*', '?', '#', ' ', '@']) {
        return None;
    }
    Some(lower)
}

/// The config's `embedOrigins` that are exact origins, canonical; the rest are
/// dropped (an empty list turns embedding off).
pub fn allowed_origins(configured: &[String]) -> Vec<String> {
    configured.iter().filter_map(|o| normalize_origin(o)).collect()
}

/// The origins to post to: the allowed ones, narrowed to the embedding origin when
/// the browser reports it (then none at all if the embedder is not allowed), which
/// spares the console an error for every other origin.
pub fn post_targets(allowed: &[String], embedder: Option<&str>) -> Vec<String> {
    match embedder.and_then(normalize_origin) {
        Some(e) => allowed.iter().filter(|a| **a == e).cloned().collect(),
        None => allowed.to_vec(),
    }
}

/// Whether an inbound message is one to read at all: from our parent window (not a
/// sibling frame, a popup or the page itself) AND from one of the allowed origins.
/// Both, because a parent may navigate to another origin, and an allowed origin
/// may open us in a frame it does not own.
pub fn accepts_message(allowed: &[String], origin: &str, from_parent: bool) -> bool {
    from_parent && allowed.iter().any(|a| a.eq_ignore_ascii_case(origin))
}

/// What the parent asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct SetRange {
    pub range: TimeRange,
    pub interval: Option<Interval>,
}

/// A `from`/`to`/`interval` field: a string, or a number (epoch ms) written bare.
fn field(data: &serde_json::Value, name: &str) -> Result<Option<String>, String> {
    match data.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Some(serde_json::Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64().map(|n| n.to_string())),
        Some(other) => Err(format!("{name} must be a string, not {other}")),
    }
}

/// Reads a message's data. `Ok(None)`: not a set-range message (left alone: the
/// page may get other scripts' messages). `Err`: a set-range with a bad value.
pub fn parse_set_range(data: &serde_json::Value) -> Result<Option<SetRange>, String> {
    if data.get("type").and_then(|t| t.as_str()) != Some(SET_RANGE) {
        return Ok(None);
    }
    let from = field(data, "from")?.ok_or("from is missing")?;
    let to = field(data, "to")?.ok_or("to is missing")?;
    let from: RangeExpr = from.parse().map_err(|e| format!("from: {e}"))?;
    let to: RangeExpr = to.parse().map_err(|e| format!("to: {e}"))?;
    let interval = match field(data, "interval")? {
        None => None,
        Some(s) => Some(s.parse::<Interval>().map_err(|e| format!("interval: {e}"))?),
    };
    Ok(Some(SetRange { range: TimeRange::new(from, to), interval }))
}

/// The range must also resolve (not reversed, not too many buckets) in the zone the
/// view shows, the same checks the dashboard applies to its URL.
pub fn check_resolves(req: &SetRange, tz_name: &str, now_ms: i64, opts: &ResolveOptions) -> Result<(), String> {
    let tz = zone(tz_name).ok_or_else(|| format!("unknown time zone {tz_name}"))?;
    let span = req.range.resolve(now_ms, &tz, opts).map_err(|e| e.to_string())?;
    let interval = req.interval.unwrap_or_else(|| default_interval(span.len_ms()));
    check_interval(span, interval, &tz, MAX_BUCKETS).map_err(|e| e.to_string())?;
    Ok(())
}

// Native only: proptest does not build for wasm32 (and plain #[test]s do not run there).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn origins_are_exact() {
        assert_eq!(normalize_origin("https://Portal.example/"), Some("https://portal.example".into()));
        assert_eq!(normalize_origin("http://127.0.0.1:8081"), Some("http://127.0.0.1:8081".into()));
        for bad in
            ["*", "https://*.example", "https://a.example/path", "portal.example", "https://", "https://u@a.example"]
        {
            assert_eq!(normalize_origin(bad), None, "{bad}");
        }
        let allowed = allowed_origins(&["https://A.example/".into(), "*".into(), "https://b.example".into()]);
        assert_eq!(allowed, vec!["https://a.example".to_string(), "https://b.example".to_string()]);
        assert_eq!(post_targets(&allowed, None), allowed);
        assert_eq!(post_targets(&allowed, Some("https://b.example")), vec!["https://b.example".to_string()]);
        assert!(post_targets(&allowed, Some("https://evil.example")).is_empty());
    }

    #[test]
    fn messages_are_taken_from_the_parent_at_an_allowed_origin_only() {
        let allowed = allowed_origins(&["https://portal.example".into()]);
        assert!(accepts_message(&allowed, "https://portal.example", true));
        assert!(accepts_message(&allowed, "https://PORTAL.example", true), "origins compare without case");
        assert!(!accepts_message(&allowed, "https://portal.example", false), "a sibling frame or popup");
        assert!(!accepts_message(&allowed, "https://evil.example", true), "a parent that navigated away");
        assert!(!accepts_message(&allowed, "https://portal.example.evil.example", true));
        assert!(!accepts_message(&allowed, "null", true), "a sandboxed or file: parent");
        assert!(!accepts_message(&[], "https://portal.example", true), "no origins: embedding is off");
    }

    #[test]
    fn set_range_messages() {
        assert_eq!(parse_set_range(&json!({ "type": "other" })), Ok(None));
        assert_eq!(parse_set_range(&json!("hello")), Ok(None));
        let r = parse_set_range(
            &json!({ "type": SET_RANGE, "from": "1772409600000", "to": 1772496000000i64, "interval": "1h" }),
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.range, TimeRange::parse("1772409600000", "1772496000000").unwrap());
        assert_eq!(r.interval, Some("1h".parse().unwrap()));
        let r = parse_set_range(&json!({ "type": SET_RANGE, "from": "now-30d", "to": "now" })).unwrap().unwrap();
        assert_eq!(r.interval, None);
        assert!(check_resolves(&r, "UTC", 1772409600000, &ResolveOptions::default()).is_ok());
        for bad in [
            json!({ "type": SET_RANGE, "to": "now" }),
            json!({ "type": SET_RANGE, "from": "yesterday", "to": "now" }),
            json!({ "type": SET_RANGE, "from": "now-1d", "to": "now", "interval": "5m" }),
            json!({ "type": SET_RANGE, "from": ["now"], "to": "now" }),
            json!({ "type": SET_RANGE, "from": 1.5, "to": "now" }),
        ] {
            assert!(parse_set_range(&bad).is_err(), "{bad}");
        }
        let reversed = parse_set_range(&json!({ "type": SET_RANGE, "from": "now", "to": "now-1d" })).unwrap().unwrap();
        assert!(check_resolves(&reversed, "UTC", 1772409600000, &ResolveOptions::default()).is_err());
        let too_many =
            parse_set_range(&json!({ "type": SET_RANGE, "from": "now-365d", "to": "now", "interval": "1h" }))
                .unwrap()
                .unwrap();
        assert!(check_resolves(&too_many, "UTC", 1772409600000, &ResolveOptions::default()).is_err());
        assert!(check_resolves(&r, "Mars/Base", 1772409600000, &ResolveOptions::default()).is_err());
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Whatever the parent sends, reading it never panics, and only a
            /// set-range message is ever taken as one.
            #[test]
            fn any_message_is_read_without_panic(kind in ".{0,40}", from in ".{0,30}", to in ".{0,30}") {
                let data = json!({ "type": kind, "from": from, "to": to });
                let read = parse_set_range(&data);
                if kind != SET_RANGE {
                    prop_assert_eq!(read, Ok(None));
                }
            }

            /// Two epoch instants in order always come back as the same absolute range.
            #[test]
            fn epoch_ranges_round_trip(a in 0i64..4_000_000_000_000, len in 1i64..400 * 86_400_000) {
                let data = json!({ "type": SET_RANGE, "from": a, "to": (a + len).to_string() });
                let r = parse_set_range(&data).unwrap().unwrap();
                prop_assert_eq!(r.range, TimeRange::parse(&a.to_string(), &(a + len).to_string()).unwrap());
            }

            /// No origin outside the list is ever accepted, whatever its spelling.
            #[test]
            fn only_listed_origins(host in "[a-z]{1,12}", other in "[a-z]{1,12}") {
                let allowed = allowed_origins(&[format!("https://{host}.example")]);
                let origin = format!("https://{other}.example");
                prop_assert_eq!(accepts_message(&allowed, &origin, true), host == other);
            }
        }
    }
}
