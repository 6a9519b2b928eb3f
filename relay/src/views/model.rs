//! What a saved view is and what the API accepts: the wire shapes and every
//! validation rule, as plain functions (no database, no HTTP) so they are tested
//! directly. Each refusal names the field it is about.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::principal::Principal;

/// The URL parameters a view may hold: those of the page URL (ui-hooks) plus the
/// dashboard's own documented ones (README, "URL parameters"). One list, so a new
/// dashboard parameter is one line here.
pub const VIEW_KEYS: &[&str] = &[
    // ui-hooks.md
    "from",
    "to",
    "interval",
    "tz",
    "theme",
    "intenttype",
    "panels",
    "q",
    "sendertype",
    "topic",
    "workflow",
    "sentiment",
    // the dashboard's own (README): explorer quality filters of the insights panels
    "confidence",
    "ambiguous",
    "pair",
    // … and the page's behaviour
    "refresh",
    "order",
    "kiosk",
];

/// Longest name, in characters (Unicode scalar values, not bytes).
pub const MAX_NAME_CHARS: usize = 100;
/// Largest `view`, as compact JSON, in bytes.
pub const MAX_VIEW_BYTES: usize = 8 * 1024;
/// Views one user may own.
pub const MAX_VIEWS_PER_USER: i64 = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewScope {
    Private,
    Team,
}

impl ViewScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ViewScope::Private => "private",
            ViewScope::Team => "team",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "private" => Some(ViewScope::Private),
            "team" => Some(ViewScope::Team),
            _ => None,
        }
    }
}

/// A stored view, as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct View {
    pub id: String,
    pub name: String,
    pub scope: &'static str,
    pub team: Option<String>,
    pub owner: String,
    pub owner_name: Option<String>,
    pub view: Map<String, Value>,
    pub version: i64,
    pub updated_at: i64,
}

/// A checked POST/PUT body: what the store writes.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewInput {
    pub name: String,
    pub scope: ViewScope,
    /// `Some` exactly when the scope is `team`; always one of the caller's teams.
    pub team: Option<String>,
    /// The `view` object as compact JSON (what is stored).
    pub view_json: String,
}

/// A refusal of the input: the field and why. Becomes 400 `INVALID_PARAMETER`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub reason: String,
}

impl Invalid {
    fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Invalid { field: field.into(), reason: reason.into() }
    }
    pub fn message(&self) -> String {
        format!("{}: {}", self.field, self.reason)
    }
}

/// Read-only fields of a view object: a client that sends a view back whole (as
/// GET returned it) is not refused for them; they are ignored.
const READ_ONLY_FIELDS: &[&str] = &["id", "owner", "ownerName", "version", "updatedAt"];

/// Check a POST/PUT body against the contract and the caller's teams.
pub fn parse_input(body: &Value, who: &Principal) -> Result<ViewInput, Invalid> {
    let Value::Object(obj) = body else {
        return Err(Invalid::new("body", "must be a JSON object {name, scope, team?, view}"));
    };
    if let Some(k) = obj.keys().find(|k| !matches!(k.as_str(), "name" | "scope" | "team" | "view")) {
        if !READ_ONLY_FIELDS.contains(&k.as_str()) {
            return Err(Invalid::new(field_label(k), "unknown field (allowed: name, scope, team, view)"));
        }
    }
    let name = match obj.get("name") {
        Some(Value::String(s)) => check_name(s)?,
        Some(_) => return Err(Invalid::new("name", "must be a string")),
        None => return Err(Invalid::new("name", "is required")),
    };
    let scope = match obj.get("scope") {
        Some(Value::String(s)) => {
            ViewScope::parse(s).ok_or_else(|| Invalid::new("scope", "must be \"private\" or \"team\""))?
        }
        Some(_) => return Err(Invalid::new("scope", "must be \"private\" or \"team\"")),
        None => return Err(Invalid::new("scope", "is required (\"private\" or \"team\")")),
    };
    let team = match (scope, obj.get("team")) {
        (ViewScope::Private, None | Some(Value::Null)) => None,
        (ViewScope::Private, Some(_)) => return Err(Invalid::new("team", "only a team view has a team")),
        (ViewScope::Team, Some(Value::String(t))) if who.in_team(t) && !t.is_empty() => Some(t.clone()),
        (ViewScope::Team, Some(Value::String(_))) => {
            return Err(Invalid::new("team", "must be one of your teams (the token's teams)"))
        }
        (ViewScope::Team, Some(_)) => return Err(Invalid::new("team", "must be a string")),
        (ViewScope::Team, None) => return Err(Invalid::new("team", "is required for a team view")),
    };
    let view_json = match obj.get("view") {
        Some(Value::Object(v)) => check_view(v)?,
        Some(_) => return Err(Invalid::new("view", "must be an object of URL parameters")),
        None => return Err(Invalid::new("view", "is required")),
    };
    Ok(ViewInput { name, scope, team, view_json })
}

/// A name is data: HTML, right-to-left text and emoji are kept exactly as sent.
/// Refused: empty (or only spaces), over 100 characters, control characters (a
/// name is one line of a menu; NUL cannot even be stored in PostgreSQL text).
pub fn check_name(s: &str) -> Result<String, Invalid> {
    if s.trim().is_empty() {
        return Err(Invalid::new("name", "must not be empty"));
    }
    let chars = s.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(Invalid::new("name", format!("is {chars} characters; at most {MAX_NAME_CHARS}")));
    }
    if s.chars().any(char::is_control) {
        return Err(Invalid::new("name", "must not contain control characters"));
    }
    Ok(s.to_string())
}

