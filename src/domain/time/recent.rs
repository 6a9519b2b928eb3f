//! Recently used ranges: the last few ranges a person typed or picked on the
//! calendar, newest first, for the picker to offer again. Quick ranges are not
//! kept (they are one search away). Stored by the browser as a small JSON list of
//! `[from, to]` pairs in the URL grammar; anything unreadable in it is dropped.
//!
//! ```
//! use engagement_dashboard::domain::time::recent::RecentRanges;
//! use engagement_dashboard::domain::time::TimeRange;
//! let mut recent = RecentRanges::default();
//! recent.remember(&TimeRange::parse("now-3d", "now").unwrap());
//! let again = RecentRanges::from_json(&recent.to_json());
//! assert_eq!(again.ranges()[0].to_string(), "now-3d to now");
//! ```

use super::presets::matching;
use super::range_expr::TimeRange;

/// How many ranges are kept.
pub const MAX_RECENT: usize = 5;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecentRanges(Vec<TimeRange>);

impl RecentRanges {
    /// Newest first.
    pub fn ranges(&self) -> &[TimeRange] {
        &self.0
    }

    /// Puts `range` first (moving it if it is already there), keeping at most
    /// [`MAX_RECENT`]. A quick range is not kept. Returns whether the list changed.
    pub fn remember(&mut self, range: &TimeRange) -> bool {
        if matching(range).is_some() || self.0.first() == Some(range) {
            return false;
        }
        self.0.retain(|r| r != range);
        self.0.insert(0, range.clone());
        self.0.truncate(MAX_RECENT);
        true
    }

    pub fn to_json(&self) -> String {
        let pairs: Vec<[String; 2]> = self.0.iter().map(|r| [r.from.to_string(), r.to.to_string()]).collect();
        serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".to_string())
    }

    /// Lenient: storage is written by other versions of the page (or by hand);
    /// a bad entry is skipped, a bad list is an empty one.
    pub fn from_json(json: &str) -> Self {
        let pairs: Vec<serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
        let mut list = RecentRanges::default();
        for pair in pairs.iter().rev() {
            let (Some(from), Some(to)) = (pair.get(0).and_then(|v| v.as_str()), pair.get(1).and_then(|v| v.as_str()))
            else {
                continue;
            };
            if let Ok(range) = TimeRange::parse(from, to) {
                list.remember(&range);
            }
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(from: &str, to: &str) -> TimeRange {
        TimeRange::parse(from, to).unwrap()
    }

    #[test]
    fn newest_first_without_repeats_or_quick_ranges() {
        let mut recent = RecentRanges::default();
        assert!(recent.remember(&r("now-3d", "now")));
        assert!(recent.remember(&r("1000", "2000")));
        assert!(!recent.remember(&r("1000", "2000")), "already first");
        assert!(recent.remember(&r("now-3d", "now")));
        assert!(!recent.remember(&r("now/d", "now/d")), "a quick range");
        assert_eq!(recent.ranges(), [r("now-3d", "now"), r("1000", "2000")]);
        for i in 0..10 {
            recent.remember(&r(&format!("{i}000"), "99000"));
        }
        assert_eq!(recent.ranges().len(), MAX_RECENT);
        assert_eq!(recent.ranges()[0], r("9000", "99000"));
    }

    #[test]
    fn storage_round_trips_and_survives_garbage() {
        let mut recent = RecentRanges::default();
        recent.remember(&r("now-2d/d", "now"));
        recent.remember(&r("1772982000000", "1773068400000"));
        assert_eq!(RecentRanges::from_json(&recent.to_json()), recent);
        assert_eq!(RecentRanges::from_json("not json"), RecentRanges::default());
        assert_eq!(RecentRanges::from_json("{\"a\":1}"), RecentRanges::default());
        let mixed = r#"[["now-1d","now"],["soon","now"],[1,2],"x",["now-5h","now"]]"#;
        assert_eq!(RecentRanges::from_json(mixed).ranges(), [r("now-1d", "now"), r("now-5h", "now")]);
        let long: Vec<[String; 2]> = (0..50).map(|i| [format!("{i}000"), "99000".to_string()]).collect();
        assert_eq!(RecentRanges::from_json(&serde_json::to_string(&long).unwrap()).ranges().len(), MAX_RECENT);
    }
}
