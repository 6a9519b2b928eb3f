//! The engine's two windows on the outside world, as traits so the core runs
//! natively in tests (a fake transport, tokio's paused clock) and in the browser
//! (fetch with an AbortController, `setTimeout`).

use futures::future::LocalBoxFuture;

use crate::domain::wire::RawResponse;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// The request never got an HTTP answer (DNS, refused, CORS, offline).
    Network(String),
}

/// Sends one POST. Dropping the returned future must cancel the request (the
/// browser transport aborts its fetch), which is how a stale load is stopped.
pub trait Transport {
    fn post(&self, url: String, body: String) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>>;
}

pub trait Clock {
    fn now_ms(&self) -> i64;
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()>;
    /// A number in `[0, 1)` for backoff jitter.
    fn random(&self) -> f64;
}
