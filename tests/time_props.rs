//! Property tests of the time maths, native (`cargo test --test time_props`).
//!
//! Buckets: for random ranges in 2020–2030, random intervals and zones with awkward
//! rules (Lord Howe's half-hour DST, Kolkata's half-hour offset), plus ranges chosen
//! to straddle DST changes and month ends, `buckets()` must tile the range exactly
//! and agree with the contract's definition, checked independently through jiff's
//! civil (wall-clock) arithmetic. Range expressions: ISO and epoch ms round-trip,
//! `now/d` is a start of day, `now-1d` is a calendar day ago.
// proptest does not build for wasm32 (see Cargo.toml).
#![cfg(not(target_arch = "wasm32"))]

use engagement_dashboard::domain::time::presets::{shift_span, ShiftDirection};
use engagement_dashboard::domain::time::{
    boundary, buckets, zone, Interval, IntervalUnit, RangeExpr, ResolveOptions, RoundMode, TimeSpan,
};
use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Span, Timestamp};
use proptest::prelude::*;

const ZONES: [&str; 5] = ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"];
const MIN: i64 = 60_000;
const H: i64 = 3_600_000;
const DAY: i64 = 24 * H;
/// 2020-01-01T00:00:00Z and 2030-01-01T00:00:00Z.
const Y2020: i64 = 1_577_836_800_000;
const Y2030: i64 = 1_893_456_000_000;

fn tz(i: usize) -> TimeZone {
    zone(ZONES[i]).unwrap()
}

fn zoned(ms: i64, tz: &TimeZone) -> jiff::Zoned {
    Timestamp::from_millisecond(ms).unwrap().to_zoned(tz.clone())
}

/// The zone's DST transitions between 2020 and 2030, in epoch ms.
fn transitions(tz: &TimeZone) -> Vec<i64> {
    tz.following(Timestamp::from_millisecond(Y2020).unwrap())
        .map(|t| t.timestamp().as_millisecond())
        .take_while(|ms| *ms < Y2030)
        .collect()
}

/// By how much the zone's clocks jump at DST: the day lengths besides 24 h.
fn dst_shift(zone_name: &str) -> Option<i64> {
    match zone_name {
        "Australia/Lord_Howe" => Some(30 * MIN),
        "America/New_York" | "Europe/Berlin" => Some(H),
        _ => None,
    }
}

fn day_lengths(zone_name: &str) -> Vec<i64> {
    match dst_shift(zone_name) {
        Some(s) => vec![DAY - s, DAY, DAY + s],
        None => vec![DAY],
    }
}

fn is_gap(tz: &TimeZone, dt: DateTime) -> bool {
    matches!(tz.to_ambiguous_timestamp(dt).offset(), AmbiguousOffset::Gap { .. })
}

fn interval() -> impl Strategy<Value = Interval> {
    prop_oneof![
        (1u32..=48).prop_map(Interval::hours),
        (1u32..=60).prop_map(Interval::days),
        (1u32..=14).prop_map(Interval::months),
    ]
}

/// A bucketing case: zone, range and interval. `kind` picks how the start is made:
/// 0 any millisecond; 1 a round quarter hour; 2 so that a DST change of the zone
/// falls inside the range; 3 the 28th–31st of a month, local time.
#[derive(Debug, Clone)]
struct Case {
    zone: usize,
    range: TimeSpan,
    interval: Interval,
}

