use proptest::prelude::*;

use super::anomaly::{self, Direction, SeriesInput};
use super::missing_buckets;
use super::quality::{self, QualityTable};
use super::sentiment::{SentimentScope, SentimentTable};
use crate::domain::explorer::MessageIndex;
use crate::domain::time::{Interval, TimeSpan};
use crate::domain::wire::{Message, TopMatch};

fn msg(ts: i64, sendertype: Option<&str>, sentiment: f64, topic: &str, score: f64, tops: &[(&str, f64)]) -> Message {
    Message {
        text: format!("m{ts}"),
        timestamp: None,
        ts,
        sendername: None,
        senderemail: None,
        sendertype: sendertype.map(String::from),
        sessionid: format!("{ts}.1"),
        sentiment,
        workflow: None,
        workflownodeid: None,
        topic: topic.to_string(),
        score,
        topmatches: tops
            .iter()
            .map(|(t, s)| TopMatch { topic: t.to_string(), score: *s, text: String::new() })
            .collect(),
    }
}

#[test]
fn sentiment_by_sign_and_mean_hand_computed() {
    let c = Some("customer");
    let idx = MessageIndex::build(vec![
        msg(5, c, -0.5, "billing", 0.9, &[]),
        msg(1, Some("bot"), 0.0, "billing", 0.9, &[]),
        msg(12, c, 1.5, "order status", 0.9, &[]),
        msg(15, c, 0.5, "billing", 0.9, &[]),
        msg(30, c, -1.0, "billing", 0.9, &[]), // outside [0, 30)
        msg(-1, c, -1.0, "billing", 0.9, &[]), // before the range
    ]);
    let bounds = [0, 10, 20, 30];
    let t = SentimentTable::build(&idx, &bounds, &[false; 3], &SentimentScope::All);
    let c0 = t.cells[0].unwrap();
    assert_eq!(c0.by_sign, [1, 1, 0]);
    assert_eq!(c0.mean(), Some(-0.25));
    assert_eq!(t.cells[1].unwrap().by_sign, [0, 0, 2]);
    assert_eq!(t.cells[1].unwrap().mean(), Some(1.0));
    assert_eq!(t.cells[2].unwrap().mean(), None, "an empty bucket has no mean");
    let m = t.model();
    assert_eq!(m.columns.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), ["negative", "neutral", "positive"]);
    assert_eq!(m.totals, vec![1, 1, 2]);
    let billing = SentimentTable::build(&idx, &bounds, &[false; 3], &SentimentScope::Topic("billing".into()));
    assert_eq!(billing.model().totals, vec![1, 1, 1]);
    let bots = SentimentTable::build(&idx, &bounds, &[false; 3], &SentimentScope::SenderType("bot".into()));
    assert_eq!(bots.model().totals, vec![0, 1, 0]);
    // A bucket touching a failed span is unknown, not zero.
    let missing = missing_buckets(&bounds, &[TimeSpan::new(18, 22)]);
    assert_eq!(missing, vec![false, true, true]);
    let t = SentimentTable::build(&idx, &bounds, &missing, &SentimentScope::All);
    assert_eq!(t.model().rows[1].cells, vec![None, None, None]);
    assert_eq!(t.model().totals, vec![1, 1, 0]);
}

