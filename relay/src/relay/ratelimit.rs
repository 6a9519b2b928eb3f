//! A token bucket per caller: per (tenant, `sub`) with embed tokens, per `Origin`
//! (or peer address) without, and per client address for failed authentications.
//! `burst` calls at once, refilled at `per_second`. An empty bucket answers with
//! how long until the next token, for `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    /// Sustained calls per second per caller.
    pub per_second: f64,
    /// Calls a caller may make at once (bucket size).
    pub burst: u32,
}

impl Default for RateLimit {
    /// A dashboard load is a few dozen calls at `concurrency` 4; this leaves room
    /// for several tabs of one portal while stopping a loop that hammers the key.
    fn default() -> Self {
        RateLimit { per_second: 20.0, burst: 60 }
    }
}

impl RateLimit {
    /// Failed authentications per client address: room for a test suite's worth
    /// of honest mistakes and a dashboard's refreshes, not for a flood of forged
    /// tokens (each costs a signature check).
    pub const FAILED_AUTH: RateLimit = RateLimit { per_second: 1.0, burst: 100 };
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Past this many callers, buckets that have refilled are forgotten (memory bound).
const MAX_KEYS: usize = 10_000;

pub struct Limiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Self {
        Limiter { limit, buckets: Mutex::new(HashMap::new()) }
    }

    /// Is there a token for `key`? (`Err(wait)` when not; nothing is taken.)
    pub fn peek(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let RateLimit { per_second, burst } = self.limit;
        let map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let Some(b) = map.get(key) else { return Ok(()) };
        let tokens = (b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_second).min(f64::from(burst));
        if tokens >= 1.0 {
            Ok(())
        } else {
            Err(Self::wait(tokens, per_second))
        }
    }

    fn wait(tokens: f64, per_second: f64) -> Duration {
        let wait = if per_second > 0.0 { (1.0 - tokens) / per_second } else { 3600.0 };
        Duration::from_secs_f64(wait.min(3600.0))
    }

    /// Take a token for `key`; `Err(wait)` when there is none.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let RateLimit { per_second, burst } = self.limit;
        let burst = f64::from(burst.max(1));
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS && !map.contains_key(key) {
            map.retain(|_, b| b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_second < burst);
        }
        let b = map.entry(key.to_string()).or_insert(Bucket { tokens: burst, at: now });
        b.tokens = (b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_second).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(Self::wait(b.tokens, per_second))
        }
    }
}

/// `Retry-After` in whole seconds, at least 1 (a 0 would invite an instant retry).
pub fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs_f64().ceil() as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill_per_key() {
        let l = Limiter::new(RateLimit { per_second: 2.0, burst: 3 });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.check("a", t0).is_ok());
        }
        let wait = l.check("a", t0).unwrap_err();
        assert!((wait.as_secs_f64() - 0.5).abs() < 1e-6, "{wait:?}");
        assert_eq!(retry_after_secs(wait), 1);
        // Another caller has its own bucket.
        assert!(l.check("b", t0).is_ok());
        // Half a second later one token is back, and only one.
        let t1 = t0 + Duration::from_millis(500);
        assert!(l.peek("a", t1).is_ok());
        assert!(l.check("a", t1).is_ok());
        assert!(l.peek("a", t1).is_err(), "peek sees the empty bucket");
        assert!(l.check("a", t1).is_err());
        assert!(l.peek("never-seen", t1).is_ok());
    }

    #[test]
    fn memory_is_bounded() {
        let l = Limiter::new(RateLimit { per_second: 1000.0, burst: 1 });
        let t0 = Instant::now();
        for i in 0..MAX_KEYS + 10 {
            let _ = l.check(&format!("k{i}"), t0 + Duration::from_secs(1 + i as u64 / 1000));
        }
        assert!(l.buckets.lock().unwrap().len() <= MAX_KEYS);
    }
}
