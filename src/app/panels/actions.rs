//! What a panel's buttons and chart clicks do in the browser: downloads (CSV,
//! PNG), reading ECharts' event params, scrolling to the explorer. What a click or
//! a drag does to the view is `state::drill`.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

use crate::domain::panels::{PanelKind, TableModel};
use crate::state::drill::{brushed_buckets, file_stem as stem};

/// Saves `href` as `filename` through a temporary `<a download>`.
fn download_href(href: &str, filename: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(a) = doc.create_element("a") else { return };
    let a: web_sys::HtmlAnchorElement = a.unchecked_into();
    a.set_href(href);
    a.set_download(filename);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
}

/// Offers `bytes` as a file download (a Blob URL, revoked right after).
pub fn download_bytes(bytes: &[u8], mime: &str, filename: &str) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    download_href(&url, filename);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Saves the chart as PNG at twice its size, on the theme's surface colour.
pub fn download_png(instance: &crate::app::chart_view::EchartsInstance, background: &str, filename: &str) {
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"type".into(), &"png".into());
    let _ = js_sys::Reflect::set(&opts, &"pixelRatio".into(), &JsValue::from_f64(2.0));
    let _ = js_sys::Reflect::set(&opts, &"backgroundColor".into(), &background.into());
    download_href(&instance.get_data_url(opts.into()), filename);
}

/// `interactions-2026-03-01T00-00Z` style names: sortable, no `:` for Windows.
pub fn file_stem(kind: PanelKind, model: &TableModel) -> String {
    stem(kind.name().as_str(), model)
}

/// `file_stem` for any panel name (the insight panels have no `PanelKind`).
pub fn file_stem_named(name: &str, model: &TableModel) -> String {
    stem(name, model)
}

/// A number field of an ECharts event's params.
pub fn param_index(params: &JsValue, field: &str) -> Option<usize> {
    js_sys::Reflect::get(params, &field.into()).ok()?.as_f64().filter(|v| *v >= 0.0).map(|v| v as usize)
}

/// The bucket indices a brush selected (`areas[0].coordRange` on a category axis).
pub fn brushed_indices(params: &JsValue) -> Option<(usize, usize)> {
    let areas = js_sys::Reflect::get(params, &"areas".into()).ok()?;
    let first = js_sys::Reflect::get(&areas, &JsValue::from_f64(0.0)).ok()?;
    let range = js_sys::Reflect::get(&first, &"coordRange".into()).ok()?;
    let a = js_sys::Reflect::get(&range, &JsValue::from_f64(0.0)).ok()?.as_f64()?;
    let b = js_sys::Reflect::get(&range, &JsValue::from_f64(1.0)).ok()?.as_f64()?;
    brushed_buckets(a, b)
}

/// Brings the message explorer into view (it may not be on the page).
pub fn show_explorer() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let target = doc
        .get_element_by_id("explorer")
        .or_else(|| doc.query_selector("section[data-panel=\"messages\"]").ok().flatten());
    if let Some(el) = target {
        el.scroll_into_view();
    }
}
