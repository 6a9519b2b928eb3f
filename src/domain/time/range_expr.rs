//! The `from` / `to` grammar of the URL and the picker (ui-hooks "URL parameters"),
//! parsed into a [`RangeExpr`] and resolved to an instant in an IANA zone.
//!
//! # Accepted forms
//!
//! | form | examples | meaning |
//! |---|---|---|
//! | relative | `now`, `now-30d`, `now+1d`, `now-1mo/mo`, `now/w` | `now`, then offsets and roundings applied left to right (Grafana date math) |
//! | instant | `2026-03-08T10:00:00-05:00`, `2026-03-08T15:00:00.250Z` | ISO 8601 / RFC 3339 with an offset or `Z` |
//! | instant | `1772982000000`, `-86400000` | epoch milliseconds (all digits, optionally negative) |
//! | local | `2026-03-08`, `2026-03-08T10:00`, `2026-03-08T10:00:00` | that wall time in the chosen zone (a plain date is the start of that day) |
//!
//! Units of offsets and roundings: `s` seconds, `m` minutes, `h` (or `H`) hours,
//! `d` days, `w` weeks, `mo` or `M` months, `y` years. `m` is always minutes and
//! `M` always months (Grafana's spelling); `D`, `W`, `Y`, `S` and `MO` in any case
//! are accepted too since they cannot be mistaken. A missing count means 1
//! (`now-d` = `now-1d`), as in Grafana. The canonical form ([`RangeExpr`]'s
//! `Display`) writes the count and the lower-case unit (`mo` for months), and drops
//! zero offsets (`now-0d` is `now`).
//!
//! Query-string leniency: a `+` that reached us as a space is taken as `+`, both in
//! an ISO offset (`2026-03-08T10:00:00 05:30` = `…+05:30`) and in relative
//! expressions (`now 1d` = `now+1d`).
//!
//! # Resolution
//!
//! * `s`, `m`, `h` offsets are fixed durations.
//! * `d`, `w`, `mo`, `y` offsets are calendar arithmetic on the zone's wall clock:
//!   `now-1d` is the same wall time yesterday, which is 23 or 25 hours ago across a
//!   DST change; a month from the 31st clamps to the last day of a shorter month.
//!   A wall time a DST change skips moves forward by the gap, a repeated one takes the
//!   earlier instant (jiff "compatible", as the bucket maths of the API does).
//! * Rounding `/d`, `/w`, `/mo`, `/y` goes to the start of that day, week
//!   ([`ResolveOptions::week_start`], Monday by default), month or year in the zone,
//!   i.e. local midnight, or the first instant of the day when midnight is skipped.
//!   `/h`, `/m`, `/s` go to the start of the wall-clock hour (minute, second)
//!   containing the instant, and end where the wall clock leaves it: a DST jump
//!   can cut it short (Chatham's 02:45 → 03:45), and when the clock turns back each
//!   pass of the repeated wall times is a unit of its own.
//! * [`RoundMode::Ceil`] (used for `to`, as Grafana does) rounds UP to the end of the
//!   unit instead: `to=now/d` is the end of today. Ranges here are half-open, so
//!   "the end of today" is the exclusive instant where tomorrow starts, not
//!   23:59:59.999. An instant already on a boundary still moves to the end of its
//!   unit (`now/d` at 00:00 as `to` = next midnight), so "today" is always a whole day.
//!   Absolute times are never rounded: `to=2026-03-08` is midnight at the start of
//!   that day (exclusive).
//!
//! ```
//! use engagement_dashboard::domain::time::range_expr::{RangeExpr, ResolveOptions, RoundMode};
//! use jiff::tz::TimeZone;
//!
//! let tz = TimeZone::get("America/New_York").unwrap();
//! let now = 1_772_982_000_000; // 2026-03-08T15:00:00Z, 11:00 EDT, the day clocks sprang forward
//! let today: RangeExpr = "now/d".parse().unwrap();
//! let floor = today.resolve(now, &tz, &ResolveOptions::default()).unwrap();
//! let ceil = today.resolve(now, &tz, &ResolveOptions { round: RoundMode::Ceil, ..Default::default() }).unwrap();
//! assert_eq!(ceil - floor, 23 * 3_600_000); // that day has 23 hours
//! assert_eq!("now-1M/mo".parse::<RangeExpr>().unwrap().to_string(), "now-1mo/mo");
//! ```

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};

