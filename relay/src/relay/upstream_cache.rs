//! One upstream load for a rush: identical calls share one upstream request
//! while it is in flight, and settled answers are kept a while.
//!
//! Fifty managers opening the same view at 9:00 send the same calls. A call is
//! identified by (tenant, endpoint, rebuilt body): the body the relay rebuilt from
//! the contract's fields, so only what changes the answer is in the key, and two
//! tenants never share anything. While one such call is upstream, the others wait
//! for its answer (if the caller whose request went upstream hangs up, a waiting
//! one sends it again). An answer is kept only when it cannot change any more:
//! status 200 and a range that ended more than two minutes ago (`endTime`), in a
//! per-tenant store bounded in entries and bytes (oldest first out) for a TTL.
//! Messages are never kept unless configured (chat text stays out of the relay's
//! memory by default); they still share a call in flight, which keeps nothing.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use tokio::sync::OnceCell;

use super::proxy::UpstreamAnswer;
use crate::api::{ApiError, Endpoint};

#[derive(Clone, Debug)]
pub struct CacheConfig {
    /// How long a settled answer is kept; zero keeps none (calls in flight are
    /// still shared).
    pub ttl: Duration,
    /// Per tenant, at most this many answers ...
    pub max_entries: usize,
    /// ... and this many bytes of them.
    pub max_bytes: usize,
    /// A range ending later than now minus this can still change: not kept.
    pub settle: Duration,
    /// Keep Messages answers too (chat text in the relay's memory).
    pub messages: bool,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            ttl: Duration::from_secs(600),
            max_entries: 20_000,
            max_bytes: 32 * 1024 * 1024,
            settle: Duration::from_secs(120),
            messages: false,
        }
    }
}

type Answer = Result<UpstreamAnswer, ApiError>;

#[derive(Default)]
struct TenantStore {
    answers: HashMap<String, (Instant, UpstreamAnswer)>,
    order: VecDeque<String>,
    bytes: usize,
}

impl TenantStore {
    fn remove_oldest(&mut self) {
        if let Some(k) = self.order.pop_front() {
            if let Some((_, a)) = self.answers.remove(&k) {
                self.bytes -= a.body.len();
            }
        }
    }
}

/// Counters for the access log and the benchmark.
#[derive(Default, Debug)]
pub struct CacheStats {
    pub upstream: AtomicU64,
    pub shared: AtomicU64,
    pub hits: AtomicU64,
}

#[derive(Default)]
pub struct UpstreamCache {
    cfg: CacheConfig,
    inflight: Mutex<HashMap<String, Arc<OnceCell<Answer>>>>,
    settled: Mutex<HashMap<String, TenantStore>>,
    pub stats: CacheStats,
}

impl UpstreamCache {
    pub fn new(cfg: CacheConfig) -> Self {
        UpstreamCache { cfg, ..Default::default() }
    }

    /// The answer to `body` at `ep` for `tenant`: kept, shared with the same call
    /// in flight, or `fetch`ed.
    pub async fn fetch<F, Fut>(&self, tenant: &str, ep: Endpoint, body: &Bytes, fetch: F) -> Answer
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Answer>,
    {
        let key = format!("{}\n{}", ep.name(), String::from_utf8_lossy(body));
        if let Some(a) = self.kept(tenant, &key) {
            self.stats.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(a);
        }
        let flight_key = format!("{tenant}\n{key}");
        let cell = self.inflight.lock().unwrap().entry(flight_key.clone()).or_default().clone();
        let sent = std::sync::atomic::AtomicBool::new(false);
        let answer = cell
            .get_or_init(|| {
                sent.store(true, Ordering::Relaxed);
                self.stats.upstream.fetch_add(1, Ordering::Relaxed);
                fetch()
            })
            .await
            .clone();
        {
            let mut inflight = self.inflight.lock().unwrap();
            if inflight.get(&flight_key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                inflight.remove(&flight_key);
            }
        }
        if !sent.load(Ordering::Relaxed) {
            self.stats.shared.fetch_add(1, Ordering::Relaxed);
        } else if let Ok(a) = &answer {
            if self.keepable(ep, body, a) {
                self.keep(tenant, key, a.clone());
            }
        }
        answer
    }

    fn kept(&self, tenant: &str, key: &str) -> Option<UpstreamAnswer> {
        if self.cfg.ttl.is_zero() {
            return None;
        }
        let settled = self.settled.lock().unwrap();
        let (at, a) = settled.get(tenant)?.answers.get(key)?;
        (at.elapsed() < self.cfg.ttl).then(|| a.clone())
    }

    /// 200, not Messages unless configured, and a range that ended long enough ago.
    fn keepable(&self, ep: Endpoint, body: &Bytes, a: &UpstreamAnswer) -> bool {
        if self.cfg.ttl.is_zero() || a.status != axum::http::StatusCode::OK || a.body.len() > self.cfg.max_bytes {
            return false;
        }
        if ep == Endpoint::Messages && !self.cfg.messages {
            return false;
        }
        let end = serde_json::from_slice::<serde_json::Value>(body).ok().and_then(|v| v["endTime"].as_i64());
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let settled_before = now.as_millis() as i64 - self.cfg.settle.as_millis() as i64;
        end.is_some_and(|e| e <= settled_before)
    }

    fn keep(&self, tenant: &str, key: String, a: UpstreamAnswer) {
        let mut settled = self.settled.lock().unwrap();
        let store = settled.entry(tenant.to_string()).or_default();
        if let Some((_, old)) = store.answers.remove(&key) {
            store.bytes -= old.body.len();
            store.order.retain(|k| *k != key);
        }
        // Expired answers go first, then the oldest until the new one fits.
        while store
            .order
            .front()
            .is_some_and(|k| store.answers.get(k).is_none_or(|(at, _)| at.elapsed() >= self.cfg.ttl))
        {
            store.remove_oldest();
        }
        while !store.order.is_empty()
            && (store.answers.len() >= self.cfg.max_entries || store.bytes + a.body.len() > self.cfg.max_bytes)
        {
            store.remove_oldest();
        }
        store.bytes += a.body.len();
        store.order.push_back(key.clone());
        store.answers.insert(key, (Instant::now(), a));
    }

    /// Answers kept for `tenant` (tests).
    pub fn kept_count(&self, tenant: &str) -> usize {
        self.settled.lock().unwrap().get(tenant).map_or(0, |s| s.answers.len())
    }
}

#[cfg(test)]
mod tests;
