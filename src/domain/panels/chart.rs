//! Chart options built from charming's typed series and components under our own
//! top-level [`ChartOption`] (see [`option`]), natively, and tested as the JSON
//! ECharts receives; the browser only hands them to ECharts. Colours come from the
//! page's CSS custom properties (`ChartStyle`), so a partner's theme reaches the
//! charts too. Only series types and components that `tools/echarts/entry.js`
//! registers may appear here.

mod frame;
mod json_out;
mod option;

use charming::component::{Axis, Grid};
use charming::datatype::{CompositeValue, DataPointItem};
use charming::element::{AxisLabel, AxisType, ItemStyle, Label, LabelPosition, Trigger};
use charming::series::{Bar, Pie};

use self::frame::{axis_label, base, percent_line, split_line};
// Shared with the insight charts (domain::insights::chart).
pub(crate) use self::frame::{bars, counts, line, time_frame};

pub use self::option::{
    Brush, BrushStyle, ChartAxis, ChartOption, EdgeAlignedLabel, HiddenLegend, OutlinedLabel, PieSeries, Series,
    Tooltip,
};
use super::derive::{self, TopN, OTHER_KEY, RANKING_LEN, TOP_INTENTS};
use super::table_model::TableModel;
use super::PanelKind;
use crate::domain::wire::keys;

/// Colours and motion for a chart, read from CSS custom properties by the view.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartStyle {
    pub text: String,
    pub grid_line: String,
    pub surface: String,
    pub palette: Vec<String>,
    /// Off in tests and for `prefers-reduced-motion`.
    pub animation: bool,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle {
            text: "#1f2933".into(),
            grid_line: "#d9dee5".into(),
            surface: "#ffffff".into(),
            palette: [
                "#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563",
                "#65a30d",
            ]
            .map(String::from)
            .to_vec(),
            animation: true,
        }
    }
}

/// What a click on a chart element means (the view turns it into a drill-down).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClickTarget {
    /// A bucket of a time chart, with the series' API key when it is one (an
    /// intent, an endpoint; `None` for "other" and derived series).
    Bucket { index: usize, key: Option<String> },
    /// An item of a ranking or pie: an API key.
    Key(String),
}

/// One chart: its ECharts option, what its clicks mean, and a text summary for
/// `aria-label`.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSpec {
    /// The [`ChartOption`] as the JSON `setOption` receives, serialised once when
    /// built (on wasm32 charming's types can hold JS values, which a leptos signal
    /// cannot).
    pub option: String,
    /// The series' display names, in order (the HTML legend's entries).
    pub series_names: Vec<String>,
    /// True for charts over the buckets (drag selects a range).
    pub over_time: bool,
    /// Per series index: the API key the series stands for.
    pub series_keys: Vec<Option<String>>,
    /// Per data index of a ranking or pie: the API key of the item.
    pub item_keys: Vec<String>,
    pub summary: String,
}

/// One entry of a chart's HTML legend: a series and the colour ECharts gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegendItem {
    pub name: String,
    pub colour: String,
}

impl ChartSpec {
    /// The legend of a chart over time: its series in order, each in the palette
    /// colour ECharts assigns by series index. Rankings and donuts have none (their
    /// items are labelled, or named by the chart beside them).
    pub fn legend(&self, style: &ChartStyle) -> Vec<LegendItem> {
        if !self.over_time {
            return Vec::new();
        }
        self.series_names
            .iter()
            .enumerate()
            .map(|(i, name)| LegendItem {
                name: name.clone(),
                colour: style.palette.get(i % style.palette.len().max(1)).cloned().unwrap_or_default(),
            })
            .collect()
    }

    pub fn click_target(&self, series_index: usize, data_index: usize) -> Option<ClickTarget> {
        if self.over_time {
            let key = self.series_keys.get(series_index)?.clone();
            Some(ClickTarget::Bucket { index: data_index, key })
        } else {
            self.item_keys.get(data_index).map(|k| ClickTarget::Key(k.clone()))
        }
    }
}

