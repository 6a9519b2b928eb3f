//! `cargo xtask bench` (fetch part): the fetch engine against the mock API over
//! real HTTP, printing figures; nothing here asserts a time.
//!
//! - calls made against the planner's lower bound, for a year at 1d, 90 days at
//!   1h and 6 months at 1mo (zones with DST changes inside);
//! - wall time with 150 ms latency per call at concurrency 4, against the bound
//!   ceil(calls / concurrency) x latency and against one call at a time;
//! - calls made when the same range is selected again (cache);
//! - a page learning an unhinted limit (`run_page`): six series of 90 days at 1d
//!   against a 10-day limit, refused calls and calls against the minimum.

use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use engagement_dashboard::domain::config::RangeLimits;
use engagement_dashboard::domain::time::{Interval, TimeSpan};
use engagement_dashboard::domain::wire::{Endpoint, RawResponse};
use engagement_dashboard::engine::call::RetryPolicy;
use engagement_dashboard::engine::fetch::{CountsRequest, EngineSettings, FetchEngine};
use engagement_dashboard::engine::plan::lower_bound_calls;
use engagement_dashboard::engine::transport::{Clock, Transport, TransportError};
use futures::future::{FutureExt, LocalBoxFuture};

pub const LATENCY_MS: u64 = 150;

pub struct HttpTransport(pub reqwest::Client);

impl Transport for HttpTransport {
    fn post(&self, url: String, body: String) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
        let req = self.0.post(url).header("Content-Type", "application/json").body(body);
        async move {
            let resp = req.send().await.map_err(|e| TransportError::Network(e.to_string()))?;
            let status = resp.status().as_u16();
            let retry_after = resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(String::from);
            let body = resp.text().await.map_err(|e| TransportError::Network(e.to_string()))?;
            Ok(RawResponse { status, retry_after, body })
        }
        .boxed_local()
    }
}

struct TokioClock;

impl Clock for TokioClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        tokio::time::sleep(Duration::from_millis(ms)).boxed_local()
    }
    fn random(&self) -> f64 {
        0.5
    }
}

fn engine(mock_url: &str, concurrency: usize) -> Rc<FetchEngine> {
    let settings = EngineSettings {
        relay_url: mock_url.to_string(),
        provider_id: "1020".into(),
        partner_id: "1021".into(),
        api_key: None,
        limits: RangeLimits::default(),
        limits_trusted: false,
        concurrency,
        policy: RetryPolicy::default(),
        settle_ms: 120_000,
        fact_cap: 200_000,
    };
    FetchEngine::new(settings, Rc::new(HttpTransport(reqwest::Client::new())), Rc::new(TokioClock))
}

fn ms(iso: &str) -> i64 {
    iso.parse::<jiff::Timestamp>().expect("a valid instant").as_millisecond()
}

struct Case {
    name: &'static str,
    range: TimeSpan,
    interval: Interval,
    tz: &'static str,
    limit: i64,
}

fn cases() -> Vec<Case> {
    let d = 86_400_000;
    vec![
        Case {
            name: "a year at 1d (New York)",
            range: TimeSpan::new(ms("2025-01-01T05:00:00Z"), ms("2026-01-01T05:00:00Z")),
            interval: Interval::days(1),
            tz: "America/New_York",
            limit: 31 * d,
        },
        Case {
            name: "90 days at 1h (Berlin)",
            range: TimeSpan::new(ms("2025-09-01T00:00:00Z"), ms("2025-11-30T00:00:00Z")),
            interval: Interval::hours(1),
            tz: "Europe/Berlin",
            limit: 7 * d,
        },
        Case {
            name: "6 months at 1mo (Berlin)",
            range: TimeSpan::new(ms("2025-06-30T22:00:00Z"), ms("2025-12-31T23:00:00Z")),
            interval: Interval::months(1),
            tz: "Europe/Berlin",
            limit: 31 * d,
        },
    ]
}

