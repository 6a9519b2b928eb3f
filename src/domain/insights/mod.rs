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
use crate::domain::panels::{Column, TableModel, TableRow};
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

/// A table view model of three integer columns over `boundaries`; `cell(i)` is
/// bucket i's values, `None` when it is not loaded. Totals sum the loaded ones.
pub(crate) fn table3(
    keys: [&str; 3],
    labels: [&str; 3],
    boundaries: &[i64],
    cell: impl Fn(usize) -> Option<[u64; 3]>,
) -> TableModel {
    let columns =
        keys.iter().zip(labels).map(|(k, l)| Column { key: k.to_string(), label: l.into(), derived: false }).collect();
    let rows: Vec<TableRow> = (0..boundaries.len().saturating_sub(1))
        .map(|i| TableRow {
            start: boundaries[i],
            end: boundaries[i + 1],
            cells: match cell(i) {
                Some(v) => v.map(Some).to_vec(),
                None => vec![None; 3],
            },
        })
        .collect();
    let totals = (0..3).map(|s| rows.iter().filter_map(|r| r.cells[s]).sum()).collect();
    TableModel { columns, rows, totals }
}

/// The bucket of `ts`, or `None` outside the range.
pub(crate) fn bucket_of(boundaries: &[i64], ts: i64) -> Option<usize> {
    bucket_index(boundaries, ts)
}
