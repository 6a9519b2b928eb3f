//! Fault injection, so the dashboard's retry, back-off and error display can be
//! exercised against a real server. Decisions come from a request counter hashed
//! with the seed: a given sequence of calls always meets the same faults, which
//! keeps failures reproducible without making every call fail the same way.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::rng::{hash, Rng};
use crate::api::{ApiError, Endpoint};

#[derive(Clone, Debug, Default)]
pub struct FaultConfig {
    /// Delay before every Dashboard answer.
    pub latency_ms: u64,
    /// Fraction of calls answered 500/502/503.
    pub fail_rate: f64,
    /// Fraction of calls answered 429 with `Retry-After: 1`.
    pub rate_limit_rate: f64,
    /// This endpoint always answers 500.
    pub fail_endpoint: Option<Endpoint>,
    /// 5xx bodies are an HTML page (as a proxy would send) instead of JSON.
    pub html_errors: bool,
}

pub struct Faults {
    pub cfg: FaultConfig,
    seed: u64,
    counter: AtomicU64,
}

impl Faults {
    pub fn new(cfg: FaultConfig, seed: u64) -> Self {
        Faults { cfg, seed, counter: AtomicU64::new(0) }
    }

    /// The injected failure for this call, if any.
    pub fn decide(&self, endpoint: Endpoint) -> Option<Response> {
        if self.cfg.fail_endpoint == Some(endpoint) {
            return Some(self.server_error(StatusCode::INTERNAL_SERVER_ERROR));
        }
        if self.cfg.fail_rate <= 0.0 && self.cfg.rate_limit_rate <= 0.0 {
            return None;
        }
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut r = Rng::new(hash(&[self.seed, 5, n]));
        let x = r.f64();
        if x < self.cfg.fail_rate {
            let status = [StatusCode::INTERNAL_SERVER_ERROR, StatusCode::BAD_GATEWAY, StatusCode::SERVICE_UNAVAILABLE]
                [r.below(3) as usize];
            return Some(self.server_error(status));
        }
        if x < self.cfg.fail_rate + self.cfg.rate_limit_rate {
            let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", "too many requests, retry later");
            e.retry_after = Some(1);
            return Some(e.into_response());
        }
        None
    }

    pub fn server_error(&self, status: StatusCode) -> Response {
        let reason = status.canonical_reason().unwrap_or("Error");
        if self.cfg.html_errors {
            let html = format!(
                "<!DOCTYPE html>\n<html><head><title>{0} {1}</title></head><body><h1>{0} {1}</h1><hr><p>mock-de proxy</p></body></html>\n",
                status.as_u16(),
                reason
            );
            let mut r = (status, html).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            return r;
        }
        let code = match status.as_u16() {
            502 => "BAD_GATEWAY",
            503 => "SERVICE_UNAVAILABLE",
            _ => "INTERNAL_ERROR",
        };
        ApiError::new(status, code, format!("injected fault: {reason}")).into_response()
    }
}
