//! `FetchEngine`: turns a panel's request into a complete, exact bucket table (or
//! a message list), calling the API as little as possible.
//!
//! A load: buckets already settled in the cache are filled first; the planner
//! covers the rest with the fewest exact calls; calls run concurrently within the
//! page-wide limit; the per-call range limit, when neither configured nor hinted,
//! is learned once for the whole page (`limits`, used by `counts`); a call that still fails is reported with its
//! span so the panel can say which part is missing (never shown as zeros). Two
//! panels asking for the same call share one request. Dropping the load's future
//! cancels everything it still has in flight.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use async_lock::Semaphore;
use futures::future::{LocalBoxFuture, Shared, WeakShared};

use crate::domain::config::{DeploymentConfig, RangeLimits};
use crate::domain::time::{BucketError, Interval, TimeSpan};
use crate::domain::wire::{self, ApiError, Endpoint, IntentType, RawResponse, WireBucket};

use super::call::{CallRunner, FetchError, RetryPolicy};
use super::facts::{FactCache, SeriesId};
use super::limits::LimitLearner;
use super::transport::{Clock, Transport};
use crate::domain::count_table::CountTable;

/// The most buckets the engine will plan for one request (charts cap lower).
pub const MAX_ENGINE_BUCKETS: usize = 20_000;
/// A call shorter than this is never split further: the API cannot mean it.
const MIN_SPLIT_MS: i64 = 60_000;

/// The limit to retry a refused call of `len` ms under: the server's hint when it is
/// smaller than the call, else half. `None` when that is too small to mean anything.
pub(super) fn smaller_limit(len: i64, hint: Option<i64>) -> Option<i64> {
    let limit = match hint {
        Some(h) if h < len => h,
        _ => len / 2,
    };
    (limit >= MIN_SPLIT_MS).then_some(limit)
}

/// What a counts panel asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct CountsRequest {
    pub endpoint: Endpoint,
    pub intenttype: Option<IntentType>,
    pub range: TimeSpan,
    pub interval: Interval,
    pub tz: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// A finished load: the table (complete unless `failures`) and what failed.
#[derive(Clone, Debug)]
pub struct CountsOutcome {
    pub table: CountTable,
    pub failures: Vec<(TimeSpan, FetchError)>,
    pub progress: Progress,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    UnknownZone(String),
    Buckets(BucketError),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::UnknownZone(z) => write!(f, "unknown time zone \"{z}\""),
            LoadError::Buckets(e) => write!(f, "{e}"),
        }
    }
}

pub(super) type CallResult = Result<Rc<Vec<WireBucket>>, FetchError>;
pub(super) type SharedCall = Shared<LocalBoxFuture<'static, CallResult>>;

#[derive(Clone, Debug)]
pub struct EngineSettings {
    pub relay_url: String,
    pub provider_id: String,
    pub partner_id: String,
    pub api_key: Option<String>,
    pub limits: RangeLimits,
    /// Limits from the deployment's config are trusted; the defaults are probed.
    pub limits_trusted: bool,
    pub concurrency: usize,
    pub policy: RetryPolicy,
    /// A bucket ending later than `now - settle_ms` can still change: not cached.
    pub settle_ms: i64,
    pub fact_cap: usize,
}

impl EngineSettings {
    pub fn from_config(c: &DeploymentConfig) -> Self {
        EngineSettings {
            relay_url: c.relay_url.clone(),
            provider_id: c.provider_id.clone(),
            partner_id: c.partner_id.clone(),
            api_key: c.api_key.clone(),
            limits: c.limits,
            limits_trusted: c.limits_configured,
            concurrency: c.concurrency,
            policy: RetryPolicy::default(),
            settle_ms: 120_000,
            fact_cap: 200_000,
        }
    }
}

pub struct FetchEngine {
    pub(super) settings: EngineSettings,
    pub(super) source: Rc<str>,
    pub(super) runner: CallRunner,
    /// The count limits in force: configured, or learned once for the page.
    pub(super) learner: Rc<LimitLearner>,
    /// The Messages limit in force: configured or default, shrunk for the session.
    pub(super) messages_limit: Cell<i64>,
    pub(super) facts: RefCell<FactCache>,
    pub(super) message_cache: super::messages::MessageCacheCell,
    pub(super) inflight: RefCell<HashMap<String, WeakShared<LocalBoxFuture<'static, CallResult>>>>,
    /// HTTP requests sent, every attempt counted.
    requests: Rc<Cell<u64>>,
}

