//! `FetchEngine`: turns a panel's request into a complete, exact bucket table (or
//! a message list), calling the API as little as possible.
//!
//! A load: buckets already settled in the cache are filled first; the planner
//! covers the rest with the fewest exact calls; calls run concurrently within the
//! page-wide limit; a `RANGE_TOO_LARGE` answer teaches the session a smaller limit
//! and re-plans just that call's span; a call that still fails is reported with its
//! span so the panel can say which part is missing (never shown as zeros). Two
//! panels asking for the same call share one request. Dropping the load's future
//! cancels everything it still has in flight.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use async_lock::Semaphore;
use futures::future::{FutureExt, LocalBoxFuture, Shared, WeakShared};
use futures::stream::{FuturesUnordered, StreamExt};
use jiff::tz::TimeZone;

use crate::domain::config::{DeploymentConfig, RangeLimits};
use crate::domain::time::{boundaries, zone, BucketError, Interval, IntervalUnit, LimitClass, TimeSpan};
use crate::domain::wire::{self, ApiError, Endpoint, IntentType, RawResponse, RequestBody, WireBucket};

use super::call::{CallRunner, FetchError, RetryPolicy};
use super::facts::{FactCache, SeriesId};
use super::plan::{plan_counts, split_span, PlannedCall};
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

type CallResult = Result<Rc<Vec<WireBucket>>, FetchError>;
type SharedCall = Shared<LocalBoxFuture<'static, CallResult>>;

#[derive(Clone, Debug)]
pub struct EngineSettings {
    pub relay_url: String,
    pub provider_id: String,
    pub partner_id: String,
    pub api_key: Option<String>,
    pub limits: RangeLimits,
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
    /// Limits in force: configured or default, shrunk by what the server taught us.
    pub(super) limits: Cell<RangeLimits>,
    pub(super) facts: RefCell<FactCache>,
    pub(super) message_cache: super::messages::MessageCacheCell,
    inflight: RefCell<HashMap<String, WeakShared<LocalBoxFuture<'static, CallResult>>>>,
    /// HTTP requests sent, every attempt counted.
    requests: Rc<Cell<u64>>,
}

