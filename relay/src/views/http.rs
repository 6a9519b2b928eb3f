//! The saved-views API over HTTP: six routes, each a thin handler that checks the
//! request, calls the [`ViewStore`] and maps its answer to the contract's status
//! and error body. The caller is the [`Principal`] the auth layer put in the
//! request's extensions; the tenant comes from it alone.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Router;
use serde_json::{json, Value};

use super::model::{parse_if_match, parse_input, View, MAX_VIEWS_PER_USER};
use super::store::{StoreError, ViewStore};
use crate::api::{is_json_content_type, json_response, ApiError};
use crate::principal::{Principal, Scope};

/// Bodies are a view (at most 8 KB as JSON) and a name; room to spare for
/// escapes, and a clear 413 past it.
pub const MAX_VIEWS_BODY: usize = 64 * 1024;

#[derive(Clone)]
struct ViewsState {
    store: Arc<dyn ViewStore>,
}

/// The routes of the views API, to be mounted under the auth layer (which puts
/// the [`Principal`] in the request's extensions).
pub fn routes(store: Arc<dyn ViewStore>) -> Router {
    Router::new()
        .route("/v1/views", get(list).post(create))
        .route("/v1/views/{id}", put(update).delete(delete))
        .route("/v1/me/default-view", get(get_default).put(set_default))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(ViewsState { store })
}

/// The verified caller, with the `views` scope. Without a principal (no auth
/// layer in front, or `auth: none`) there is no user whose views these are: 401.
struct Caller(Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(p) = parts.extensions.get::<Principal>() else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "UNAUTHORIZED",
                "saved views need a signed-in user (an embed token)",
            ));
        };
        if !p.has(Scope::Views) {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", "the token lacks the views scope"));
        }
        Ok(Caller(p.clone()))
    }
}

async fn list(State(st): State<ViewsState>, Caller(who): Caller) -> Result<Response, ApiError> {
    let views = st.store.list(&who).await.map_err(store_error)?;
    Ok(json_response(StatusCode::OK, json!({ "views": views }).to_string()))
}

async fn create(
    State(st): State<ViewsState>,
    Caller(who): Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = parse_input(&read_json(&headers, body).await?, &who).map_err(|e| ApiError::invalid(e.message()))?;
    let view = st.store.create(&who, &input).await.map_err(store_error)?;
    Ok(view_response(StatusCode::CREATED, &view))
}

async fn update(
    State(st): State<ViewsState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Some(raw) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "PRECONDITION_REQUIRED",
            "send If-Match: \"<version>\" with the version you last read",
        ));
    };
    let expected = if_match(raw)?;
    let input = parse_input(&read_json(&headers, body).await?, &who).map_err(|e| ApiError::invalid(e.message()))?;
    let view = st.store.update(&who, &id, expected, &input).await.map_err(store_error)?;
    Ok(view_response(StatusCode::OK, &view))
}

/// `If-Match` is optional here; when sent, a stale version is 412 as for PUT.
async fn delete(
    State(st): State<ViewsState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let expected = headers.get(header::IF_MATCH).map(if_match).transpose()?;
    st.store.delete(&who, &id, expected).await.map_err(store_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn get_default(State(st): State<ViewsState>, Caller(who): Caller) -> Result<Response, ApiError> {
    let id = st.store.default_view(&who).await.map_err(store_error)?;
    Ok(json_response(StatusCode::OK, json!({ "viewId": id }).to_string()))
}

async fn set_default(
    State(st): State<ViewsState>,
    Caller(who): Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let body = read_json(&headers, body).await?;
    let id = match &body {
        Value::Object(o) if o.keys().all(|k| k == "viewId") => match o.get("viewId") {
            Some(Value::String(s)) => Some(s.as_str()),
            Some(Value::Null) => None,
            Some(_) => return Err(ApiError::invalid("viewId: must be a view id (string) or null")),
            None => return Err(ApiError::invalid("viewId: is required (a view id or null)")),
        },
        Value::Object(_) => return Err(ApiError::invalid("body: only viewId is allowed")),
        _ => return Err(ApiError::invalid("body: must be a JSON object {\"viewId\": string|null}")),
    };
    st.store.set_default_view(&who, id).await.map_err(store_error)?;
    Ok(json_response(StatusCode::OK, json!({ "viewId": id }).to_string()))
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "this method is not allowed on this path")
}

fn if_match(raw: &HeaderValue) -> Result<i64, ApiError> {
    raw.to_str()
        .ok()
        .and_then(parse_if_match)
        .ok_or_else(|| ApiError::invalid("If-Match: must be the view's version in quotes, like \"3\""))
}

/// A JSON body of at most [`MAX_VIEWS_BODY`] bytes.
async fn read_json(headers: &HeaderMap, body: Body) -> Result<Value, ApiError> {
    if !is_json_content_type(headers.get(header::CONTENT_TYPE)) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Content-Type must be application/json",
        ));
    }
    let too_large = || {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", format!("body over {MAX_VIEWS_BODY} bytes"))
    };
    let bytes: Bytes = axum::body::to_bytes(body, MAX_VIEWS_BODY).await.map_err(|_| too_large())?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::invalid(format!("body: not valid JSON ({e})")))
}

fn view_response(status: StatusCode, view: &View) -> Response {
    let mut r = json_response(status, serde_json::to_string(view).expect("a view serialises"));
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", view.version)) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such view"),
        StoreError::Forbidden => {
            ApiError::new(StatusCode::FORBIDDEN, "FORBIDDEN", "only the view's owner may change or delete it")
        }
        StoreError::Conflict => ApiError::new(
            StatusCode::CONFLICT,
            "CONFLICT",
            "you already have a view of that name there (same scope and team)",
        ),
        StoreError::VersionMismatch { current } => ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "VERSION_MISMATCH",
            format!("the view was changed meanwhile: it is at version {current}; reload it or save a copy"),
        )
        .with("currentVersion", json!(current)),
        StoreError::TooMany => {
            ApiError::invalid(format!("views: at most {MAX_VIEWS_PER_USER} views per user; delete one first"))
        }
        StoreError::Db(e) => {
            // The cause goes to the log, not to the caller.
            eprintln!("{}", json!({ "event": "views-storage-error", "message": e.to_string() }));
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "STORAGE_UNAVAILABLE", "saved views are unavailable; retry")
        }
    }
}