/// Runs the benchmark against a mock that adds `LATENCY_MS` to every call.
pub fn run(mock_url: &str) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("tokio runtime")?;
    rt.block_on(async {
        println!(
            "{:<28} {:>6} {:>6} {:>10} {:>10} {:>12} {:>7} {:>8}",
            "case", "calls", "bound", "wall ms", "bound ms", "1-at-a-time", "ratio", "repeat"
        );
        for case in cases() {
            let req = CountsRequest {
                endpoint: Endpoint::Interactions,
                intenttype: None,
                range: case.range,
                interval: case.interval,
                tz: case.tz.to_string(),
            };
            let parallel = engine(mock_url, 4);
            let t0 = Instant::now();
            let out = parallel.load_counts(&req, &mut |_, _| {}).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let wall = t0.elapsed().as_millis();
            anyhow::ensure!(
                out.failures.is_empty() && out.table.is_complete(),
                "{}: the load failed: {:?}",
                case.name,
                out.failures
            );
            let calls = parallel.requests_sent();
            let bound_ms = calls.div_ceil(4) * LATENCY_MS;
            let before = parallel.requests_sent();
            parallel.load_counts(&req, &mut |_, _| {}).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let repeat = parallel.requests_sent() - before;

            let serial = engine(mock_url, 1);
            let t1 = Instant::now();
            serial.load_counts(&req, &mut |_, _| {}).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let serial_ms = t1.elapsed().as_millis();
            println!(
                "{:<28} {:>6} {:>6} {:>10} {:>10} {:>12} {:>7.2} {:>8}",
                case.name,
                calls,
                lower_bound_calls(case.range, case.limit),
                wall,
                bound_ms,
                serial_ms,
                wall as f64 / bound_ms as f64,
                repeat
            );
        }
        println!("calls: HTTP requests made; bound: ceil(range / per-call limit), the least any plan could make;");
        println!("wall/bound ms at {LATENCY_MS} ms latency and concurrency 4; ratio = wall / bound (goal <= 1.2);");
        println!("1-at-a-time: the same load at concurrency 1; repeat: calls when the range is selected again.");
        Ok(())
    })
}

/// The limit the page-learning mock enforces without a hint (`--max-range-day`).
pub const PAGE_LIMIT_DAYS: i64 = 10;

/// A dashboard page of 90 days at 1d (four panels and the key figures' previous
/// period: six series) against a mock whose 10-day day limit comes without a
/// `maxRangeMs` hint, and no `maxRange` in config: the first visit learns the
/// limit; the second starts from what the first persisted.
pub fn run_page(mock_url: &str) -> Result<()> {
    use engagement_dashboard::domain::wire::IntentType;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("tokio runtime")?;
    rt.block_on(async {
        let d = 86_400_000;
        let end = ms("2025-11-30T05:00:00Z");
        let (now, before) = (TimeSpan::new(end - 90 * d, end), TimeSpan::new(end - 180 * d, end - 90 * d));
        let req = |endpoint, range| CountsRequest {
            endpoint,
            intenttype: (endpoint == Endpoint::Intents).then_some(IntentType::Bot),
            range,
            interval: Interval::days(1),
            tz: "America/New_York".into(),
        };
        let page = [
            req(Endpoint::Interactions, now),
            req(Endpoint::InteractionType, now),
            req(Endpoint::Intents, now),
            req(Endpoint::CustomerEndpoint, now),
            req(Endpoint::Interactions, before),
            req(Endpoint::InteractionType, before),
        ];
        let minimum: usize = page.iter().map(|r| lower_bound_calls(r.range, PAGE_LIMIT_DAYS * d)).sum();
        println!(
            "{:<34} {:>6} {:>8} {:>8} {:>7} {:>9}",
            "page: 6 series, 90 d at 1d", "calls", "refused", "minimum", "ratio", "wall ms"
        );
        let mut learned = None;
        for visit in ["first visit (learns)", "next visit (persisted)"] {
            let e = engine(mock_url, 4);
            if let Some(r) = &learned {
                e.import_limits(r);
            }
            let t0 = Instant::now();
            let load = |r| {
                let e = e.clone();
                async move { e.load_counts(r, &mut |_, _| {}).await }
            };
            let outs = futures::future::join_all(page.iter().map(load)).await;
            let wall = t0.elapsed().as_millis();
            for o in outs {
                let o = o.map_err(|e| anyhow::anyhow!("{e}"))?;
                anyhow::ensure!(o.failures.is_empty() && o.table.is_complete(), "the page failed: {:?}", o.failures);
            }
            let calls = e.requests_sent();
            println!(
                "{:<34} {:>6} {:>8} {:>8} {:>7.2} {:>9}",
                visit,
                calls,
                e.refused_calls(),
                minimum,
                calls as f64 / minimum as f64,
                wall
            );
            learned = learned.or_else(|| e.take_learned_limits());
        }
        println!("limit {PAGE_LIMIT_DAYS} d, no maxRangeMs hint, no maxRange in config; calls include refused ones;");
        println!("goal: at most 3 refused and ratio <= 1.25 (calls / minimum).");
        Ok(())
    })
}
