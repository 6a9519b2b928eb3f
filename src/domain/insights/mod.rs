//! Insights (issue 15): what the loaded data says beyond the API's own counts.
//!
//! - [`sentiment`]: messages per bucket by the sign of their sentiment, and the mean;
//! - [`quality`]: how sure the bot's intent recognition is (low-confidence and
//!   ambiguous customer messages per bucket, the intent pairs it confuses);
//! - [`anomaly`]: count buckets far from the usual level of their series.
//!
//! All pure: the panels only draw what these return. Buckets are the count panels'
//! own (`time::boundaries` over the view's range, interval and zone), and a message
//! counts in the bucket holding its `ts`. Buckets touching a span that failed to
//! load are `None`, never zero.

pub mod anomaly;
pub mod chart;
pub mod quality;
pub mod sentiment;
// Native only: proptest does not build for wasm32 (and plain #[test]s do not run there).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

use crate::domain::count_table::bucket_index;
use crate::domain::time::TimeSpan;

/// Per bucket: whether any part of it failed to load (its figures are unknown).
pub fn missing_buckets(boundaries: &[i64], failed: &[TimeSpan]) -> Vec<bool> {
    boundaries
        .windows(2)
        .map(|w| {
            let b = TimeSpan::new(w[0], w[1]);
            failed.iter().any(|f| f.overlaps(&b))
        })
        .collect()
}

/// The bucket of `ts`, or `None` outside the range.
pub(crate) fn bucket_of(boundaries: &[i64], ts: i64) -> Option<usize> {
    bucket_index(boundaries, ts)
}
