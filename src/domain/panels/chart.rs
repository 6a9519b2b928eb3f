//! Chart options as charming values: built natively and tested as JSON, drawn in
//! the browser by ECharts. Colours come from the page's CSS custom properties
//! (passed in as `ChartStyle`) so a partner's theme reaches the charts too.

use charming::component::{Axis, DataZoom, Grid, Legend};
use charming::element::{AxisType, LineStyle, SplitLine, TextStyle, Tooltip, Trigger};
use charming::series::{Bar, Line};
use charming::Chart;

use super::table_model::TableModel;

/// Colours and motion for a chart, read from CSS custom properties by the view.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartStyle {
    pub text: String,
    pub grid_line: String,
    pub palette: Vec<String>,
    /// Off in tests and for `prefers-reduced-motion`.
    pub animation: bool,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle {
            text: "#1f2933".into(),
            grid_line: "#d9dee5".into(),
            palette: ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"]
                .map(String::from)
                .to_vec(),
            animation: true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesShape {
    Line,
    StackedBar,
}

/// The common frame of a time chart: category axis of bucket labels (exact across
/// DST, unlike a time axis), value axis, tooltip on the axis, legend, and an inside
/// data zoom so a drag selects buckets (the view maps it back to a range).
pub fn time_frame(labels: &[String], style: &ChartStyle) -> Chart {
    let text = TextStyle::new().color(style.text.as_str());
    Chart::new()
        .animation(style.animation)
        .color(style.palette.iter().map(|c| charming::element::Color::from(c.as_str())).collect::<Vec<_>>())
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top("0").text_style(text.clone()))
        .grid(Grid::new().left("3%").right("3%").bottom("12%").top("14%").contain_label(true))
        .x_axis(Axis::new().type_(AxisType::Category).data(labels.to_vec()).axis_label(charming::element::AxisLabel::new().color(style.text.as_str())))
        .y_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min_interval(1)
                .axis_label(charming::element::AxisLabel::new().color(style.text.as_str()))
                .split_line(SplitLine::new().line_style(LineStyle::new().color(style.grid_line.as_str()))),
        )
        .data_zoom(DataZoom::new().type_(charming::component::DataZoomType::Inside))
}

/// One series per column key, values `null` where a bucket is not loaded (a gap,
/// never a zero).
pub fn time_series(model: &TableModel, labels: &[String], keys: &[&str], shape: SeriesShape, style: &ChartStyle) -> Chart {
    let mut chart = time_frame(labels, style);
    for key in keys {
        let Some(j) = model.column(key) else { continue };
        let data: Vec<Option<i64>> = model.rows.iter().map(|r| r.cells[j].map(|v| v as i64)).collect();
        let name = model.columns[j].label.clone();
        chart = match shape {
            SeriesShape::Line => chart.series(Line::new().name(name).data(data).show_symbol(labels.len() <= 60)),
            SeriesShape::StackedBar => chart.series(Bar::new().name(name).stack("total").data(data)),
        };
    }
    chart
}

/// The chart a panel shows, from its table model. (A first cut: one time chart per
/// panel; the per-panel designs grow here.)
pub fn panel_chart(kind: super::PanelKind, model: &TableModel, labels: &[String], style: &ChartStyle) -> Chart {
    use super::PanelKind;
    let keys: Vec<&str> = model.columns.iter().filter(|c| !c.derived).map(|c| c.key.as_str()).collect();
    match kind {
        PanelKind::Intents | PanelKind::CustomerEndpoint => time_series(model, labels, &keys, SeriesShape::StackedBar, style),
        _ => time_series(model, labels, &keys, SeriesShape::Line, style),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::count_table::CountTable;
    use crate::domain::panels::PanelKind;
    use crate::domain::time::TimeSpan;
    use crate::domain::wire::WireBucket;

    #[test]
    fn a_line_chart_has_one_series_per_key_with_gaps_for_missing_buckets() {
        let mut t = CountTable::new(vec![0, 10, 20]);
        let wb = WireBucket { start: 0, end: 10, counts: [("total".to_string(), 7)].into(), partial: false };
        t.merge_call(TimeSpan::new(0, 10), &[wb]).unwrap();
        let model = TableModel::build(PanelKind::Interactions, &t);
        let labels = vec!["a".to_string(), "b".to_string()];
        let chart = time_series(&model, &labels, &["total"], SeriesShape::Line, &ChartStyle::default());
        let json: serde_json::Value = serde_json::from_str(&chart.to_string()).unwrap();
        assert_eq!(json["series"][0]["name"], "Total");
        assert_eq!(json["series"][0]["data"], serde_json::json!([7, null]));
        assert_eq!(json["xAxis"]["data"], serde_json::json!(["a", "b"]));
    }
}
