use super::*;
use crate::domain::time::TimeSpan;
use crate::domain::wire::WireBucket;

fn ms(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

fn table(counts: &[(&str, u64)], complete: bool) -> CountTable {
    let mut t = CountTable::new(vec![0, 10, 20]);
    let wb = WireBucket {
        start: 0,
        end: 10,
        counts: counts.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        partial: false,
    };
    t.merge_call(TimeSpan::new(0, 10), &[wb]).unwrap();
    if complete {
        t.merge_call(TimeSpan::new(10, 20), &[]).unwrap();
    }
    t
}

#[test]
fn hours_shift_by_fixed_hours() {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let span = TimeSpan::new(ms("2026-03-29T00:00:00Z"), ms("2026-03-29T06:00:00Z"));
    let prev = previous_period(span, Interval::hours(1), &tz).unwrap();
    assert_eq!(prev, TimeSpan::new(ms("2026-03-28T18:00:00Z"), span.start));
}

#[test]
fn days_shift_by_calendar_days_across_dst() {
    // New York, 7 days from local midnight 2026-03-09 (after the spring change):
    // the previous 7 days hold the 23-hour day, so the period is 167 hours long.
    let tz = TimeZone::get("America/New_York").unwrap();
    let span = TimeSpan::new(ms("2026-03-09T04:00:00Z"), ms("2026-03-16T04:00:00Z"));
    let prev = previous_period(span, Interval::days(1), &tz).unwrap();
    assert_eq!(prev, TimeSpan::new(ms("2026-03-02T05:00:00Z"), span.start));
    assert_eq!(prev.len_ms(), 167 * 3_600_000);
}

#[test]
fn a_skipped_day_still_counts_as_a_day_back() {
    // Apia skipped 2011-12-30 (Dec 29 24:00 -10 became Dec 31 00:00 +14). "Last 7
    // days" to Jan 2 00:00 +14 (Jan 1 10:00Z) from Dec 26 00:00 -10 (10:00Z) holds
    // six daily buckets but seven calendar days; the previous period is Dec 19 to
    // Dec 26, not Dec 20 to Dec 27, which overlapped the current one by a day.
    let tz = TimeZone::get("Pacific/Apia").unwrap();
    let span = TimeSpan::new(ms("2011-12-26T10:00:00Z"), ms("2012-01-01T10:00:00Z"));
    let prev = previous_period(span, Interval::days(1), &tz).unwrap();
    assert_eq!(prev, TimeSpan::new(ms("2011-12-19T10:00:00Z"), span.start));
}

#[test]
fn a_partial_period_never_overlaps_the_range_after_a_midnight_dst_gap() {
    // Santiago springs forward at 24:00 -04 on 2026-09-05: Sep 6 begins at 01:00 -03
    // (04:00Z). "Last 7 days" at Sep 13 00:30 -03 (03:30Z) is [Sep 6 04:00Z, Sep 13
    // 03:30Z), its last day partial. Seven days before its end is Sep 6 00:30, which
    // does not exist and moves forward to 01:30 -03 (04:30Z): half an hour into the
    // range itself. The previous period ends where the range starts instead.
    let tz = TimeZone::get("America/Santiago").unwrap();
    let span = TimeSpan::new(ms("2026-09-06T04:00:00Z"), ms("2026-09-13T03:30:00Z"));
    let prev = previous_period(span, Interval::days(1), &tz).unwrap();
    assert_eq!(prev, TimeSpan::new(ms("2026-08-30T05:00:00Z"), span.start));
}

#[test]
fn months_shift_by_calendar_months() {
    let tz = TimeZone::UTC;
    let span = TimeSpan::new(ms("2026-03-01T00:00:00Z"), ms("2026-05-01T00:00:00Z"));
    let prev = previous_period(span, Interval::months(1), &tz).unwrap();
    assert_eq!(prev, TimeSpan::new(ms("2026-01-01T00:00:00Z"), span.start));
}

#[test]
fn a_partial_last_bucket_compares_with_the_same_time_one_unit_back() {
    let tz = TimeZone::UTC;
    let span = TimeSpan::new(ms("2026-05-10T00:00:00Z"), ms("2026-05-10T09:30:00Z"));
    let prev = previous_period(span, Interval::days(1), &tz).unwrap();
    assert_eq!(prev, TimeSpan::new(ms("2026-05-09T00:00:00Z"), ms("2026-05-09T09:30:00Z")));
}

#[test]
fn rates_with_no_bot_engagement_have_no_value() {
    let t = table(&[("agentOnly", 4)], true);
    assert_eq!(KpiName::ContainmentRate.compute(None, Some(&t)), None);
    assert_eq!(KpiName::HandoffRate.compute(None, Some(&t)), None);
    assert_eq!(KpiName::ContainmentRate.format_value(None), "n/a");
}

#[test]
fn figures_from_complete_tables_only() {
    let t = table(&[("botOnly", 3), ("botToAgent", 1), ("total", 9)], true);
    assert_eq!(KpiName::ContainmentRate.compute(None, Some(&t)), Some(0.75));
    assert_eq!(KpiName::HandoffRate.compute(None, Some(&t)), Some(0.25));
    assert_eq!(KpiName::InteractionsTotal.compute(Some(&t), None), Some(9.0));
    let partial = table(&[("total", 9)], false);
    assert_eq!(KpiName::InteractionsTotal.compute(Some(&partial), None), None);
}

#[test]
fn changes_are_relative_for_counts_and_points_for_rates() {
    let k = KpiName::InteractionsTotal;
    assert_eq!(k.change(Some(150.0), Some(100.0)), Some(0.5));
    assert_eq!(k.change(Some(5.0), Some(0.0)), None, "no relative change from zero");
    assert_eq!(k.format_change(Some(0.5)), "+50.0 %");
    assert_eq!(k.format_value(Some(1234567.0)), "1,234,567");
    let r = KpiName::ContainmentRate;
    assert!((r.change(Some(0.75), Some(0.70)).unwrap() - 0.05).abs() < 1e-12);
    assert_eq!(r.format_change(Some(-0.02)), "-2.0 pp");
    assert_eq!(r.change(None, Some(0.5)), None);
}
