//! `FetchEngine::load_counts`: a counts table, call by call.
//!
//! Every planned call first passes the page's limit gate (`limits`): a call
//! within what is known to work goes at once; while the limit is being learned,
//! one call longer than that goes as the probe (its head only, if the search wants
//! a shorter length) and the others wait for its answer; once the limit is known,
//! a longer call is planned again under it, after taking from the cache whatever
//! other panels fetched meanwhile.

use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, WeakShared};
use futures::stream::{FuturesUnordered, StreamExt};
use jiff::tz::TimeZone;

use crate::domain::config::RangeLimits;
use crate::domain::count_table::CountTable;
use crate::domain::time::{boundaries, zone, Interval, IntervalUnit, LimitClass, TimeSpan};
use crate::domain::wire::{self, ApiError, RequestBody};

use super::call::FetchError;
use super::facts::SeriesId;
use super::fetch::MAX_ENGINE_BUCKETS;
use super::fetch::{CallResult, CountsOutcome, CountsRequest, FetchEngine, LoadError, Progress, SharedCall};
use super::limits::{Admission, ProbeSlot, MIN_CALL_MS};
use super::plan::{plan_counts, split_span, PlannedCall};

enum Step {
    Admitted(PlannedCall, Admission),
    Answered(PlannedCall, CallResult),
}

type StepFuture = LocalBoxFuture<'static, Step>;