fn label_of(model: &TableModel, key: &str) -> String {
    model.column(key).map(|j| model.columns[j].label.clone()).unwrap_or_else(|| key.to_string())
}

fn pct(r: Option<f64>) -> String {
    r.map(|r| format!("{:.1} %", r * 100.0)).unwrap_or_else(|| "n/a".into())
}

pub(crate) fn span_text(labels: &[String]) -> String {
    match (labels.first(), labels.last()) {
        (Some(a), Some(b)) if labels.len() > 1 => format!("{} buckets from {a} to {b}", labels.len()),
        (Some(a), _) => format!("1 bucket, {a}"),
        _ => "no buckets".into(),
    }
}

/// Interactions: total (and completed, abandoned, extras) as lines.
pub fn interactions(model: &TableModel, labels: &[String], style: &ChartStyle) -> ChartSpec {
    let mut o = time_frame(labels, style, None);
    let keys: Vec<&str> = model.columns.iter().filter(|c| !c.derived).map(|c| c.key.as_str()).collect();
    let names: Vec<String> = keys.iter().map(|k| label_of(model, k)).collect();
    o.series = keys
        .iter()
        .zip(&names)
        .map(|(k, name)| Series::Line(Box::new(line(name, counts(&derive::column(model, k)), labels.len()))))
        .collect();
    let parts: Vec<String> = keys
        .iter()
        .zip(&names)
        .map(|(k, name)| format!("{} {}", name.to_lowercase(), derive::total(model, k)))
        .collect();
    ChartSpec {
        option: o.to_json(),
        series_names: names,
        over_time: true,
        series_keys: vec![None; keys.len()],
        item_keys: vec![],
        summary: format!("Interactions over {}: {}.", span_text(labels), parts.join(", ")),
    }
}

/// Intents over time: the top intents stacked, the rest as "other".
pub fn intents_over_time(model: &TableModel, labels: &[String], style: &ChartStyle) -> ChartSpec {
    let TopN { keys, rest, other } = derive::top_n(model, TOP_INTENTS);
    let mut o = time_frame(labels, style, None);
    let mut names: Vec<String> = keys.clone();
    let mut series_keys: Vec<Option<String>> = keys.iter().cloned().map(Some).collect();
    o.series = keys.iter().map(|k| bars(k, &derive::column(model, k))).collect();
    if let Some(other) = &other {
        names.push(format!("Other ({})", rest.len()));
        o.series.push(bars(&names[names.len() - 1], other));
        series_keys.push(None);
    }
    let top: Vec<String> = keys.iter().take(3).map(|k| format!("{k} {}", derive::total(model, k))).collect();
    let summary = if keys.is_empty() {
        format!("Intents over {}: none.", span_text(labels))
    } else {
        format!("Intents over {}, {} intents; largest: {}.", span_text(labels), keys.len() + rest.len(), top.join(", "))
    };
    ChartSpec { option: o.to_json(), series_names: names, over_time: true, series_keys, item_keys: vec![], summary }
}