#[test]
fn quality_hand_computed() {
    let c = Some("customer");
    let idx = MessageIndex::build(vec![
        // low (0.3 < 0.5) and ambiguous (0.25 >= 0.3 - 0.1)
        msg(1, c, 0.0, "billing", 0.3, &[("billing", 0.3), ("refund", 0.25)]),
        // not low (exactly 0.5), not ambiguous (0.3 < 0.4)
        msg(2, c, 0.0, "billing", 0.5, &[("billing", 0.5), ("refund", 0.3)]),
        // ambiguous, pair given in reverse order and unsorted scores
        msg(3, c, 0.0, "refund", 0.8, &[("billing", 0.75), ("refund", 0.8), ("order status", 0.1)]),
        // a bot message never counts
        msg(4, Some("bot"), 0.0, "refund", 0.1, &[("billing", 0.1), ("refund", 0.1)]),
        // one match only: not ambiguous; missing sendertype: not a customer
        msg(11, c, 0.0, "café rewards", 0.2, &[("café rewards", 0.2)]),
        msg(12, None, 0.0, "billing", 0.1, &[("billing", 0.1), ("zebra", 0.1)]),
        msg(13, c, 0.0, "zebra", 0.9, &[("zebra", 0.9), ("café rewards", 0.85)]),
    ]);
    let t = QualityTable::build(&idx, &[0, 10, 20], &[false, false], 0.5);
    let rows: Vec<_> = t.cells.iter().map(|c| c.unwrap()).collect();
    assert_eq!((rows[0].customer_messages, rows[0].low_confidence, rows[0].ambiguous), (3, 1, 2));
    assert_eq!((rows[1].customer_messages, rows[1].low_confidence, rows[1].ambiguous), (2, 1, 1));
    assert_eq!(t.pairs.len(), 2);
    assert_eq!((t.pairs[0].a.as_str(), t.pairs[0].b.as_str(), t.pairs[0].count), ("billing", "refund", 2));
    assert_eq!(t.pairs[0].examples, vec![0, 2]);
    // Code-point order: 'c' (0x63) before 'z'.
    assert_eq!((t.pairs[1].a.as_str(), t.pairs[1].b.as_str()), ("café rewards", "zebra"));
    assert_eq!(t.model().totals, vec![5, 2, 3]);
    // The margin is the literal comparison `second >= first - 0.1`.
    let edge = msg(1, c, 0.0, "a", 0.55, &[("a", 0.55), ("b", 0.45)]);
    assert_eq!(quality::is_ambiguous(&edge), 0.45 >= 0.55 - 0.1);
}

#[test]
fn seasons_and_history() {
    assert_eq!(anomaly::season(Interval::hours(1)), 168);
    assert_eq!(anomaly::season(Interval::hours(5)), 1);
    assert_eq!(anomaly::season(Interval::days(1)), 7);
    assert_eq!(anomaly::season(Interval::days(2)), 1);
    let tz = jiff::tz::TimeZone::UTC;
    let span = TimeSpan::new(28 * 86_400_000, 35 * 86_400_000);
    assert_eq!(anomaly::history_span(span, Interval::days(1), &tz), Some(TimeSpan::new(0, 28 * 86_400_000)));
}

#[test]
fn baseline_is_the_median_and_a_floored_mad() {
    let b = anomaly::baseline(&[40, 44, 36, 400]).unwrap();
    assert_eq!(b.expected, 42.0);
    // deviations 2,2,6,358 -> MAD 4 -> 5.93; floor sqrt(42) = 6.48
    assert!((b.spread - 42f64.sqrt()).abs() < 1e-9);
    assert_eq!(anomaly::baseline(&[1, 2]), None);
    let b = anomaly::baseline(&[0, 0, 0]).unwrap();
    assert_eq!((b.expected, b.spread), (0.0, 1.0));
}

fn series(values: &[Option<u64>], range_from: usize, season: usize) -> Vec<anomaly::Finding> {
    let n = values.len() - range_from;
    let starts: Vec<i64> = (0..n as i64).collect();
    anomaly::detect(&SeriesInput { key: "k", values, range_from, starts: &starts, complete: &vec![true; n], season })
}

#[test]
fn a_spike_of_eight_times_is_flagged_and_ordinary_noise_is_not() {
    // Daily series with a weekly season: 4 weeks of history, 2 weeks of range.
    let mut v: Vec<Option<u64>> =
        (0..42).map(|d| Some(if d % 7 >= 5 { 50 } else { 40 + (d % 3) as u64 * 4 })).collect();
    v[30] = Some(320); // 8x a weekday
    v[33] = Some(0); // a weekend collapse to zero (usual 50)
    let f = series(&v, 28, 7);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!((f[0].index, f[0].value, f[0].expected, f[0].direction), (2, 320, 46.0, Direction::High));
    assert_eq!((f[1].index, f[1].direction), (5, Direction::Low));
    // Twice the usual level is not news.
    v[30] = Some(90);
    v[33] = Some(50);
    assert!(series(&v, 28, 7).is_empty());
    // Unknown buckets are skipped, and too little history means no judgement.
    v[30] = None;
    assert!(series(&v, 28, 7).is_empty());
    assert!(series(&v[14..], 14, 7).iter().all(|f| f.index >= 7));
}

