//! Sweeps of the time maths over EVERY IANA zone jiff knows
//! (`jiff::tz::db().available()`), with extra weight on zones whose rules are
//! awkward: DST at midnight, skipped days, half-hour DST, 45-minute offsets,
//! negative DST, two-hour DST, recent rule changes.
//!
//! - [`client_and_mock_buckets_equal_an_independent_oracle`]: the client's and the
//!   mock server's buckets (`mock_de::buckets`) against an oracle that does its own
//!   date arithmetic from the zone's transition list (`zone_sweep/oracle.rs`), the
//!   cases the oracle refuses included.
//! - [`plans_are_exact_against_the_mock_server_in_every_zone`]: the planner's calls
//!   tile the range, each within its limit, and the mock server's buckets for each
//!   call (anchored at the call's own start) merge into exactly the client buckets;
//!   with some buckets already known, the calls cover exactly the others.
//! - [`rounded_range_expressions_are_real_starts_in_every_zone`]: `now/d`, `now/w`,
//!   `now/mo`, `now/y`, `now-1mo/mo`, `now-7d/d`, as `from` and as `to`, against an
//!   oracle that finds the first instant of a local date from the zone's
//!   transitions (no disambiguation rule involved); `now-7d` is the same wall time.
//! - [`quick_ranges_resolve_and_bucket_in_every_zone`]: every quick range resolves
//!   and buckets at its own interval, whatever the zone and the day, and its KPI
//!   previous period lies just before it.
//! - [`every_offset_change_since_1970_in_every_zone`]: exhaustive over the changes.
//! - [`shifting_meets_the_old_range_in_every_zone`]: the picker's shift back/forward.
//!
//! Deterministic (a fixed seed per test); `ZONE_SWEEP_CASES` scales the number of
//! cases per zone (default: 8 in debug, 200 in release; exotic zones get 8×).
//! A failure names the zone and the instants, ready to paste into a regression test.
#![cfg(not(target_arch = "wasm32"))]

#[path = "zone_sweep/oracle.rs"]
mod oracle;

use engagement_dashboard::domain::config::RangeLimits;
use engagement_dashboard::domain::count_table::CountTable;
use engagement_dashboard::domain::panels::kpi::previous_period;
use engagement_dashboard::domain::panels::labels::bucket_label;
use engagement_dashboard::domain::time::presets::{shift_span, ShiftDirection, QUICK_RANGES};
use engagement_dashboard::domain::time::{
    boundaries, buckets, zone, BucketError, Interval, IntervalUnit, RangeExpr, ResolveOptions, RoundMode, TimeSpan,
};
use engagement_dashboard::domain::wire::WireBucket;
use engagement_dashboard::engine::plan::plan_counts;
use jiff::civil::{Date, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Span, Timestamp};
use mock_de::buckets as mock;

const MIN: i64 = 60_000;
const H: i64 = 3_600_000;
const D: i64 = 24 * H;
/// 1900-01-01, 1970-01-01 and 2040-01-01, UTC.
const Y1900: i64 = -2_208_988_800_000;
const Y1970: i64 = 0;
/// 2010-01-01, UTC.
const Y2010: i64 = 1_262_304_000_000;
const Y2040: i64 = 2_208_988_800_000;

/// Zones the brief names, and others with rules known to break naive code. Every
/// zone is swept; these get more cases.
const EXOTIC: &[&str] = &[
    // DST at midnight.
    "America/Santiago",
    "America/Havana",
    "Asia/Beirut",
    "America/Asuncion",
    "Africa/Cairo",
    "America/Sao_Paulo",
    "America/Scoresbysund",
    "Asia/Damascus",
    "Asia/Gaza",
    "Asia/Hebron",
    "America/St_Johns",
    // Skipped (or repeated) days.
    "Pacific/Apia",
    "Pacific/Kiritimati",
    "Pacific/Kwajalein",
    "Pacific/Fakaofo",
    "America/Sitka",
    "America/Juneau",
    "Asia/Manila",
    // Odd offsets and DST amounts.
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Australia/Eucla",
    "Europe/Dublin",
    "Africa/Casablanca",
    "Africa/El_Aaiun",
    "Antarctica/Troll",
    "Africa/Windhoek",
    // Recent rule changes.
    "America/Mexico_City",
    "Asia/Amman",
    "Asia/Tehran",
    "Europe/Volgograd",
    "Europe/Moscow",
    "America/Nuuk",
    "Asia/Pyongyang",
    "America/Caracas",
    "Africa/Juba",
    "Asia/Almaty",
    "Pacific/Norfolk",
    "America/Ciudad_Juarez",
];

/// The zones the brief asks for by name: they must exist in the database.
const REQUIRED: &[&str] = &[
    "America/Santiago",
    "America/Havana",
    "Asia/Beirut",
    "America/Asuncion",
    "Africa/Cairo",
    "Pacific/Apia",
    "Pacific/Kiritimati",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Europe/Dublin",
    "America/Mexico_City",
    "Asia/Amman",
    "Asia/Tehran",
    "Europe/Volgograd",
];

