//! Export of the filtered set (in the list's order) as CSV or JSON, downloaded as
//! a Blob.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::explorer::export::{to_csv, to_json};

use super::use_explorer;

fn download(bytes: &[u8], mime: &str, name: &str) -> Result<(), wasm_bindgen::JsValue> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoked later: the download reads the Blob after this returns.
    let later = url.clone();
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&later);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

#[component]
pub fn ExportButtons() -> impl IntoView {
    let explorer = use_explorer();
    let export = move |csv: bool| {
        let newest = explorer.newest_first.get_untracked();
        explorer.filtered.with_untracked(|f| {
            let Some(f) = f else { return };
            let order: Vec<u32> = (0..f.len()).filter_map(|p| f.at(p, newest)).collect();
            let span = f.loaded.span;
            let name = format!("messages-{}-{}", span.start, span.end);
            let _ = if csv {
                download(
                    &to_csv(&f.loaded.index, &order, &explorer.zone()),
                    "text/csv;charset=utf-8",
                    &format!("{name}.csv"),
                )
            } else {
                download(to_json(&f.loaded.index, &order).as_bytes(), "application/json", &format!("{name}.json"))
            };
        });
    };
    let disabled = move || explorer.filtered.with(|f| f.is_none());
    view! {
        <span class="ex-export">
            <button type="button" data-action="export-csv" disabled=disabled on:click=move |_| export(true)>
                "Export CSV"
            </button>
            <button type="button" data-action="export-json" disabled=disabled on:click=move |_| export(false)>
                "Export JSON"
            </button>
        </span>
    }
}