impl FetchEngine {
    pub fn new(settings: EngineSettings, transport: Rc<dyn Transport>, clock: Rc<dyn Clock>) -> Rc<Self> {
        Self::for_tenant(settings, None, transport, clock)
    }

    /// An engine for the token's tenant (`tid`) with token auth: counts cached in
    /// IndexedDB are kept apart per tenant, so one browser never shows a tenant
    /// another's.
    pub fn for_tenant(
        settings: EngineSettings,
        tenant: Option<&str>,
        transport: Rc<dyn Transport>,
        clock: Rc<dyn Clock>,
    ) -> Rc<Self> {
        let mut source = format!("{}|{}|{}", settings.relay_url, settings.provider_id, settings.partner_id);
        if let Some(tid) = tenant {
            source = format!("{source}|tid={tid}");
        }
        let source: Rc<str> = source.into();
        let requests = Rc::new(Cell::new(0));
        Rc::new(FetchEngine {
            runner: CallRunner {
                transport: Rc::new(CountingTransport { inner: transport, count: requests.clone() }),
                clock,
                permits: Rc::new(Semaphore::new(settings.concurrency.max(1))),
                policy: settings.policy.clone(),
            },
            learner: LimitLearner::new(settings.limits, settings.limits_trusted),
            messages_limit: Cell::new(settings.limits.messages_ms),
            facts: RefCell::new(FactCache::new(settings.fact_cap)),
            message_cache: Default::default(),
            inflight: RefCell::new(HashMap::new()),
            requests,
            source,
            settings,
        })
    }

    /// HTTP requests sent so far (every attempt counts): the benchmark's figure.
    pub fn requests_sent(&self) -> u64 {
        self.requests.get()
    }

    /// The limits calls are planned under now.
    pub fn limits(&self) -> RangeLimits {
        RangeLimits { messages_ms: self.messages_limit.get(), ..self.learner.plan_limits() }
    }

    /// `RANGE_TOO_LARGE` answers to count calls so far: the benchmark's figure.
    pub fn refused_calls(&self) -> u64 {
        self.learner.refused_calls()
    }

    pub fn series(&self, endpoint: Endpoint, intenttype: Option<IntentType>) -> SeriesId {
        SeriesId { source: self.source.clone(), endpoint, intenttype }
    }

    pub fn now_ms(&self) -> i64 {
        self.runner.clock.now_ms()
    }

    /// Shrinks the Messages limit for the session after a refusal; never grows it.
    pub(super) fn shrink_messages_limit(&self, limit: i64) {
        self.messages_limit.set(self.messages_limit.get().min(limit));
    }

    pub(super) fn url(&self, endpoint: Endpoint) -> String {
        let s = &self.settings;
        wire::request_url(&s.relay_url, endpoint, &s.provider_id, &s.partner_id, s.api_key.as_deref())
    }

    /// Caches the buckets a call completed, if they are settled.
    pub(super) fn remember(&self, id: &SeriesId, table: &CountTable, done: &[usize]) {
        let settled_before = self.now_ms() - self.settings.settle_ms;
        let mut facts = self.facts.borrow_mut();
        for &i in done {
            let span = table.bucket(i);
            if span.end <= settled_before {
                if let Some(c) = &table.cells[i] {
                    facts.insert(id, span, c.clone());
                }
            }
        }
    }

    /// Sends a raw call through the retrying runner (used by the message loader).
    pub(super) async fn run_raw<T>(
        &self,
        endpoint: Endpoint,
        body: String,
        parse: impl Fn(&RawResponse) -> Result<T, ApiError>,
    ) -> Result<T, FetchError> {
        self.runner.run(&self.url(endpoint), &body, parse).await
    }
}

/// Counts every HTTP request sent, for the benchmark and the "no call on repeat" test.
struct CountingTransport {
    inner: Rc<dyn Transport>,
    count: Rc<Cell<u64>>,
}

impl Transport for CountingTransport {
    fn post(
        &self,
        url: String,
        body: String,
    ) -> LocalBoxFuture<'static, Result<RawResponse, super::transport::TransportError>> {
        self.count.set(self.count.get() + 1);
        self.inner.post(url, body)
    }
}
