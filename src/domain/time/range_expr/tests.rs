use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::*;
use crate::domain::time::TimeSpan;

fn ms(s: &str) -> i64 {
    s.parse::<Timestamp>().unwrap().as_millisecond()
}
fn tz(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap()
}
fn e(s: &str) -> RangeExpr {
    s.parse().unwrap_or_else(|err| panic!("{s:?}: {err}"))
}
fn floor() -> ResolveOptions {
    ResolveOptions::default()
}
fn ceil() -> ResolveOptions {
    ResolveOptions { round: RoundMode::Ceil, ..Default::default() }
}
fn at(expr: &str, now: &str, zone: &str, opts: ResolveOptions) -> i64 {
    e(expr).resolve(ms(now), &tz(zone), &opts).unwrap()
}

#[test]
fn parses_and_prints_the_relative_grammar() {
    for (input, canonical) in [
        ("now", "now"),
        ("NOW", "now"),
        ("now-30d", "now-30d"),
        ("now-12h", "now-12h"),
        ("now+1d", "now+1d"),
        ("now 1d", "now+1d"),
        ("now-1mo", "now-1mo"),
        ("now-1M", "now-1mo"),
        ("now-2w", "now-2w"),
        ("now-1y", "now-1y"),
        ("now-15m", "now-15m"),
        ("now-1H", "now-1h"),
        ("now/d", "now/d"),
        ("now/w", "now/w"),
        ("now/mo", "now/mo"),
        ("now/M", "now/mo"),
        ("now/y", "now/y"),
        ("now/h", "now/h"),
        ("now-1mo/mo", "now-1mo/mo"),
        ("now-1d/d", "now-1d/d"),
        ("now-d", "now-1d"),
        ("now/d+8h", "now/d+8h"),
        (" now-7d ", "now-7d"),
        ("now-0d", "now"),
        ("now+0h/d", "now/d"),
    ] {
        assert_eq!(e(input).to_string(), canonical, "{input:?}");
        assert_eq!(e(canonical), e(input));
    }
}

#[test]
fn parses_absolute_forms() {
    assert_eq!(e("2026-03-08T10:00:00-05:00"), RangeExpr::Instant(ms("2026-03-08T15:00:00Z")));
    assert_eq!(e("2026-03-08T15:00:00Z"), RangeExpr::Instant(ms("2026-03-08T15:00:00Z")));
    assert_eq!(e("2026-03-08T15:00:00.250Z"), RangeExpr::Instant(ms("2026-03-08T15:00:00Z") + 250));
    assert_eq!(e("2026-03-08T10:00:00+05:30"), RangeExpr::Instant(ms("2026-03-08T04:30:00Z")));
    // The `+` became a space in a query string.
    assert_eq!(e("2026-03-08T10:00:00 05:30"), RangeExpr::Instant(ms("2026-03-08T04:30:00Z")));
    assert_eq!(e("2026-03-08T10:00:00 0530"), RangeExpr::Instant(ms("2026-03-08T04:30:00Z")));
    assert_eq!(e("1772982000000"), RangeExpr::Instant(1_772_982_000_000));
    assert_eq!(e("-86400000"), RangeExpr::Instant(-86_400_000));
    assert_eq!(e("0"), RangeExpr::Instant(0));
    assert_eq!(e("2026-03-08"), RangeExpr::LocalDate(jiff::civil::date(2026, 3, 8)));
    assert_eq!(e("2026-03-08T10:00"), RangeExpr::LocalDateTime(jiff::civil::date(2026, 3, 8).at(10, 0, 0, 0)));
    // The date-time separator space is not an offset.
    assert_eq!(e("2026-03-08 10:00"), RangeExpr::LocalDateTime(jiff::civil::date(2026, 3, 8).at(10, 0, 0, 0)));
    assert_eq!(e("2026-03-08T10:00:00").to_string(), "2026-03-08T10:00:00");
    assert_eq!(e("2026-03-08T15:00:00Z").to_string(), "1772982000000");
}

#[test]
fn refuses_with_a_message_naming_the_input_and_an_example() {
    for bad in [
        "",
        "then",
        "now-",
        "now-1",
        "now-1x",
        "now*2d",
        "now-1q/d",
        "2026-02-30",
        "2026-13-01T00:00:00Z",
        "2026-03-08T25:00:00Z",
        "1.5",
        "99999999999999999999",
        "now-999999999999y",
        "12:00",
    ] {
        let err = bad.parse::<RangeExpr>().expect_err(bad).to_string();
        assert!(bad.is_empty() || err.contains(bad.trim()), "{bad:?}: {err}");
        assert!(err.contains("for example"), "{bad:?}: {err}");
    }
    assert!(matches!("now-1x".parse::<RangeExpr>(), Err(RangeError::UnknownUnit { .. })));
}

