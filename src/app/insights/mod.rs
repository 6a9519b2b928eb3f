//! The insight panels (issue 15): `sentiment` and `intent-quality`, drawn from the
//! page's one messages load, and the anomaly strip with marks on the count charts.
//! The numbers come from `domain::insights`; this is the view.

mod anomalies;
mod filter_chips;
mod panel;
mod quality_panel;
mod sentiment_panel;
#[cfg(test)]
mod tests;

pub use anomalies::{use_anomalies, AnomalyStrip};
pub use filter_chips::QualityFilterChips;
pub use quality_panel::IntentQualityPanel;
pub use sentiment_panel::SentimentPanel;

use jiff::tz::TimeZone;
use leptos::prelude::*;

use crate::domain::panels::labels::bucket_label;
use crate::domain::time::{boundaries, Interval, TimeSpan};
use crate::engine::fetch::MAX_ENGINE_BUCKETS;
use crate::state::view::{ExplorerFilters, ViewState};

use crate::domain::panels::chart::{ChartSpec, ChartStyle};
use crate::domain::panels::TableModel;

use super::context::{use_dashboard, DashboardContext};
use super::messages_feed::{use_messages_feed, Loaded};
use super::panels::theme::chart_style;

/// The count panels' buckets over the loaded range, in the view's interval and
/// zone, with which ones touch a span that failed to load.
#[derive(Clone, Debug, PartialEq)]
pub struct Buckets {
    pub boundaries: Vec<i64>,
    pub missing: Vec<bool>,
    pub labels: Vec<String>,
    pub interval: Interval,
    pub tz: TimeZone,
}

impl Buckets {
    /// Bucket `i`'s span; `None` past the last (a click from a stale chart).
    pub fn span(&self, i: usize) -> Option<TimeSpan> {
        Some(TimeSpan::new(*self.boundaries.get(i)?, *self.boundaries.get(i + 1)?))
    }
}

/// What an insight panel draws, derived from the page's messages load: its
/// buckets, its table, the table model (table view, CSV) and the chart.
pub struct InsightData<T: Send + Sync + 'static> {
    pub buckets: Memo<Option<Buckets>>,
    pub table: Memo<Option<T>>,
    pub model: Memo<Option<TableModel>>,
    pub spec: Memo<Option<ChartSpec>>,
}

impl<T: Send + Sync + 'static> Clone for InsightData<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for InsightData<T> {}

/// The one chain from the messages load to an insight panel's chart, so each panel
/// says only how its table is built (`build`, re-run when the load, the buckets or
/// what `build` reads change), modelled and drawn.
pub fn use_insight_data<T: PartialEq + Send + Sync + 'static>(
    build: impl Fn(&Loaded, &Buckets) -> T + Send + Sync + 'static,
    model: fn(&T) -> TableModel,
    chart: fn(&T, &[String], &ChartStyle) -> ChartSpec,
) -> InsightData<T> {
    let ctx = use_dashboard();
    let feed = use_messages_feed();
    let buckets = Memo::new(move |_| feed.loaded.with(|l| l.as_ref().and_then(|l| buckets_for(&ctx, l))));
    let table = Memo::new(move |_| {
        let b = buckets.get()?;
        feed.loaded.with(|l| l.as_ref().map(|l| build(l, &b)))
    });
    let model = Memo::new(move |_| table.with(|t| t.as_ref().map(model)));
    let style = Memo::new(move |_| chart_style(ctx.view.with(|v| v.theme)));
    let spec = Memo::new(move |_| {
        let b = buckets.get()?;
        table.with(|t| t.as_ref().map(|t| style.with(|st| chart(t, &b.labels, st))))
    });
    InsightData { buckets, table, model, spec }
}

pub fn buckets_for(ctx: &DashboardContext, loaded: &Loaded) -> Option<Buckets> {
    ctx.resolved.with(|r| {
        let r = r.as_ref().ok()?;
        let tz = r.tz.clone();
        let b = boundaries(loaded.span, r.interval, &tz, MAX_ENGINE_BUCKETS).ok()?;
        let missing = crate::domain::insights::missing_buckets(&b, &loaded.failed);
        let labels = b[..b.len() - 1].iter().map(|s| bucket_label(*s, r.interval, &tz)).collect();
        Some(Buckets { boundaries: b, missing, labels, interval: r.interval, tz })
    })
}

/// Opens the explorer on the messages of one bucket: the range narrowed to the
/// bucket and the filters replaced by `filters`.
pub fn open_explorer(ctx: &DashboardContext, span: TimeSpan, filters: ExplorerFilters) {
    let mut next: ViewState = ctx.view.get_untracked();
    crate::state::drill::open_bucket(&mut next, span, filters);
    ctx.view.set(next);
    super::panels::actions::show_explorer();
}

/// Opens the explorer with `filters` over the current range.
pub fn filter_explorer(ctx: &DashboardContext, filters: ExplorerFilters) {
    ctx.view.update(|v| v.filters = filters);
    super::panels::actions::show_explorer();
}

/// Marks `findings` on a count panel's main chart (its first).
pub fn mark_chart(
    specs: &mut [crate::domain::panels::chart::ChartSpec],
    model: &crate::domain::panels::TableModel,
    findings: &[crate::domain::insights::anomaly::Finding],
) {
    let Some(main) = specs.first_mut().filter(|_| !findings.is_empty()) else { return };
    let refs: Vec<&crate::domain::insights::anomaly::Finding> = findings.iter().collect();
    let name = |key: &str| model.column(key).map(|j| model.columns[j].label.clone()).unwrap_or_else(|| key.into());
    main.option = crate::domain::insights::chart::mark_anomalies(&main.option, &refs, &name);
}