fn case() -> impl Strategy<Value = Case> {
    (0usize..ZONES.len(), 0u8..4, any::<u64>(), interval(), 1u64..=40_000).prop_map(
        |(zone_i, kind, seed, interval, per_mille)| {
            let tz = tz(zone_i);
            // 0.001 to 40 intervals long: from a sliver of a bucket to dozens of them.
            let len = ((interval.nominal_ms() as i128 * per_mille as i128) / 1000).max(1) as i64;
            let uniform = Y2020 + (seed % (Y2030 - Y2020) as u64) as i64;
            let start = match kind {
                0 => uniform,
                1 => uniform - uniform.rem_euclid(15 * MIN),
                2 => {
                    let ts = transitions(&tz);
                    if ts.is_empty() {
                        uniform
                    } else {
                        let t = ts[(seed % ts.len() as u64) as usize];
                        // The change lies inside [start, start + len); minute-aligned.
                        let back = ((seed >> 20) % len as u64) as i64;
                        let s = t - back;
                        s - s.rem_euclid(MIN)
                    }
                }
                _ => {
                    let z = zoned(uniform, &tz);
                    let month_end = z.date().last_of_month().day();
                    let day = (28 + (seed >> 40) % 4) as i8;
                    let date = Date::new(z.year(), z.month(), day.min(month_end)).unwrap();
                    let dt = date.at(((seed >> 8) % 24) as i8, ((seed >> 16) % 4 * 15) as i8, 0, 0);
                    tz.to_ambiguous_zoned(dt).compatible().unwrap().timestamp().as_millisecond()
                }
            };
            Case { zone: zone_i, range: TimeSpan::new(start, start + len), interval }
        },
    )
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn buckets_tile_the_range_exactly(c in case()) {
        let tz = tz(c.zone);
        let Case { range, interval, .. } = c;
        let b = buckets(range, interval, &tz, 100_000).unwrap();
        prop_assert!(!b.is_empty());
        prop_assert_eq!(b[0].start, range.start);
        prop_assert_eq!(b.last().unwrap().end, range.end);
        for w in b.windows(2) {
            prop_assert_eq!(w[0].end, w[1].start, "gap or overlap");
            prop_assert!(w[0].start < w[1].start);
            prop_assert!(!w[0].partial, "only the last bucket may be partial");
        }
        for (k, bucket) in b.iter().enumerate() {
            prop_assert!(bucket.start < bucket.end);
            prop_assert_eq!(bucket.start, boundary(range.start, interval, &tz, k as i64).unwrap());
            let next = boundary(range.start, interval, &tz, k as i64 + 1).unwrap();
            if bucket.partial {
                prop_assert!(next > range.end);
            } else {
                prop_assert_eq!(bucket.end, next);
            }
        }
        let last = b.last().unwrap();
        let whole_end = boundary(range.start, interval, &tz, b.len() as i64).unwrap();
        prop_assert_eq!(last.partial, whole_end > range.end);
    }

    /// Checks the bucket starts against the contract's words, computed on the wall
    /// clock with civil dates: `h` adds fixed hours; `d` and `mo` keep the start's
    /// wall time on later days (months clamped to the last day), except where a DST
    /// change skips that wall time.
    #[test]
    fn bucket_starts_follow_the_wall_clock(c in case()) {
        let tz = tz(c.zone);
        let Case { range, interval, .. } = c;
        let b = buckets(range, interval, &tz, 100_000).unwrap();
        let origin = zoned(range.start, &tz).datetime();
        let n = interval.count as i64;
        for (k, bucket) in b.iter().enumerate().skip(1) {
            let k = k as i64;
            match interval.unit {
                IntervalUnit::Hour => prop_assert_eq!(bucket.start, range.start + k * n * H),
                IntervalUnit::Day | IntervalUnit::Month => {
                    let step = if interval.unit == IntervalUnit::Day {
                        Span::new().days(k * n)
                    } else {
                        Span::new().months(k * n)
                    };
                    let wall = origin.date().checked_add(step).unwrap().to_datetime(origin.time());
                    let expected = tz.to_ambiguous_zoned(wall).compatible().unwrap();
                    prop_assert_eq!(bucket.start, expected.timestamp().as_millisecond(), "bucket {} wall {}", k, wall);
                    let got = zoned(bucket.start, &tz).datetime();
                    if got != wall {
                        prop_assert!(is_gap(&tz, wall), "bucket {} at {} instead of {} though it exists", k, got, wall);
                    }
                }
            }
        }
    }

    #[test]
    fn instants_round_trip_as_iso_and_epoch_ms(ms in -2_000_000_000_000i64..4_000_000_000_000, zone_i in 0usize..ZONES.len()) {
        let want = RangeExpr::Instant(ms);
        let iso = RangeExpr::iso_z(ms).unwrap();
        prop_assert!(iso.ends_with('Z'));
        prop_assert_eq!(iso.parse::<RangeExpr>().unwrap(), want.clone());
        prop_assert_eq!(want.to_string().parse::<RangeExpr>().unwrap(), want.clone());
        // With the zone's offset, and with that offset's `+` turned into a space.
        let tz = tz(zone_i);
        let z = zoned(ms, &tz);
        let with_offset = z.timestamp().display_with_offset(z.offset()).to_string();
        prop_assert_eq!(with_offset.parse::<RangeExpr>().unwrap(), want.clone(), "{}", with_offset);
        if let Some(p) = with_offset.rfind('+') {
            let spaced = format!("{} {}", &with_offset[..p], &with_offset[p + 1..]);
            prop_assert_eq!(spaced.parse::<RangeExpr>().unwrap(), want, "{}", spaced);
        }
    }

    #[test]
    fn now_rounded_to_the_day_is_a_start_of_day(now in Y2020..Y2030, zone_i in 0usize..ZONES.len()) {
        let tz = tz(zone_i);
        let expr: RangeExpr = "now/d".parse().unwrap();
        let today = zoned(now, &tz).date();
        let start = expr.resolve(now, &tz, &ResolveOptions::default()).unwrap();
        let z = zoned(start, &tz);
        prop_assert!(start <= now);
        prop_assert_eq!(z.date(), today);
        prop_assert!(zoned(start - 1, &tz).date() < today, "an earlier instant of the day exists");
        if (z.hour(), z.minute(), z.second()) != (0, 0, 0) {
            prop_assert!(is_gap(&tz, today.to_datetime(jiff::civil::Time::midnight())));
        }
        // As `to` it is the end of today: where tomorrow starts.
        let end = expr.resolve(now, &tz, &ResolveOptions { round: RoundMode::Ceil, ..Default::default() }).unwrap();
        prop_assert!(end > now);
        prop_assert_eq!(zoned(end, &tz).date(), today.tomorrow().unwrap());
        prop_assert_eq!(zoned(end - 1, &tz).date(), today);
        prop_assert!(day_lengths(ZONES[zone_i]).contains(&(end - start)), "a day of {} ms", end - start);
    }

    #[test]
    fn now_minus_a_day_is_the_same_wall_time_yesterday(now in Y2020..Y2030, zone_i in 0usize..ZONES.len()) {
        let tz = tz(zone_i);
        let then = "now-1d".parse::<RangeExpr>().unwrap().resolve(now, &tz, &ResolveOptions::default()).unwrap();
        prop_assert!(day_lengths(ZONES[zone_i]).contains(&(now - then)), "{} ms", now - then);
        let z = zoned(now, &tz);
        let wall = z.date().yesterday().unwrap().to_datetime(z.time());
        let got = zoned(then, &tz).datetime();
        if got != wall {
            prop_assert!(is_gap(&tz, wall), "{} instead of {}", got, wall);
        }
        // Hours are fixed whatever the zone.
        let fixed = "now-24h".parse::<RangeExpr>().unwrap().resolve(now, &tz, &ResolveOptions::default()).unwrap();
        prop_assert_eq!(now - fixed, DAY);
    }

    #[test]
    fn last_month_is_a_whole_calendar_month(now in Y2020..Y2030, zone_i in 0usize..ZONES.len()) {
        let tz = tz(zone_i);
        let expr: RangeExpr = "now-1mo/mo".parse().unwrap();
        let from = expr.resolve(now, &tz, &ResolveOptions::default()).unwrap();
        let to = expr.resolve(now, &tz, &ResolveOptions { round: RoundMode::Ceil, ..Default::default() }).unwrap();
        let this_month = zoned(now, &tz).date().first_of_month();
        let last_month = this_month.checked_sub(Span::new().months(1)).unwrap();
        prop_assert_eq!(zoned(from, &tz).date(), last_month);
        prop_assert_eq!(zoned(to, &tz).date(), this_month);
        prop_assert!(zoned(from - 1, &tz).date() < last_month);
        prop_assert!(zoned(to - 1, &tz).date() < this_month);
    }

    #[test]
    fn relative_expressions_print_and_parse_back(
        ops in prop::collection::vec((0u8..3, 1i64..500, 0usize..7), 0..4)
    ) {
        const UNITS: [&str; 7] = ["s", "m", "h", "d", "w", "mo", "y"];
        let mut text = String::from("now");
        for (op, n, u) in ops {
            match op {
                0 => text += &format!("-{n}{}", UNITS[u]),
                1 => text += &format!("+{n}{}", UNITS[u]),
                _ => text += &format!("/{}", UNITS[u]),
            }
        }
        let parsed: RangeExpr = text.parse().unwrap();
        prop_assert_eq!(parsed.to_string(), text.clone());
        prop_assert!(parsed.is_relative());
    }
}

