//! The first layer every request meets, before routing: the request target, the
//! route, the `Origin`, and CORS preflights; and on the way out the CORS grant on
//! every response (errors included), for an allowed origin.
//!
//! CORS is ours rather than tower-http's `CorsLayer`: the contract wants refused
//! preflights and foreign origins answered with its error bodies, and a call's
//! origin checked against its own tenant's list (in `authn`), neither of which
//! that layer does.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::config::Auth;
use super::origin::Origin;
use super::AppState;
use crate::api::{ApiError, Endpoint, PREFIX};

/// Which of the relay's routes a request is for (a request extension, so `authn`
/// knows the scope it needs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    Health,
    Call(Endpoint),
    /// `/v1/views`, `/v1/views/{id}`, `/v1/me/default-view` (scope `views`).
    Views,
}

/// The views API's paths (mounted with token auth only).
pub fn is_views_path(path: &str) -> bool {
    if path == "/v1/views" || path == "/v1/me/default-view" {
        return true;
    }
    path.strip_prefix("/v1/views/").is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// The request target must be a plain path naming one of our routes. Everything
/// odd is refused rather than normalised: there is one spelling of each route.
pub fn classify(uri: &Uri, views_mounted: bool) -> Result<RouteKind, ApiError> {
    if uri.scheme().is_some() || uri.authority().is_some() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST_TARGET",
            "the request target must be a path, not an absolute URL",
        ));
    }
    let path = uri.path();
    let odd = !path.starts_with('/')
        || path.contains(['%', '\\'])
        || path.contains("//")
        || path.split('/').any(|seg| seg == "." || seg == "..");
    if odd {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST_TARGET",
            "encoded, dot or empty path segments are not accepted",
        ));
    }
    if path == "/health" {
        return Ok(RouteKind::Health);
    }
    if views_mounted && is_views_path(path) {
        return Ok(RouteKind::Views);
    }
    path.strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(Endpoint::parse)
        .map(RouteKind::Call)
        .ok_or_else(not_found)
}

pub fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such endpoint")
}

pub async fn gate(State(st): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    let origin_header = req.headers().get(header::ORIGIN).cloned();
    let allowed =
        origin_header.as_ref().filter(|h| Origin::from_header(h).is_some_and(|o| st.all_origins.contains(&o)));
    let allowed = allowed.cloned();
    let mut resp = match admit(&st, &req, origin_header.is_some(), allowed.is_some()) {
        Err(e) => e.into_response(),
        Ok(Admit::Preflight(r)) => r,
        Ok(Admit::Route(kind)) => {
            req.extensions_mut().insert(kind);
            next.run(req).await
        }
    };
    if let Some(o) = allowed {
        let h = resp.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("Retry-After"));
    }
    resp
}

enum Admit {
    Route(RouteKind),
    Preflight(Response),
}

fn admit(st: &AppState, req: &Request, has_origin: bool, allowed: bool) -> Result<Admit, ApiError> {
    let kind = classify(req.uri(), st.views_mounted)?;
    if has_origin && !allowed {
        // Browsers preflight (JSON body, Authorization), so a foreign page's call
        // stops at its preflight; this refuses the rest outright.
        return Err(ApiError::new(StatusCode::FORBIDDEN, "ORIGIN_NOT_ALLOWED", "this origin may not call the relay"));
    }
    let is_preflight =
        req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if is_preflight && kind != RouteKind::Health {
        return preflight(&st.cfg.auth, kind, req.headers(), has_origin).map(Admit::Preflight);
    }
    Ok(Admit::Route(kind))
}

/// What a preflight may ask for: with tokens, the methods and headers of the
/// data calls and the views API; without, today's POST with `Content-Type`.
fn grant(auth: &Auth, kind: RouteKind) -> (&'static [&'static str], &'static [&'static str]) {
    match (auth, kind) {
        (Auth::Token(_), _) => (&["POST", "GET", "PUT", "DELETE"], &["authorization", "content-type", "if-match"]),
        (Auth::None, _) => (&["POST"], &["content-type"]),
    }
}

fn preflight(auth: &Auth, kind: RouteKind, headers: &HeaderMap, has_origin: bool) -> Result<Response, ApiError> {
    if !has_origin {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "PREFLIGHT_REFUSED", "a preflight needs an Origin"));
    }
    let (methods, allowed_headers) = grant(auth, kind);
    let method_ok = headers
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .and_then(|m| m.to_str().ok())
        .is_some_and(|m| methods.contains(&m));
    let headers_ok = headers
        .get_all(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .all(|h| h.is_empty() || allowed_headers.iter().any(|a| h.eq_ignore_ascii_case(a)));
    if !(method_ok && headers_ok) {
        let m = format!("only {} with {} are allowed", methods.join(", "), allowed_headers.join(", "));
        return Err(ApiError::new(StatusCode::FORBIDDEN, "PREFLIGHT_REFUSED", m));
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    let join = |v: &[&str]| HeaderValue::from_str(&v.join(", ")).expect("static header names");
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, join(methods));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, join(allowed_headers));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_spelling_per_route() {
        let ok = |s: &str| classify(&s.parse::<Uri>().unwrap(), true).ok();
        assert_eq!(ok(&format!("{PREFIX}/Intents")), Some(RouteKind::Call(Endpoint::Intents)));
        assert_eq!(ok(&format!("{PREFIX}/Intents?apiKey=x")), Some(RouteKind::Call(Endpoint::Intents)));
        assert_eq!(ok("/health"), Some(RouteKind::Health));
        assert_eq!(ok("/v1/views"), Some(RouteKind::Views));
        assert_eq!(ok("/v1/views/abc"), Some(RouteKind::Views));
        assert_eq!(ok("/v1/me/default-view"), Some(RouteKind::Views));
        assert_eq!(classify(&"/v1/views".parse().unwrap(), false).unwrap_err().code, "NOT_FOUND");
        // (A target `Uri` cannot even parse is refused by hyper with 400 already.)
        let code = |s: &str| match s.parse::<Uri>().map(|u| classify(&u, true)) {
            Err(_) => 400,
            Ok(Err(e)) => e.status.as_u16(),
            Ok(Ok(_)) => 200,
        };
        for bad in [
            format!("{PREFIX}/%49ntents"),
            format!("{PREFIX}/Intents%2F..%2F..%2Fx"),
            format!("{PREFIX}/%2e%2e/Intents"),
            format!("{PREFIX}/../Dashboard/Intents"),
            format!("{PREFIX}/./Intents"),
            format!("{PREFIX}//Intents"),
            format!("/{PREFIX}/Intents"),
            format!("{PREFIX}/Intents\\..\\x"),
            format!("http://evil.example{PREFIX}/Intents"),
            "/v1/views/..".into(),
        ] {
            assert_eq!(code(&bad), 400, "{bad}");
        }
        for missing in [
            format!("{PREFIX}/Nope"),
            format!("{PREFIX}/intents"),
            format!("{PREFIX}/Intents/"),
            "/".into(),
            "/__mock/stats".into(),
            "/v1/views/a/b".into(),
            "/v1/viewsx".into(),
        ] {
            assert_eq!(code(&missing), 404, "{missing}");
        }
    }
}
