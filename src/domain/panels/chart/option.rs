//! The one typed ECharts option we build: [`ChartOption`] holds only what our
//! charts draw, from charming's typed series and components, with small structs of
//! our own where charming lacks a field (the brush component; the tooltip's
//! `renderMode` and `confine`; the pie's `percentPrecision`, `minShowLabelAngle` and
//! outlined labels), and for the hidden legend, where charming's `Legend` would
//! cost far more bundle than the one field we set.
//!
//! Not charming's `Chart`: serialising it pulls every series type and component
//! ECharts has into the wasm. Never a charming `JsFunction` (a function formatter):
//! it needs `new Function`, which our strict CSP forbids; formatters here are
//! ECharts template strings (`{d}%`), and a test fails if a serialised option holds
//! a function.

use charming::component::{Axis, Grid};
use charming::element::{AxisLabel, Color, Label, TextStyle, Trigger};
use charming::series::{Bar, Line, Pie};
use serde::Serialize;

/// One chart's ECharts option. Only series types and components that
/// `tools/echarts/entry.js` registers may appear here.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChartOption {
    pub animation: bool,
    /// The palette, by series index.
    pub color: Vec<Color>,
    pub text_style: TextStyle,
    pub tooltip: Tooltip,
    /// Hidden: the legend is HTML above the canvas (`ChartSpec::legend`); the hidden
    /// ECharts legend is what hides a toggled series.
    pub legend: HiddenLegend,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grid: Option<Grid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_axis: Option<ChartAxis>,
    /// Also [`ChartAxis`], not charming's `Axis`: a plain `Axis` here would compile
    /// `Axis`'s serialisation a second time (once flattened, once not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub y_axis: Vec<ChartAxis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brush: Option<Brush>,
    pub series: Vec<Series>,
}

impl ChartOption {
    /// The JSON handed to `setOption`, written by our own small writer
    /// (`json_out`, about a third smaller in the bundle than serde_json's serialiser
    /// for these many-fielded types).
    pub fn to_json(&self) -> String {
        super::json_out::to_string(self)
    }
}

/// The series types we draw (the ones the trimmed ECharts bundle registers). Boxed:
/// charming's series structs are kilobytes each.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Series {
    Bar(Box<Bar>),
    Line(Box<Line>),
    Pie(Box<PieSeries>),
}

/// charming's `Tooltip` lacks `renderMode`, `confine` and `textStyle`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tooltip {
    pub trigger: Trigger,
    /// Kept inside the chart: in a narrow iframe a tooltip would be cut off.
    pub confine: bool,
    /// `richText`: drawn on the canvas. The HTML tooltip writes style attributes,
    /// which a strict CSP (style-src 'self', no 'unsafe-inline') blocks.
    pub render_mode: &'static str,
    pub background_color: Color,
    pub border_color: Color,
    pub text_style: TextStyle,
}

/// The ECharts legend, never shown. Ours, not charming's `Legend`: that one
/// serialises about 30 optional fields (items, selector, formatter, icons) for the
/// one we set, which cost about 0.8 KB brotli in the bundle.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HiddenLegend {
    /// Always false.
    pub show: bool,
}

/// The brush component (charming has none we can use): a horizontal band selected
/// by dragging, which the view maps to a range of buckets.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Brush {
    pub x_axis_index: u32,
    pub brush_type: &'static str,
    pub brush_mode: &'static str,
    pub transformable: bool,
    pub remove_on_click: bool,
    pub throttle_type: &'static str,
    pub throttle_delay: u32,
    pub brush_style: BrushStyle,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BrushStyle {
    pub color: Color,
    pub border_color: Color,
    pub border_width: u32,
}

/// charming's `Axis`, x or y, with a label alignment it lacks in place of its
/// `axisLabel` when one is set here.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChartAxis {
    #[serde(flatten)]
    pub axis: Axis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub axis_label: Option<EdgeAlignedLabel>,
}

impl From<Axis> for ChartAxis {
    fn from(axis: Axis) -> Self {
        ChartAxis { axis, axis_label: None }
    }
}

/// charming's `AxisLabel` with `alignMinLabel` / `alignMaxLabel`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeAlignedLabel {
    #[serde(flatten)]
    pub label: AxisLabel,
    pub align_min_label: &'static str,
    pub align_max_label: &'static str,
}

/// charming's `Pie` with the fields it lacks.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PieSeries {
    #[serde(flatten)]
    pub pie: Pie,
    /// Decimals of the `{d}` percentage in labels.
    pub percent_precision: u8,
    /// Slices narrower than this (degrees) get no label.
    pub min_show_label_angle: f64,
    pub label: OutlinedLabel,
}

/// charming's `Label` with a text outline (`textBorderColor`, `textBorderWidth`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutlinedLabel {
    #[serde(flatten)]
    pub label: Label,
    pub text_border_color: Color,
    pub text_border_width: f64,
}