#[test]
fn day_offsets_are_calendar_days_hours_are_fixed() {
    let ny = "America/New_York";
    // 2026-03-08 springs forward: 11:00 EDT on Mar 8 minus a day is 11:00 EST on Mar 7, 23 h before.
    let now = "2026-03-08T15:00:00Z";
    assert_eq!(at("now-1d", now, ny, floor()), ms("2026-03-07T16:00:00Z"));
    assert_eq!(at("now-24h", now, ny, floor()), ms("2026-03-07T15:00:00Z"));
    assert_eq!(at("now-1w", now, ny, floor()), ms("2026-03-01T16:00:00Z"));
    assert_eq!(at("now+1d", now, ny, floor()), ms("2026-03-09T15:00:00Z"));
    // Month ends clamp.
    assert_eq!(at("now-1mo", "2026-03-31T12:00:00Z", "UTC", floor()), ms("2026-02-28T12:00:00Z"));
    assert_eq!(at("now-1y", "2028-02-29T12:00:00Z", "UTC", floor()), ms("2027-02-28T12:00:00Z"));
}

#[test]
fn rounding_floors_for_from_and_ceils_for_to() {
    let ny = "America/New_York";
    let now = "2026-03-11T15:30:00Z"; // Wednesday 11:30 EDT
    assert_eq!(at("now/d", now, ny, floor()), ms("2026-03-11T04:00:00Z"));
    assert_eq!(at("now/d", now, ny, ceil()), ms("2026-03-12T04:00:00Z"));
    assert_eq!(at("now/w", now, ny, floor()), ms("2026-03-09T04:00:00Z")); // Monday
    let sunday = ResolveOptions { week_start: Weekday::Sunday, ..floor() };
    assert_eq!(at("now/w", now, ny, sunday), ms("2026-03-08T05:00:00Z")); // Sunday, still EST at midnight
    assert_eq!(at("now/mo", now, ny, floor()), ms("2026-03-01T05:00:00Z"));
    assert_eq!(at("now/mo", now, ny, ceil()), ms("2026-04-01T04:00:00Z"));
    assert_eq!(at("now/y", now, ny, floor()), ms("2026-01-01T05:00:00Z"));
    assert_eq!(at("now/y", now, ny, ceil()), ms("2027-01-01T05:00:00Z"));
    assert_eq!(at("now/h", now, ny, floor()), ms("2026-03-11T15:00:00Z"));
    assert_eq!(at("now/h", now, ny, ceil()), ms("2026-03-11T16:00:00Z"));
    assert_eq!(at("now-1mo/mo", now, ny, floor()), ms("2026-02-01T05:00:00Z"));
    assert_eq!(at("now-1mo/mo", now, ny, ceil()), ms("2026-03-01T05:00:00Z"));
    assert_eq!(at("now-1d/d", now, ny, floor()), ms("2026-03-10T04:00:00Z"));
    // Kolkata hours start at :30 UTC.
    assert_eq!(at("now/h", "2026-03-11T15:10:00Z", "Asia/Kolkata", floor()), ms("2026-03-11T14:30:00Z"));
}

#[test]
fn start_of_day_when_midnight_does_not_exist() {
    // America/Santiago springs forward at 24:00 on 2026-09-05: 2026-09-06 begins at 01:00.
    let start = at("now/d", "2026-09-06T15:00:00Z", "America/Santiago", floor());
    let z = Timestamp::from_millisecond(start).unwrap().to_zoned(tz("America/Santiago"));
    assert_eq!(z.date(), jiff::civil::date(2026, 9, 6));
    assert_eq!((z.hour(), z.minute()), (1, 0));
    let prev = Timestamp::from_millisecond(start - 1).unwrap().to_zoned(tz("America/Santiago"));
    assert_eq!(prev.date(), jiff::civil::date(2026, 9, 5));
}

#[test]
fn an_hour_rounds_within_a_repeated_hour() {
    let ny = "America/New_York";
    // 01:30 EST, the second pass of 01:00–02:00 on 2026-11-01.
    assert_eq!(at("now/h", "2026-11-01T06:30:00Z", ny, floor()), ms("2026-11-01T06:00:00Z"));
    // 01:30 EDT, the first pass.
    assert_eq!(at("now/h", "2026-11-01T05:30:00Z", ny, floor()), ms("2026-11-01T05:00:00Z"));
    // That day is 25 hours long.
    let d = e("now/d");
    let now = ms("2026-11-01T12:00:00Z");
    let len = d.resolve(now, &tz(ny), &ceil()).unwrap() - d.resolve(now, &tz(ny), &floor()).unwrap();
    assert_eq!(len, 25 * 3_600_000);
}

