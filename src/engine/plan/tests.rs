use super::*;
use crate::domain::time::{boundaries, zone};

const H: i64 = 3_600_000;
const D: i64 = 86_400_000;

fn ms(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

fn plan(range: TimeSpan, iv: Interval, tz: &str, limits: RangeLimits) -> (Vec<i64>, Vec<PlannedCall>) {
    let tz = zone(tz).unwrap();
    let b = boundaries(range, iv, &tz, 100_000).unwrap();
    let have = vec![false; b.len() - 1];
    let calls = plan_counts(&b, &have, iv, &tz, &limits);
    (b, calls)
}

#[test]
fn a_year_by_day_needs_twelve_calls() {
    let range = TimeSpan::new(ms("2025-01-01T00:00:00Z"), ms("2026-01-01T00:00:00Z"));
    let (_, calls) = plan(range, Interval::days(1), "UTC", RangeLimits::default());
    assert_eq!(calls.len(), 12);
    assert_eq!(calls.len(), lower_bound_calls(range, 31 * D));
    assert!(calls.iter().all(|c| c.span.len_ms() <= 31 * D));
}

#[test]
fn ten_days_by_hour_needs_two_calls_at_the_week_limit() {
    let range = TimeSpan::new(0, 10 * D);
    let (_, calls) = plan(range, Interval::hours(1), "UTC", RangeLimits::default());
    assert_eq!(
        calls.iter().map(|c| c.span).collect::<Vec<_>>(),
        vec![TimeSpan::new(0, 7 * D), TimeSpan::new(7 * D, 10 * D)]
    );
}

#[test]
fn months_anchored_on_the_31st_are_fetched_one_bucket_at_a_time() {
    // From Jan 31, the server's +1mo from Feb 29 is Mar 29, not the client's Mar 31.
    let range = TimeSpan::new(ms("2028-01-31T00:00:00Z"), ms("2028-06-30T00:00:00Z"));
    let limits = RangeLimits { day_ms: 400 * D, ..RangeLimits::default() };
    let (b, calls) = plan(range, Interval::months(1), "UTC", limits);
    // Jan 31 → Feb 29 → Mar 31: from Jan 31 the server agrees with the client.
    assert_eq!(calls[0].span.start, b[0]);
    for c in &calls {
        let tz = zone("UTC").unwrap();
        // Every interior client boundary of a call is a server boundary.
        let inner: Vec<i64> = b.iter().copied().filter(|x| *x > c.span.start && *x < c.span.end).collect();
        for (t, x) in inner.iter().enumerate() {
            assert_eq!(boundary(c.span.start, Interval::months(1), &tz, t as i64 + 1).unwrap(), *x);
        }
    }
}

#[test]
fn a_bucket_longer_than_the_limit_is_fetched_in_pieces() {
    // 2mo buckets under a 31-day limit: each bucket is two or more day-interval calls.
    let range = TimeSpan::new(ms("2026-01-01T00:00:00Z"), ms("2026-05-01T00:00:00Z"));
    let (b, calls) = plan(range, Interval::months(2), "UTC", RangeLimits::default());
    assert_eq!(b.len(), 3);
    assert!(calls.iter().all(|c| c.interval == Some(Interval::days(1)) && c.span.len_ms() <= 31 * D));
    let covered: i64 = calls.iter().map(|c| c.span.len_ms()).sum();
    assert_eq!(covered, range.len_ms());
    // No piece crosses a client boundary.
    assert!(calls.iter().all(|c| bucket_index(&b, c.span.start) == bucket_index(&b, c.span.end - 1)));
}

#[test]
fn a_dst_month_longer_than_31_days_is_split() {
    // October 2026 in Berlin lasts 31 days and 1 hour.
    let range = TimeSpan::new(ms("2026-09-30T22:00:00Z"), ms("2026-10-31T23:00:00Z"));
    let (b, calls) = plan(range, Interval::months(1), "Europe/Berlin", RangeLimits::default());
    assert_eq!(b.len(), 2);
    assert_eq!(b[1] - b[0], 31 * D + H);
    assert_eq!(calls.len(), 2);
}

#[test]
fn known_buckets_are_not_fetched_again() {
    let tz = zone("UTC").unwrap();
    let range = TimeSpan::new(0, 10 * D);
    let b = boundaries(range, Interval::days(1), &tz, 100).unwrap();
    let mut have = vec![true; 10];
    have[3] = false;
    have[4] = false;
    have[9] = false;
    let calls = plan_counts(&b, &have, Interval::days(1), &tz, &RangeLimits::default());
    assert_eq!(
        calls.iter().map(|c| c.span).collect::<Vec<_>>(),
        vec![TimeSpan::new(3 * D, 5 * D), TimeSpan::new(9 * D, 10 * D)]
    );
}

#[test]
fn messages_split_by_their_own_limit() {
    let limits = RangeLimits { messages_ms: 2 * D, ..RangeLimits::default() };
    let calls = plan_messages(&[TimeSpan::new(0, 5 * D)], &limits);
    assert_eq!(calls.len(), 3);
    assert!(calls.iter().all(|c| c.interval.is_none()));
}

#[test]
fn the_unfinished_last_hour_of_messages_is_a_call_of_its_own() {
    let h = 3_600_000;
    let spans = |missing: TimeSpan| {
        plan_messages(&[missing], &RangeLimits::default()).iter().map(|c| c.span).collect::<Vec<_>>()
    };
    let ragged = TimeSpan::new(h / 2, 10 * h + h / 4);
    assert_eq!(spans(ragged), vec![TimeSpan::new(h / 2, 10 * h), TimeSpan::new(10 * h, 10 * h + h / 4)]);
    // Ending on the hour, or within one hour: nothing to cut.
    assert_eq!(spans(TimeSpan::new(h / 2, 10 * h)), vec![TimeSpan::new(h / 2, 10 * h)]);
    assert_eq!(
        spans(TimeSpan::new(10 * h + 60_000, 10 * h + h / 4)),
        vec![TimeSpan::new(10 * h + 60_000, 10 * h + h / 4)]
    );
}

#[test]
fn bucket_index_finds_the_containing_bucket() {
    let b = [0, 10, 20, 30];
    assert_eq!(bucket_index(&b, 0), Some(0));
    assert_eq!(bucket_index(&b, 9), Some(0));
    assert_eq!(bucket_index(&b, 10), Some(1));
    assert_eq!(bucket_index(&b, 29), Some(2));
    assert_eq!(bucket_index(&b, 30), None);
    assert_eq!(bucket_index(&b, -1), None);
}