/// splitmix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo) as u64) as i64
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

struct Zone {
    name: String,
    tz: TimeZone,
    /// Offset changes between 1900 and 2040, epoch ms.
    transitions: Vec<i64>,
    exotic: bool,
}

fn all_zones() -> Vec<Zone> {
    // The browser build can only use the database bundled into the binary; the
    // native tests must too, or they check the host's tzdb version instead.
    let db = format!("{:?}", jiff::tz::db());
    assert!(
        db.contains("Bundled"),
        "jiff uses {db}, not its bundled database: is a default-featured jiff in the build?"
    );
    let names: Vec<String> = jiff::tz::db().available().map(|n| n.as_str().to_string()).collect();
    assert!(names.len() > 300, "only {} zones in the database", names.len());
    for r in REQUIRED {
        assert!(names.iter().any(|n| n == r), "{r} is missing from the database");
    }
    names
        .into_iter()
        .filter_map(|name| {
            let tz = zone(&name)?;
            let transitions = tz
                .following(Timestamp::from_millisecond(Y1900).unwrap())
                .map(|t| t.timestamp().as_millisecond())
                .take_while(|ms| *ms < Y2040)
                .collect();
            let exotic = EXOTIC.contains(&name.as_str());
            Some(Zone { name, tz, transitions, exotic })
        })
        .collect()
}

/// Fails with the first few failures; all of them go to the file named by
/// `ZONE_SWEEP_DUMP` when it is set.
fn report(failures: &[String]) {
    if let Ok(path) = std::env::var("ZONE_SWEEP_DUMP") {
        std::fs::write(path, failures.join("\n")).unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} failures, the first:\n{}",
        failures.len(),
        failures[..failures.len().min(8)].join("\n")
    );
}

