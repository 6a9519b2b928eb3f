//! The insight panels' charts, and anomaly marks on the count panels' charts.
//! Built on the count panels' chart frame (`panels::chart`), so they look alike.

use charming::component::Axis;
use charming::datatype::CompositeValue;
use charming::element::{AxisType, SplitLine, TextStyle};
use charming::series::Bar;
use serde_json::{json, Value};

use crate::domain::panels::chart::{bars, counts, line, span_text, time_frame, ChartSpec, ChartStyle, Series};

use super::anomaly::{Direction, Finding};
use super::quality::QualityTable;
use super::sentiment::{SentimentTable, KEYS as SENTIMENT_KEYS};

/// Stacked bars by sign, and the mean sentiment as a line on its own axis.
pub fn sentiment_chart(t: &SentimentTable, labels: &[String], style: &ChartStyle) -> ChartSpec {
    let mut o = time_frame(labels, style, None);
    // The contract fixes no sentiment range: the mean's axis fits the data.
    o.y_axis.push(
        Axis::new()
            .type_(AxisType::Value)
            .name("Mean")
            .position("right")
            .name_text_style(TextStyle::new().color(style.text.as_str()))
            .split_line(SplitLine::new().show(false))
            .into(),
    );
    let mut names: Vec<String> = SENTIMENT_KEYS.iter().map(|k| super::sentiment::capitalised(k)).collect();
    let mut series: Vec<Series> = (0..3)
        .map(|s| {
            let data: Vec<Option<u64>> = t.cells.iter().map(|c| c.map(|c| c.by_sign[s])).collect();
            bars(&names[s], &data)
        })
        .collect();
    let means: Vec<CompositeValue> = t
        .cells
        .iter()
        .map(|c| CompositeValue::from(c.and_then(|c| c.mean()).map(|m| (m * 1000.0).round() / 1000.0)))
        .collect();
    names.push("Mean sentiment".into());
    series.push(Series::Line(Box::new(line(&names[3], means, labels.len()).y_axis_index(1))));
    o.series = series;
    let m = t.model();
    let mean_text = t.overall_mean().map(|m| format!("{m:.2}")).unwrap_or_else(|| "n/a".into());
    ChartSpec {
        option: o.to_json(),
        series_names: names,
        over_time: true,
        series_keys: SENTIMENT_KEYS.iter().map(|k| Some(k.to_string())).chain([None]).collect(),
        item_keys: vec![],
        summary: format!(
            "Message sentiment over {}: {} negative, {} neutral, {} positive; mean {mean_text}.",
            span_text(labels),
            m.totals[0],
            m.totals[1],
            m.totals[2]
        ),
    }
}

/// Customer messages as a line; low-confidence and ambiguous ones as bars side by
/// side (a message can be both, so stacking would double-count).
pub fn quality_chart(t: &QualityTable, labels: &[String], style: &ChartStyle) -> ChartSpec {
    let mut o = time_frame(labels, style, None);
    let m = t.model();
    let col = |j: usize| -> Vec<Option<u64>> { m.rows.iter().map(|r| r.cells[j]).collect() };
    let names: Vec<String> = ["Customer messages", "Low confidence", "Ambiguous"].map(String::from).to_vec();
    o.series = vec![
        Series::Line(Box::new(line(&names[0], counts(&col(0)), labels.len()))),
        Series::Bar(Box::new(Bar::new().name(names[1].as_str()).data(counts(&col(1))))),
        Series::Bar(Box::new(Bar::new().name(names[2].as_str()).data(counts(&col(2))))),
    ];
    ChartSpec {
        option: o.to_json(),
        series_names: names,
        over_time: true,
        series_keys: super::quality::KEYS.iter().map(|k| Some(k.to_string())).collect(),
        item_keys: vec![],
        summary: format!(
            "Intent recognition over {}: {} customer messages, {} low confidence, {} ambiguous.",
            span_text(labels),
            m.totals[0],
            m.totals[1],
            m.totals[2]
        ),
    }
}

/// Adds a mark per finding (a pin, `markPoint`) to the series drawn for its key
/// (`series_name(key)` gives the series' name in the chart) of a chart's option
/// JSON; findings on series the chart does not draw (an intent folded into
/// "other") are left to the anomaly strip.
pub fn mark_anomalies(option: &str, findings: &[&Finding], series_name: &dyn Fn(&str) -> String) -> String {
    let Ok(mut o) = serde_json::from_str::<Value>(option) else { return option.to_string() };
    let labels = o["xAxis"]["data"].clone();
    let Some(series) = o["series"].as_array_mut() else { return option.to_string() };
    for s in series.iter_mut() {
        let name = s["name"].as_str().unwrap_or_default().to_string();
        let data: Vec<Value> = findings
            .iter()
            .filter(|f| series_name(&f.key) == name)
            .filter_map(|f| {
                let x = labels.get(f.index)?.clone();
                let rotate = if f.direction == Direction::High { 0 } else { 180 };
                Some(json!({ "coord": [x, f.value], "value": f.value, "symbol": "pin", "symbolRotate": rotate }))
            })
            .collect();
        if !data.is_empty() {
            s["markPoint"] = json!({ "data": data, "symbolSize": 34, "label": { "fontSize": 10 } });
        }
    }
    o.to_string()
}
