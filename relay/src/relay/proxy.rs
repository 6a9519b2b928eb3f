//! The five Dashboard calls: check the body, rebuild it from the contract's
//! fields, send it to the caller's tenant's upstream with that tenant's ids and
//! key, and pass back status, `Retry-After`, `Content-Type` and the body (key
//! scrubbed, size capped). Nothing of the request's target or headers reaches the
//! upstream URL.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Map, Value};

use super::config::Tenant;
use super::scrub::Scrubber;
use super::AppState;
use crate::api::{is_json_content_type, ApiError, Endpoint, PREFIX};

/// Request bodies are a few hundred bytes; anything bigger is not ours.
pub const MAX_BODY: usize = 16 * 1024;

/// The only body fields the contract defines; everything else a page adds
/// (`providerId`, `partnerId`, `apiKey`, ...) stays here.
pub const BODY_FIELDS: [&str; 5] = ["startTime", "endTime", "interval", "timezone", "intenttype"];

/// An upstream answer as the browser will get it (key already scrubbed). Clone,
/// so that a cache of identical calls can hand one answer to several callers.
#[derive(Clone, Debug)]
pub struct UpstreamAnswer {
    pub status: StatusCode,
    pub content_type: Option<HeaderValue>,
    pub retry_after: Option<HeaderValue>,
    pub body: Bytes,
}

pub async fn call(
    State(st): State<Arc<AppState>>,
    Extension(tenant): Extension<Arc<Tenant>>,
    ep: Endpoint,
    req: Request,
) -> Result<Response, ApiError> {
    let body = read_body(&st, req).await?;
    // Identical calls of a tenant share one upstream request; settled answers are kept.
    let answer = st.upstream_cache.fetch(&tenant.id, ep, &body, || forward(&st, &tenant, ep, body.clone())).await?;
    Ok(answer.into_response())
}

async fn read_body(st: &AppState, req: Request) -> Result<Bytes, ApiError> {
    let headers = req.headers();
    if !is_json_content_type(headers.get(header::CONTENT_TYPE)) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Content-Type must be application/json",
        ));
    }
    let too_large =
        || ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", format!("body over {MAX_BODY} bytes"));
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    let read = axum::body::to_bytes(req.into_body(), MAX_BODY);
    let body = match tokio::time::timeout(st.cfg.body_read_timeout, read).await {
        Err(_) => {
            let m = format!("the body did not arrive within {} ms", st.cfg.body_read_timeout.as_millis());
            return Err(ApiError::new(StatusCode::REQUEST_TIMEOUT, "REQUEST_TIMEOUT", m));
        }
        Ok(r) => r.map_err(|_| too_large())?,
    };
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(&body) else {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "INVALID_JSON", "the body must be a JSON object"));
    };
    Ok(Bytes::from(rebuild(fields).to_string()))
}

/// The body that goes upstream: the contract's fields, values as the page sent them.
pub fn rebuild(mut fields: Map<String, Value>) -> Value {
    let mut out = Map::new();
    for f in BODY_FIELDS {
        if let Some(v) = fields.remove(f) {
            out.insert(f.to_string(), v);
        }
    }
    Value::Object(out)
}

pub async fn forward(st: &AppState, tenant: &Tenant, ep: Endpoint, body: Bytes) -> Result<UpstreamAnswer, ApiError> {
    let up = &tenant.upstream;
    // The URL comes from config alone: upstream base, the fixed prefix, one of five
    // names, and our own query.
    let mut url = format!("{}{PREFIX}/{}?", up.base, ep.name());
    {
        let mut q = form_urlencoded::Serializer::new(&mut url);
        q.append_pair("providerId", &up.provider_id).append_pair("partnerId", &up.partner_id);
        if let Some(k) = &up.api_key {
            q.append_pair("apiKey", k);
        }
    }
    let fail = |e: reqwest::Error| upstream_error(st, tenant, ep, e);
    let mut resp = st
        .client
        .post(&url)
        .header(header::CONTENT_TYPE, "application/json")
        .timeout(st.cfg.upstream_timeout)
        .body(body)
        .send()
        .await
        .map_err(fail)?;
    let cap = st.cfg.max_upstream_bytes;
    let too_large = || {
        st.log
            .event(json!({ "event": "upstream_too_large", "tid": tenant.id, "endpoint": ep.name(), "capBytes": cap }));
        ApiError::new(StatusCode::BAD_GATEWAY, "UPSTREAM_TOO_LARGE", format!("the upstream answer is over {cap} bytes"))
    };
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(too_large());
    }
    // Read chunk by chunk, so an answer over the cap is dropped at the cap, not
    // held whole.
    let mut buf = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(fail)? {
        if (buf.len() + chunk.len()) as u64 > cap {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    let scrubber = up.api_key.as_deref().and_then(Scrubber::new);
    let scrubbed = scrubber.as_ref().and_then(|s| s.scrub(&buf));
    let body = Bytes::from(scrubbed.unwrap_or(buf));
    // Headers pass only when they hold no spelling of the key either.
    let clean =
        |v: Option<&HeaderValue>| v.filter(|v| !scrubber.as_ref().is_some_and(|s| s.found_in(v.as_bytes()))).cloned();
    Ok(UpstreamAnswer {
        status: StatusCode::from_u16(resp.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY),
        content_type: clean(resp.headers().get(header::CONTENT_TYPE)),
        retry_after: clean(resp.headers().get(header::RETRY_AFTER)),
        body,
    })
}

impl UpstreamAnswer {
    pub fn into_response(self) -> Response {
        let mut r = Response::new(Body::from(self.body));
        *r.status_mut() = self.status;
        if let Some(v) = self.retry_after {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if let Some(v) = self.content_type {
            r.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        r
    }
}

/// 504 for a timeout, 502 for anything else; neither the answer nor the log line
/// carries the URL.
fn upstream_error(st: &AppState, tenant: &Tenant, ep: Endpoint, e: reqwest::Error) -> ApiError {
    let timeout = st.cfg.upstream_timeout;
    if e.is_timeout() {
        let m = format!("upstream did not answer within {} ms", timeout.as_millis());
        return ApiError::new(StatusCode::GATEWAY_TIMEOUT, "UPSTREAM_TIMEOUT", m);
    }
    let detail = e.without_url().to_string();
    st.log.event(json!({ "event": "upstream_error", "tid": tenant.id, "endpoint": ep.name(), "detail": detail }));
    ApiError::new(StatusCode::BAD_GATEWAY, "UPSTREAM_UNAVAILABLE", "upstream request failed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_contract_fields_go_upstream() {
        let page = json!({ "startTime": 1, "endTime": 2, "interval": "1h", "timezone": "UTC", "intenttype": "bot",
                           "providerId": "666", "partnerId": "1", "apiKey": "evil", "__proto__": {} });
        let Value::Object(m) = page else { unreachable!() };
        assert_eq!(
            rebuild(m),
            json!({ "startTime": 1, "endTime": 2, "interval": "1h", "timezone": "UTC", "intenttype": "bot" })
        );
    }
}