use super::TimeSpan;

/// The unit of an offset or a rounding in a relative expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelUnit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl RelUnit {
    /// The canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RelUnit::Second => "s",
            RelUnit::Minute => "m",
            RelUnit::Hour => "h",
            RelUnit::Day => "d",
            RelUnit::Week => "w",
            RelUnit::Month => "mo",
            RelUnit::Year => "y",
        }
    }

    /// Case matters only for `m` (minutes) against `M` (months).
    fn parse(s: &str) -> Option<RelUnit> {
        match s {
            "m" => return Some(RelUnit::Minute),
            "M" => return Some(RelUnit::Month),
            _ => {}
        }
        match s.to_ascii_lowercase().as_str() {
            "s" => Some(RelUnit::Second),
            "h" => Some(RelUnit::Hour),
            "d" => Some(RelUnit::Day),
            "w" => Some(RelUnit::Week),
            "mo" => Some(RelUnit::Month),
            "y" => Some(RelUnit::Year),
            _ => None,
        }
    }

    /// Units below a day are fixed durations; the others are calendar units.
    fn fixed_ms(self) -> Option<i64> {
        match self {
            RelUnit::Second => Some(1_000),
            RelUnit::Minute => Some(60_000),
            RelUnit::Hour => Some(3_600_000),
            _ => None,
        }
    }
}