#[test]
fn an_hour_ends_where_the_wall_clock_leaves_it() {
    // Lord Howe, 2026-04-05: 02:00 +11 turns back to 01:30 +10:30 (15:00Z).
    // 01:45 of the second pass (15:15Z) is in the pass that began at 15:00Z and
    // ends at 02:00 +10:30 (15:30Z). It used to be [01:00 +11, 15:00Z): a `to`
    // before `now`.
    let lh = "Australia/Lord_Howe";
    assert_eq!(at("now/h", "2026-04-04T15:15:00Z", lh, floor()), ms("2026-04-04T15:00:00Z"));
    assert_eq!(at("now/h", "2026-04-04T15:15:00Z", lh, ceil()), ms("2026-04-04T15:30:00Z"));
    // 01:45 of the first pass (14:45Z): 01:00 +11 to the turn back.
    assert_eq!(at("now/h", "2026-04-04T14:45:00Z", lh, floor()), ms("2026-04-04T14:00:00Z"));
    assert_eq!(at("now/h", "2026-04-04T14:45:00Z", lh, ceil()), ms("2026-04-04T15:00:00Z"));
    // Chatham, 2026-09-27: 02:45 +12:45 jumps to 03:45 +13:45 (14:00Z). Hour 02
    // ends at the jump, not an hour after 02:00 (04:00 +13:45, 14:15Z); hour 03
    // is the quarter from 03:45 to 04:00 +13:45.
    let ch = "Pacific/Chatham";
    assert_eq!(at("now/h", "2026-09-26T13:45:00Z", ch, floor()), ms("2026-09-26T13:15:00Z"));
    assert_eq!(at("now/h", "2026-09-26T13:45:00Z", ch, ceil()), ms("2026-09-26T14:00:00Z"));
    assert_eq!(at("now/h", "2026-09-26T14:05:00Z", ch, floor()), ms("2026-09-26T14:00:00Z"));
    assert_eq!(at("now/h", "2026-09-26T14:05:00Z", ch, ceil()), ms("2026-09-26T14:15:00Z"));
    // Caracas, 2016-05-01: 02:30 -04:30 jumped to 03:00 -04 (07:00Z); 02:15 -04:30
    // (06:45Z) was in an hour that ended at 07:00Z, not 03:30 -04 (07:30Z).
    assert_eq!(at("now/h", "2016-05-01T06:45:00Z", "America/Caracas", ceil()), ms("2016-05-01T07:00:00Z"));
}

#[test]
fn local_times_resolve_in_the_chosen_zone() {
    let ny = tz("America/New_York");
    assert_eq!(e("2026-03-08").resolve(0, &ny, &floor()).unwrap(), ms("2026-03-08T05:00:00Z"));
    // 02:30 does not exist that day: it moves forward by the gap to 03:30 EDT.
    assert_eq!(e("2026-03-08T02:30").resolve(0, &ny, &floor()).unwrap(), ms("2026-03-08T07:30:00Z"));
    // Absolute times are never rounded, even as `to`.
    assert_eq!(e("2026-03-08").resolve(0, &ny, &ceil()).unwrap(), ms("2026-03-08T05:00:00Z"));
}

#[test]
fn time_ranges_resolve_and_refuse_reversed() {
    let ny = tz("America/New_York");
    let now = ms("2026-03-11T15:30:00Z");
    let today = TimeRange::parse("now/d", "now/d").unwrap();
    assert_eq!(
        today.resolve(now, &ny, &floor()).unwrap(),
        TimeSpan::new(ms("2026-03-11T04:00:00Z"), ms("2026-03-12T04:00:00Z"))
    );
    assert!(today.is_relative());
    let reversed = TimeRange::parse("now", "now-7d").unwrap();
    let err = reversed.resolve(now, &ny, &floor()).unwrap_err();
    assert!(matches!(err, RangeError::Reversed { .. }));
    assert!(err.to_string().contains("now-7d"));
    assert!(TimeRange::parse("now", "now").unwrap().resolve(now, &ny, &floor()).is_err());
    let abs = TimeRange::absolute(TimeSpan::new(1, 2));
    assert!(!abs.is_relative());
    assert_eq!(abs.to_query(), "from=1&to=2");
    assert_eq!(TimeRange::parse("now-1d", "now+1d").unwrap().to_query(), "from=now-1d&to=now%2B1d");
    assert_eq!(TimeRange::default().to_query(), "from=now-7d&to=now");
}
