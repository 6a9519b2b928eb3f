//! The contract's bucket maths computed a second way, independent of the date
//! arithmetic the client and the mock share (both call jiff's `Zoned::checked_add`
//! and its "compatible" disambiguation, so comparing them alone cannot find an error
//! there).
//!
//! From jiff this takes only the zone's data: the UTC offset in force at an instant
//! and the instants where it changes (the transition list of the tzdb). Everything
//! else is done here by hand: civil dates from day numbers (Howard Hinnant's
//! algorithms), calendar steps with the day of the month clamped, and the instant
//! at which the zone's wall clock reads a civil time: the earlier reading where it
//! reads it twice, and past a gap by the gap's length where it never does.

use jiff::tz::TimeZone;
use jiff::Timestamp;

const D: i64 = 86_400_000;

/// The last instant jiff (and so the client and the mock) can represent is in
/// 9999-12-31; the first in -9999-01-01. A step beyond is refused.
const MIN_YEAR: i64 = -9999;
const MAX_YEAR: i64 = 9999;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Hour,
    Day,
    Month,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// More buckets than allowed.
    TooMany,
    /// A boundary outside the representable dates.
    OutOfRange,
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `z` days after 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    days_from_civil(ny, nm, 1) - days_from_civil(y, m, 1)
}

/// The zone's offset (ms) in force at `t`.
fn offset_at(tz: &TimeZone, t: i64) -> i64 {
    tz.to_offset(Timestamp::from_millisecond(t).expect("in range")).seconds() as i64 * 1000
}

/// The instant at which the wall clock of `tz` reads `local` (a wall time as ms
/// since 1970-01-01T00:00 local). Offsets never exceed a day, so every candidate
/// lies within two days of `local` read as UTC.
fn instant_of_local(tz: &TimeZone, local: i64) -> i64 {
    let (lo, hi) = (local - 2 * D, local + 2 * D);
    // (change instant, offset before, offset after), and the offsets in force.
    let mut changes = Vec::new();
    let mut offsets = vec![offset_at(tz, lo)];
    let mut before = offsets[0];
    for t in tz.following(Timestamp::from_millisecond(lo).expect("in range")) {
        let at = t.timestamp().as_millisecond();
        if at >= hi {
            break;
        }
        let after = t.offset().seconds() as i64 * 1000;
        changes.push((at, before, after));
        offsets.push(after);
        before = after;
    }
    // Where the clock reads `local`: each offset that is in force at the instant
    // it gives. Twice in a repeated stretch: the earlier.
    let readings = offsets.iter().map(|o| local - o).filter(|&t| offset_at(tz, t) == local - t);
    if let Some(t) = readings.min() {
        return t;
    }
    // Never: a change skipped it. Move forward by the gap (the instant the old
    // offset gives, which lies after the change).
    changes
        .iter()
        .find(|(at, before, after)| after > before && at + before <= local && local < at + after)
        .map(|(_, before, _)| local - before)
        .unwrap_or_else(|| panic!("wall time {local} neither read nor skipped in {tz:?}"))
}

/// `origin + k × (count unit)` in `tz`.
fn boundary(tz: &TimeZone, origin: i64, unit: Unit, count: i64, k: i64) -> Result<i64, Refusal> {
    let steps = k * count;
    if unit == Unit::Hour {
        return Ok(origin + steps * 3_600_000);
    }
    let local = origin + offset_at(tz, origin);
    let (day, ms_of_day) = (local.div_euclid(D), local.rem_euclid(D));
    let (y, m, d) = civil_from_days(day);
    let (y, m, d) = match unit {
        Unit::Day => civil_from_days(day + steps),
        _ => {
            let months = y * 12 + (m - 1) + steps;
            let (y2, m2) = (months.div_euclid(12), months.rem_euclid(12) + 1);
            (y2, m2, d.min(days_in_month(y2, m2)))
        }
    };
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(Refusal::OutOfRange);
    }
    Ok(instant_of_local(tz, days_from_civil(y, m, d) * D + ms_of_day))
}

/// `(start, end, partial)` of each bucket of `[start, end)`, or why not.
pub fn buckets(
    tz: &TimeZone,
    start: i64,
    end: i64,
    unit: Unit,
    count: i64,
    max: usize,
) -> Result<Vec<(i64, i64, bool)>, Refusal> {
    let mut out = Vec::new();
    let (mut s, mut k) = (start, 1);
    while s < end {
        let next = boundary(tz, start, unit, count, k)?;
        k += 1;
        if next == s {
            continue; // a day the zone skipped: an empty bucket, left out
        }
        assert!(next > s, "calendar steps go forward");
        if out.len() == max {
            return Err(Refusal::TooMany);
        }
        out.push((s, next.min(end), next > end));
        s = next;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in (-4_000_000..4_000_000).step_by(997) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
    }
}