#[test]
fn describe_reads_like_a_sentence() {
    let f = anomaly::Finding {
        key: "password reset".into(),
        index: 0,
        start: 0,
        value: 310,
        expected: 40.0,
        direction: Direction::High,
    };
    assert_eq!(anomaly::describe(&f, "Mon 8 Jun"), "password reset: 310 on Mon 8 Jun, usually about 40");
}

fn arb_message() -> impl Strategy<Value = Message> {
    let topics = prop::sample::select(vec!["billing", "refund", "order status", "café rewards", "Zebra"]);
    let senders = prop::sample::select(vec![Some("customer"), Some("bot"), Some("agent"), None]);
    (
        -50i64..1050,
        senders,
        prop_oneof![Just(0.0), -3.0f64..3.0],
        topics.clone(),
        prop_oneof![Just(0.5), 0.0f64..1.0],
        prop::collection::vec((topics, prop_oneof![Just(0.4), 0.0f64..1.0]), 0..4),
    )
        .prop_map(|(ts, st, s, t, sc, tops)| {
            let tops: Vec<(&str, f64)> = tops.into_iter().collect();
            msg(ts, st, s, t, sc, &tops)
        })
}

proptest! {
    #[test]
    fn sentiment_columns_add_up_to_the_buckets_messages(msgs in prop::collection::vec(arb_message(), 0..200),
            cuts in prop::collection::btree_set(1i64..1000, 0..8)) {
        let mut bounds = vec![0i64];
        bounds.extend(cuts);
        bounds.push(1000);
        let idx = MessageIndex::build(msgs.clone());
        let t = SentimentTable::build(&idx, &bounds, &vec![false; bounds.len() - 1], &SentimentScope::All);
        for (i, c) in t.cells.iter().enumerate() {
            let c = c.unwrap();
            let naive = msgs.iter().filter(|m| m.ts >= bounds[i] && m.ts < bounds[i + 1]).count() as u64;
            prop_assert_eq!(c.messages(), naive);
            let neg = msgs.iter().filter(|m| m.ts >= bounds[i] && m.ts < bounds[i + 1] && m.sentiment < 0.0).count() as u64;
            prop_assert_eq!(c.by_sign[0], neg);
        }
    }

    #[test]
    fn quality_counts_equal_a_naive_recount(msgs in prop::collection::vec(arb_message(), 0..200),
            threshold in prop_oneof![Just(0.5), 0.0f64..1.0]) {
        let bounds = [0i64, 250, 500, 1000];
        let idx = MessageIndex::build(msgs.clone());
        let t = QualityTable::build(&idx, &bounds, &[false; 3], threshold);
        for i in 0..3 {
            let inb: Vec<&Message> = msgs.iter()
                .filter(|m| m.ts >= bounds[i] && m.ts < bounds[i + 1] && m.sendertype.as_deref() == Some("customer"))
                .collect();
            let low = inb.iter().filter(|m| m.score < threshold).count() as u64;
            let amb = inb.iter().filter(|m| {
                let mut s: Vec<f64> = m.topmatches.iter().map(|t| t.score).collect();
                s.sort_by(|a, b| b.total_cmp(a));
                s.len() >= 2 && s[1] >= s[0] - 0.1
            }).count() as u64;
            let c = t.cells[i].unwrap();
            prop_assert_eq!((c.customer_messages, c.low_confidence, c.ambiguous), (inb.len() as u64, low, amb));
        }
        let pair_total: u64 = t.pairs.iter().map(|p| p.count).sum();
        prop_assert_eq!(pair_total, t.model().totals[2]);
        prop_assert!(t.pairs.iter().all(|p| p.a <= p.b));
        prop_assert!(t.pairs.windows(2).all(|w| w[0].count >= w[1].count));
    }

    #[test]
    fn eight_times_the_usual_level_is_always_flagged(hist in prop::collection::vec(0u64..500, 4..5), factor in 8u64..20) {
        let usual = anomaly::baseline(&hist).unwrap().expected;
        let spike = ((usual * factor as f64).ceil() as u64).max(anomaly::MIN_COUNT);
        let v: Vec<Option<u64>> = hist.iter().copied().chain([spike]).map(Some).collect();
        let f = series(&v, 4, 1);
        prop_assert_eq!(f.len(), 1);
        prop_assert_eq!(f[0].direction, Direction::High);
    }
}
