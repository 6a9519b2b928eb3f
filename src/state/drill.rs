//! What a chart gesture does to the view, with no browser: a drag over buckets
//! zooms the dashboard to them, a click on a bucket or an intent drills into the
//! message explorer, and the explorer opens on one bucket's messages. The chart
//! glue (`app::panels`) only reads ECharts' event params and calls these.

use crate::domain::panels::chart::{topic_filter, ClickTarget};
use crate::domain::panels::{PanelKind, TableModel};
use crate::domain::time::{TimeRange, TimeSpan};

use super::view::{ExplorerFilters, ViewState};

/// The buckets a brush covers, from its `coordRange` on a category axis: the two
/// ends in either order, each rounded to the nearest bucket (a drag rarely starts
/// on a bucket's centre), a negative end clamped to the first. `None` for ends
/// that are not numbers (NaN, infinite).
pub fn brushed_buckets(a: f64, b: f64) -> Option<(usize, usize)> {
    if !a.is_finite() || !b.is_finite() {
        return None;
    }
    // `as usize` saturates: an end past the last bucket is clamped by `zoom_to`.
    Some((a.min(b).max(0.0).round() as usize, a.max(b).max(0.0).round() as usize))
}

/// The view after selecting buckets `first..=last` of `model`: an absolute range
/// over them, the interval chosen afresh for it (zooming into days shows hours).
/// `last` past the end is the last bucket; `false` (view untouched) when `first`
/// is not a bucket.
pub fn zoom_to(view: &mut ViewState, model: &TableModel, first: usize, last: usize) -> bool {
    let (Some(a), Some(b)) = (model.rows.get(first), model.rows.get(last.min(model.rows.len().saturating_sub(1))))
    else {
        return false;
    };
    view.range = TimeRange::absolute(TimeSpan::new(a.start, b.end));
    view.interval = None;
    true
}

/// Applies a chart click to the view: a bucket narrows the range to it, an intent
/// filters the explorer's topics. Returns whether the explorer should be shown.
pub fn drill(view: &mut ViewState, kind: PanelKind, model: &TableModel, target: &ClickTarget) -> bool {
    let key = match target {
        ClickTarget::Bucket { index, key } => {
            if !zoom_to(view, model, *index, *index) {
                return false;
            }
            key.as_deref()
        }
        ClickTarget::Key(k) => Some(k.as_str()),
    };
    if let Some(topic) = topic_filter(kind, key) {
        view.filters.topic = vec![topic];
    }
    true
}

/// The view that shows one bucket's messages: the range narrowed to `span`, the
/// interval automatic, the explorer's filters replaced by `filters`.
pub fn open_bucket(view: &mut ViewState, span: TimeSpan, filters: ExplorerFilters) {
    view.range = TimeRange::absolute(span);
    view.interval = None;
    view.filters = filters;
}

/// `interactions-2026-03-01T00-00Z` style file names for a panel's exports:
/// sortable, no `:` (Windows refuses it).
pub fn file_stem(name: &str, model: &TableModel) -> String {
    let ts = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.strftime("%Y-%m-%dT%H%MZ").to_string())
            .unwrap_or_else(|_| ms.to_string())
    };
    match (model.rows.first(), model.rows.last()) {
        (Some(a), Some(b)) => format!("{}_{}_{}", name, ts(a.start), ts(b.end)),
        _ => name.to_string(),
    }
}

// Native only: proptest does not build for wasm32 (and plain #[test]s do not run there).
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "drill_tests.rs"]
mod tests;
