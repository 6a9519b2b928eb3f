//! Test helpers: a panel's table model from literal buckets.

use crate::domain::count_table::CountTable;
use crate::domain::time::TimeSpan;
use crate::domain::wire::WireBucket;

use super::{PanelKind, TableModel};

/// Buckets `[10 i, 10 i + 10)`, all loaded, with the given counts.
pub fn model(kind: PanelKind, buckets: &[&[(&str, u64)]]) -> TableModel {
    let n = buckets.len() as i64;
    let mut t = CountTable::new((0..=n).map(|i| i * 10).collect());
    let wbs: Vec<WireBucket> = buckets
        .iter()
        .enumerate()
        .map(|(i, c)| WireBucket {
            start: i as i64 * 10,
            end: i as i64 * 10 + 10,
            counts: c.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            partial: false,
        })
        .collect();
    t.merge_call(TimeSpan::new(0, n * 10), &wbs).unwrap();
    TableModel::build(kind, &t)
}

pub fn labels(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("b{i}")).collect()
}
