//! The parts every chart shares: the base option (palette, text, tooltip, hidden
//! legend), the frame of a chart over buckets (axes, grid, brush), and series.

use charming::component::{Axis, Grid};
use charming::datatype::CompositeValue;
use charming::element::{
    AxisLabel, AxisType, Color, Emphasis, EmphasisFocus, LineStyle, SplitLine, TextStyle, Trigger,
};
use charming::series::{Bar, Line};

use super::option::{Brush, BrushStyle, ChartAxis, ChartOption, EdgeAlignedLabel, HiddenLegend, Series, Tooltip};
use super::ChartStyle;

pub(super) fn axis_label(style: &ChartStyle) -> AxisLabel {
    AxisLabel::new().color(style.text.as_str())
}

pub(super) fn split_line(style: &ChartStyle) -> SplitLine {
    SplitLine::new().line_style(LineStyle::new().color(style.grid_line.as_str()))
}

pub(super) fn base(style: &ChartStyle, trigger: Trigger) -> ChartOption {
    ChartOption {
        animation: style.animation,
        color: style.palette.iter().map(|c| Color::from(c.as_str())).collect(),
        text_style: TextStyle::new().color(style.text.as_str()),
        tooltip: Tooltip {
            trigger,
            confine: true,
            render_mode: "richText",
            background_color: style.surface.as_str().into(),
            border_color: style.grid_line.as_str().into(),
            text_style: TextStyle::new().color(style.text.as_str()),
        },
        // The legend is HTML above the canvas (`ChartSpec::legend`): it wraps
        // without running into the plot and its toggles are keyboard buttons. The
        // hidden ECharts legend stays: it is what hides a toggled series.
        legend: HiddenLegend { show: false },
        grid: None,
        x_axis: None,
        y_axis: Vec::new(),
        brush: None,
        series: Vec::new(),
    }
}

/// The frame of a chart over buckets: category axis of bucket labels (exact across
/// DST, unlike a time axis), a count axis, an optional percent axis, and a
/// horizontal brush so a drag selects buckets (the view maps it to a range).
pub(crate) fn time_frame(labels: &[String], style: &ChartStyle, percent_axis: Option<&str>) -> ChartOption {
    let mut o = base(style, Trigger::Axis);
    let count_axis =
        Axis::new().type_(AxisType::Value).min_interval(1).axis_label(axis_label(style)).split_line(split_line(style));
    o.y_axis = vec![count_axis.into()];
    if let Some(name) = percent_axis {
        o.y_axis.push(
            Axis::new()
                .type_(AxisType::Value)
                .name(name)
                .min(0)
                .max(100)
                .position("right")
                .name_text_style(TextStyle::new().color(style.text.as_str()))
                .axis_label(axis_label(style))
                .split_line(SplitLine::new().show(false))
                .into(),
        );
    }
    o.grid = Some(Grid::new().left(8).right(8).top(28).bottom(8).contain_label(true));
    // The first and last labels start and end at their ticks instead of centring on
    // them, so they are not cut at the canvas edge ("026-11-24 19:05"); ECharts
    // thins the others to what fits (category axis, interval "auto").
    o.x_axis = Some(ChartAxis {
        axis: Axis::new().type_(AxisType::Category).data(labels.to_vec()),
        axis_label: Some(EdgeAlignedLabel {
            label: axis_label(style),
            align_min_label: "left",
            align_max_label: "right",
        }),
    });
    o.brush = Some(Brush {
        x_axis_index: 0,
        brush_type: "lineX",
        brush_mode: "single",
        transformable: false,
        remove_on_click: true,
        throttle_type: "debounce",
        throttle_delay: 300,
        brush_style: BrushStyle {
            color: "rgba(120,140,160,0.25)".into(),
            border_color: style.text.as_str().into(),
            border_width: 1,
        },
    });
    o
}

/// Counts as chart data: a bucket not loaded is `null` (a gap), never 0.
pub(crate) fn counts(data: &[Option<u64>]) -> Vec<CompositeValue> {
    data.iter().map(|v| CompositeValue::from(v.map(|v| v as i64))).collect()
}

pub(crate) fn bars(name: &str, data: &[Option<u64>]) -> Series {
    Series::Bar(Box::new(
        Bar::new().name(name).stack("counts").data(counts(data)).emphasis(Emphasis::new().focus(EmphasisFocus::Series)),
    ))
}

pub(crate) fn line(name: &str, data: Vec<CompositeValue>, points: usize) -> Line {
    Line::new().name(name).data(data).show_symbol(points <= 60).connect_nulls(false)
}

pub(super) fn percent_line(name: &str, data: &[Option<f64>], points: usize) -> Series {
    Series::Line(Box::new(line(name, data.iter().map(|v| CompositeValue::from(*v)).collect(), points).y_axis_index(1)))
}
