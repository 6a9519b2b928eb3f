//! The embed token as the dashboard sees it: opaque, except for `exp`, `iat`,
//! `tid`, `scope`, `teams` and `name`, read from the payload WITHOUT verifying the
//! signature (only the relay's check counts; these claims only decide when to ask
//! for a fresh token, whose cache to use and which panels to offer).
//!
//! The raw token is a secret: [`EmbedToken`]'s `Debug` never prints it, and
//! nothing here logs or stores it.

use std::fmt;
use std::rc::Rc;

use serde::Deserialize;

/// Longest token accepted from a parent or a fragment (a real one is under 2 KB).
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;
/// Ask for a fresh token this long before `exp` (the contract's "about 60 s").
pub const REFRESH_LEAD_MS: i64 = 60_000;
/// Never schedule a refresh sooner than this after receiving a token: a token that
/// looks about to expire (a clock ahead of the portal's) must not start a loop.
pub const MIN_REFRESH_DELAY_MS: i64 = 5_000;

/// What the token grants (`scope`, space-separated; absent: `counts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scopes {
    pub counts: bool,
    pub messages: bool,
    pub views: bool,
}

impl Scopes {
    /// A deployment without token auth: counts and messages, views in the browser.
    pub const WITHOUT_AUTH: Scopes = Scopes { counts: true, messages: true, views: false };

    pub fn parse(scope: Option<&str>) -> Scopes {
        let Some(s) = scope else { return Scopes { counts: true, messages: false, views: false } };
        let has = |name: &str| s.split_ascii_whitespace().any(|w| w == name);
        Scopes { counts: has("counts"), messages: has("messages"), views: has("views") }
    }
}

/// The claims the dashboard reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    pub tid: String,
    pub sub: String,
    /// Seconds since the epoch.
    pub exp: i64,
    pub iat: Option<i64>,
    pub scopes: Scopes,
    pub teams: Vec<String>,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    TooLong,
    /// Not three base64url parts with a JSON header and payload.
    Malformed(&'static str),
    /// A claim the dashboard needs is missing or of the wrong type.
    Claim(&'static str),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::TooLong => write!(f, "the sign-in token is too long"),
            TokenError::Malformed(why) => write!(f, "the sign-in token is malformed ({why})"),
            TokenError::Claim(c) => write!(f, "the sign-in token lacks a valid \"{c}\" claim"),
        }
    }
}

/// A token with its claims. Clones share the raw text.
#[derive(Clone, PartialEq, Eq)]
pub struct EmbedToken {
    raw: Rc<str>,
    pub claims: Claims,
}

impl fmt::Debug for EmbedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmbedToken").field("raw", &"<redacted>").field("claims", &self.claims).finish()
    }
}

impl EmbedToken {
    pub fn parse(raw: &str) -> Result<EmbedToken, TokenError> {
        let raw = raw.trim();
        if raw.len() > MAX_TOKEN_BYTES {
            return Err(TokenError::TooLong);
        }
        Ok(EmbedToken { claims: parse_claims(raw)?, raw: raw.into() })
    }

    /// The text for the `Authorization: Bearer` header, and nothing else.
    pub fn raw(&self) -> &Rc<str> {
        &self.raw
    }
}

#[derive(Deserialize)]
struct RawHeader {
    alg: Option<String>,
}

#[derive(Deserialize)]
struct RawClaims {
    tid: Option<serde_json::Value>,
    sub: Option<serde_json::Value>,
    exp: Option<serde_json::Value>,
    iat: Option<serde_json::Value>,
    scope: Option<serde_json::Value>,
    teams: Option<serde_json::Value>,
    name: Option<serde_json::Value>,
}

fn seconds(v: &Option<serde_json::Value>) -> Option<i64> {
    let n = v.as_ref()?.as_f64()?;
    (n.is_finite() && n > 0.0 && n < 1e11).then_some(n as i64)
}

fn text(v: &Option<serde_json::Value>) -> Option<String> {
    v.as_ref()?.as_str().map(str::to_string)
}

