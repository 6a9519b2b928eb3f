//! Offsets and roundings on a zone's wall clock: calendar steps, and the start or
//! end of the unit containing an instant across DST changes (skipped and repeated
//! wall times, half-hour and 45-minute offsets).

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};

use super::{RelUnit, ResolveOptions, RoundMode};

pub(super) fn add(z: &Zoned, amount: i64, unit: RelUnit) -> Option<Zoned> {
    let span = match unit {
        RelUnit::Second => Span::new().try_seconds(amount),
        RelUnit::Minute => Span::new().try_minutes(amount),
        RelUnit::Hour => Span::new().try_hours(amount),
        RelUnit::Day => Span::new().try_days(amount),
        RelUnit::Week => Span::new().try_weeks(amount),
        RelUnit::Month => Span::new().try_months(amount),
        RelUnit::Year => Span::new().try_years(amount),
    }
    .ok()?;
    // jiff treats hours and smaller as exact durations and days and larger as
    // calendar units on the wall clock, disambiguating "compatible": just the
    // semantics wanted.
    z.checked_add(span).ok()
}

/// The civil start of the unit containing `dt`.
fn floor_civil(dt: DateTime, unit: RelUnit, week_start: Weekday) -> Option<DateTime> {
    let midnight = |d: Date| d.to_datetime(jiff::civil::Time::midnight());
    Some(match unit {
        RelUnit::Second => dt.with().subsec_nanosecond(0).build().ok()?,
        RelUnit::Minute => dt.with().second(0).subsec_nanosecond(0).build().ok()?,
        RelUnit::Hour => dt.with().minute(0).second(0).subsec_nanosecond(0).build().ok()?,
        RelUnit::Day => midnight(dt.date()),
        RelUnit::Week => {
            let back = week_start.until(dt.date().weekday()) as i64;
            midnight(dt.date().checked_sub(Span::new().days(back)).ok()?)
        }
        RelUnit::Month => midnight(dt.date().first_of_month()),
        RelUnit::Year => midnight(dt.date().first_of_year()),
    })
}

pub(super) fn round(z: &Zoned, unit: RelUnit, opts: &ResolveOptions) -> Option<Zoned> {
    let tz = z.time_zone();
    let start_civil = floor_civil(z.datetime(), unit, opts.week_start)?;
    if unit.fixed_ms().is_some() {
        // Within a day: the wall-clock hour (minute, second) containing `z`, each
        // pass of a repeated one counting as a unit of its own.
        let at = match opts.round {
            RoundMode::Floor => fixed_unit_start(tz, start_civil, z.timestamp())?,
            RoundMode::Ceil => {
                let next = match unit {
                    RelUnit::Hour => start_civil.checked_add(Span::new().hours(1)),
                    RelUnit::Minute => start_civil.checked_add(Span::new().minutes(1)),
                    _ => start_civil.checked_add(Span::new().seconds(1)),
                }
                .ok()?;
                fixed_unit_end(tz, next, z.timestamp())?
            }
        };
        return Some(at.to_zoned(tz.clone()));
    }
    // Days and longer start at local midnight; "compatible" gives the first
    // instant of the day when midnight is skipped and the earlier midnight when
    // it repeats (what jiff's start_of_day does).
    let start = tz.to_ambiguous_timestamp(start_civil).compatible().ok()?;
    match opts.round {
        RoundMode::Floor => Some(start.to_zoned(tz.clone())),
        // Calendar units end where the next one starts: its local midnight.
        RoundMode::Ceil => {
            let step = match unit {
                RelUnit::Day => Span::new().days(1),
                RelUnit::Week => Span::new().weeks(1),
                RelUnit::Month => Span::new().months(1),
                _ => Span::new().years(1),
            };
            let next = start_civil.checked_add(step).ok()?;
            tz.to_ambiguous_zoned(next).compatible().ok()
        }
    }
}

/// The offset change at `t` turns the wall clock back (the start of a repeated
/// stretch of wall time).
fn turns_back(tz: &TimeZone, t: Timestamp) -> bool {
    t.checked_sub(jiff::SignedDuration::from_nanos(1)).is_ok_and(|before| tz.to_offset(t) < tz.to_offset(before))
}

/// The instant the wall clock reaches `civil`: where it reads `civil`, or where it
/// jumps past it when a change skips it. In a repeated stretch, the earlier
/// reading if `earlier` is allowed by `pick`, else the later.
fn reaches(tz: &TimeZone, civil: DateTime, pick: impl Fn(Timestamp) -> bool) -> Option<Timestamp> {
    use jiff::tz::AmbiguousOffset;
    match tz.to_ambiguous_timestamp(civil).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(civil).ok(),
        // The clock jumps over `civil`: the change itself, the first one after
        // `civil` read at the new offset.
        AmbiguousOffset::Gap { after, .. } => {
            let early = after.to_timestamp(civil).ok()?;
            tz.following(early).map(|t| t.timestamp()).find(|t| *t > early)
        }
        AmbiguousOffset::Fold { before, after } => {
            let (first, second) = (before.to_timestamp(civil).ok()?, after.to_timestamp(civil).ok()?);
            Some(if pick(first) { first } else { second })
        }
    }
}

/// The start of the fixed unit beginning at wall time `start` that contains `now`:
/// where the wall clock last reached `start`, or the later change that turned the
/// clock back into this unit (the second 01:00 of a repeated hour; 01:30 for Lord
/// Howe's half-hour repeat).
fn fixed_unit_start(tz: &TimeZone, start: DateTime, now: Timestamp) -> Option<Timestamp> {
    let reached = match tz.to_ambiguous_timestamp(start).offset() {
        // The second reading if it has happened, else the first.
        jiff::tz::AmbiguousOffset::Fold { before, after } => {
            let second = after.to_timestamp(start).ok()?;
            if second <= now {
                second
            } else {
                before.to_timestamp(start).ok()?
            }
        }
        _ => reaches(tz, start, |_| true)?,
    };
    let turned = tz
        .preceding(now.checked_add(jiff::SignedDuration::from_nanos(1)).ok()?)
        .map(|t| t.timestamp())
        .take_while(|t| *t > reached)
        .find(|t| *t <= now && turns_back(tz, *t));
    Some(turned.unwrap_or(reached).min(now))
}

/// The end of the fixed unit containing `now` whose successor begins at wall time
/// `next`: where the wall clock first reaches `next` after `now`, or an earlier
/// change that turns the clock back (starting another pass, another unit).
fn fixed_unit_end(tz: &TimeZone, next: DateTime, now: Timestamp) -> Option<Timestamp> {
    let reach = reaches(tz, next, |first| first > now)?;
    let turn =
        tz.following(now).map(|t| t.timestamp()).take_while(|t| *t < reach).find(|t| *t > now && turns_back(tz, *t));
    let end = turn.unwrap_or(reach);
    (end > now).then_some(end)
}
