//! Every chart builder, checked as the JSON ECharts receives.

use serde_json::{json, Value};

use super::*;
use crate::domain::panels::test_util::{labels, model};

fn style() -> ChartStyle {
    ChartStyle { animation: false, ..ChartStyle::default() }
}

/// The option as the JSON ECharts receives.
fn json(spec: &ChartSpec) -> Value {
    serde_json::from_str(&spec.option).unwrap()
}

fn series_types(spec: &ChartSpec) -> Vec<String> {
    json(spec)["series"].as_array().unwrap().iter().map(|s| s["type"].as_str().unwrap().to_string()).collect()
}

/// Only what tools/echarts/entry.js registers: anything else ECharts ignores.
fn uses_only_bundled_parts(spec: &ChartSpec) {
    let allowed_top =
        ["animation", "color", "textStyle", "tooltip", "legend", "grid", "xAxis", "yAxis", "brush", "series"];
    for k in json(spec).as_object().unwrap().keys() {
        assert!(allowed_top.contains(&k.as_str()), "option `{k}` needs a component the bundle lacks");
    }
    for t in series_types(spec) {
        assert!(["line", "bar", "pie"].contains(&t.as_str()), "series type {t} is not bundled");
    }
}

#[test]
fn interactions_are_lines_with_gaps_for_missing_buckets() {
    let mut m = model(PanelKind::Interactions, &[&[("total", 7), ("completed", 5)], &[("total", 3)]]);
    m.rows[1].cells = vec![None, None];
    let spec = interactions(&m, &labels(2), &style());
    uses_only_bundled_parts(&spec);
    assert_eq!(series_types(&spec), vec!["line", "line"]);
    assert_eq!(json(&spec)["series"][0]["name"], "Total");
    assert_eq!(json(&spec)["series"][0]["data"], json!([7, null]));
    assert_eq!(json(&spec)["xAxis"]["data"], json!(["b0", "b1"]));
    // The edge labels are not centred on their ticks, which would cut them at the canvas edge.
    assert_eq!(json(&spec)["xAxis"]["axisLabel"]["alignMinLabel"], "left");
    assert_eq!(json(&spec)["xAxis"]["axisLabel"]["alignMaxLabel"], "right");
    assert_eq!(json(&spec)["brush"]["brushType"], "lineX");
    assert_eq!(json(&spec)["legend"]["show"], false, "the legend is HTML above the chart");
    let legend = spec.legend(&style());
    assert_eq!(legend.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["Total", "Completed"]);
    assert_eq!(legend[1].colour, style().palette[1], "the colour ECharts gives the second series");
    assert_eq!(spec.click_target(0, 1), Some(ClickTarget::Bucket { index: 1, key: None }));
    assert!(spec.summary.contains("total 10, completed 5"), "{}", spec.summary);
}

#[test]
fn intents_stack_the_top_eight_and_other_and_rank_every_intent() {
    let names: Vec<String> = (0..11).map(|i| format!("topic {i:02}")).collect();
    let b: Vec<(&str, u64)> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i as u64 + 1)).collect();
    let m = model(PanelKind::Intents, &[&b, &b]);
    let spec = intents_over_time(&m, &labels(2), &style());
    uses_only_bundled_parts(&spec);
    let option = json(&spec);
    let series = option["series"].as_array().unwrap();
    assert_eq!(series.len(), 9);
    assert!(series.iter().all(|s| s["stack"] == "counts"));
    assert_eq!(series[8]["name"], "Other (3)");
    assert_eq!(series[8]["data"], json!([6, 6]), "1 + 2 + 3");
    let stacked: u64 = series.iter().map(|s| s["data"][0].as_u64().unwrap()).sum();
    assert_eq!(stacked, 66, "the stack's height is the bucket's total");
    assert_eq!(spec.click_target(0, 1), Some(ClickTarget::Bucket { index: 1, key: Some("topic 10".into()) }));
    assert_eq!(spec.click_target(8, 0), Some(ClickTarget::Bucket { index: 0, key: None }));

    let rank = intents_ranking(&m, &style());
    uses_only_bundled_parts(&rank);
    let rank_option = json(&rank);
    let cats = rank_option["yAxis"][0]["data"].as_array().unwrap();
    assert_eq!(cats.len(), 11);
    assert_eq!(cats.last().unwrap(), "topic 10", "largest drawn on top");
    assert_eq!(json(&rank)["series"][0]["data"].as_array().unwrap().last().unwrap(), 22);
    assert_eq!(rank.click_target(0, 10), Some(ClickTarget::Key("topic 10".into())));
    assert_eq!(json(&rank)["xAxis"]["axisLabel"]["show"], false, "bars carry their figures; axis labels collide");
}

