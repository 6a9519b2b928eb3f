//! The grammar of `from` / `to` values: parsing ([`FromStr`]) and the canonical
//! form ([`fmt::Display`]) the dashboard writes into URLs.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, DateTime};
use jiff::Timestamp;

use super::{RangeError, RangeExpr, RelOp, RelUnit, MAX_AMOUNT};

impl RelUnit {
    /// Case matters only for `m` (minutes) against `M` (months).
    pub(super) fn parse(s: &str) -> Option<RelUnit> {
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
