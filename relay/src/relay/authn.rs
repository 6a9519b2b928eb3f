//! Who is calling, on the data routes and the views API: with `auth: token`, the
//! embed token is verified ([`crate::auth`]), its tenant's origin list and the
//! scope the route needs are checked, and the caller's (tenant, `sub`) bucket is
//! charged; the handler gets the tenant (`Extension<Arc<Tenant>>`) and the
//! [`Principal`]. With `auth: none`, the single tenant and today's per-origin
//! bucket. Refusals:
//!
//! | check | refusal |
//! |---|---|
//! | client address has not failed authentication too often | 429 `RATE_LIMITED` |
//! | `Authorization: Bearer <valid token>` (never a token in the URL) | 401 `UNAUTHORIZED` + `WWW-Authenticate` |
//! | `Origin`, when present, is one of the token's tenant's | 403 `ORIGIN_NOT_ALLOWED` |
//! | the token's scope covers the route | 403 `FORBIDDEN` |
//! | (tenant, `sub`) has a token in its bucket | 429 `RATE_LIMITED` + `Retry-After` |

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::gate::RouteKind;
use super::origin::Origin;
use super::ratelimit::{retry_after_secs, Limiter};
use super::AppState;
use crate::api::{ApiError, Endpoint};
use crate::principal::Scope;

/// Who made a call, left on the response for the access log (never the token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub tid: String,
    pub sub: Option<String>,
}

pub const WWW_AUTHENTICATE: &str = r#"Bearer error="invalid_token""#;

/// The scope a route needs.
pub fn needed_scope(kind: RouteKind) -> Option<Scope> {
    match kind {
        RouteKind::Health => None,
        RouteKind::Call(Endpoint::Messages) => Some(Scope::Messages),
        RouteKind::Call(_) => Some(Scope::Counts),
        RouteKind::Views => Some(Scope::Views),
    }
}

fn scope_name(s: Scope) -> &'static str {
    match s {
        Scope::Counts => "counts",
        Scope::Messages => "messages",
        Scope::Views => "views",
    }
}

pub fn unauthorized(message: impl Into<String>) -> Response {
    let mut r = ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message).into_response();
    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(WWW_AUTHENTICATE));
    r
}

fn rate_limited(limiter: &Limiter, key: &str, what: &str) -> Option<Response> {
    limiter.check(key, Instant::now()).err().map(|wait| too_many(wait, what))
}

fn too_many(wait: std::time::Duration, what: &str) -> Response {
    let secs = retry_after_secs(wait);
    let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", format!("{what}; retry in {secs} s"));
    e.retry_after = Some(secs);
    e.into_response()
}

/// The token of `Authorization: Bearer <token>`; the message of the 401 otherwise.
pub fn bearer(headers: &HeaderMap) -> Result<&str, &'static str> {
    let mut all = headers.get_all(header::AUTHORIZATION).iter();
    let (Some(v), None) = (all.next(), all.next()) else {
        return Err("no token: send Authorization: Bearer <token> (a token in the URL is never accepted)");
    };
    let v = v.to_str().map_err(|_| "malformed Authorization header")?;
    let (scheme, token) = v.split_once(' ').ok_or("malformed Authorization header (Bearer <token>)")?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() || token.contains(' ') {
        return Err("malformed Authorization header (Bearer <token>)");
    }
    Ok(token)
}

pub async fn authenticate(State(st): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    let kind = req.extensions().get::<RouteKind>().copied().unwrap_or(RouteKind::Health);
    let remote = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let origin = req.headers().get(header::ORIGIN).and_then(Origin::from_header);
    let Some(verifier) = &st.verifier else {
        // auth: none. One tenant; today's bucket per origin (or address).
        if let Some(limiter) = &st.limiter {
            let key = match (&origin, &remote) {
                (Some(o), _) => o.to_string(),
                (None, Some(ip)) => format!("ip:{ip}"),
                (None, None) => "unknown".into(),
            };
            if let Some(r) = rate_limited(limiter, &key, "too many calls from this origin") {
                return r;
            }
        }
        let tenant = st.cfg.tenants[0].clone();
        req.extensions_mut().insert(tenant);
        return next.run(req).await;
    };

    let addr_key = remote.unwrap_or_else(|| "unknown".into());
    if let Some(failed) = &st.failed_auth {
        if let Err(wait) = failed.peek(&addr_key, Instant::now()) {
            return too_many(wait, "too many failed authentications from this address");
        }
    }
    let verified = bearer(req.headers())
        .map_err(|m| crate::auth::Invalid(m.into()))
        .and_then(|token| verifier.verify(token, crate::auth::now_secs()));
    let (tenant, principal) = match verified {
        Ok(v) => v,
        Err(crate::auth::Invalid(message)) => {
            if let Some(failed) = &st.failed_auth {
                let _ = failed.check(&addr_key, Instant::now());
            }
            return unauthorized(message);
        }
    };
    let caller = Caller { tid: principal.tenant.clone(), sub: Some(principal.sub.clone()) };
    let refusal = if origin.as_ref().is_some_and(|o| !tenant.allows(o)) {
        Some(
            ApiError::new(
                StatusCode::FORBIDDEN,
                "ORIGIN_NOT_ALLOWED",
                "this origin may not call with this tenant's tokens",
            )
            .into_response(),
        )
    } else if let Some(scope) = needed_scope(kind).filter(|s| !principal.has(*s)) {
        let m = format!("the token's scope does not include {}", scope_name(scope));
        Some(ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", m).into_response())
    } else if let Some(limiter) = &st.limiter {
        let key = format!("{}\u{0}{}", principal.tenant, principal.sub);
        rate_limited(limiter, &key, "too many calls for this user")
    } else {
        None
    };
    let mut resp = match refusal {
        Some(r) => r,
        None => {
            req.extensions_mut().insert(tenant);
            req.extensions_mut().insert(principal);
            next.run(req).await
        }
    };
    resp.extensions_mut().insert(caller);
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_header() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::AUTHORIZATION, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(bearer(&h("Bearer a.b.c")), Ok("a.b.c"));
        assert_eq!(bearer(&h("bearer a.b.c")), Ok("a.b.c"));
        assert!(bearer(&h("Basic dXNlcg==")).is_err());
        assert!(bearer(&h("Bearer")).is_err());
        assert!(bearer(&h("Bearer a b")).is_err());
        assert!(bearer(&HeaderMap::new()).unwrap_err().contains("no token"));
        let mut two = h("Bearer a.b.c");
        two.append(header::AUTHORIZATION, HeaderValue::from_static("Bearer d.e.f"));
        assert!(bearer(&two).is_err(), "two Authorization headers are ambiguous");
    }
}