#[test]
fn bot_access_shows_engaged_counts_and_containment_on_a_percent_axis() {
    let m = model(PanelKind::BotAccess, &[&[("botOnly", 3), ("botToAgent", 1)], &[], &[("botToAgent", 2)]]);
    let spec = bot_access(&m, &labels(3), &style());
    uses_only_bundled_parts(&spec);
    assert_eq!(series_types(&spec), vec!["bar", "bar", "line"]);
    assert_eq!(json(&spec)["yAxis"][1]["max"], 100);
    assert_eq!(json(&spec)["series"][2]["yAxisIndex"], 1.0);
    assert_eq!(json(&spec)["series"][2]["data"], json!([75.0, null, 0.0]), "no engagement: no rate, not 0");
    assert!(spec.summary.contains("containment 50.0 %"), "{}", spec.summary);
}

#[test]
fn bot_vs_agent_shows_counts_and_the_bot_share() {
    let m = model(PanelKind::BotVsAgent, &[&[("botOnly", 6), ("botToAgent", 3), ("agentOnly", 1)]]);
    let spec = bot_vs_agent(&m, &labels(1), &style());
    uses_only_bundled_parts(&spec);
    assert_eq!(json(&spec)["series"][0]["data"], json!([6]));
    assert_eq!(json(&spec)["series"][1]["data"], json!([4]));
    assert_eq!(json(&spec)["series"][2]["data"], json!([60.0]));
    assert!(spec.summary.contains("bot-handled 6 (60.0 %)"), "{}", spec.summary);
}

#[test]
fn endpoints_over_time_and_their_shares() {
    let m = model(PanelKind::CustomerEndpoint, &[&[("web", 3), ("sms", 1)], &[("web", 1)]]);
    let spec = endpoints_over_time(&m, &labels(2), &style());
    uses_only_bundled_parts(&spec);
    assert_eq!(json(&spec)["series"][0]["name"], "web");
    assert_eq!(json(&spec)["series"][1]["data"], json!([1, 0]));
    assert_eq!(spec.click_target(1, 0), Some(ClickTarget::Bucket { index: 0, key: Some("sms".into()) }));
    let pie = endpoint_shares(&m, &style());
    uses_only_bundled_parts(&pie);
    assert_eq!(json(&pie)["series"][0]["data"], json!([{ "name": "web", "value": 4 }, { "name": "sms", "value": 1 }]));
    assert!(pie.summary.contains("web 80.0 %"), "{}", pie.summary);
    assert_eq!(pie.click_target(0, 1), Some(ClickTarget::Key("sms".into())));
    // Same order as the over-time chart, so the same colours name the same endpoints.
    let over_time = endpoints_over_time(&m, &labels(2), &style());
    let series: Vec<&str> = over_time.series_names.iter().map(String::as_str).collect();
    assert_eq!(series, ["web", "sms"]);
    assert_eq!(json(&pie)["legend"]["show"], false);
    assert!(pie.legend(&style()).is_empty(), "named by the chart beside it");
    // More series than colours: ECharts starts the palette again.
    let few = ChartStyle { palette: vec!["#111111".into()], ..style() };
    assert!(spec.legend(&few).iter().all(|l| l.colour == "#111111"));
}

#[test]
fn every_panel_has_its_charts_and_colours_come_from_the_style() {
    let s = ChartStyle { text: "#abcdef".into(), ..style() };
    for kind in PanelKind::ALL {
        let charts = panel_charts(kind, &model(kind, &[&[]]), &labels(1), &s);
        assert!(!charts.is_empty());
        assert!(charts[0].over_time, "{kind:?}: the first chart is over time");
        for c in &charts {
            assert_eq!(json(c)["textStyle"]["color"], "#abcdef");
            assert_eq!(json(c)["animation"], false);
        }
    }
}

#[test]
fn only_intents_filter_the_explorer_by_topic() {
    assert_eq!(topic_filter(PanelKind::Intents, Some("billing")), Some("billing".into()));
    assert_eq!(topic_filter(PanelKind::Intents, None), None);
    assert_eq!(topic_filter(PanelKind::CustomerEndpoint, Some("web")), None);
}

/// What a charming `JsFunction` leaves in serialised JSON: natively, its source
/// between charming's raw-string marks (`RAW_MARK`, crate-private), which charming's
/// own renderer turns into code. In the browser it would be a `js_sys::Function`
/// made with `new Function`, which the CSP forbids.
fn holds_a_js_function(json: &str) -> bool {
    json.contains("#*#*#*#")
}

#[test]
fn no_option_holds_a_js_function() {
    for kind in PanelKind::ALL {
        for c in panel_charts(kind, &model(kind, &[&[("a", 1)], &[]]), &labels(2), &style()) {
            let text = &c.option;
            assert!(!holds_a_js_function(text), "{kind:?}: {text}");
        }
    }
    // The check finds one.
    let mut o = frame::base(&style(), Trigger::Item);
    let label = Label::new().formatter(charming::element::JsFunction::new_with_args("p", "return p.percent + '%'"));
    o.series.push(Series::Bar(Box::new(Bar::new().label(label))));
    assert!(holds_a_js_function(&o.to_json()));
}