impl fmt::Display for RelUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step after `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelOp {
    /// `+N unit` or `-N unit`; `amount` carries the sign.
    Offset { amount: i64, unit: RelUnit },
    /// `/unit`: round to the start (or, in [`RoundMode::Ceil`], the end) of the unit.
    Round(RelUnit),
}

impl fmt::Display for RelOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RelOp::Offset { amount, unit } if *amount < 0 => write!(f, "-{}{unit}", amount.unsigned_abs()),
            RelOp::Offset { amount, unit } => write!(f, "+{amount}{unit}"),
            RelOp::Round(unit) => write!(f, "/{unit}"),
        }
    }
}

/// A parsed, unresolved `from` or `to` value. `Display` gives the canonical string,
/// the form the dashboard writes into URLs (absolute instants as epoch ms).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RangeExpr {
    /// `now` followed by offsets and roundings, applied in order.
    Relative(Vec<RelOp>),
    /// A precise instant (ISO with offset, or epoch ms), in epoch milliseconds.
    Instant(i64),
    /// A plain date: the start of that day in the chosen zone.
    LocalDate(Date),
    /// A date-time without offset: that wall time in the chosen zone.
    LocalDateTime(DateTime),
}

/// Which way [`RelOp::Round`] goes. `from` uses `Floor`, `to` uses `Ceil`
/// ([`TimeRange::resolve`] chooses this itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum RoundMode {
    /// To the start of the unit containing the instant.
    #[default]
    Floor,
    /// To the end of that unit (= the start of the next, ranges being half-open).
    Ceil,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResolveOptions {
    /// The first day of a week for `/w`. Monday (ISO 8601) unless a locale says otherwise.
    pub week_start: Weekday,
    pub round: RoundMode,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions { week_start: Weekday::Monday, round: RoundMode::Floor }
    }
}

/// What can go wrong with a `from`/`to` value; `Display` names the bad input and
/// shows a good one, ready for the "ignored with a visible notice" banner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RangeError {
    Empty,
    /// Not in the grammar at all; `detail` says what was wrong.
    Malformed {
        input: String,
        detail: String,
    },
    /// A relative expression with an unknown unit.
    UnknownUnit {
        input: String,
        unit: String,
    },
    /// A number too large, or a result outside the dates jiff supports.
    OutOfRange {
        input: String,
    },
    /// `from` resolves at or after `to`.
    Reversed {
        from: String,
        to: String,
    },
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeError::Empty => write!(
                f,
                "the time is empty: use for example now-7d, now/d, 2026-03-08T10:00:00Z or epoch milliseconds"
            ),
            RangeError::Malformed { input, detail } => write!(
                f,
                "\"{input}\" is not a time ({detail}): use for example now-7d, now-1mo/mo, \
                 2026-03-08T10:00:00-05:00, 2026-03-08 or 1772982000000"
            ),
            RangeError::UnknownUnit { input, unit } => write!(
                f,
                "\"{input}\" has an unknown unit \"{unit}\": use m, h, d, w, mo or y, for example now-30d or now/mo"
            ),
            RangeError::OutOfRange { input } => {
                write!(f, "\"{input}\" lies outside the dates this dashboard can handle: use for example now-1y")
            }
            RangeError::Reversed { from, to } => write!(
                f,
                "the range from \"{from}\" to \"{to}\" is empty: its start must be before its end, \
                 for example from=now-7d&to=now"
            ),
        }
    }
}

impl std::error::Error for RangeError {}

/// Counts beyond this are refused at parse time: far more than any calendar needs,
/// and small enough that no later multiplication overflows.
const MAX_AMOUNT: i64 = 100_000_000;

impl RangeExpr {
    /// `now`.
    pub fn now() -> Self {
        RangeExpr::Relative(Vec::new())
    }

    /// An absolute instant in epoch milliseconds.
    pub fn at_ms(ms: i64) -> Self {
        RangeExpr::Instant(ms)
    }

    /// Contains `now`: its value moves with the clock.
    pub fn is_relative(&self) -> bool {
        matches!(self, RangeExpr::Relative(_))
    }

    /// Its instant depends on the zone (relative with a calendar step, or a local wall time).
    pub fn depends_on_zone(&self) -> bool {
        match self {
            RangeExpr::Relative(ops) => ops.iter().any(|op| match op {
                RelOp::Offset { unit, .. } => unit.fixed_ms().is_none(),
                RelOp::Round(_) => true,
            }),
            RangeExpr::Instant(_) => false,
            RangeExpr::LocalDate(_) | RangeExpr::LocalDateTime(_) => true,
        }
    }

    /// The instant this expression names at `now_ms` in `tz`.
    pub fn resolve(&self, now_ms: i64, tz: &TimeZone, opts: &ResolveOptions) -> Result<i64, RangeError> {
        let oor = || RangeError::OutOfRange { input: self.to_string() };
        match self {
            RangeExpr::Instant(ms) => Ok(*ms),
            RangeExpr::LocalDate(d) => {
                d.to_zoned(tz.clone()).map(|z| z.timestamp().as_millisecond()).map_err(|_| oor())
            }
            RangeExpr::LocalDateTime(dt) => {
                dt.to_zoned(tz.clone()).map(|z| z.timestamp().as_millisecond()).map_err(|_| oor())
            }
            RangeExpr::Relative(ops) => {
                let mut z = Timestamp::from_millisecond(now_ms).map_err(|_| oor())?.to_zoned(tz.clone());
                for op in ops {
                    z = match *op {
                        RelOp::Offset { amount, unit } => add(&z, amount, unit).ok_or_else(oor)?,
                        RelOp::Round(unit) => round(&z, unit, opts).ok_or_else(oor)?,
                    };
                }
                Ok(z.timestamp().as_millisecond())
            }
        }
    }

    /// An instant written as ISO 8601 with `Z` (the other form URLs may carry).
    pub fn iso_z(ms: i64) -> Option<String> {
        Timestamp::from_millisecond(ms).ok().map(|t| t.to_string())
    }
}

fn add(z: &Zoned, amount: i64, unit: RelUnit) -> Option<Zoned> {
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

fn round(z: &Zoned, unit: RelUnit, opts: &ResolveOptions) -> Option<Zoned> {
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

impl fmt::Display for RangeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeExpr::Relative(ops) => {
                f.write_str("now")?;
                for op in ops {
                    write!(f, "{op}")?;
                }
                Ok(())
            }
            RangeExpr::Instant(ms) => write!(f, "{ms}"),
            RangeExpr::LocalDate(d) => write!(f, "{d}"),
            RangeExpr::LocalDateTime(dt) => write!(f, "{dt}"),
        }
    }
}

impl FromStr for RangeExpr {
    type Err = RangeError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(RangeError::Empty);
        }
        if s.len() >= 3 && s.is_char_boundary(3) && s[..3].eq_ignore_ascii_case("now") {
            return parse_relative(raw, &s[3..]);
        }
        let digits = s.strip_prefix('-').unwrap_or(s);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let ms: i64 = s.parse().map_err(|_| RangeError::OutOfRange { input: raw.to_string() })?;
            Timestamp::from_millisecond(ms).map_err(|_| RangeError::OutOfRange { input: raw.to_string() })?;
            return Ok(RangeExpr::Instant(ms));
        }
        parse_iso(raw, s)
    }
}

fn parse_relative(raw: &str, rest: &str) -> Result<RangeExpr, RangeError> {
    let malformed = |detail: &str| RangeError::Malformed { input: raw.to_string(), detail: detail.to_string() };
    let b = rest.as_bytes();
    let mut i = 0;
    let mut ops = Vec::new();
    while i < b.len() {
        let op = b[i];
        i += 1;
        match op {
            // A space is a `+` that a query string decoded.
            b'+' | b'-' | b' ' => {
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let amount: i64 = if start == i {
                    1
                } else {
                    match rest[start..i].parse::<i64>() {
                        Ok(n) if n <= MAX_AMOUNT => n,
                        _ => return Err(RangeError::OutOfRange { input: raw.to_string() }),
                    }
                };
                let unit = take_unit(raw, rest, &mut i)?;
                let amount = if op == b'-' { -amount } else { amount };
                // A zero offset changes nothing; dropping it keeps one canonical form
                // (`now-0d` and `now+0d` are both `now`).
                if amount != 0 {
                    ops.push(RelOp::Offset { amount, unit });
                }
            }
            b'/' => {
                let unit = take_unit(raw, rest, &mut i)?;
                ops.push(RelOp::Round(unit));
            }
            _ => return Err(malformed("after now, expect +, - or / followed by a unit")),
        }
    }
    Ok(RangeExpr::Relative(ops))
}

fn take_unit(raw: &str, rest: &str, i: &mut usize) -> Result<RelUnit, RangeError> {
    let b = rest.as_bytes();
    let start = *i;
    while *i < b.len() && b[*i].is_ascii_alphabetic() {
        *i += 1;
    }
    let unit = &rest[start..*i];
    if unit.is_empty() {
        return Err(RangeError::Malformed { input: raw.to_string(), detail: "a unit is missing".to_string() });
    }
    RelUnit::parse(unit).ok_or_else(|| RangeError::UnknownUnit { input: raw.to_string(), unit: unit.to_string() })
}

/// `2026-03-08T10:00:00 05:30` → `2026-03-08T10:00:00+05:30`: an unescaped `+` in a
/// query string arrives as a space. Only a space after a time of day and before
/// something shaped like an offset (`05`, `0530`, `05:30`) is changed, so the
/// date-time separator space of `2026-03-08 10:00` is left alone.
fn restore_plus(s: &str) -> std::borrow::Cow<'_, str> {
    if let Some(pos) = s.rfind(' ') {
        let (before, after) = (&s[..pos], &s[pos + 1..]);
        let offset_shaped = {
            let d: Vec<u8> = after.bytes().filter(|c| *c != b':').collect();
            (d.len() == 2 || d.len() == 4)
                && d.iter().all(u8::is_ascii_digit)
                && (after.len() == d.len() || (after.len() == 5 && after.as_bytes()[2] == b':'))
        };
        // A time of day is present when something follows the 10-character date.
        if offset_shaped && before.len() > 10 && before[10..].contains(':') {
            return format!("{before}+{after}").into();
        }
    }
    s.into()
}

fn parse_iso(raw: &str, s: &str) -> Result<RangeExpr, RangeError> {
    let s = restore_plus(s);
    let s = s.as_ref();
    if let Ok(ts) = s.parse::<Timestamp>() {
        let ms = ts.as_millisecond();
        return Ok(RangeExpr::Instant(ms));
    }
    // Without an offset: a wall time in the chosen zone. A trailing `Z` or offset that
    // Timestamp refused means the time itself is wrong; do not fall through to
    // the civil parsers (which ignore offsets) and silently change its meaning.
    let has_offset = {
        let t = s.find(['T', 't', ' ']).map(|p| &s[p..]).unwrap_or("");
        t.ends_with(['Z', 'z']) || t.contains('+') || t.contains('-')
    };
    if !has_offset {
        if s.len() <= 10 {
            if let Ok(d) = s.parse::<Date>() {
                return Ok(RangeExpr::LocalDate(d));
            }
        } else if let Ok(dt) = s.parse::<DateTime>() {
            return Ok(RangeExpr::LocalDateTime(dt));
        }
    }
    let looks_like_date = s.len() >= 10 && s.as_bytes()[4] == b'-';
    let detail = if looks_like_date {
        "not a valid ISO 8601 date or time"
    } else {
        "expected now…, an ISO 8601 time or epoch milliseconds"
    };
    Err(RangeError::Malformed { input: raw.to_string(), detail: detail.to_string() })
}

/// A `from`/`to` pair as the URL and the picker hold it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TimeRange {
    pub from: RangeExpr,
    pub to: RangeExpr,
}

impl Default for TimeRange {
    /// `now-7d` → `now`, the default of ui-hooks.
    fn default() -> Self {
        TimeRange {
            from: RangeExpr::Relative(vec![RelOp::Offset { amount: -7, unit: RelUnit::Day }]),
            to: RangeExpr::now(),
        }
    }
}

impl TimeRange {
    pub fn new(from: RangeExpr, to: RangeExpr) -> Self {
        TimeRange { from, to }
    }

    /// Parses both ends (`from`, `to` as in the URL).
    pub fn parse(from: &str, to: &str) -> Result<Self, RangeError> {
        Ok(TimeRange { from: from.parse()?, to: to.parse()? })
    }

    /// A fixed range in epoch milliseconds.
    pub fn absolute(span: TimeSpan) -> Self {
        TimeRange { from: RangeExpr::Instant(span.start), to: RangeExpr::Instant(span.end) }
    }

    /// Either end contains `now`: the range moves with the clock (and may be refreshed).
    pub fn is_relative(&self) -> bool {
        self.from.is_relative() || self.to.is_relative()
    }

    /// The half-open span `[from, to)`. `from` rounds down and `to` rounds up
    /// (`opts.round` is ignored), so `now/d` → `now/d` is the whole of today.
    pub fn resolve(&self, now_ms: i64, tz: &TimeZone, opts: &ResolveOptions) -> Result<TimeSpan, RangeError> {
        let start = self.from.resolve(now_ms, tz, &ResolveOptions { round: RoundMode::Floor, ..*opts })?;
        let end = self.to.resolve(now_ms, tz, &ResolveOptions { round: RoundMode::Ceil, ..*opts })?;
        if start >= end {
            return Err(RangeError::Reversed { from: self.from.to_string(), to: self.to.to_string() });
        }
        Ok(TimeSpan::new(start, end))
    }

    /// `[("from", …), ("to", …)]`, canonical and not yet percent-encoded.
    pub fn query_pairs(&self) -> [(&'static str, String); 2] {
        [("from", self.from.to_string()), ("to", self.to.to_string())]
    }

    /// `from=…&to=…`, encoded for a query string: the only character of the canonical
    /// forms that needs it is `+` (`now+1d`), which a query string would read as a space.
    pub fn to_query(&self) -> String {
        let enc = |s: String| s.replace('+', "%2B");
        format!("from={}&to={}", enc(self.from.to_string()), enc(self.to.to_string()))
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
