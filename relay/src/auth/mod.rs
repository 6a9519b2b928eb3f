//! Embed-token verification: who is calling, proven by a JWT the partner portal's
//! backend signed. The rules (each refusal says which one failed, never echoing
//! the token):
//!
//! - a compact JWS; header `alg` one of EdDSA, ES256, RS256, HS256 (`none` never);
//! - `tid` names a tenant of this relay, and only that tenant's keys may verify;
//! - `kid` names one of its keys (may be left out when the tenant has one key);
//!   the header's `alg` must be that key's algorithm;
//! - signature (jsonwebtoken), `iss` = the tenant's issuer, `aud` is or contains
//!   the relay's audience, `sub` 1..256 chars, `exp` and `iat` required, `nbf`
//!   optional, 60 s leeway on all three, `exp - iat` at most the lifetime cap;
//! - `scope` (default `counts`), `teams` (up to 50 strings), `name`.

pub mod keys;

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine as _;
use jsonwebtoken::errors::ErrorKind;
use serde::Deserialize;
use serde_json::Value;

use crate::principal::{Principal, Scope};
use crate::relay::config::Tenant;
use keys::KeyAlg;

/// What every token of this relay must satisfy besides its tenant's rules.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenPolicy {
    /// `aud` must be, or contain, this.
    pub audience: String,
    /// `exp - iat` at most this.
    pub max_lifetime_secs: u64,
    /// Clock skew allowed on `exp`, `nbf` and `iat`.
    pub leeway_secs: u64,
}

pub const DEFAULT_AUDIENCE: &str = "engagement-dashboard";
pub const DEFAULT_MAX_LIFETIME_SECS: u64 = 3600;
pub const LEEWAY_SECS: u64 = 60;
/// Longer than any sane token: refused before any parsing.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
pub const MAX_TEAMS: usize = 50;
pub const MAX_SUB_CHARS: usize = 256;

impl Default for TokenPolicy {
    fn default() -> Self {
        TokenPolicy {
            audience: DEFAULT_AUDIENCE.into(),
            max_lifetime_secs: DEFAULT_MAX_LIFETIME_SECS,
            leeway_secs: LEEWAY_SECS,
        }
    }
}

/// Why a token was refused: the message of the 401 (fixed text and claim names,
/// never token bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(pub String);

fn invalid(m: impl Into<String>) -> Invalid {
    Invalid(m.into())
}

/// The tenants by id, and the policy: everything a token is checked against.
pub struct Verifier {
    tenants: HashMap<String, Arc<Tenant>>,
    policy: TokenPolicy,
}

#[derive(Deserialize)]
struct JoseHeader {
    alg: Option<Value>,
    kid: Option<Value>,
}

/// The claims the relay reads after the signature and the standard checks
/// passed. Kept as `Value`s so a wrong type gets a message naming the claim.
#[derive(Deserialize)]
struct Claims {
    sub: Option<Value>,
    exp: Option<Value>,
    nbf: Option<Value>,
    iat: Option<Value>,
    scope: Option<Value>,
    teams: Option<Value>,
    name: Option<Value>,
}

fn b64_json<T: serde::de::DeserializeOwned>(part: &str) -> Option<T> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).ok()?;
    serde_json::from_slice(&bytes).ok()
}

impl Verifier {
    pub fn new(tenants: &[Arc<Tenant>], policy: TokenPolicy) -> Self {
        let tenants = tenants.iter().map(|t| (t.id.clone(), t.clone())).collect();
        Verifier { tenants, policy }
    }

    pub fn policy(&self) -> &TokenPolicy {
        &self.policy
    }