/// Only known URL parameters, only string values, at most 8 KB as JSON.
fn check_view(v: &Map<String, Value>) -> Result<String, Invalid> {
    for (k, val) in v {
        if !VIEW_KEYS.contains(&k.as_str()) {
            return Err(Invalid::new(
                format!("view.{}", field_label(k)),
                format!("unknown view key (allowed: {})", VIEW_KEYS.join(", ")),
            ));
        }
        if !val.is_string() {
            return Err(Invalid::new(format!("view.{k}"), "must be a string"));
        }
    }
    let json = serde_json::to_string(v).expect("a JSON map serialises");
    if json.len() > MAX_VIEW_BYTES {
        return Err(Invalid::new("view", format!("is {} bytes as JSON; at most {MAX_VIEW_BYTES}", json.len())));
    }
    Ok(json)
}

/// A client's field name, safe to repeat in a message: at most 40 characters,
/// control characters escaped (the message is JSON, but it is shown to people).
fn field_label(k: &str) -> String {
    let short: String = k.chars().take(40).collect();
    let mut out = String::new();
    for c in short.chars() {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    if k.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// `If-Match: "<version>"` (the quotes may be left out). `None`: not a version.
pub fn parse_if_match(v: &str) -> Option<i64> {
    let v = v.trim();
    let inner = v.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(v);
    if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    inner.parse().ok().filter(|n| *n >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn who(teams: &[&str]) -> Principal {
        Principal {
            tenant: "acme".into(),
            sub: "u1".into(),
            name: None,
            teams: teams.iter().map(|t| t.to_string()).collect(),
            scopes: vec![],
        }
    }

    fn field(body: Value) -> String {
        parse_input(&body, &who(&["sales"])).unwrap_err().field
    }

    #[test]
    fn accepts_a_private_and_a_team_view() {
        let p = parse_input(&json!({"name":"Week","scope":"private","view":{"from":"now-7d"}}), &who(&[])).unwrap();
        assert_eq!((p.scope, p.team, p.view_json.as_str()), (ViewScope::Private, None, r#"{"from":"now-7d"}"#));
        let t = parse_input(&json!({"name":"W","scope":"team","team":"sales","view":{}}), &who(&["sales"])).unwrap();
        assert_eq!(t.team.as_deref(), Some("sales"));
        // A view sent back whole, read-only fields and all.
        let back = json!({"id":"x","name":"W","scope":"private","team":null,"owner":"u1","ownerName":null,
                          "view":{},"version":3,"updatedAt":1});
        assert!(parse_input(&back, &who(&[])).is_ok());
    }

    #[test]
    fn hostile_names_are_data() {
        for name in ["<img src=x onerror=alert(1)>", "\u{202E}gnp.exe", "🎉".repeat(100).as_str(), "a\u{200B}b"] {
            assert_eq!(check_name(name).unwrap(), name);
        }
        assert_eq!(check_name(&"🎉".repeat(101)).unwrap_err().field, "name");
        assert_eq!(check_name(&"é".repeat(100)).unwrap(), "é".repeat(100), "characters, not bytes");
        for bad in ["", "   ", "a\u{0}b", "line\nbreak", "\u{7f}"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn each_bad_input_names_its_field() {
        assert_eq!(field(json!([])), "body");
        assert_eq!(field(json!({"scope":"private","view":{}})), "name");
        assert_eq!(field(json!({"name":7,"scope":"private","view":{}})), "name");
        assert_eq!(field(json!({"name":"","scope":"private","view":{}})), "name");
        assert_eq!(field(json!({"name":"a","scope":"public","view":{}})), "scope");
        assert_eq!(field(json!({"name":"a","view":{}})), "scope");
        assert_eq!(field(json!({"name":"a","scope":"team","view":{}})), "team");
        assert_eq!(field(json!({"name":"a","scope":"team","team":"ops","view":{}})), "team");
        assert_eq!(field(json!({"name":"a","scope":"team","team":["sales"],"view":{}})), "team");
        assert_eq!(field(json!({"name":"a","scope":"private","team":"sales","view":{}})), "team");
        assert_eq!(field(json!({"name":"a","scope":"private"})), "view");
        assert_eq!(field(json!({"name":"a","scope":"private","view":"from=now"})), "view");
        assert_eq!(field(json!({"name":"a","scope":"private","view":{"apiKey":"k"}})), "view.apiKey");
        assert_eq!(field(json!({"name":"a","scope":"private","view":{"from":1}})), "view.from");
        assert_eq!(field(json!({"name":"a","scope":"private","view":{"panels":["a"]}})), "view.panels");
        assert_eq!(field(json!({"name":"a","scope":"private","view":{},"relayUrl":"x"})), "relayUrl");
        let big = "x".repeat(MAX_VIEW_BYTES);
        assert_eq!(field(json!({"name":"a","scope":"private","view":{"q":big}})), "view");
        let fits = "x".repeat(MAX_VIEW_BYTES - r#"{"q":""}"#.len());
        assert!(parse_input(&json!({"name":"a","scope":"private","view":{"q":fits}}), &who(&[])).is_ok());
    }

    #[test]
    fn every_documented_key_is_accepted() {
        let view: Map<String, Value> = VIEW_KEYS.iter().map(|k| (k.to_string(), json!("1"))).collect();
        assert!(check_view(&view).is_ok());
    }

    #[test]
    fn if_match_versions() {
        assert_eq!(parse_if_match("\"3\""), Some(3));
        assert_eq!(parse_if_match("12"), Some(12));
        for bad in ["", "\"\"", "*", "W/\"3\"", "\"-1\"", "\"0\"", "\"1.5\"", "\"99999999999999999999\""] {
            assert_eq!(parse_if_match(bad), None, "{bad}");
        }
    }
}
