//! Property tests of the planner: for any range, interval, zone and limits, the
//! calls cover the range exactly (no gap, no overlap, ascending), each within the
//! limit of its interval class, and each exact: every client bucket boundary inside
//! a call is a boundary the server computes from the call's own start. Merging a
//! contract-following server's answers to the plan gives the whole-range answer.
#![cfg(not(target_arch = "wasm32"))]

use engagement_dashboard::domain::config::RangeLimits;
use engagement_dashboard::domain::count_table::CountTable;
use engagement_dashboard::domain::time::{boundaries, boundary, zone, Interval, IntervalUnit, TimeSpan};
use engagement_dashboard::domain::wire::WireBucket;
use engagement_dashboard::engine::plan::{plan_counts, PlannedCall};
use proptest::prelude::*;

const H: i64 = 3_600_000;
const D: i64 = 86_400_000;
const ZONES: [&str; 5] = ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"];

/// A server following the contract: buckets from the call's start, clipped at its
/// end; each bucket's count is a deterministic function of its span, so sums over
/// any partition of a span equal the span's own count (events every 7 minutes).
fn server(call: &PlannedCall, tz: &jiff::tz::TimeZone) -> Vec<WireBucket> {
    let iv = call.interval.unwrap();
    let mut out = Vec::new();
    let mut k = 0;
    loop {
        let s = boundary(call.span.start, iv, tz, k).unwrap();
        if s >= call.span.end {
            break;
        }
        let e = boundary(call.span.start, iv, tz, k + 1).unwrap().min(call.span.end);
        out.push(WireBucket { start: s, end: e, counts: [("total".to_string(), events(s, e))].into(), partial: false });
        k += 1;
    }
    out
}

fn events(s: i64, e: i64) -> u64 {
    const EVERY: i64 = 7 * 60_000;
    let first = s.div_euclid(EVERY) + i64::from(s.rem_euclid(EVERY) != 0);
    let last = (e - 1).div_euclid(EVERY);
    (last - first + 1).max(0) as u64
}

fn interval() -> impl Strategy<Value = Interval> {
    prop_oneof![
        (1u32..=48).prop_map(Interval::hours),
        (1u32..=60).prop_map(Interval::days),
        (1u32..=14).prop_map(Interval::months)
    ]
}

fn limits() -> impl Strategy<Value = RangeLimits> {
    (1i64..=10, 3i64..=40).prop_map(|(h, d)| RangeLimits { hour_ms: h * D, day_ms: d * D, messages_ms: 31 * D })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn plans_cover_exactly_within_limits_and_merge_to_the_truth(
        start_min in 26_000_000i64..29_000_000, // 2019..2025, in minutes
        len_h in 1i64..(400 * 24),
        iv in interval(),
        zi in 0usize..ZONES.len(),
        lim in limits(),
    ) {
        let tz = zone(ZONES[zi]).unwrap();
        let range = TimeSpan::new(start_min * 60_000, start_min * 60_000 + len_h * H);
        let Ok(b) = boundaries(range, iv, &tz, 20_000) else { return Ok(()) };
        let calls = plan_counts(&b, &vec![false; b.len() - 1], iv, &tz, &lim);

        // Exact cover, ascending, no gap or overlap.
        prop_assert_eq!(calls.first().unwrap().span.start, range.start);
        prop_assert_eq!(calls.last().unwrap().span.end, range.end);
        for w in calls.windows(2) {
            prop_assert_eq!(w[0].span.end, w[1].span.start);
        }
        for c in &calls {
            let civ = c.interval.unwrap();
            let limit = if civ.unit == IntervalUnit::Hour { lim.hour_ms } else { lim.day_ms };
            prop_assert!(c.span.len_ms() <= limit, "call {:?} over limit {}", c, limit);
            // Exactness: interior client boundaries are server boundaries.
            let server_bounds: Vec<i64> = server(c, &tz).iter().map(|w| w.start).collect();
            for x in b.iter().filter(|x| **x > c.span.start && **x < c.span.end) {
                prop_assert!(server_bounds.contains(x), "client boundary {} not a server boundary in {:?}", x, c);
            }
        }

        // Merging the server's answers gives every bucket's true count.
        let mut table = CountTable::new(b.clone());
        for c in &calls {
            table.merge_call(c.span, &server(c, &tz)).unwrap();
        }
        prop_assert!(table.is_complete());
        for i in 0..table.len() {
            let bk = table.bucket(i);
            prop_assert_eq!(table.value(i, "total"), Some(events(bk.start, bk.end)));
        }
    }

    #[test]
    fn with_the_contract_defaults_a_plan_is_never_longer_than_needed(
        days in 1i64..800,
        zi in 0usize..ZONES.len(),
    ) {
        // Whole UTC days at 1d: calls are 31 buckets long except the last and any
        // broken by a DST-long run, so the count is at most the bound plus DST breaks.
        let tz = zone(ZONES[zi]).unwrap();
        let range = TimeSpan::new(1_704_067_200_000, 1_704_067_200_000 + days * D);
        let b = boundaries(range, Interval::days(1), &tz, 20_000).unwrap();
        let calls = plan_counts(&b, &vec![false; b.len() - 1], Interval::days(1), &tz, &RangeLimits::default());
        let bound = engagement_dashboard::engine::plan::lower_bound_calls(range, 31 * D);
        // A 25-hour day makes a 31-day run 31d+1h: at most two such breaks a year.
        let dst_breaks = (days / 365 + 1) * 2;
        prop_assert!(calls.len() as i64 <= bound as i64 + dst_breaks, "{} calls for bound {}", calls.len(), bound);
    }
}