fn cases_per_zone(z: &Zone) -> usize {
    let base = std::env::var("ZONE_SWEEP_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 8 } else { 200 });
    if z.exotic {
        base * 8
    } else {
        base
    }
}

fn zoned(ms: i64, tz: &TimeZone) -> jiff::Zoned {
    Timestamp::from_millisecond(ms).unwrap().to_zoned(tz.clone())
}

fn iso(ms: i64) -> String {
    Timestamp::from_millisecond(ms).map(|t| t.to_string()).unwrap_or_else(|_| ms.to_string())
}

fn local(ms: i64, tz: &TimeZone) -> String {
    let z = zoned(ms, tz);
    format!("{} {}", z.datetime(), z.offset())
}

/// An instant of interest in `z`: uniform (mostly after 1970), round, just around
/// an offset change, a local midnight near one, or a month end.
fn instant(rng: &mut Rng, z: &Zone, spread: i64) -> i64 {
    let uniform = if rng.below(4) == 0 { rng.range(Y1900, Y2040) } else { rng.range(Y1970, Y2040) };
    let near = |rng: &mut Rng| -> Option<i64> {
        if z.transitions.is_empty() {
            return None;
        }
        // Half the time one of the last 40 years' changes, where the data are busiest.
        let recent: Vec<i64> =
            z.transitions.iter().copied().filter(|t| *t >= 1_000_000_000_000 - 20 * 365 * D).collect();
        let t = if !recent.is_empty() && rng.below(2) == 0 { *rng.pick(&recent) } else { *rng.pick(&z.transitions) };
        Some(t)
    };
    match rng.below(7) {
        0 => uniform,
        1 => uniform - uniform.rem_euclid(15 * MIN),
        2 | 3 => match near(rng) {
            // The change lies inside [start, start + spread), minute-aligned.
            Some(t) => {
                let s = t - rng.range(0, spread.max(1));
                s - s.rem_euclid(MIN)
            }
            None => uniform,
        },
        4 => match near(rng) {
            // Exactly at a change, or a millisecond either side.
            Some(t) => t + rng.range(-1, 2),
            None => uniform,
        },
        5 => {
            // A local midnight (or another round wall time) on the day of a change,
            // or the day before or after it.
            let base = near(rng).unwrap_or(uniform);
            let date = zoned(base, &z.tz).date();
            let date = date.checked_add(Span::new().days(rng.range(-1, 2))).unwrap();
            let hour = if rng.below(2) == 0 { 0 } else { rng.below(24) as i8 };
            let dt = date.at(hour, (rng.below(4) * 15) as i8, 0, 0);
            z.tz.to_ambiguous_zoned(dt).compatible().unwrap().timestamp().as_millisecond()
        }
        _ => {
            // The 28th–31st of a month, local time.
            let zd = zoned(uniform, &z.tz);
            let last = zd.date().last_of_month().day();
            let day = (28 + rng.below(4) as i8).min(last);
            let dt = Date::new(zd.year(), zd.month(), day).unwrap().at(rng.below(24) as i8, 0, 0, 0);
            z.tz.to_ambiguous_zoned(dt).compatible().unwrap().timestamp().as_millisecond()
        }
    }
}

fn interval(rng: &mut Rng) -> Interval {
    match rng.below(10) {
        0 => Interval::hours(1),
        1 => Interval::hours(*rng.pick(&[2, 3, 5, 6, 12, 24, 25, 48])),
        2 | 3 => Interval::days(1),
        4 => Interval::days(*rng.pick(&[2, 3, 7, 14, 30, 31, 60])),
        5 | 6 => Interval::months(1),
        7 => Interval::months(*rng.pick(&[2, 3, 6, 12, 14])),
        8 => Interval::days(rng.range(1, 61) as u32),
        _ => Interval::months(rng.range(1, 15) as u32),
    }
}

fn mock_interval(iv: Interval) -> mock::Interval {
    let n = iv.count as i64;
    match iv.unit {
        IntervalUnit::Hour => mock::Interval::Hours(n),
        IntervalUnit::Day => mock::Interval::Days(n),
        IntervalUnit::Month => mock::Interval::Months(n),
    }
}

/// A random range: 0.001 to `max_intervals` (nominal) intervals long.
fn range(rng: &mut Rng, z: &Zone, iv: Interval, max_intervals: i64) -> TimeSpan {
    let per_mille = rng.range(1, max_intervals * 1000 + 1);
    // Mostly whole-ish numbers of intervals, so that ranges end on boundaries too.
    let per_mille = if rng.below(3) == 0 { per_mille - per_mille % 1000 + 1000 } else { per_mille };
    let len = ((iv.nominal_ms() as i128 * per_mille as i128) / 1000).max(1) as i64;
    let start = instant(rng, z, len);
    TimeSpan::new(start, start + len)
}

fn seed(name: &str, salt: u64) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325 ^ salt, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

fn oracle_unit(iv: Interval) -> oracle::Unit {
    match iv.unit {
        IntervalUnit::Hour => oracle::Unit::Hour,
        IntervalUnit::Day => oracle::Unit::Day,
        IntervalUnit::Month => oracle::Unit::Month,
    }
}

/// Buckets as `(start, end, partial)` in the zone's wall time, for failure messages.
fn show_buckets(v: &[(i64, i64, bool)], tz: &TimeZone) -> String {
    v.iter()
        .take(60)
        .map(|(s, e, p)| format!("[{} .. {}{}]", local(*s, tz), local(*e, tz), if *p { " partial" } else { "" }))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The client's and the mock's buckets against the independent oracle (not against
/// each other only: both use jiff's arithmetic). Where the oracle refuses (too many
/// buckets, a boundary past the representable dates), both must refuse, and the
/// client for the same reason; a refusal the oracle does not expect is a failure.
fn check_buckets(z: &Zone, r: TimeSpan, iv: Interval, max: usize) -> Option<String> {
    let want = oracle::buckets(&z.tz, r.start, r.end, oracle_unit(iv), iv.count as i64, max);
    let client = buckets(r, iv, &z.tz, max).map(|v| v.iter().map(|b| (b.start, b.end, b.partial)).collect::<Vec<_>>());
    let server = mock::buckets(r.start, r.end, mock_interval(iv), &z.tz, max)
        .map(|v| v.iter().map(|b| (b.start, b.end, b.partial)).collect::<Vec<_>>());
    let ok = match &want {
        Ok(w) => client.as_ref() == Ok(w) && server.as_ref() == Ok(w),
        Err(why) => {
            let client_why = match &client {
                Err(BucketError::TooMany { .. }) => Some(oracle::Refusal::TooMany),
                Err(BucketError::OutOfRange) => Some(oracle::Refusal::OutOfRange),
                _ => None,
            };
            client_why == Some(*why) && server.is_err()
        }
    };
    if ok {
        return None;
    }
    let show = |v: &Result<Vec<(i64, i64, bool)>, String>| match v {
        Ok(v) => show_buckets(v, &z.tz),
        Err(e) => format!("refused: {e}"),
    };
    Some(format!(
        "{} {} [{} ({}), {} ({})) max {max}:\n  oracle: {}\n  client: {}\n  mock:   {}",
        z.name,
        iv,
        iso(r.start),
        r.start,
        iso(r.end),
        r.end,
        show(&want.map_err(|e| format!("{e:?}"))),
        show(&client.map_err(|e| format!("{e:?}"))),
        show(&server),
    ))
}

#[test]
fn client_and_mock_buckets_equal_an_independent_oracle() {
    let started = std::time::Instant::now();
    let (mut cases, mut refused) = (0usize, 0usize);
    let mut failures = Vec::new();
    for z in all_zones() {
        let mut rng = Rng(seed(&z.name, 1));
        for _ in 0..cases_per_zone(&z) {
            let iv = interval(&mut rng);
            let r = range(&mut rng, &z, iv, 40);
            cases += 1;
            failures.extend(check_buckets(&z, r, iv, 100_000));
        }
        // Refusals: a range with more buckets than allowed, and one whose buckets
        // run past the last representable date.
        let r = range(&mut rng, &z, Interval::days(1), 40);
        failures.extend(check_buckets(&z, TimeSpan::new(r.start, r.start + 50 * D), Interval::hours(1), 10));
        let last = Timestamp::MAX.as_millisecond();
        failures.extend(check_buckets(&z, TimeSpan::new(last - 100 * D, last - 10 * D), Interval::months(4), 100));
        refused += 2;
    }
    eprintln!(
        "oracle: {cases} cases and {refused} refusals over all zones in {:?}; {} disagreements",
        started.elapsed(),
        failures.len()
    );
    report(&failures);
}

/// Events every 7 minutes: a count that any partition of a span sums to.
fn events(s: i64, e: i64) -> u64 {
    const EVERY: i64 = 7 * MIN;
    let first = s.div_euclid(EVERY) + i64::from(s.rem_euclid(EVERY) != 0);
    let last = (e - 1).div_euclid(EVERY);
    (last - first + 1).max(0) as u64
}

#[test]
fn plans_are_exact_against_the_mock_server_in_every_zone() {
    let started = std::time::Instant::now();
    let (mut cases, mut calls_total) = (0usize, 0usize);
    for z in all_zones() {
        let mut rng = Rng(seed(&z.name, 2));
        for _ in 0..cases_per_zone(&z) / 3 + 1 {
            let iv = interval(&mut rng);
            let max_intervals = match iv.unit {
                IntervalUnit::Hour => 40 * 24 / iv.count as i64,
                IntervalUnit::Day => 400 / iv.count as i64,
                IntervalUnit::Month => 14,
            }
            .max(1);
            let r = range(&mut rng, &z, iv, max_intervals);
            let lim = if rng.below(3) == 0 {
                RangeLimits::default()
            } else {
                RangeLimits { hour_ms: rng.range(1, 11) * D, day_ms: rng.range(3, 41) * D, messages_ms: 31 * D }
            };
            let ctx = || {
                format!(
                    "{} {} [{} ({}), {} ({})) limits {:?}",
                    z.name,
                    iv,
                    iso(r.start),
                    r.start,
                    iso(r.end),
                    r.end,
                    lim
                )
            };
            let b = match boundaries(r, iv, &z.tz, 20_000) {
                Ok(b) => b,
                Err(e) => panic!("{}: the client refuses: {e:?}", ctx()),
            };
            cases += 1;
            // Half the time some buckets are known already (an earlier load): the
            // plan must fetch exactly the others.
            let n = b.len() - 1;
            let have: Vec<bool> = if rng.below(2) == 0 {
                vec![false; n]
            } else {
                let p = rng.below(4);
                (0..n).map(|_| rng.below(4) < p).collect()
            };
            let mut table = CountTable::new(b.clone());
            for i in (0..n).filter(|i| have[*i]) {
                let (s, e) = (b[i], b[i + 1]);
                let known = WireBucket {
                    start: s,
                    end: e,
                    counts: [("total".to_string(), events(s, e))].into(),
                    partial: false,
                };
                table.merge_call(TimeSpan::new(s, e), &[known]).unwrap();
            }
            let calls = plan_counts(&b, &have, iv, &z.tz, &lim);
            calls_total += calls.len();
            // Ascending, no overlap, and covering exactly the missing buckets.
            let missing: Vec<TimeSpan> = table.missing_spans();
            let mut covered: Vec<TimeSpan> = Vec::new();
            for c in &calls {
                match covered.last_mut() {
                    Some(last) if last.end == c.span.start => last.end = c.span.end,
                    Some(last) => {
                        assert!(last.end < c.span.start, "{}: calls overlap or go back at {c:?}", ctx());
                        covered.push(c.span)
                    }
                    None => covered.push(c.span),
                }
            }
            assert_eq!(
                covered,
                missing,
                "{}: the calls do not cover exactly the missing buckets (have {have:?})",
                ctx()
            );
            for c in &calls {
                let civ = c.interval.unwrap();
                let limit = if civ.unit == IntervalUnit::Hour { lim.hour_ms } else { lim.day_ms };
                assert!(c.span.len_ms() <= limit, "{}: call {c:?} over the limit {limit}", ctx());
                let answer = mock::buckets(c.span.start, c.span.end, mock_interval(civ), &z.tz, 100_000)
                    .unwrap_or_else(|e| panic!("{}: the mock refuses call {c:?}: {e}", ctx()));
                let starts: Vec<i64> = answer.iter().map(|a| a.start).collect();
                for x in b.iter().filter(|x| **x > c.span.start && **x < c.span.end) {
                    assert!(
                        starts.contains(x),
                        "{}: client boundary {} ({}) is not a server boundary of call [{}, {}) at {}",
                        ctx(),
                        iso(*x),
                        local(*x, &z.tz),
                        iso(c.span.start),
                        iso(c.span.end),
                        civ
                    );
                }
                let wire: Vec<WireBucket> = answer
                    .iter()
                    .map(|a| WireBucket {
                        start: a.start,
                        end: a.end,
                        counts: [("total".to_string(), events(a.start, a.end))].into(),
                        partial: a.partial,
                    })
                    .collect();
                table.merge_call(c.span, &wire).unwrap_or_else(|e| panic!("{}: merging call {c:?}: {e}", ctx()));
            }
            assert!(table.is_complete(), "{}", ctx());
            for i in 0..table.len() {
                let bk = table.bucket(i);
                assert_eq!(table.value(i, "total"), Some(events(bk.start, bk.end)), "{}: bucket {i}", ctx());
            }
        }
    }
    eprintln!("plans: {cases} ranges, {calls_total} calls over all zones in {:?}", started.elapsed());
}

/// The first instant whose local date is `d` or later, found from the zone's own
/// offsets and transitions: it is either `d`'s midnight at an offset in force
/// around then, or a transition at which the date jumps to `d` or beyond.
fn first_instant(tz: &TimeZone, d: Date) -> i64 {
    let civil = d.to_zoned(TimeZone::UTC).unwrap().timestamp().as_millisecond();
    let (lo, hi) = (civil - 3 * D, civil + 3 * D);
    let mut offsets = vec![tz.to_offset(Timestamp::from_millisecond(lo).unwrap()).seconds() as i64];
    let mut candidates = Vec::new();
    for t in tz.following(Timestamp::from_millisecond(lo).unwrap()) {
        let ms = t.timestamp().as_millisecond();
        if ms >= hi {
            break;
        }
        candidates.push(ms);
        offsets.push(t.offset().seconds() as i64);
    }
    candidates.extend(offsets.iter().map(|o| civil - o * 1000));
    let date = |ms: i64| zoned(ms, tz).date();
    candidates
        .into_iter()
        .filter(|&c| date(c) >= d && date(c - 1) < d)
        .min()
        .unwrap_or_else(|| panic!("no first instant of {d} in {tz:?}"))
}

/// The change at `t` moves the clock forward (skips wall times).
fn turns_forward(tz: &TimeZone, t: i64) -> bool {
    zoned(t, tz).offset() > zoned(t - 1, tz).offset()
}

fn week_start(d: Date, first: Weekday) -> Date {
    let back = first.until(d.weekday()) as i64;
    d.checked_sub(Span::new().days(back)).unwrap()
}

/// Checks `now/h` or `now/m` at `now`: `from` is the start of the wall-clock hour
/// (minute) containing `now` and `to` its end, where the wall clock leaves it. A
/// change that turns the clock back starts another pass, another unit (New York's
/// second 01:00–02:00; Lord Howe's second 01:30–02:00). The failure, if any.
fn fixed_unit_failure(name: &str, tz: &TimeZone, now: i64, text: &str) -> Option<String> {
    let unit = |ms: i64| {
        let dt = zoned(ms, tz).datetime();
        (dt.date(), dt.hour(), if text == "now/m" { dt.minute() } else { 0 })
    };
    let expr: RangeExpr = text.parse().unwrap();
    let from = expr.resolve(now, tz, &ResolveOptions::default()).unwrap();
    let to = expr.resolve(now, tz, &ResolveOptions { round: RoundMode::Ceil, ..Default::default() }).unwrap();
    let turns_back = |t: i64| zoned(t, tz).offset() < zoned(t - 1, tz).offset();
    // The first change in (a, b] that turns the clock back.
    let turn_in = |a: i64, b: i64| {
        tz.following(Timestamp::from_millisecond(a).unwrap())
            .map(|t| t.timestamp().as_millisecond())
            .take_while(|t| *t <= b)
            .find(|t| *t > a && turns_back(*t))
    };
    let ok = from <= now
        && unit(from) == unit(now)
        && turn_in(from, now).is_none()
        && (unit(from - 1) != unit(now) || turns_back(from))
        && to > now
        && unit(to - 1) == unit(now)
        && turn_in(now, to - 1).is_none()
        && (unit(to) != unit(now) || turns_back(to));
    (!ok).then(|| {
        format!(
            "{name} now={} ({now}, local {}) {text}: from {} (local {}), to {} (local {})",
            iso(now),
            local(now, tz),
            iso(from),
            local(from, tz),
            iso(to),
            local(to, tz)
        )
    })
}

#[test]
fn rounded_range_expressions_are_real_starts_in_every_zone() {
    let started = std::time::Instant::now();
    let mut cases = 0usize;
    let mut failures = Vec::new();
    let floor = ResolveOptions::default();
    let ceil = ResolveOptions { round: RoundMode::Ceil, ..Default::default() };
    let exprs: Vec<(&str, RangeExpr)> =
        ["now/d", "now/w", "now/mo", "now/y", "now-1mo/mo", "now-7d/d", "now-7d", "now-1d/d", "now+1d/d"]
            .iter()
            .map(|s| (*s, s.parse().unwrap()))
            .collect();
    for z in all_zones() {
        let mut rng = Rng(seed(&z.name, 3));
        let tz = &z.tz;
        for _ in 0..cases_per_zone(&z) {
            let now = instant(&mut rng, &z, 6 * H);
            cases += 1;
            let today = zoned(now, tz).date();
            let month = today.first_of_month();
            let year = today.first_of_year();
            let next = |d: Date, s: Span| d.checked_add(s).unwrap();
            // What `now-7d` must be: 7 days back on the wall clock; a skipped wall
            // time moves forward by the gap, a repeated one takes the earlier instant.
            let wall = next(today, Span::new().days(-7)).to_datetime(zoned(now, tz).time());
            let civil = wall.to_zoned(TimeZone::UTC).unwrap().timestamp().as_millisecond();
            let seven = match tz.to_ambiguous_timestamp(wall).offset() {
                AmbiguousOffset::Unambiguous { offset } => civil - offset.seconds() as i64 * 1000,
                AmbiguousOffset::Gap { before, .. } => civil - before.seconds() as i64 * 1000,
                AmbiguousOffset::Fold { before, .. } => civil - before.seconds() as i64 * 1000,
            };
            let seven_day = zoned(seven, tz).date();
            let expected: Vec<(i64, i64)> = vec![
                (first_instant(tz, today), first_instant(tz, next(today, Span::new().days(1)))),
                (
                    first_instant(tz, week_start(today, Weekday::Monday)),
                    first_instant(tz, next(week_start(today, Weekday::Monday), Span::new().days(7))),
                ),
                (first_instant(tz, month), first_instant(tz, next(month, Span::new().months(1)))),
                (first_instant(tz, year), first_instant(tz, next(year, Span::new().years(1)))),
                (first_instant(tz, next(month, Span::new().months(-1))), first_instant(tz, month)),
                (first_instant(tz, seven_day), first_instant(tz, next(seven_day, Span::new().days(1)))),
                (seven, seven),
                // `now-1d` and `now+1d` can land outside yesterday and tomorrow when a
                // whole day is skipped; rounding then takes the day they land on.
                {
                    let back = "now-1d".parse::<RangeExpr>().unwrap().resolve(now, tz, &floor).unwrap();
                    let d = zoned(back, tz).date();
                    (first_instant(tz, d), first_instant(tz, next(d, Span::new().days(1))))
                },
                {
                    let fwd = "now+1d".parse::<RangeExpr>().unwrap().resolve(now, tz, &floor).unwrap();
                    let d = zoned(fwd, tz).date();
                    (first_instant(tz, d), first_instant(tz, next(d, Span::new().days(1))))
                },
            ];
            for ((text, expr), (want_from, want_to)) in exprs.iter().zip(expected) {
                let from = expr.resolve(now, tz, &floor);
                let to = expr.resolve(now, tz, &ceil);
                if from != Ok(want_from) || to != Ok(want_to) {
                    failures.push(format!(
                        "{} now={} ({}, local {}) {}: from {:?} (local {}) want {} (local {}); to {:?} (local {}) want {} (local {})",
                        z.name,
                        iso(now),
                        now,
                        local(now, tz),
                        text,
                        from.as_ref().map(|v| iso(*v)),
                        from.as_ref().map(|v| local(*v, tz)).unwrap_or_default(),
                        iso(want_from),
                        local(want_from, tz),
                        to.as_ref().map(|v| iso(*v)),
                        to.as_ref().map(|v| local(*v, tz)).unwrap_or_default(),
                        iso(want_to),
                        local(want_to, tz),
                    ));
                }
            }
        }
    }
    // Weeks from a configured first day (config weekStart): Sunday, Saturday.
    for z in all_zones() {
        let mut rng = Rng(seed(&z.name, 7));
        let tz = &z.tz;
        let week: RangeExpr = "now/w".parse().unwrap();
        for _ in 0..cases_per_zone(&z) / 2 + 1 {
            let now = instant(&mut rng, &z, 6 * H);
            for first in [Weekday::Sunday, Weekday::Saturday] {
                cases += 1;
                let start = week_start(zoned(now, tz).date(), first);
                let want =
                    (first_instant(tz, start), first_instant(tz, start.checked_add(Span::new().days(7)).unwrap()));
                let got = (
                    week.resolve(now, tz, &ResolveOptions { week_start: first, ..floor }),
                    week.resolve(now, tz, &ResolveOptions { week_start: first, ..ceil }),
                );
                if got != (Ok(want.0), Ok(want.1)) {
                    failures.push(format!(
                        "{} now={} ({now}) now/w from {first:?}: {got:?} want {want:?}",
                        z.name,
                        local(now, tz)
                    ));
                }
            }
        }
    }
    // `/h` and `/m`: the start of the wall-clock hour (minute) containing `now`, and
    // as `to` the end of it, where the wall clock leaves it. A change that turns the
    // clock back starts another pass, another unit (New York's second 01:00–02:00;
    // Lord Howe's second 01:30–02:00).
    for z in all_zones() {
        let mut rng = Rng(seed(&z.name, 5));
        let tz = &z.tz;
        for _ in 0..cases_per_zone(&z) {
            let now = instant(&mut rng, &z, 3 * H);
            cases += 1;
            for text in ["now/h", "now/m"] {
                if let Some(f) = fixed_unit_failure(&z.name, tz, now, text) {
                    failures.push(f);
                }
            }
        }
    }
    eprintln!(
        "range expressions: {cases} instants × {} expressions over all zones in {:?}; {} failures",
        exprs.len(),
        started.elapsed(),
        failures.len()
    );
    report(&failures);
}

#[test]
fn quick_ranges_resolve_and_bucket_in_every_zone() {
    let started = std::time::Instant::now();
    let mut cases = 0usize;
    let mut failures = Vec::new();
    for z in all_zones() {
        let mut rng = Rng(seed(&z.name, 4));
        for _ in 0..cases_per_zone(&z) / 4 + 1 {
            let now = instant(&mut rng, &z, 12 * H);
            for q in QUICK_RANGES {
                cases += 1;
                let span = match q.range().resolve(now, &z.tz, &ResolveOptions::default()) {
                    Ok(s) => s,
                    Err(e) => {
                        // Only a "so far" range at the first instant of its unit is empty.
                        let so_far_at_start =
                            q.to == "now" && q.range().from.resolve(now, &z.tz, &ResolveOptions::default()) == Ok(now);
                        if !so_far_at_start {
                            failures.push(format!("{} now={} ({}) {}: {e}", z.name, iso(now), now, q.id));
                        }
                        continue;
                    }
                };
                // The KPI panels' previous period: before the range, never overlapping it.
                match previous_period(span, q.interval(), &z.tz) {
                    Ok(p) if p.start < p.end && p.end <= span.start => {}
                    other => failures.push(format!(
                        "{} now={} ({}) {}: previous period of [{}, {}) is {:?}",
                        z.name,
                        iso(now),
                        now,
                        q.id,
                        local(span.start, &z.tz),
                        local(span.end, &z.tz),
                        other.map(|p| (local(p.start, &z.tz), local(p.end, &z.tz)))
                    )),
                }
                if let Err(e) = boundaries(span, q.interval(), &z.tz, 2000) {
                    failures.push(format!(
                        "{} now={} ({}) {}: [{}, {}) at {}: {e:?}",
                        z.name,
                        iso(now),
                        now,
                        q.id,
                        local(span.start, &z.tz),
                        local(span.end, &z.tz),
                        q.interval
                    ));
                }
            }
        }
    }
    eprintln!("quick ranges: {cases} cases over all zones in {:?}; {} failures", started.elapsed(), failures.len());
    report(&failures);
}

/// Every offset change of every zone from 1970 to 2040, exhaustively: `1d`, `1mo`
/// and `1h` buckets from the local start of the day before the change (and from the
/// change itself) agree with the mock, and `now/d` an instant before, at and after
/// the change is the oracle's start of day, as `from` and as `to`; `now/h` around
/// it is the wall-clock hour; and (since 2010) "last 7/30 days" ending at a wall
/// time the change skipped has a previous period that does not overlap it; bucket
/// labels around it are distinct (hours) and read as days (days).
#[test]
fn every_offset_change_since_1970_in_every_zone() {
    let started = std::time::Instant::now();
    let (mut changes, mut failures) = (0usize, Vec::new());
    let day: RangeExpr = "now/d".parse().unwrap();
    let ceil = ResolveOptions { round: RoundMode::Ceil, ..Default::default() };
    for z in all_zones() {
        let tz = &z.tz;
        for &t in z.transitions.iter().filter(|t| **t >= Y1970) {
            changes += 1;
            let before = zoned(t - 1, tz).date().yesterday().unwrap();
            let day_start = first_instant(tz, before);
            for (start, iv, len) in [
                (day_start, Interval::days(1), 4 * D),
                (day_start, Interval::months(1), 70 * D),
                (day_start, Interval::hours(1), 3 * D),
                (t, Interval::days(1), 3 * D),
            ] {
                failures.extend(check_buckets(&z, TimeSpan::new(start, start + len), iv, 10_000));
            }
            for now in [t - 1, t, t + 30 * MIN] {
                if let Some(f) = fixed_unit_failure(&z.name, tz, now, "now/h") {
                    failures.push(f);
                }
            }
            // A wall time the change skips, 7 and 30 days later: "last 7/30 days"
            // then starts on the change's day and its previous period ends at a
            // skipped wall time (moved forward, possibly past the range's start).
            if t >= Y2010 && turns_forward(tz, t) {
                let gap = (zoned(t, tz).offset().seconds() - zoned(t - 1, tz).offset().seconds()) as i64;
                let skipped = zoned(t, tz).datetime().checked_sub(Span::new().seconds(gap / 2)).unwrap();
                for (id, days) in [("last-7d", 7), ("last-30d", 30)] {
                    let wall = skipped.checked_add(Span::new().days(days)).unwrap();
                    let now = tz.to_ambiguous_zoned(wall).compatible().unwrap().timestamp().as_millisecond();
                    let q = QUICK_RANGES.iter().find(|q| q.id == id).unwrap();
                    let span = q.range().resolve(now, tz, &ResolveOptions::default()).unwrap();
                    match previous_period(span, q.interval(), tz) {
                        Ok(p) if p.start < p.end && p.end <= span.start => {}
                        other => failures.push(format!(
                            "{} now={} ({now}) {id}: previous period of [{}, {}) is {:?}",
                            z.name,
                            local(now, tz),
                            local(span.start, tz),
                            local(span.end, tz),
                            other.map(|p| (local(p.start, tz), local(p.end, tz)))
                        )),
                    }
                }
            }
            // Chart and table labels: hour buckets around the change are told apart,
            // and day buckets from the start of a day read as that day.
            let hours = buckets(TimeSpan::new(t - 3 * H, t + 3 * H), Interval::hours(1), tz, 100).unwrap();
            let labels: Vec<String> = hours.iter().map(|b| bucket_label(b.start, Interval::hours(1), tz)).collect();
            if (1..labels.len()).any(|i| labels[..i].contains(&labels[i])) {
                failures.push(format!("{} hour labels around {}: {labels:?}", z.name, iso(t)));
            }
            let days = buckets(TimeSpan::new(day_start, day_start + 3 * D), Interval::days(1), tz, 100).unwrap();
            for b in days.iter().filter(|b| first_instant(tz, zoned(b.start, tz).date()) == b.start) {
                let label = bucket_label(b.start, Interval::days(1), tz);
                if label.contains(':') {
                    failures.push(format!("{} day label at {}: {label}", z.name, local(b.start, tz)));
                }
            }
            for now in [t - 1, t, t + 1] {
                let today = zoned(now, tz).date();
                let want = (first_instant(tz, today), first_instant(tz, today.tomorrow().unwrap()));
                let got = (day.resolve(now, tz, &ResolveOptions::default()), day.resolve(now, tz, &ceil));
                if got != (Ok(want.0), Ok(want.1)) {
                    failures.push(format!(
                        "{} now/d at {} ({}): {:?} want {:?}",
                        z.name,
                        local(now, tz),
                        now,
                        got,
                        want
                    ));
                }
            }
        }
    }
    eprintln!("every change: {changes} offset changes in {:?}; {} failures", started.elapsed(), failures.len());
    report(&failures);
}

/// Shifting a range back or forward by its own length, in every zone: the new
/// range meets the old one exactly and is not empty, and for ranges of whole
/// local days or months shifting back then forward gives the range again.
#[test]
fn shifting_meets_the_old_range_in_every_zone() {
    let started = std::time::Instant::now();
    let (mut cases, mut failures) = (0usize, Vec::new());
    for z in all_zones() {
        let mut rng = Rng(seed(&z.name, 6));
        let tz = &z.tz;
        for _ in 0..cases_per_zone(&z) {
            cases += 1;
            let iv = interval(&mut rng);
            let mut r = range(&mut rng, &z, iv, 20);
            let whole = rng.below(3);
            if whole > 0 {
                let a = zoned(r.start, tz).date();
                let (a, b) = if whole == 1 {
                    (a, a.checked_add(Span::new().days(rng.range(1, 41))).unwrap())
                } else {
                    let a = a.first_of_month();
                    (a, a.checked_add(Span::new().months(rng.range(1, 15))).unwrap())
                };
                r = TimeSpan::new(first_instant(tz, a), first_instant(tz, b));
            }
            let back = shift_span(r, ShiftDirection::Back, tz);
            let fwd = shift_span(r, ShiftDirection::Forward, tz);
            let mut ok = matches!(back, Ok(b) if b.end == r.start && b.start < b.end)
                && matches!(fwd, Ok(f) if f.start == r.end && f.start < f.end);
            // Back then forward is the range again, unless the shifted range reads
            // as another kind (30 days from Oct 1 back is Sep 1 to Oct 1: a month),
            // or the zone jumped the date line on the way (a day never happened).
            let b = back.clone().unwrap_or(r);
            let first_of_months = zoned(b.start, tz).day() == 1 && zoned(b.end, tz).day() == 1;
            let date_line = tz
                .following(Timestamp::from_millisecond(b.start - D).unwrap())
                .take_while(|t| t.timestamp().as_millisecond() <= r.end)
                .any(|t| {
                    let ms = t.timestamp().as_millisecond();
                    (zoned(ms, tz).offset().seconds() - zoned(ms - 1, tz).offset().seconds()).abs() >= 12 * 3600
                });
            if ok && (whole == 2 || whole == 1 && !first_of_months) && !date_line {
                ok = shift_span(b, ShiftDirection::Forward, tz) == Ok(r);
            }
            if !ok {
                failures.push(format!(
                    "{} [{} ({}), {} ({})) whole={whole}: back {:?} forward {:?}; back then forward {:?}",
                    z.name,
                    local(r.start, tz),
                    r.start,
                    local(r.end, tz),
                    r.end,
                    back.as_ref().map(|b| (local(b.start, tz), local(b.end, tz))),
                    fwd.as_ref().map(|f| (local(f.start, tz), local(f.end, tz))),
                    back.as_ref()
                        .ok()
                        .map(|b| shift_span(*b, ShiftDirection::Forward, tz)
                            .map(|f| (local(f.start, tz), local(f.end, tz)))),
                ));
            }
        }
    }
    eprintln!("shift: {cases} ranges over all zones in {:?}; {} failures", started.elapsed(), failures.len());
    report(&failures);
}