proptest! {
    #![proptest_config(config())]

    /// Shifting meets the old span exactly and keeps it non-empty, and for whole
    /// local days and months a shift back then forward returns the span.
    #[test]
    fn shifting_meets_the_old_span(c in case(), whole in 0u8..3) {
        let tz = tz(c.zone);
        let mut range = c.range;
        // Also ranges of whole local days and months, the calendar cases.
        if whole > 0 {
            let z = zoned(range.start, &tz);
            let n = 1 + (range.len_ms() % 40);
            let (a, b) = if whole == 1 {
                let a = z.date();
                (a, a.checked_add(Span::new().days(n)).unwrap())
            } else {
                let a = z.date().first_of_month();
                (a, a.checked_add(Span::new().months(n % 14 + 1)).unwrap())
            };
            let ms = |d: Date| d.to_zoned(tz.clone()).unwrap().timestamp().as_millisecond();
            range = TimeSpan::new(ms(a), ms(b));
        }
        let back = shift_span(range, ShiftDirection::Back, &tz).unwrap();
        prop_assert_eq!(back.end, range.start);
        prop_assert!(back.start < back.end);
        let fwd = shift_span(range, ShiftDirection::Forward, &tz).unwrap();
        prop_assert_eq!(fwd.start, range.end);
        prop_assert!(fwd.start < fwd.end);
        if whole > 0 {
            prop_assert_eq!(shift_span(back, ShiftDirection::Forward, &tz).unwrap(), range);
        }
    }
}