/// Reads a compact JWS's claims without checking the signature.
pub fn parse_claims(jwt: &str) -> Result<Claims, TokenError> {
    let mut parts = jwt.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Malformed("not three dot-separated parts"));
    };
    if h.is_empty() || p.is_empty() || s.is_empty() {
        return Err(TokenError::Malformed("an empty part"));
    }
    let header = base64url_decode(h).ok_or(TokenError::Malformed("the header is not base64url"))?;
    let header: RawHeader =
        serde_json::from_slice(&header).map_err(|_| TokenError::Malformed("the header is not JSON"))?;
    match header.alg.as_deref() {
        None => return Err(TokenError::Malformed("no alg")),
        Some(a) if a.eq_ignore_ascii_case("none") => return Err(TokenError::Malformed("alg none")),
        Some(_) => {}
    }
    let payload = base64url_decode(p).ok_or(TokenError::Malformed("the payload is not base64url"))?;
    let c: RawClaims =
        serde_json::from_slice(&payload).map_err(|_| TokenError::Malformed("the payload is not a JSON object"))?;
    let tid = text(&c.tid).filter(|t| !t.is_empty()).ok_or(TokenError::Claim("tid"))?;
    let sub = text(&c.sub).filter(|t| !t.is_empty()).ok_or(TokenError::Claim("sub"))?;
    let exp = seconds(&c.exp).ok_or(TokenError::Claim("exp"))?;
    let scope = match &c.scope {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(TokenError::Claim("scope")),
    };
    let teams = match &c.teams {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .map(|t| t.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or(TokenError::Claim("teams"))?,
        Some(_) => return Err(TokenError::Claim("teams")),
    };
    Ok(Claims {
        tid,
        sub,
        exp,
        iat: seconds(&c.iat),
        scopes: Scopes::parse(scope),
        teams,
        name: text(&c.name).filter(|n| !n.trim().is_empty()),
    })
}

/// Base64url without padding (padding tolerated), as JWS uses it.
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A lone trailing character (6 bits) cannot be the end of a byte sequence.
    (bits < 6).then_some(out)
}

/// How long after receiving `claims` (at `now_ms`, the browser's clock) to ask for
/// a fresh token: about 60 s before `exp`, or halfway through a lifetime shorter
/// than two minutes. The browser's clock may disagree with the portal's: the
/// expiry is taken as the earlier of `exp` and "now plus the token's lifetime"
/// (`exp - iat`), so a clock that is behind cannot make us late, and one that is
/// ahead gives at worst [`MIN_REFRESH_DELAY_MS`], never a loop.
pub fn refresh_delay_ms(claims: &Claims, now_ms: i64) -> i64 {
    let exp_ms = claims.exp.saturating_mul(1000);
    let lifetime = claims.iat.map(|iat| (claims.exp - iat).saturating_mul(1000)).filter(|l| *l > 0);
    let expires_local = match lifetime {
        Some(l) if exp_ms > now_ms => exp_ms.min(now_ms + l),
        Some(l) => now_ms + l,
        None => exp_ms,
    };
    let lead = match lifetime {
        Some(l) => REFRESH_LEAD_MS.min(l / 2),
        None => REFRESH_LEAD_MS,
    };
    (expires_local - lead - now_ms).max(MIN_REFRESH_DELAY_MS)
}

/// The parent's answer to a token request (`engagement-dashboard:token-request`).
pub const TOKEN_REQUEST: &str = "engagement-dashboard:token-request";
pub const TOKEN_MESSAGE: &str = "engagement-dashboard:token";

/// The token of a `{type: "engagement-dashboard:token", token}` message; `None` for
/// any other message (the page may get other scripts' messages).
pub fn token_in_message(data: &serde_json::Value) -> Option<&str> {
    if data.get("type")?.as_str()? != TOKEN_MESSAGE {
        return None;
    }
    data.get("token")?.as_str().filter(|t| !t.is_empty())
}

/// Splits `#token=<jwt>` out of a location hash. Returns the token (if any) and the
/// hash to leave in the address bar (the other fragment parameters, or empty).
pub fn take_fragment_token(hash: &str) -> (Option<String>, String) {
    let body = hash.strip_prefix('#').unwrap_or(hash);
    let mut token = None;
    let mut rest = Vec::new();
    for part in body.split('&').filter(|p| !p.is_empty()) {
        match part.strip_prefix("token=") {
            Some(t) if token.is_none() && !t.is_empty() => token = Some(t.to_string()),
            Some(_) => {}
            None => rest.push(part),
        }
    }
    let rest = if rest.is_empty() { String::new() } else { format!("#{}", rest.join("&")) };
    (token, rest)
}

#[cfg(test)]
#[path = "token_tests.rs"]
mod tests;
