//! Time: intervals, bucket boundaries, range expressions. Pure, no browser types;
//! jiff does every date computation so DST and month ends are right by construction.

pub mod buckets;
pub mod calendar;
pub mod grid;
pub mod interval;
pub mod presets;
pub mod range_expr;
pub mod recent;
pub mod suggest;
pub mod words;
pub mod zone_names;
pub mod zone_registry;

pub use buckets::{boundaries, boundary, buckets, Bucket, BucketError};
pub use interval::{Interval, IntervalError, IntervalUnit, LimitClass};
pub use presets::{QuickRange, ShiftDirection, QUICK_RANGES};
pub use range_expr::{RangeError, RangeExpr, ResolveOptions, RoundMode, TimeRange};
pub use suggest::{check_interval, default_interval, valid_intervals, IntervalRefusal, MAX_BUCKETS};

/// A half-open range of instants `[start, end)` in epoch milliseconds (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeSpan {
    pub start: i64,
    pub end: i64,
}

impl TimeSpan {
    pub const fn new(start: i64, end: i64) -> Self {
        TimeSpan { start, end }
    }
    pub fn len_ms(&self) -> i64 {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn contains(&self, ms: i64) -> bool {
        self.start <= ms && ms < self.end
    }
    pub fn overlaps(&self, other: &TimeSpan) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Looks up an IANA zone (any case; UTC always). Natively in the database bundled
/// into the binary; in the browser among the zones loaded so far (`zone_registry`:
/// each zone's data is a file fetched before a view uses it), so there a zone the
/// database has is `None` until loaded.
pub fn zone(name: &str) -> Option<jiff::tz::TimeZone> {
    if name.trim().eq_ignore_ascii_case("utc") {
        return Some(jiff::tz::TimeZone::UTC);
    }
    #[cfg(not(target_arch = "wasm32"))]
    return jiff::tz::TimeZone::get(name).ok();
    #[cfg(target_arch = "wasm32")]
    return zone_registry::loaded(name);
}