/// Every DST change of the test zones between 2020 and 2030, by 1d and 1h, with
/// ranges starting a few hours before it at each quarter hour: the exhaustive
/// version of the targeted property above.
#[test]
fn every_dst_change_of_the_decade_is_tiled() {
    for (i, name) in ZONES.iter().enumerate() {
        let tz = tz(i);
        let ts = transitions(&tz);
        if dst_shift(name).is_some() {
            assert!(ts.len() >= 18, "{name}: {} transitions", ts.len());
        }
        for t in ts {
            for q in 0..16 {
                let start = t - 3 * H - q * 15 * MIN;
                for (interval, len) in
                    [(Interval::days(1), 3 * DAY), (Interval::hours(1), 7 * H), (Interval::months(1), 40 * DAY)]
                {
                    let range = TimeSpan::new(start, start + len);
                    let b = buckets(range, interval, &tz, 1000).unwrap();
                    assert_eq!(b[0].start, range.start);
                    assert_eq!(b.last().unwrap().end, range.end);
                    assert!(b.windows(2).all(|w| w[0].end == w[1].start && w[0].start < w[0].end && !w[0].partial));
                    if interval.unit == IntervalUnit::Day {
                        // Each day bucket lasts one of the zone's day lengths.
                        for bucket in b.iter().filter(|b| !b.partial) {
                            assert!(day_lengths(name).contains(&(bucket.end - bucket.start)), "{name} {bucket:?}");
                        }
                    }
                }
            }
        }
    }
}
