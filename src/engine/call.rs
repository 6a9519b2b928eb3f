//! One call, made well: a concurrency permit held only while the request is in
//! flight, a timeout, and bounded retries with exponential backoff and full jitter
//! for 5xx, network errors and timeouts, or the server's `Retry-After` for 429.
//! Errors the contract says not to retry (400s, 401, 403) return at once; the
//! splitting errors (`RANGE_TOO_LARGE`, `TOO_MANY_RESULTS`) go back to the caller,
//! which re-plans.

use std::fmt;
use std::rc::Rc;

use async_lock::Semaphore;
use futures::future::{select, Either};

use crate::domain::wire::{ApiError, RawResponse};

use super::transport::{Clock, Transport, TransportError};

#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    Api(ApiError),
    Network(String),
    Timeout { ms: u64 },
}

impl FetchError {
    /// The HTTP status to show, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Api(e) => Some(e.status()),
            _ => None,
        }
    }
    fn is_transient(&self) -> bool {
        match self {
            FetchError::Api(e) => e.is_transient(),
            FetchError::Network(_) | FetchError::Timeout { .. } => true,
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Api(e) => write!(f, "{e}"),
            FetchError::Network(m) => write!(f, "network error: the relay could not be reached ({m})"),
            FetchError::Timeout { ms } => write!(f, "timed out after {} s", ms / 1000),
        }
    }
}

#[derive(Clone, Debug)]
pub struct RetryPolicy {
    pub timeout_ms: u64,
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub backoff_base_ms: u64,
    pub backoff_max_ms: u64,
    /// A `Retry-After` longer than this is capped: a panel should not hang for an hour.
    pub retry_after_max_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        // A hung server costs at most four timeouts plus backoff (~85 s) before the
        // panel says which span is missing; a failing one, a few seconds.
        RetryPolicy {
            timeout_ms: 20_000,
            max_retries: 3,
            backoff_base_ms: 400,
            backoff_max_ms: 8_000,
            retry_after_max_ms: 60_000,
        }
    }
}

impl RetryPolicy {
    /// Full jitter: a random wait in `[0, min(max, base·2^attempt)]`, so clients that
    /// failed together do not retry together.
    pub fn backoff_ms(&self, attempt: u32, random: f64) -> u64 {
        let cap = self.backoff_base_ms.saturating_mul(1u64 << attempt.min(20)).min(self.backoff_max_ms);
        ((cap as f64) * random.clamp(0.0, 1.0)).round() as u64
    }
}

pub struct CallRunner {
    pub transport: Rc<dyn Transport>,
    pub clock: Rc<dyn Clock>,
    /// One for the whole page: all panels together stay within `concurrency`.
    pub permits: Rc<Semaphore>,
    pub policy: RetryPolicy,
}

impl CallRunner {
    /// One attempt: the permit is held only while the request is in flight.
    async fn attempt(&self, url: &str, body: &str) -> Result<RawResponse, FetchError> {
        let _permit = self.permits.acquire().await;
        let request = self.transport.post(url.to_string(), body.to_string());
        let timeout = self.clock.sleep(self.policy.timeout_ms);
        match select(request, timeout).await {
            Either::Left((Ok(resp), _)) => Ok(resp),
            Either::Left((Err(TransportError::Network(m)), _)) => Err(FetchError::Network(m)),
            Either::Right(((), _)) => Err(FetchError::Timeout { ms: self.policy.timeout_ms }),
        }
    }

    /// Runs a call until it gives a parsed answer, a final error, or retries run out.
    /// `parse` turns a raw answer into data or an `ApiError` (it classifies non-2xx).
    pub async fn run<T>(
        &self,
        url: &str,
        body: &str,
        parse: impl Fn(&RawResponse) -> Result<T, ApiError>,
    ) -> Result<T, FetchError> {
        let mut attempt = 0;
        loop {
            let result = self.attempt(url, body).await.and_then(|raw| parse(&raw).map_err(FetchError::Api));
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            if !err.is_transient() || attempt >= self.policy.max_retries {
                return Err(err);
            }
            let wait = match &err {
                FetchError::Api(ApiError::RateLimited { retry_after_ms: Some(ms) }) => {
                    (*ms).min(self.policy.retry_after_max_ms)
                }
                _ => self.policy.backoff_ms(attempt, self.clock.random()),
            };
            self.clock.sleep(wait).await;
            attempt += 1;
        }
    }
}