/// Intents ranked by their total for the range (largest on top).
pub fn intents_ranking(model: &TableModel, style: &ChartStyle) -> ChartSpec {
    let mut ranked: Vec<(String, u64)> =
        model.columns.iter().zip(&model.totals).filter(|(c, _)| !c.derived).map(|(c, t)| (c.key.clone(), *t)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(RANKING_LEN);
    // ECharts draws a category y axis bottom-up: reverse so the largest is on top.
    let shown: Vec<&(String, u64)> = ranked.iter().rev().collect();
    let mut o = base(style, Trigger::Axis);
    o.grid = Some(Grid::new().left(8).right(24).top(8).bottom(8).contain_label(true));
    // The side chart is narrow: value-axis labels collide there, and every bar
    // carries its own figure anyway.
    o.x_axis = Some(
        Axis::new()
            .type_(AxisType::Value)
            .min_interval(1)
            .axis_label(AxisLabel::new().show(false))
            .split_line(split_line(style))
            .into(),
    );
    o.y_axis = vec![Axis::new()
        .type_(AxisType::Category)
        .data(shown.iter().map(|r| r.0.clone()).collect())
        .axis_label(axis_label(style))
        .into()];
    o.series = vec![Series::Bar(Box::new(
        Bar::new()
            .name("Total")
            .data(shown.iter().map(|r| CompositeValue::from(r.1 as i64)).collect())
            .label(Label::new().show(true).position(LabelPosition::Right).color(style.text.as_str())),
    ))];
    let top: Vec<String> = ranked.iter().take(5).map(|(k, t)| format!("{k} {t}")).collect();
    ChartSpec {
        option: o.to_json(),
        series_names: vec!["Total".into()],
        over_time: false,
        series_keys: vec![None],
        item_keys: shown.iter().map(|r| r.0.clone()).collect(),
        summary: format!(
            "Intent ranking for the range: {}.",
            if top.is_empty() { "none".to_string() } else { top.join(", ") }
        ),
    }
}

/// Bot access: bot-engaged interactions (bot only + bot to agent, stacked) and the
/// containment rate on a percent axis.
pub fn bot_access(model: &TableModel, labels: &[String], style: &ChartStyle) -> ChartSpec {
    let only = derive::column(model, keys::BOT_ONLY);
    let to_agent = derive::column(model, keys::BOT_TO_AGENT);
    let engaged = derive::sum_series(&[only.clone(), to_agent.clone()], only.len());
    let mut o = time_frame(labels, style, Some("%"));
    let names = vec![label_of(model, keys::BOT_ONLY), label_of(model, keys::BOT_TO_AGENT), "Containment %".to_string()];
    o.series = vec![
        bars(&names[0], &only),
        bars(&names[1], &to_agent),
        percent_line(&names[2], &derive::percent_series(&only, &engaged), labels.len()),
    ];
    let (a, b) = (derive::total(model, keys::BOT_ONLY), derive::total(model, keys::BOT_TO_AGENT));
    ChartSpec {
        option: o.to_json(),
        series_names: names,
        over_time: true,
        series_keys: vec![None; 3],
        item_keys: vec![],
        summary: format!(
            "Bot-engaged interactions over {}: {} ({a} bot only, {b} bot to agent); containment {}.",
            span_text(labels),
            a + b,
            pct(derive::containment(a, b))
        ),
    }
}

/// Bot vs agent: bot-handled against agent-handled (counts, stacked) and the bot
/// share on a percent axis.
pub fn bot_vs_agent(model: &TableModel, labels: &[String], style: &ChartStyle) -> ChartSpec {
    let bot = derive::column(model, "botHandled");
    let agent = derive::column(model, "agentHandled");
    let all = derive::sum_series(&[bot.clone(), agent.clone()], bot.len());
    let mut o = time_frame(labels, style, Some("%"));
    let names = vec![label_of(model, "botHandled"), label_of(model, "agentHandled"), "Bot share %".to_string()];
    o.series = vec![
        bars(&names[0], &bot),
        bars(&names[1], &agent),
        percent_line(&names[2], &derive::percent_series(&bot, &all), labels.len()),
    ];
    let (b, a) = (derive::total(model, "botHandled"), derive::total(model, "agentHandled"));
    ChartSpec {
        option: o.to_json(),
        series_names: names,
        over_time: true,
        series_keys: vec![None; 3],
        item_keys: vec![],
        summary: format!(
            "Bot vs agent over {}: bot-handled {b} ({}), agent-handled {a} ({}).",
            span_text(labels),
            pct(derive::ratio(b, a + b)),
            pct(derive::ratio(a, a + b))
        ),
    }
}

/// Customer endpoints over time, stacked.
pub fn endpoints_over_time(model: &TableModel, labels: &[String], style: &ChartStyle) -> ChartSpec {
    let keys: Vec<String> = model.columns.iter().filter(|c| !c.derived).map(|c| c.key.clone()).collect();
    let mut o = time_frame(labels, style, None);
    o.series = keys.iter().map(|k| bars(k, &derive::column(model, k))).collect();
    ChartSpec {
        option: o.to_json(),
        series_names: keys.clone(),
        over_time: true,
        series_keys: keys.iter().cloned().map(Some).collect(),
        item_keys: vec![],
        summary: format!("Customer endpoints over {}: {} endpoints, stacked.", span_text(labels), keys.len()),
    }
}

/// Each endpoint's share of the range, as a donut.
pub fn endpoint_shares(model: &TableModel, style: &ChartStyle) -> ChartSpec {
    let items: Vec<(String, u64)> =
        model.columns.iter().zip(&model.totals).filter(|(c, _)| !c.derived).map(|(c, t)| (c.key.clone(), *t)).collect();
    let sum: u64 = items.iter().map(|i| i.1).sum();
    // The donut sits beside the endpoints-over-time chart, whose legend names the
    // same endpoints in the same order and colours; a second legend and name labels
    // would not fit its narrow column (ECharts truncates them to "ap..."). Names are
    // in the tooltip, the aria summary and the table.
    let mut o = base(style, Trigger::Item);
    let pie = Pie::new()
        .name("Share")
        .radius(vec!["34%", "74%"])
        .center(vec!["50%", "50%"])
        .data(items.iter().map(|(k, v)| DataPointItem::new(*v as i64).name(k.clone())).collect())
        .item_style(ItemStyle::new().border_color(style.surface.as_str()).border_width(2));
    o.series = vec![Series::Pie(Box::new(PieSeries {
        pie,
        // Whole percents: "12.47%" does not fit in a slice ("12%" does); the table,
        // the tooltip and the aria summary keep the exact figures.
        percent_precision: 0,
        min_show_label_angle: 18.0,
        // Inside the ring: outside labels are truncated in the narrow column. White
        // with a dark outline reads on every palette colour, light or dark theme.
        label: OutlinedLabel {
            label: Label::new().position(LabelPosition::Inside).formatter("{d}%").color("#fff"),
            text_border_color: "rgba(0,0,0,0.55)".into(),
            text_border_width: 2.0,
        },
    }))];
    let parts: Vec<String> = items.iter().map(|(k, v)| format!("{k} {}", pct(derive::ratio(*v, sum)))).collect();
    ChartSpec {
        option: o.to_json(),
        series_names: vec!["Share".into()],
        over_time: false,
        series_keys: vec![None],
        item_keys: items.iter().map(|i| i.0.clone()).collect(),
        summary: format!(
            "Customer endpoint shares for the range: {}.",
            if parts.is_empty() { "none".into() } else { parts.join(", ") }
        ),
    }
}

/// Every chart a panel shows, the over-time one first.
pub fn panel_charts(kind: PanelKind, model: &TableModel, labels: &[String], style: &ChartStyle) -> Vec<ChartSpec> {
    match kind {
        PanelKind::Interactions => vec![interactions(model, labels, style)],
        PanelKind::Intents => vec![intents_over_time(model, labels, style), intents_ranking(model, style)],
        PanelKind::BotAccess => vec![bot_access(model, labels, style)],
        PanelKind::BotVsAgent => vec![bot_vs_agent(model, labels, style)],
        PanelKind::CustomerEndpoint => vec![endpoints_over_time(model, labels, style), endpoint_shares(model, style)],
    }
}

/// The key a drill-down filters the explorer by: intents are its `topic` facet;
/// endpoints have no explorer facet, so only the range applies.
pub fn topic_filter(kind: PanelKind, key: Option<&str>) -> Option<String> {
    match (kind, key) {
        (PanelKind::Intents, Some(k)) if k != OTHER_KEY => Some(k.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