impl FetchEngine {
    /// One count call, shared with any identical call already in flight. What its
    /// answer says about the limit is recorded once, here; `slot` (the probe's) is
    /// freed after that.
    fn counts_call(self: &Rc<Self>, req: &CountsRequest, call: PlannedCall, slot: Option<ProbeSlot>) -> SharedCall {
        let interval = call.interval.expect("count calls carry an interval");
        let body = RequestBody {
            start_time: call.span.start,
            end_time: call.span.end,
            interval: Some(interval.to_wire()),
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
        let fut = async move {
            let result = this.runner.run(&url, &body, wire::parse_counts).await.map(Rc::new);
            let (class, len) = (interval.limit_class(), call.span.len_ms());
            match &result {
                Ok(_) => this.learner.worked(class, len),
                Err(FetchError::Api(ApiError::RangeTooLarge { max_range_ms })) => {
                    this.learner.refused(class, len, *max_range_ms)
                }
                Err(_) => {}
            }
            drop(slot);
            result
        }
        .boxed_local()
        .shared();
        let mut inflight = self.inflight.borrow_mut();
        inflight.retain(|_, w| w.upgrade().is_some());
        if let Some(weak) = fut.downgrade() {
            inflight.insert(key, weak);
        }
        fut
    }

    fn admit_step(self: &Rc<Self>, call: PlannedCall) -> StepFuture {
        let learner = self.learner.clone();
        let interval = call.interval.expect("count calls carry an interval");
        async move {
            let a = learner.admit(interval.limit_class(), call.span.len_ms(), interval.nominal_ms()).await;
            Step::Admitted(call, a)
        }
        .boxed_local()
    }

    fn send_step(self: &Rc<Self>, req: &CountsRequest, call: PlannedCall, slot: Option<ProbeSlot>) -> StepFuture {
        self.counts_call(req, call, slot).map(move |r| Step::Answered(call, r)).boxed_local()
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
        let n = table.len();
        self.fill_from_cache(&id, &mut table, 0, n);
        // While the limit is unknown, plan each missing run as one call and let the
        // gate cut it: cutting at a guessed limit first would leave stubs.
        let mut limits = self.limits();
        if !self.learner.settled(req.interval.limit_class()) {
            set_limit(&mut limits, req.interval, i64::MAX / 4);
        }
        let calls = plan_counts(&table.boundaries, &table.known(), req.interval, &tz, &limits);
        let mut progress = Progress { done: 0, total: calls.len() };
        let mut failures = Vec::new();
        on_update(&table, progress);

        let mut running: FuturesUnordered<StepFuture> = calls.into_iter().map(|c| self.admit_step(c)).collect();
        while let Some(step) = running.next().await {
            match step {
                Step::Admitted(call, Admission::Go) => match self.cached_part(req, &id, &mut table, call) {
                    // Another panel fetched part of it while this call waited.
                    true => {
                        let limit = self.limits().for_class(req.interval.limit_class());
                        let pieces = self.replan(req, &tz, &id, &mut table, call, limit);
                        self.requeue(&mut running, &mut progress, pieces);
                    }
                    false => running.push(self.send_step(req, call, None)),
                },
                Step::Admitted(call, Admission::Probe(max_len, slot)) => {
                    if call.span.len_ms() <= max_len {
                        running.push(self.send_step(req, call, Some(slot)));
                        continue;
                    }
                    let pieces = self.probe_pieces(req, &tz, &id, &mut table, call, max_len);
                    match pieces.split_first() {
                        // A head of whole buckets is the probe; the rest waits as one call,
                        // to be planned under whatever the probe teaches.
                        Some((head, rest)) if head.interval == call.interval && !rest.is_empty() => {
                            progress.total += 1;
                            running.push(self.send_step(req, *head, Some(slot)));
                            let rest = PlannedCall { span: TimeSpan::new(head.span.end, call.span.end), ..call };
                            running.push(self.admit_step(rest));
                        }
                        _ => {
                            drop(slot);
                            self.requeue(&mut running, &mut progress, pieces);
                        }
                    }
                }
                Step::Admitted(call, Admission::Shrink(limit)) => {
                    if limit < MIN_CALL_MS {
                        progress.done += 1;
                        failures.push((call.span, FetchError::Api(ApiError::RangeTooLarge { max_range_ms: None })));
                    } else {
                        let pieces = self.replan(req, &tz, &id, &mut table, call, limit);
                        self.requeue(&mut running, &mut progress, pieces);
                    }
                }
                Step::Answered(call, result) => {
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
                                let pieces = split_span(call.span, self.limits().hour_ms);
                                progress.total += pieces.len();
                                for span in pieces {
                                    running.push(self.admit_step(PlannedCall { span, interval: Some(hour) }));
                                }
                            }
                            Err(detail) => {
                                failures.push((call.span, FetchError::Api(ApiError::BadShape { status: 200, detail })))
                            }
                        },
                        // The learner has recorded it: ask the gate again.
                        Err(FetchError::Api(ApiError::RangeTooLarge { .. })) => {
                            progress.total += 1;
                            running.push(self.admit_step(call));
                        }
                        Err(e) => failures.push((call.span, e)),
                    }
                    on_update(&table, progress);
                }
            }
        }
        failures.sort_by_key(|(s, _)| s.start);
        Ok(CountsOutcome { table, failures, progress })
    }

    /// The call planned under the probe's length, its head longer than what is
    /// known to work: a day across a DST change lasts 25 hours, so whole buckets
    /// under a probe length may add up to less than it.
    fn probe_pieces(
        &self,
        req: &CountsRequest,
        tz: &TimeZone,
        id: &SeriesId,
        table: &mut CountTable,
        call: PlannedCall,
        max_len: i64,
    ) -> Vec<PlannedCall> {
        let class = req.interval.limit_class();
        let good = self.learner.snapshot(class).good;
        let step = call.interval.map_or(MIN_CALL_MS, |i| i.nominal_ms()) / 4;
        let mut len = max_len;
        loop {
            let pieces = self.replan(req, tz, id, table, call, len);
            let short = pieces.first().is_some_and(|h| h.span.len_ms() <= good);
            if !short || len >= call.span.len_ms() {
                return pieces;
            }
            len += step;
        }
    }

    /// Queues the pieces that replace one call (none: the cache answered it).
    fn requeue(
        self: &Rc<Self>,
        running: &mut FuturesUnordered<StepFuture>,
        progress: &mut Progress,
        pieces: Vec<PlannedCall>,
    ) {
        if pieces.is_empty() {
            progress.done += 1;
        }
        progress.total += pieces.len().saturating_sub(1);
        for p in pieces {
            running.push(self.admit_step(p));
        }
    }

    /// Whether the cache now knows a bucket of this (whole-bucket) call that the
    /// table did not; fills it in.
    fn cached_part(&self, req: &CountsRequest, id: &SeriesId, table: &mut CountTable, call: PlannedCall) -> bool {
        let Some((lo, hi)) = whole_buckets(req, table, call) else { return false };
        let before = table.cells[lo..hi].iter().filter(|c| c.is_some()).count();
        self.fill_from_cache(id, table, lo, hi);
        table.cells[lo..hi].iter().filter(|c| c.is_some()).count() > before
    }

    /// Fills buckets `lo..hi` from the settled cache where it can.
    fn fill_from_cache(&self, id: &SeriesId, table: &mut CountTable, lo: usize, hi: usize) {
        let facts = self.facts.borrow();
        for i in lo..hi {
            if table.cells[i].is_none() {
                if let Some(c) = facts.lookup(id, table.bucket(i)) {
                    table.cells[i] = Some(c);
                }
            }
        }
    }

    /// Plans a call's span again under `limit`: whole buckets (taking from the
    /// cache what other panels fetched meanwhile) when the call is made of them,
    /// else pieces of the same interval.
    fn replan(
        &self,
        req: &CountsRequest,
        tz: &TimeZone,
        id: &SeriesId,
        table: &mut CountTable,
        call: PlannedCall,
        limit: i64,
    ) -> Vec<PlannedCall> {
        let interval = call.interval.expect("count calls carry an interval");
        if let Some((lo, hi)) = whole_buckets(req, table, call) {
            self.fill_from_cache(id, table, lo, hi);
            let sub = &table.boundaries[lo..=hi];
            let have = &table.known()[lo..hi];
            let mut limits = self.limits();
            set_limit(&mut limits, interval, limit);
            return plan_counts(sub, have, interval, tz, &limits);
        }
        split_span(call.span, limit).into_iter().map(|span| PlannedCall { span, interval: Some(interval) }).collect()
    }
}

/// The table's bucket indices `lo..hi` a call covers, when it is made of whole
/// buckets of the request's interval.
fn whole_buckets(req: &CountsRequest, table: &CountTable, call: PlannedCall) -> Option<(usize, usize)> {
    let b = &table.boundaries;
    if call.interval != Some(req.interval) {
        return None;
    }
    Some((b.binary_search(&call.span.start).ok()?, b.binary_search(&call.span.end).ok()?))
}

fn set_limit(limits: &mut RangeLimits, interval: Interval, limit: i64) {
    match interval.limit_class() {
        LimitClass::Hour => limits.hour_ms = limit,
        LimitClass::Day | LimitClass::Messages => limits.day_ms = limit,
    }
}
