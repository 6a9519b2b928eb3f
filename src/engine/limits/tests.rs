use super::*;

const D: i64 = 86_400_000;
const H: i64 = 3_600_000;

/// One series of `total` buckets of `step` ms against a server refusing calls
/// longer than `limit`, one call at a time: (calls answered, refusals).
fn simulate(l: &mut ClassLimit, refusals: &mut u32, total: i64, step: i64, limit: i64) -> (u32, u32) {
    let (mut calls, mut refused) = (0, 0);
    let mut left = total;
    while left > 0 {
        let mut want = left.min(l.plan_limit(*refusals) / step).max(1);
        loop {
            match l.verdict(want * step, step, *refusals, false) {
                Verdict::Go => break,
                Verdict::Shrink(x) => want = (x / step).max(1).min(want),
                Verdict::Probe(t) => {
                    want = (t / step).max(1).min(want);
                    break;
                }
                Verdict::Wait => unreachable!("nothing is in flight"),
            }
        }
        let len = want * step;
        if len > limit {
            refused += 1;
            *refusals += 1;
            l.bad = Some(l.bad.map_or(len, |b| b.min(len)));
            assert!(refused < 20, "the search must end");
        } else {
            calls += 1;
            l.good = l.good.max(len);
            left -= want;
        }
    }
    (calls, refused)
}

#[test]
fn a_ten_day_limit_is_found_as_ten_days_within_the_budget() {
    let mut l = ClassLimit::new(31 * D, false);
    let mut r = 0;
    let (calls, refused) = simulate(&mut l, &mut r, 90, D, 10 * D);
    assert_eq!(l.good, 10 * D);
    assert!(refused <= REFUSAL_BUDGET, "{refused} refused");
    assert!(calls <= 12, "{calls} calls for 90 days");
    assert!(l.settled(r));
    assert_eq!(l.plan_limit(r), 10 * D);
}

#[test]
fn every_day_limit_costs_at_most_the_budget_and_lands_within_ten_percent() {
    for days in 1..=31 {
        let mut l = ClassLimit::new(31 * D, false);
        let mut r = 0;
        let (_, refused) = simulate(&mut l, &mut r, 400, D, days * D);
        assert!(refused <= REFUSAL_BUDGET, "limit {days}d: {refused} refused");
        assert!(l.good as f64 >= days as f64 * D as f64 / 1.1 - D as f64, "limit {days}d: found {}", l.good / D);
    }
}

#[test]
fn hour_limits_are_found_within_the_budget() {
    for hours in [1, 5, 24, 36, 72, 100, 167, 168] {
        let mut l = ClassLimit::new(7 * D, false);
        let mut r = 0;
        let (_, refused) = simulate(&mut l, &mut r, 24 * 90, H, hours * H);
        assert!(refused <= REFUSAL_BUDGET, "limit {hours}h: {refused} refused");
        assert!(l.good as f64 >= hours as f64 * H as f64 / 1.1 - H as f64, "limit {hours}h: found {}h", l.good / H);
    }
}

#[test]
fn a_trusted_limit_never_probes() {
    let l = ClassLimit::new(31 * D, true);
    assert_eq!(l.verdict(31 * D, D, 0, false), Verdict::Go);
    assert_eq!(l.verdict(40 * D, D, 0, false), Verdict::Shrink(31 * D));
}

#[test]
fn one_probe_at_a_time_until_something_is_known() {
    let l = ClassLimit::new(31 * D, false);
    assert_eq!(l.verdict(31 * D, D, 0, false), Verdict::Probe(31 * D));
    assert_eq!(l.verdict(31 * D, D, 0, true), Verdict::Wait);
}

#[test]
fn a_hint_is_trusted_at_once() {
    let learner = LimitLearner::new(RangeLimits::default(), false);
    learner.refused(LimitClass::Day, 31 * D, Some(10 * D));
    assert_eq!(learner.plan_limits().day_ms, 10 * D);
    assert!(learner.snapshot(LimitClass::Day).trusted);
}

#[test]
fn restore_keeps_only_what_was_learned_under_the_same_ceiling() {
    let learner = LimitLearner::new(RangeLimits::default(), false);
    let learned = ClassLimit { ceiling: 31 * D, good: 10 * D, bad: Some(11 * D), trusted: false };
    let other = ClassLimit { ceiling: 14 * D, good: 3 * D, bad: Some(4 * D), trusted: false };
    learner.restore(&[other, learned, learned]);
    let l = learner.plan_limits();
    assert_eq!(l.day_ms, 10 * D);
    assert_eq!(l.hour_ms, 7 * D, "learned under another ceiling: ignored");
}
