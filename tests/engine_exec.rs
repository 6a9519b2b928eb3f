//! Native tests of the fetch engine's executor against a scripted fake server, on
//! tokio's paused clock (sleeps and timeouts take no real time).
#![cfg(not(target_arch = "wasm32"))]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use engagement_dashboard::domain::config::RangeLimits;
use engagement_dashboard::domain::time::{Interval, TimeSpan};
use engagement_dashboard::domain::wire::{Endpoint, RawResponse};
use engagement_dashboard::engine::call::RetryPolicy;
use engagement_dashboard::engine::fetch::{CountsRequest, EngineSettings, FetchEngine};
use engagement_dashboard::engine::transport::{Clock, Transport, TransportError};
use futures::future::{FutureExt, LocalBoxFuture};
use serde_json::{json, Value};

const H: i64 = 3_600_000;
const D: i64 = 86_400_000;
/// "Now" in these tests: far after every range used, so everything is settled.
const NOW: i64 = 2_000_000_000_000;
/// One event every 10 minutes: the truth for any span is computable.
const EVERY: i64 = 600_000;

fn truth(span: TimeSpan) -> u64 {
    let first = span.start.div_euclid(EVERY) + i64::from(span.start.rem_euclid(EVERY) != 0);
    let last = (span.end - 1).div_euclid(EVERY);
    (last - first + 1).max(0) as u64
}