    /// Check `token` at `now` (seconds since the epoch).
    pub fn verify(&self, token: &str, now: u64) -> Result<(Arc<Tenant>, Principal), Invalid> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(invalid(format!("malformed token: longer than {MAX_TOKEN_BYTES} bytes")));
        }
        let parts: Vec<&str> = token.split('.').collect();
        let header = parts.first().and_then(|h| b64_json::<JoseHeader>(h));
        let Some(header) = header else {
            return Err(invalid("malformed token: the header is not base64url JSON"));
        };
        let alg = match header.alg {
            Some(Value::String(a)) => a,
            _ => return Err(invalid("malformed token: the header has no alg")),
        };
        if alg.eq_ignore_ascii_case("none") {
            return Err(invalid("alg none is never accepted"));
        }
        let Some(alg) = KeyAlg::parse(&alg) else {
            return Err(invalid("alg not accepted (EdDSA, ES256, RS256 or HS256)"));
        };
        if parts.len() != 3 || parts[2].is_empty() {
            return Err(invalid("malformed token: not a signed compact JWS (header.payload.signature)"));
        }
        let Some(payload) = b64_json::<serde_json::Map<String, Value>>(parts[1]) else {
            return Err(invalid("malformed token: the payload is not a base64url JSON object"));
        };
        let tid = match payload.get("tid") {
            Some(Value::String(t)) => t,
            Some(_) => return Err(invalid("tid must be a string")),
            None => return Err(invalid("the token has no tid claim")),
        };
        let Some(tenant) = self.tenants.get(tid) else {
            return Err(invalid("unknown tenant (tid)"));
        };
        let key = match header.kid {
            Some(Value::String(kid)) => {
                tenant.keys.iter().find(|k| k.kid == kid).ok_or_else(|| invalid("unknown kid for this tenant"))?
            }
            Some(_) => return Err(invalid("kid must be a string")),
            None if tenant.keys.len() == 1 => &tenant.keys[0],
            None => return Err(invalid("the token has no kid and the tenant has several keys")),
        };
        if key.alg != alg {
            return Err(invalid(format!("alg {} is not the algorithm of this kid ({})", alg.name(), key.alg.name())));
        }

        let mut v = jsonwebtoken::Validation::new(key.alg.jwt());
        v.leeway = self.policy.leeway_secs;
        v.validate_exp = true;
        // nbf (and iat) are checked below against `now`, like exp again: one clock
        // for every time rule (the library's own exp check uses the system clock).
        v.validate_nbf = false;
        v.validate_aud = true;
        v.set_audience(&[&self.policy.audience]);
        v.set_issuer(&[&tenant.issuer]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, key.decoding_key(), &v)
            .map_err(|e| describe(e.kind(), &self.policy))?
            .claims;

        let sub = match claims.sub {
            None => return Err(invalid("the token has no sub claim")),
            Some(Value::String(s)) if (1..=MAX_SUB_CHARS).contains(&s.chars().count()) => s,
            Some(_) => return Err(invalid(format!("sub must be a string of 1 to {MAX_SUB_CHARS} characters"))),
        };
        let date = |v: Option<Value>, name: &str| match v {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|d| d.is_finite())
                .map(Some)
                .ok_or_else(|| invalid(format!("{name} must be a NumericDate"))),
        };
        let exp = date(claims.exp, "exp")?.ok_or_else(|| invalid("the token has no exp claim"))?;
        let iat = date(claims.iat, "iat")?.ok_or_else(|| invalid("the token has no iat claim"))?;
        let nbf = date(claims.nbf, "nbf")?;
        let (now, leeway) = (now as f64, self.policy.leeway_secs as f64);
        if exp < now - leeway {
            return Err(invalid("token expired (exp)"));
        }
        if nbf.is_some_and(|nbf| nbf > now + leeway) {
            return Err(invalid("token not yet valid (nbf)"));
        }
        if iat > now + leeway {
            return Err(invalid("token issued in the future (iat)"));
        }
        if exp - iat > self.policy.max_lifetime_secs as f64 {
            return Err(invalid(format!(
                "token lifetime (exp - iat) over the maximum of {} s",
                self.policy.max_lifetime_secs
            )));
        }
        let scopes = match claims.scope {
            None => vec![Scope::Counts],
            Some(Value::String(s)) => parse_scopes(&s),
            Some(_) => return Err(invalid("scope must be a space-separated string")),
        };
        let teams = match claims.teams {
            None => Vec::new(),
            Some(Value::Array(a)) if a.len() <= MAX_TEAMS => a
                .into_iter()
                .map(|t| match t {
                    Value::String(s) if !s.is_empty() && s.len() <= 256 => Ok(s),
                    _ => Err(invalid("teams must hold non-empty strings")),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(invalid(format!("teams must be an array of at most {MAX_TEAMS} strings"))),
        };
        let name = match claims.name {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.chars().take(256).collect()),
            Some(_) => return Err(invalid("name must be a string")),
        };
        let principal = Principal { tenant: tenant.id.clone(), sub, name, teams, scopes };
        Ok((tenant.clone(), principal))
    }
}

/// The claims of a token issued now for `ttl_secs` (what a portal backend puts
/// in one).
pub fn claims(tid: &str, iss: &str, sub: &str, aud: &str, scope: &str, ttl_secs: u64) -> Value {
    let now = now_secs();
    serde_json::json!({ "tid": tid, "iss": iss, "aud": aud, "sub": sub, "scope": scope, "iat": now, "exp": now + ttl_secs })
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// `scope` words; unknown ones grant nothing (a portal may send its own).
pub fn parse_scopes(s: &str) -> Vec<Scope> {
    let mut out = Vec::new();
    for w in s.split_ascii_whitespace() {
        let scope = match w {
            "counts" => Scope::Counts,
            "messages" => Scope::Messages,
            "views" => Scope::Views,
            _ => continue,
        };
        if !out.contains(&scope) {
            out.push(scope);
        }
    }
    out
}

fn describe(kind: &ErrorKind, policy: &TokenPolicy) -> Invalid {
    invalid(match kind {
        ErrorKind::InvalidSignature => "bad signature".to_string(),
        ErrorKind::ExpiredSignature => "token expired (exp)".into(),
        ErrorKind::ImmatureSignature => "token not yet valid (nbf)".into(),
        ErrorKind::InvalidIssuer => "wrong issuer (iss) for this tenant".into(),
        ErrorKind::InvalidAudience => format!("wrong audience (aud must be or contain {:?})", policy.audience),
        ErrorKind::InvalidSubject => "sub must be a string".into(),
        ErrorKind::MissingRequiredClaim(c) => format!("the token has no {} claim", claim_name(c)),
        ErrorKind::InvalidClaimFormat(c) => format!("claim {} has the wrong type", claim_name(c)),
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm | ErrorKind::InvalidAlgorithmName => {
            "alg is not the algorithm of this kid".into()
        }
        ErrorKind::Json(_) => "malformed claims (exp, iat and sub are required; exp/iat/nbf are numbers)".into(),
        ErrorKind::Base64(_) | ErrorKind::Utf8(_) | ErrorKind::InvalidToken => "malformed token".into(),
        _ => "token could not be verified".into(),
    })
}

/// Only the known claim names go into a message (the library's text comes from
/// our own validation settings, but keep it to a fixed set anyway).
fn claim_name(c: &str) -> &'static str {
    ["exp", "nbf", "iat", "iss", "aud", "sub"].into_iter().find(|n| *n == c).unwrap_or("required")
}

#[cfg(test)]
mod tests;
