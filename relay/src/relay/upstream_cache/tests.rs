use std::sync::atomic::AtomicUsize;

use axum::http::StatusCode;

use super::*;

const DAY_MS: i64 = 86_400_000;

fn body(end_ms: i64) -> Bytes {
    Bytes::from(format!(r#"{{"endTime":{end_ms},"interval":"1d","startTime":{}}}"#, end_ms - DAY_MS))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

fn ok(text: &str) -> UpstreamAnswer {
    UpstreamAnswer {
        status: StatusCode::OK,
        content_type: None,
        retry_after: None,
        body: Bytes::from(text.to_string()),
    }
}

/// A fetch that counts and answers after `ms`.
async fn slow(calls: &AtomicUsize, ms: u64, answer: UpstreamAnswer) -> Answer {
    calls.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Ok(answer)
}

#[tokio::test]
async fn identical_calls_in_flight_share_one_upstream_request() {
    let cache = UpstreamCache::new(CacheConfig::default());
    let calls = AtomicUsize::new(0);
    let b = body(now_ms()); // up to now: shared in flight, not kept
    let all =
        futures_join_all((0..50).map(|_| cache.fetch("t1", Endpoint::Interactions, &b, || slow(&calls, 50, ok("x")))));
    let answers = all.await;
    assert!(answers.iter().all(|a| a.as_ref().unwrap().body == "x"));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(cache.stats.shared.load(Ordering::SeqCst), 49);
    assert_eq!(cache.kept_count("t1"), 0, "a range up to now can still change");
}

#[tokio::test]
async fn settled_answers_are_kept_per_tenant_and_messages_only_when_configured() {
    let cache = UpstreamCache::new(CacheConfig::default());
    let calls = AtomicUsize::new(0);
    let settled = body(now_ms() - 10 * 60_000);
    for _ in 0..3 {
        cache.fetch("t1", Endpoint::Interactions, &settled, || slow(&calls, 1, ok("a"))).await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1, "kept after the first");
    cache.fetch("t2", Endpoint::Interactions, &settled, || slow(&calls, 1, ok("b"))).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2, "another tenant never shares");
    cache.fetch("t1", Endpoint::Intents, &settled, || slow(&calls, 1, ok("c"))).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3, "another endpoint is another call");

    let m = body(now_ms() - 10 * 60_000);
    for _ in 0..2 {
        cache.fetch("t1", Endpoint::Messages, &m, || slow(&calls, 1, ok("[]"))).await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 5, "chat text is not kept by default");
    let keeps_messages = UpstreamCache::new(CacheConfig { messages: true, ..CacheConfig::default() });
    for _ in 0..2 {
        keeps_messages.fetch("t1", Endpoint::Messages, &m, || slow(&calls, 1, ok("[]"))).await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 6, "kept when configured");
}

#[tokio::test]
async fn errors_are_not_kept_and_the_store_is_bounded_and_expires() {
    let cache =
        UpstreamCache::new(CacheConfig { max_entries: 2, ttl: Duration::from_millis(200), ..Default::default() });
    let calls = AtomicUsize::new(0);
    let t0 = now_ms();
    let old = |d: i64| body(t0 - d * DAY_MS);
    let busy = UpstreamAnswer { status: StatusCode::TOO_MANY_REQUESTS, ..ok("{}") };
    for _ in 0..2 {
        cache.fetch("t", Endpoint::Interactions, &old(1), || slow(&calls, 1, busy.clone())).await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2, "a 429 is not an answer to keep");
    for d in 2..5 {
        cache.fetch("t", Endpoint::Interactions, &old(d), || slow(&calls, 1, ok("a"))).await.unwrap();
    }
    assert_eq!(cache.kept_count("t"), 2, "at most two entries");
    cache.fetch("t", Endpoint::Interactions, &old(2), || slow(&calls, 1, ok("a"))).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 6, "the oldest was dropped");
    cache.fetch("t", Endpoint::Interactions, &old(4), || slow(&calls, 1, ok("a"))).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 6, "a recent one is still kept");
    tokio::time::sleep(Duration::from_millis(250)).await;
    cache.fetch("t", Endpoint::Interactions, &old(4), || slow(&calls, 1, ok("a"))).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 7, "expired after the TTL");
}

#[tokio::test]
async fn a_waiting_caller_sends_the_call_again_when_the_first_hangs_up() {
    let cache = Arc::new(UpstreamCache::new(CacheConfig::default()));
    let calls = Arc::new(AtomicUsize::new(0));
    let b = body(now_ms());
    let first = {
        let (cache, calls, b) = (cache.clone(), calls.clone(), b.clone());
        tokio::spawn(
            async move { cache.fetch("t", Endpoint::Interactions, &b, || slow(&calls, 10_000, ok("x"))).await },
        )
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let second = {
        let (cache, calls, b) = (cache.clone(), calls.clone(), b.clone());
        tokio::spawn(async move { cache.fetch("t", Endpoint::Interactions, &b, || slow(&calls, 10, ok("y"))).await })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    first.abort();
    let got = tokio::time::timeout(Duration::from_secs(2), second).await.unwrap().unwrap().unwrap();
    assert_eq!(got.body, "y");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

async fn futures_join_all<F: Future>(futs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = futs.collect();
    let mut out = Vec::new();
    // Poll them together: a join of plain futures on one task.
    let mut pinned: Vec<_> = handles.into_iter().map(Box::pin).collect();
    let mut results: Vec<Option<F::Output>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if results[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => results[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.extend(results.into_iter().map(Option::unwrap));
    out
}
