//! The insight panels' charts, and anomaly marks on the count panels' charts.
//! Built on the count panels' chart frame (`panels::chart`), so they look alike.

use serde_json::{json, Value};

use crate::domain::panels::chart::{bars, line, span_text, time_frame, ChartSpec, ChartStyle};

use super::anomaly::{Direction, Finding};
use super::quality::QualityTable;
use super::sentiment::{SentimentTable, KEYS as SENTIMENT_KEYS};

/// Stacked bars by sign, and the mean sentiment as a line on its own axis.
pub fn sentiment_chart(t: &SentimentTable, labels: &[String], style: &ChartStyle) -> ChartSpec {
    let mut o = time_frame(labels, style, Some("Mean"));
    // The contract fixes no sentiment range: let the mean axis fit the data.
    o["yAxis"][1]["min"] = Value::Null;
    o["yAxis"][1]["max"] = Value::Null;
    let mut series: Vec<Value> = (0..3)
        .map(|s| {
            let data: Vec<Option<u64>> = t.cells.iter().map(|c| c.map(|c| c.by_sign[s])).collect();
            bars(&super::sentiment::capitalised(SENTIMENT_KEYS[s]), &data)
        })
        .collect();
    let means: Vec<Option<f64>> =
        t.cells.iter().map(|c| c.and_then(|c| c.mean()).map(|m| (m * 1000.0).round() / 1000.0)).collect();
    let mut mean = line("Mean sentiment", json!(means), labels.len());
    mean["yAxisIndex"] = json!(1);
    series.push(mean);
    o["series"] = json!(series);
    let m = t.model();
    let mean_text = t.overall_mean().map(|m| format!("{m:.2}")).unwrap_or_else(|| "n/a".into());
    ChartSpec {
        option: o,
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

/// Customer messages as a line; low-confidence and ambiguous ones as bars.
pub fn quality_chart(t: &QualityTable, labels: &[String], style: &ChartStyle) -> ChartSpec {
    let mut o = time_frame(labels, style, None);
    let m = t.model();
    let col = |j: usize| -> Vec<Option<u64>> { m.rows.iter().map(|r| r.cells[j]).collect() };
    let mut low = bars("Low confidence", &col(1));
    let mut amb = bars("Ambiguous", &col(2));
    // Side by side: a message can be both, so stacking would double-count.
    low["stack"] = Value::Null;
    amb["stack"] = Value::Null;
    o["series"] = json!([line("Customer messages", json!(col(0)), labels.len()), low, amb]);
    ChartSpec {
        option: o,
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

/// Adds a mark per finding to the series drawn for its key (`series_name(key)`
/// gives the series' name in the chart); findings on series the chart does not
/// draw (an intent folded into "other") are left to the anomaly strip.
pub fn mark_anomalies(option: &mut Value, findings: &[&Finding], series_name: &dyn Fn(&str) -> String) {
    let labels = option["xAxis"]["data"].clone();
    let Some(series) = option["series"].as_array_mut() else { return };
    for s in series.iter_mut() {
        let name = s["name"].as_str().unwrap_or_default().to_string();
        let data: Vec<Value> = findings
            .iter()
            .filter(|f| series_name(&f.key) == name)
            .filter_map(|f| {
                let x = labels.get(f.index)?.clone();
                let (symbol, rotate) = match f.direction {
                    Direction::High => ("pin", 0),
                    Direction::Low => ("pin", 180),
                };
                Some(json!({
                    "coord": [x, f.value], "value": f.value, "symbol": symbol, "symbolRotate": rotate,
                    "name": format!("unusual: usually about {:.0}", f.expected)
                }))
            })
            .collect();
        if !data.is_empty() {
            s["markPoint"] = json!({ "data": data, "symbolSize": 34, "label": { "fontSize": 10 } });
        }
    }
}
