//! `cargo xtask bench` (refresh part): calls a refresh makes, a minute after a page
//! of six series (four panels and the key figures' previous period) loaded a
//! relative range, with the range's buckets on the interval's grid (what the
//! dashboard does) and, for comparison, starting at the minute the page opened.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use anyhow::{Context, Result};
use engagement_dashboard::domain::config::RangeLimits;
use engagement_dashboard::domain::panels::kpi::previous_period;
use engagement_dashboard::domain::time::grid::aligned_span;
use engagement_dashboard::domain::time::{zone, Interval, ResolveOptions, TimeRange, TimeSpan};
use engagement_dashboard::domain::wire::{Endpoint, IntentType};
use engagement_dashboard::engine::call::RetryPolicy;
use engagement_dashboard::engine::fetch::{CountsRequest, EngineSettings, FetchEngine};
use engagement_dashboard::engine::transport::Clock;
use futures::future::{FutureExt, LocalBoxFuture};

use crate::bench_fetch::HttpTransport;

/// The wall clock plus an offset the benchmark moves ("a minute later").
struct MovableClock(Rc<Cell<i64>>);

impl Clock for MovableClock {
    fn now_ms(&self) -> i64 {
        let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64);
        wall.unwrap_or(0) + self.0.get()
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        tokio::time::sleep(Duration::from_millis(ms)).boxed_local()
    }
    fn random(&self) -> f64 {
        0.5
    }
}

fn page(span: TimeSpan, interval: Interval, tz: &str) -> Result<Vec<CountsRequest>> {
    let before = previous_period(span, interval, &zone(tz).context("zone")?).map_err(|e| anyhow::anyhow!("{e}"))?;
    let req = |endpoint, range| CountsRequest {
        endpoint,
        intenttype: (endpoint == Endpoint::Intents).then_some(IntentType::Bot),
        range,
        interval,
        tz: tz.to_string(),
    };
    Ok(vec![
        req(Endpoint::Interactions, span),
        req(Endpoint::InteractionType, span),
        req(Endpoint::Intents, span),
        req(Endpoint::CustomerEndpoint, span),
        req(Endpoint::Interactions, before),
        req(Endpoint::InteractionType, before),
    ])
}

async fn load_page(e: &Rc<FetchEngine>, reqs: &[CountsRequest]) -> Result<u64> {
    let before = e.requests_sent();
    let load = |r| {
        let e = e.clone();
        async move { e.load_counts(r, &mut |_, _| {}).await }
    };
    for o in futures::future::join_all(reqs.iter().map(load)).await {
        let o = o.map_err(|e| anyhow::anyhow!("{e}"))?;
        anyhow::ensure!(o.failures.is_empty() && o.table.is_complete(), "the page failed: {:?}", o.failures);
    }
    Ok(e.requests_sent() - before)
}

pub fn run(mock_url: &str) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("tokio runtime")?;
    rt.block_on(async {
        let tz_name = "America/New_York";
        let tz = zone(tz_name).context("zone")?;
        println!("{:<18} {:>6} {:>12} {:>20}", "refresh, 6 series", "load", "refresh 1m", "refresh (unaligned)");
        for (from, interval) in
            [("now-7d", Interval::hours(6)), ("now-30d", Interval::hours(1)), ("now-90d", Interval::days(1))]
        {
            let range = TimeRange::parse(from, "now").map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut row = Vec::new();
            for aligned in [true, false] {
                let offset = Rc::new(Cell::new(0));
                let settings = EngineSettings {
                    relay_url: mock_url.to_string(),
                    provider_id: "1020".into(),
                    partner_id: "1021".into(),
                    api_key: None,
                    limits: RangeLimits::default(),
                    limits_trusted: true,
                    concurrency: 4,
                    policy: RetryPolicy::default(),
                    settle_ms: 120_000,
                    fact_cap: 200_000,
                };
                let clock = Rc::new(MovableClock(offset.clone()));
                let e = FetchEngine::new(settings, Rc::new(HttpTransport(reqwest::Client::new())), clock.clone());
                let resolve = |now| -> Result<Vec<CountsRequest>> {
                    let span =
                        range.resolve(now, &tz, &ResolveOptions::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
                    let span = if aligned {
                        aligned_span(&range, span, interval, &tz, jiff::civil::Weekday::Monday)
                            .map_err(|e| anyhow::anyhow!("{e}"))?
                    } else {
                        span
                    };
                    page(span, interval, tz_name)
                };
                let first = load_page(&e, &resolve(clock.now_ms())?).await?;
                offset.set(60_000);
                let refresh = load_page(&e, &resolve(clock.now_ms())?).await?;
                row.push((first, refresh));
            }
            println!("{:<18} {:>6} {:>12} {:>20}", format!("{from} at {interval}"), row[0].0, row[0].1, row[1].1);
        }
        println!("load: calls of the first load; refresh 1m: calls of a refresh a minute later, buckets on the");
        println!("interval's grid; unaligned: the same with buckets starting at the minute the page opened.");
        Ok(())
    })
}
