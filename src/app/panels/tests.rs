//! Browser tests of the panel components (wasm-bindgen-test in headless Chromium):
//! the table view's ui-hooks attributes, theme colours from CSS, chart event params.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::domain::count_table::CountTable;
use crate::domain::panels::{PanelKind, TableModel};
use crate::domain::time::{Interval, TimeSpan};
use crate::domain::wire::WireBucket;
use crate::state::view::Theme;

use super::table_view::TableView;

wasm_bindgen_test_configure!(run_in_browser);

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn host() -> web_sys::HtmlElement {
    let el: web_sys::HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&el).unwrap();
    el
}

fn model() -> TableModel {
    let h = 3_600_000;
    let mut t = CountTable::new(vec![0, h, 2 * h, 3 * h]);
    let wb = |s: i64, n: u64| WireBucket {
        start: s,
        end: s + h,
        counts: [("botOnly".to_string(), n), ("botToAgent".to_string(), 1)].into(),
        partial: false,
    };
    t.merge_call(TimeSpan::new(0, 2 * h), &[wb(0, 1200), wb(h, 3)]).unwrap();
    TableModel::build(PanelKind::BotAccess, &t)
}

#[wasm_bindgen_test]
fn the_table_view_has_the_ui_hooks_attributes() {
    let el = host();
    let m = model();
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        view! { <TableView model=m.clone() interval=Interval::hours(1) tz=jiff::tz::TimeZone::UTC caption="t".to_string() /> }
    });
    // Counting through JS: web-sys's NodeList is not among the crate's features.
    let count = js_sys::Function::new_with_args("el, s", "return el.querySelectorAll(s).length");
    let q = |s: &str| count.call2(&wasm_bindgen::JsValue::NULL, &el, &s.into()).unwrap().as_f64().unwrap() as u32;
    assert_eq!(q("thead th[data-key]"), 3, "botOnly, botToAgent, botEngaged");
    assert_eq!(q("tbody tr"), 3, "every bucket, loaded or not");
    let first = el.query_selector("tbody tr th[scope=row]").unwrap().unwrap();
    assert_eq!(first.get_attribute("data-start").as_deref(), Some("0"));
    let cell = el.query_selector("tbody tr td[data-key=botOnly]").unwrap().unwrap();
    assert_eq!(cell.get_attribute("data-value").as_deref(), Some("1200"), "unformatted");
    assert_eq!(cell.text_content().as_deref(), Some("1,200"));
    let missing = el.query_selector("tbody tr:nth-child(3) td[data-key=botOnly]").unwrap().unwrap();
    assert_eq!(missing.get_attribute("data-value"), None, "not loaded is not zero");
    let total = el.query_selector("tfoot [data-key=botEngaged]").unwrap().unwrap();
    assert_eq!(total.get_attribute("data-value").as_deref(), Some("1205"));
}

#[wasm_bindgen_test]
fn chart_colours_follow_the_theme_css() {
    let style = doc().create_element("style").unwrap();
    style.set_text_content(Some(
        ":root[data-theme=light]{--chart-text:#010203} :root[data-theme=dark]{--chart-text:#0a0b0c;--surface:#111111}",
    ));
    doc().head().unwrap().append_child(&style).unwrap();
    assert_eq!(super::theme::chart_style(Theme::Light).text, "#010203");
    let dark = super::theme::chart_style(Theme::Dark);
    assert_eq!((dark.text.as_str(), dark.surface.as_str()), ("#0a0b0c", "#111111"));
    style.remove();
}

#[wasm_bindgen_test]
fn chart_event_params_are_read() {
    let p = js_sys::JSON::parse(r#"{"seriesIndex":2,"dataIndex":5,"areas":[{"coordRange":[7,3]}]}"#).unwrap();
    assert_eq!(super::actions::param_index(&p, "seriesIndex"), Some(2));
    assert_eq!(super::actions::param_index(&p, "nope"), None);
    assert_eq!(super::actions::brushed_indices(&p), Some((3, 7)));
    let none = js_sys::JSON::parse(r#"{"areas":[]}"#).unwrap();
    assert_eq!(super::actions::brushed_indices(&none), None);
}