#[derive(Clone, Debug)]
enum Fault {
    Status(u16, &'static str),
    RateLimited(&'static str),
    Hang,
    Network,
}

struct FakeServer {
    limit_ms: i64,
    hint: bool,
    faults: RefCell<VecDeque<Fault>>,
    /// Calls whose span starts here always fail with 500.
    broken_start: Cell<Option<i64>>,
    latency_ms: u64,
    log: RefCell<Vec<Value>>,
    active: Rc<Cell<usize>>,
    max_active: Cell<usize>,
}

impl FakeServer {
    fn new(limit_ms: i64) -> Rc<Self> {
        Rc::new(FakeServer {
            limit_ms,
            hint: true,
            faults: RefCell::new(VecDeque::new()),
            broken_start: Cell::new(None),
            latency_ms: 50,
            log: RefCell::new(Vec::new()),
            active: Rc::new(Cell::new(0)),
            max_active: Cell::new(0),
        })
    }

    fn answer(&self, body: &Value) -> RawResponse {
        let (start, end) = (body["startTime"].as_i64().unwrap(), body["endTime"].as_i64().unwrap());
        if body.get("interval").is_none() {
            return messages_answer(start, end);
        }
        if self.broken_start.get() == Some(start) {
            return resp(500, json!({"code":"error","error":"INTERNAL","message":"boom"}).to_string());
        }
        if end - start > self.limit_ms {
            let mut e = json!({"code":"error","error":"RANGE_TOO_LARGE","message":"too large"});
            if self.hint {
                e["maxRangeMs"] = json!(self.limit_ms);
            }
            return resp(400, e.to_string());
        }
        // Fixed-hour buckets are enough here: these tests are about the executor.
        let step = match body["interval"].as_str().unwrap() {
            "1h" => H,
            "1d" => D,
            other => panic!("unexpected interval {other}"),
        };
        let mut buckets = Vec::new();
        let mut s = start;
        while s < end {
            let e = (s + step).min(end);
            buckets.push(json!({"start": s, "end": e, "counts": {"total": truth(TimeSpan::new(s, e))}}));
            s = e;
        }
        resp(200, json!({"code":"success","buckets":buckets}).to_string())
    }
}

/// Messages: one every `MESSAGE_EVERY` ms; more than `MAX_MESSAGES` in the range
/// is refused with TOO_MANY_RESULTS, as the contract says.
const MESSAGE_EVERY: i64 = 30_000;
const MAX_MESSAGES: i64 = 10_000;

fn messages_answer(start: i64, end: i64) -> RawResponse {
    let first = start.div_euclid(MESSAGE_EVERY) + i64::from(start.rem_euclid(MESSAGE_EVERY) != 0);
    let last = (end - 1).div_euclid(MESSAGE_EVERY);
    if last - first + 1 > MAX_MESSAGES {
        return resp(400, json!({"code":"error","error":"TOO_MANY_RESULTS","message":"narrow the range"}).to_string());
    }
    let msgs: Vec<Value> = (first..=last)
        .rev() // no guaranteed order
        .map(|k| json!({"text": "hi", "timestamp": "", "ts": k * MESSAGE_EVERY, "sessionid": format!("{k}.1"), "sentiment": 0, "topic": "billing", "score": 0.5, "topmatches": []}))
        .collect();
    resp(200, Value::Array(msgs).to_string())
}

fn resp(status: u16, body: String) -> RawResponse {
    RawResponse { status, retry_after: None, body }
}

struct ActiveGuard(Rc<Cell<usize>>);
impl Drop for ActiveGuard {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

struct FakeTransport(Rc<FakeServer>);

impl Transport for FakeTransport {
    fn post(&self, _url: String, body: String) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
        let server = self.0.clone();
        async move {
            server.active.set(server.active.get() + 1);
            server.max_active.set(server.max_active.get().max(server.active.get()));
            let _guard = ActiveGuard(server.active.clone());
            let body: Value = serde_json::from_str(&body).unwrap();
            server.log.borrow_mut().push(body.clone());
            tokio::time::sleep(std::time::Duration::from_millis(server.latency_ms)).await;
            let fault = server.faults.borrow_mut().pop_front();
            match fault {
                Some(Fault::Status(code, text)) => Ok(resp(code, text.to_string())),
                Some(Fault::RateLimited(after)) => {
                    Ok(RawResponse { status: 429, retry_after: Some(after.into()), body: "{}".into() })
                }
                Some(Fault::Hang) => futures::future::pending().await,
                Some(Fault::Network) => Err(TransportError::Network("connection refused".into())),
                None => Ok(server.answer(&body)),
            }
        }
        .boxed_local()
    }
}

struct TokioClock {
    start: tokio::time::Instant,
}
impl Clock for TokioClock {
    fn now_ms(&self) -> i64 {
        NOW + self.start.elapsed().as_millis() as i64
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).boxed_local()
    }
    fn random(&self) -> f64 {
        0.5
    }
}

fn engine(server: &Rc<FakeServer>, limits: RangeLimits, concurrency: usize) -> Rc<FetchEngine> {
    engine_of(server, limits, concurrency, None)
}

fn engine_of(
    server: &Rc<FakeServer>,
    limits: RangeLimits,
    concurrency: usize,
    tenant: Option<&str>,
) -> Rc<FetchEngine> {
    let settings = EngineSettings {
        relay_url: "http://relay.test".into(),
        provider_id: "1020".into(),
        partner_id: "1021".into(),
        api_key: None,
        limits,
        limits_trusted: false,
        concurrency,
        policy: RetryPolicy { timeout_ms: 5_000, ..RetryPolicy::default() },
        settle_ms: 120_000,
        fact_cap: 100_000,
    };
    FetchEngine::for_tenant(
        settings,
        tenant,
        Rc::new(FakeTransport(server.clone())),
        Rc::new(TokioClock { start: tokio::time::Instant::now() }),
    )
}

fn hourly(range: TimeSpan) -> CountsRequest {
    CountsRequest {
        endpoint: Endpoint::Interactions,
        intenttype: None,
        range,
        interval: Interval::hours(1),
        tz: "UTC".into(),
    }
}

fn assert_exact(outcome: &engagement_dashboard::engine::fetch::CountsOutcome) {
    let t = &outcome.table;
    for i in 0..t.len() {
        assert_eq!(t.value(i, "total"), Some(truth(t.bucket(i))), "bucket {i}");
    }
}

async fn load(e: &Rc<FetchEngine>, req: &CountsRequest) -> engagement_dashboard::engine::fetch::CountsOutcome {
    e.load_counts(req, &mut |_, _| {}).await.unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_5xx_then_success_is_retried() {
    let server = FakeServer::new(7 * D);
    server.faults.borrow_mut().push_back(Fault::Status(503, r#"{"code":"error","error":"UNAVAILABLE","message":"x"}"#));
    let e = engine(&server, RangeLimits::default(), 4);
    let out = load(&e, &hourly(TimeSpan::new(0, 2 * D))).await;
    assert!(out.failures.is_empty());
    assert_exact(&out);
    assert_eq!(e.requests_sent(), 2);
}

#[tokio::test(start_paused = true)]
async fn an_html_502_is_retried_and_then_reported_with_its_status() {
    let server = FakeServer::new(7 * D);
    for _ in 0..10 {
        server.faults.borrow_mut().push_back(Fault::Status(502, "<html><h1>Bad Gateway</h1></html>"));
    }
    let e = engine(&server, RangeLimits::default(), 4);
    let out = load(&e, &hourly(TimeSpan::new(0, D))).await;
    assert_eq!(out.failures.len(), 1);
    assert_eq!(out.failures[0].1.status(), Some(502));
    assert_eq!(e.requests_sent(), 4, "first try plus three retries");
    assert!(out.table.cells.iter().all(Option::is_none), "a failed span is never zeros");
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_for_retry_after() {
    let server = FakeServer::new(7 * D);
    server.faults.borrow_mut().push_back(Fault::RateLimited("3"));
    let e = engine(&server, RangeLimits::default(), 4);
    let t0 = tokio::time::Instant::now();
    let out = load(&e, &hourly(TimeSpan::new(0, D))).await;
    assert!(out.failures.is_empty());
    assert!(t0.elapsed() >= std::time::Duration::from_secs(3), "waited {:?}", t0.elapsed());
    assert!(t0.elapsed() < std::time::Duration::from_secs(4));
}

#[tokio::test(start_paused = true)]
async fn a_hung_call_times_out_and_is_retried() {
    let server = FakeServer::new(7 * D);
    server.faults.borrow_mut().push_back(Fault::Hang);
    server.faults.borrow_mut().push_back(Fault::Network);
    let e = engine(&server, RangeLimits::default(), 4);
    let out = load(&e, &hourly(TimeSpan::new(0, D))).await;
    assert!(out.failures.is_empty());
    assert_exact(&out);
    assert_eq!(e.requests_sent(), 3);
    assert_eq!(server.active.get(), 0, "the hung request was dropped");
}

fn refused(server: &FakeServer, from: usize) -> usize {
    server.log.borrow()[from..]
        .iter()
        .filter(|c| c["endTime"].as_i64().unwrap() - c["startTime"].as_i64().unwrap() > server.limit_ms)
        .count()
}

#[tokio::test(start_paused = true)]
async fn a_limit_without_a_hint_is_searched_within_three_refusals_and_remembered() {
    let server = Rc::new(FakeServer { hint: false, ..Rc::try_unwrap(FakeServer::new(3 * D)).ok().unwrap() });
    let e = engine(&server, RangeLimits::default(), 4);
    let out = load(&e, &hourly(TimeSpan::new(0, 30 * D))).await;
    assert!(out.failures.is_empty());
    assert_exact(&out);
    assert!(refused(&server, 0) <= 3, "{} refused", refused(&server, 0));
    assert_eq!(e.refused_calls() as usize, refused(&server, 0));
    let learned = e.limits().hour_ms;
    assert!(learned <= 3 * D && learned * 11 >= 3 * D * 10, "found {} h", learned / H);
    // The next load plans under the learned limit: no refused call.
    let before = server.log.borrow().len();
    let out = load(&e, &hourly(TimeSpan::new(40 * D, 50 * D))).await;
    assert_exact(&out);
    assert_eq!(refused(&server, before), 0);
}

/// The page of the issue: six series (four panels and the key figures' previous
/// period) of 90 days at 1d against a 10-day limit the server does not hint.
#[tokio::test(start_paused = true)]
async fn a_page_learns_the_limit_once_for_all_its_panels() {
    let server = Rc::new(FakeServer { hint: false, ..Rc::try_unwrap(FakeServer::new(10 * D)).ok().unwrap() });
    let e = engine(&server, RangeLimits::default(), 4);
    let daily = |start: i64, endpoint| CountsRequest {
        endpoint,
        interval: Interval::days(1),
        ..hourly(TimeSpan::new(start, start + 90 * D))
    };
    let reqs = [
        daily(0, Endpoint::Interactions),
        daily(0, Endpoint::InteractionType),
        daily(0, Endpoint::CustomerEndpoint),
        daily(0, Endpoint::Intents),
        daily(-90 * D, Endpoint::Interactions),
        daily(-90 * D, Endpoint::InteractionType),
    ];
    let outs = futures::future::join_all(reqs.iter().map(|r| load(&e, r))).await;
    outs.iter().for_each(assert_exact);
    let minimum = 6 * 9;
    let calls = server.log.borrow().len();
    assert!(refused(&server, 0) <= 3, "{} refused", refused(&server, 0));
    assert!(calls * 4 <= minimum * 5, "{calls} calls, minimum {minimum}");
    assert_eq!(e.limits().day_ms, 10 * D);
}

#[tokio::test(start_paused = true)]
async fn a_limit_with_a_hint_is_used_at_once() {
    let server = FakeServer::new(2 * D);
    let e = engine(&server, RangeLimits::default(), 4);
    let out = load(&e, &hourly(TimeSpan::new(0, 7 * D))).await;
    assert_exact(&out);
    assert_eq!(e.limits().hour_ms, 2 * D);
    // One refused call, then 4 calls of at most 2 days.
    assert_eq!(e.requests_sent(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_span_that_keeps_failing_is_reported_and_the_rest_is_exact() {
    let server = FakeServer::new(7 * D);
    server.broken_start.set(Some(7 * D));
    let e = engine(&server, RangeLimits::default(), 4);
    let out = load(&e, &hourly(TimeSpan::new(0, 10 * D))).await;
    assert_eq!(out.failures.len(), 1);
    assert_eq!(out.failures[0].0, TimeSpan::new(7 * D, 10 * D));
    assert_eq!(out.table.missing_spans(), vec![TimeSpan::new(7 * D, 10 * D)]);
    for i in 0..out.table.len() {
        let b = out.table.bucket(i);
        if b.start < 7 * D {
            assert_eq!(out.table.value(i, "total"), Some(truth(b)));
        } else {
            assert_eq!(out.table.value(i, "total"), None);
        }
    }
    // "Retry missing": once the server recovers, only the missing span is fetched.
    server.broken_start.set(None);
    let before = server.log.borrow().len();
    let out = load(&e, &hourly(TimeSpan::new(0, 10 * D))).await;
    assert_exact(&out);
    let refetched: Vec<Value> = server.log.borrow()[before..].to_vec();
    assert_eq!(refetched.len(), 1);
    assert_eq!(refetched[0]["startTime"], json!(7 * D));
}

#[tokio::test(start_paused = true)]
async fn days_the_server_cuts_differently_are_fetched_by_the_hour_and_stay_exact() {
    // The fake server's "1d" is always 24 hours: a server whose rules for the zone
    // have no DST change (an older or newer tzdb than ours). In New York, 8 March
    // 2026 lasts 23 hours for us, so its daily answer crosses our boundaries.
    let server = FakeServer::new(31 * D);
    let e = engine(&server, RangeLimits::default(), 4);
    let start = 1_772_341_200_000; // 2026-03-01T00:00-05:00
    let end = 1_773_547_200_000; // 2026-03-15T00:00-04:00
    let req = CountsRequest {
        endpoint: Endpoint::Interactions,
        intenttype: None,
        range: TimeSpan::new(start, end),
        interval: Interval::days(1),
        tz: "America/New_York".into(),
    };
    let out = load(&e, &req).await;
    assert!(out.failures.is_empty(), "{:?}", out.failures.iter().map(|f| f.0).collect::<Vec<_>>());
    assert_eq!(out.table.len(), 14);
    assert_eq!(out.table.bucket(7).end - out.table.bucket(7).start, 23 * H, "our day, not the server's");
    assert_exact(&out);
    let intervals: Vec<Value> = server.log.borrow().iter().map(|b| b["interval"].clone()).collect();
    assert_eq!(intervals[0], json!("1d"));
    assert!(intervals[1..].iter().all(|i| *i == json!("1h")), "{intervals:?}");
    assert_eq!(intervals.len(), 1 + 2, "14 days of hours under the 7-day hour limit");
}

#[tokio::test(start_paused = true)]
async fn a_cached_range_makes_no_call_and_an_overlapping_one_only_the_new_part() {
    let server = FakeServer::new(7 * D);
    let e = engine(&server, RangeLimits::default(), 4);
    load(&e, &hourly(TimeSpan::new(0, 7 * D))).await;
    let sent = e.requests_sent();
    let out = load(&e, &hourly(TimeSpan::new(0, 7 * D))).await;
    assert_exact(&out);
    assert_eq!(e.requests_sent(), sent, "no call on repeat");
    let out = load(&e, &hourly(TimeSpan::new(5 * D, 9 * D))).await;
    assert_exact(&out);
    assert_eq!(e.requests_sent(), sent + 1);
    let last = server.log.borrow().last().cloned().unwrap();
    assert_eq!((last["startTime"].as_i64(), last["endTime"].as_i64()), (Some(7 * D), Some(9 * D)));
    // Hourly facts roll up: the same days by 1d need no call at all.
    let daily = CountsRequest { interval: Interval::days(1), ..hourly(TimeSpan::new(0, 9 * D)) };
    let out = load(&e, &daily).await;
    assert_exact(&out);
    assert_eq!(e.requests_sent(), sent + 1);
}

#[tokio::test(start_paused = true)]
async fn concurrency_is_bounded_and_identical_calls_are_shared() {
    let server = FakeServer::new(D);
    let e = engine(&server, RangeLimits { hour_ms: D, ..RangeLimits::default() }, 3);
    let req = hourly(TimeSpan::new(0, 12 * D));
    let (a, b) = futures::join!(load(&e, &req), load(&e, &req));
    assert_exact(&a);
    assert_exact(&b);
    assert_eq!(e.requests_sent(), 12, "two panels, one request per call");
    assert_eq!(server.max_active.get(), 3);
}

#[tokio::test(start_paused = true)]
async fn dropping_a_load_cancels_its_calls() {
    let mut server = Rc::try_unwrap(FakeServer::new(D)).ok().unwrap();
    server.latency_ms = 10_000;
    let server = Rc::new(server);
    let e = engine(&server, RangeLimits { hour_ms: D, ..RangeLimits::default() }, 4);
    let req = hourly(TimeSpan::new(0, 8 * D));
    let mut updates = 0;
    {
        let mut on_update = |_: &_, _| updates += 1;
        let fut = e.load_counts(&req, &mut on_update);
        let res = tokio::time::timeout(std::time::Duration::from_millis(100), fut).await;
        assert!(res.is_err(), "still in flight");
    }
    assert_eq!(server.active.get(), 0, "every request was dropped with the load");
    assert_eq!(updates, 1, "no result landed after the cancel");
}

#[tokio::test(start_paused = true)]
async fn persisted_facts_answer_a_new_session_without_calls() {
    let server = FakeServer::new(7 * D);
    let first = engine(&server, RangeLimits::default(), 4);
    let req = hourly(TimeSpan::new(0, 3 * D));
    load(&first, &req).await;
    let saved = first.take_unsaved_facts();
    assert_eq!(saved.len(), 72);
    let json: Vec<String> = saved.iter().map(|r| serde_json::to_string(r).unwrap()).collect();

    let second = engine(&server, RangeLimits::default(), 4);
    let restored = json.iter().map(|s| serde_json::from_str(s).unwrap());
    assert_eq!(second.import_facts(restored), 72);
    let out = load(&second, &req).await;
    assert_exact(&out);
    assert_eq!(second.requests_sent(), 0);
    assert!(second.take_unsaved_facts().is_empty(), "loaded facts are not saved again");
}

#[tokio::test(start_paused = true)]
async fn persisted_facts_stay_with_their_tenant() {
    let server = FakeServer::new(7 * D);
    let acme = engine_of(&server, RangeLimits::default(), 4, Some("acme"));
    load(&acme, &hourly(TimeSpan::new(0, D))).await;
    let saved = acme.take_unsaved_facts();
    assert_eq!(saved.len(), 24);
    let other = engine_of(&server, RangeLimits::default(), 4, Some("globex"));
    assert_eq!(other.import_facts(saved.clone()), 0, "another tenant's counts are never taken");
    let no_auth = engine(&server, RangeLimits::default(), 4);
    assert_eq!(no_auth.import_facts(saved.clone()), 0);
    let same = engine_of(&server, RangeLimits::default(), 4, Some("acme"));
    assert_eq!(same.import_facts(saved), 24);
}

#[tokio::test(start_paused = true)]
async fn a_busy_range_of_messages_is_split_in_few_rounds_and_loaded_whole() {
    // 30 days at one message every 30 s: 86,400 messages, ten calls' worth at least.
    let server = FakeServer::new(31 * D);
    let e = engine(&server, RangeLimits::default(), 4);
    let range = TimeSpan::new(0, 30 * D);
    let out = e.load_messages(range, &mut |_, _| {}).await;
    assert!(out.failures.is_empty());
    assert_eq!(out.messages.len() as i64, 30 * D / MESSAGE_EVERY);
    assert!(out.messages.windows(2).all(|w| w[0].ts < w[1].ts), "sorted by ts, no duplicates");
    let calls = server.log.borrow().len();
    // Quartering: 30 d refused, four 7.5 d refused, sixteen 1.9 d pieces answered.
    // Halving would take 1 + 2 + 4 + 8 refusals before the pieces are small enough.
    assert_eq!(calls, 1 + 4 + 16, "{calls} calls");
}

#[tokio::test(start_paused = true)]
async fn a_refresh_of_messages_up_to_now_fetches_only_what_is_newer_than_the_settled_ones() {
    let server = FakeServer::new(31 * D);
    let e = engine(&server, RangeLimits::default(), 4);
    let first = e.load_messages(TimeSpan::new(NOW - 2 * D, NOW), &mut |_, _| {}).await;
    assert!(first.failures.is_empty());
    assert_eq!(server.log.borrow().len(), 2, "the settled part and the unfinished hour");
    // A minute later (auto-refresh), the same "last two days".
    tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    let now = e.now_ms();
    let again = e.load_messages(TimeSpan::new(now - 2 * D, now), &mut |_, _| {}).await;
    let log = server.log.borrow();
    assert_eq!(log.len(), 3, "one more call");
    assert_eq!(log[2]["startTime"], json!(NOW - 120_000), "from where the settled messages end");
    let multiples_below = |t: i64| (t + MESSAGE_EVERY - 1).div_euclid(MESSAGE_EVERY);
    let want = multiples_below(now) - multiples_below(now - 2 * D);
    assert_eq!(again.messages.len() as i64, want, "every message of the moved range, once");
}

#[tokio::test(start_paused = true)]
async fn a_learned_limit_is_persisted_and_the_next_visit_starts_right() {
    let server = Rc::new(FakeServer { hint: false, ..Rc::try_unwrap(FakeServer::new(10 * D)).ok().unwrap() });
    let first = engine(&server, RangeLimits::default(), 4);
    let daily = CountsRequest { interval: Interval::days(1), ..hourly(TimeSpan::new(0, 60 * D)) };
    assert_exact(&load(&first, &daily).await);
    let record = first.take_learned_limits().expect("something was learned");
    let json = serde_json::to_string(&record).unwrap();

    let next = engine(&server, RangeLimits::default(), 4);
    assert!(next.import_limits(&serde_json::from_str(&json).unwrap()));
    assert_eq!(next.limits().day_ms, 10 * D);
    let before = server.log.borrow().len();
    let later = CountsRequest { range: TimeSpan::new(100 * D, 160 * D), ..daily.clone() };
    assert_exact(&load(&next, &later).await);
    assert_eq!(refused(&server, before), 0);
    assert_eq!(server.log.borrow().len() - before, 6, "60 days in 10-day calls at once");

    // Another deployment's record, or a stale one, is not taken.
    let other = engagement_dashboard::engine::persist::LimitsRecord { source: "elsewhere".into(), ..record.clone() };
    assert!(!engine(&server, RangeLimits::default(), 4).import_limits(&other));
    let stale = engagement_dashboard::engine::persist::LimitsRecord { at_ms: NOW - 8 * D, ..record };
    assert!(!engine(&server, RangeLimits::default(), 4).import_limits(&stale));
}