impl FetchEngine {
    pub fn new(settings: EngineSettings, transport: Rc<dyn Transport>, clock: Rc<dyn Clock>) -> Rc<Self> {
        let source: Rc<str> = format!("{}|{}|{}", settings.relay_url, settings.provider_id, settings.partner_id).into();
        let requests = Rc::new(Cell::new(0));
        Rc::new(FetchEngine {
            runner: CallRunner {
                transport: Rc::new(CountingTransport { inner: transport, count: requests.clone() }),
                clock,
                permits: Rc::new(Semaphore::new(settings.concurrency.max(1))),
                policy: settings.policy.clone(),
            },
            limits: Cell::new(settings.limits),
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

    pub fn limits(&self) -> RangeLimits {
        self.limits.get()
    }

    pub fn series(&self, endpoint: Endpoint, intenttype: Option<IntentType>) -> SeriesId {
        SeriesId { source: self.source.clone(), endpoint, intenttype }
    }

    pub fn now_ms(&self) -> i64 {
        self.runner.clock.now_ms()
    }

    /// Shrinks the limit of a class after a `RANGE_TOO_LARGE`; never grows it.
    pub(super) fn learn_limit(&self, class: LimitClass, limit: i64) {
        let mut l = self.limits.get();
        let slot = match class {
            LimitClass::Hour => &mut l.hour_ms,
            LimitClass::Day => &mut l.day_ms,
            LimitClass::Messages => &mut l.messages_ms,
        };
        *slot = (*slot).min(limit);
        self.limits.set(l);
    }

    pub(super) fn url(&self, endpoint: Endpoint) -> String {
        let s = &self.settings;
        wire::request_url(&s.relay_url, endpoint, &s.provider_id, &s.partner_id, s.api_key.as_deref())
    }

    /// One count call, shared with any identical call already in flight.
    fn counts_call(self: &Rc<Self>, req: &CountsRequest, call: PlannedCall) -> SharedCall {
        let body = RequestBody {
            start_time: call.span.start,
            end_time: call.span.end,
            interval: call.interval.map(|i| i.to_wire()),
            timezone: &req.tz,
            intenttype: req.intenttype.map(|t| t.as_str()),
        };
        let body = serde_json::to_string(&body).expect("a request body always serialises");
        let key = format!("{}|{:?}|{}", self.source, req.endpoint, body);
        if let Some(existing) = self.inflight.borrow().get(&key).and_then(WeakShared::upgrade) {
            return existing;
        }
        let this = self.clone();
        let url = self.url(req.endpoint);
        let fut =
            async move { this.runner.run(&url, &body, wire::parse_counts).await.map(Rc::new) }.boxed_local().shared();
        let mut inflight = self.inflight.borrow_mut();
        inflight.retain(|_, w| w.upgrade().is_some());
        if let Some(weak) = fut.downgrade() {
            inflight.insert(key, weak);
        }
        fut
    }

    /// Loads a counts table. `on_update` sees the table after every finished call,
    /// so a chart can draw what has arrived.
    pub async fn load_counts(
        self: &Rc<Self>,
        req: &CountsRequest,
        on_update: &mut dyn FnMut(&CountTable, Progress),
    ) -> Result<CountsOutcome, LoadError> {
        let tz = zone(&req.tz).ok_or_else(|| LoadError::UnknownZone(req.tz.clone()))?;
        let bounds = boundaries(req.range, req.interval, &tz, MAX_ENGINE_BUCKETS).map_err(LoadError::Buckets)?;
        let mut table = CountTable::new(bounds);
        let id = self.series(req.endpoint, req.intenttype);
        {
            let facts = self.facts.borrow();
            for i in 0..table.len() {
                if let Some(c) = facts.lookup(&id, table.bucket(i)) {
                    table.cells[i] = Some(c);
                }
            }
        }
        let calls = plan_counts(&table.boundaries, &table.known(), req.interval, &tz, &self.limits.get());
        let mut progress = Progress { done: 0, total: calls.len() };
        let mut failures = Vec::new();
        on_update(&table, progress);

        let mut running = FuturesUnordered::new();
        for call in calls {
            running.push(self.counts_call(req, call).map(move |r| (call, r)).boxed_local());
        }
        while let Some((call, result)) = running.next().await {
            progress.done += 1;
            match result {
                Ok(buckets) => match table.merge_call(call.span, &buckets) {
                    Ok(done) => self.remember(&id, &table, &done),
                    // Calendar buckets that do not line up with ours: the server's
                    // time-zone rules differ (one side has an older tzdb after a
                    // government changed its clocks, e.g. Vancouver from November
                    // 2026). Hours are the same under any rules, so this span is
                    // fetched by the hour and summed into our buckets: exact, and
                    // no error for a panel that can be right.
                    Err(_) if call.interval.is_some_and(|i| i.unit != IntervalUnit::Hour) => {
                        let hour = Interval::hours(1);
                        let pieces = split_span(call.span, self.limits.get().hour_ms);
                        progress.total += pieces.len();
                        for span in pieces {
                            let c = PlannedCall { span, interval: Some(hour) };
                            running.push(self.counts_call(req, c).map(move |r| (c, r)).boxed_local());
                        }
                    }
                    Err(detail) => {
                        failures.push((call.span, FetchError::Api(ApiError::BadShape { status: 200, detail })))
                    }
                },
                Err(FetchError::Api(ApiError::RangeTooLarge { max_range_ms })) => {
                    match self.replan_smaller(req, &tz, &table, call, max_range_ms) {
                        Some(smaller) => {
                            progress.total += smaller.len();
                            for c in smaller {
                                running.push(self.counts_call(req, c).map(move |r| (c, r)).boxed_local());
                            }
                        }
                        None => failures.push((call.span, FetchError::Api(ApiError::RangeTooLarge { max_range_ms }))),
                    }
                }
                Err(e) => failures.push((call.span, e)),
            }
            on_update(&table, progress);
        }
        failures.sort_by_key(|(s, _)| s.start);
        Ok(CountsOutcome { table, failures, progress })
    }

    /// After `RANGE_TOO_LARGE`: learn the limit (the hint, else half the call) and
    /// plan the call's span again under it. `None` when it cannot get smaller.
    fn replan_smaller(
        &self,
        req: &CountsRequest,
        tz: &TimeZone,
        table: &CountTable,
        call: PlannedCall,
        hint: Option<i64>,
    ) -> Option<Vec<PlannedCall>> {
        let limit = smaller_limit(call.span.len_ms(), hint)?;
        let interval = call.interval?;
        self.learn_limit(interval.limit_class(), limit);
        let b = &table.boundaries;
        let whole_buckets = interval == req.interval
            && b.binary_search(&call.span.start).is_ok()
            && b.binary_search(&call.span.end).is_ok();
        if whole_buckets {
            let lo = b.binary_search(&call.span.start).ok()?;
            let hi = b.binary_search(&call.span.end).ok()?;
            let sub = &b[lo..=hi];
            Some(plan_counts(sub, &vec![false; sub.len() - 1], interval, tz, &self.limits.get()))
        } else {
            Some(
                split_span(call.span, limit)
                    .into_iter()
                    .map(|span| PlannedCall { span, interval: Some(interval) })
                    .collect(),
            )
        }
    }

    /// Caches the buckets a call completed, if they are settled.
    fn remember(&self, id: &SeriesId, table: &CountTable, done: &[usize]) {
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
