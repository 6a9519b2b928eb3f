//! Embedding in a partner portal's iframe (ui-hooks.md "Embedding").
//!
//! Outbound, to `window.parent` only, each with an explicit target origin from the
//! deployment config's `embedOrigins` (never `"*"`):
//! - `{type: "engagement-dashboard:ready"}` once;
//! - `{type: "engagement-dashboard:height", height: N}` whenever the content height
//!   changes (a `ResizeObserver` on `<body>`), so the portal can size the iframe.
//!
//! Inbound, `message` events are taken only when `event.origin` is one of those
//! origins AND `event.source` is our parent window (not a sibling frame, a popup or
//! the page itself): `{type: "engagement-dashboard:set-range", from, to, interval}`
//! with `from`/`to` in the URL grammar (epoch ms as a string or number is fine) and
//! `interval` optional (absent or empty: chosen from the range). A value that does not
//! parse or resolve is ignored with a visible notice; the view is left as it was.
//!
//! Not framed (`window.parent === window`) or no origin configured: nothing is posted
//! and no message is accepted. Where the browser tells us the embedding origin
//! (`location.ancestorOrigins`, Chromium and Safari), we post only to the allowed
//! origins that match it, which spares the console an error per other origin.
//!
//! What the messages mean and whom we take them from is `domain::embed` (tested
//! natively); this module is the browser glue, as a hook: `use_embed` renders
//! nothing, the dashboard shows its `notice`.

mod parent;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::embed::{check_resolves, parse_set_range, HEIGHT, READY};

use super::browser;
use super::context::use_dashboard;

pub use parent::Parent;

fn message(kind: &str, height: Option<u32>) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"type".into(), &kind.into());
    if let Some(h) = height {
        let _ = js_sys::Reflect::set(&o, &"height".into(), &JsValue::from(h));
    }
    o.into()
}

/// The document's content height in CSS pixels: the `<html>` box (body and its
/// margins), which, unlike `scrollHeight`, does not grow to the iframe's own height.
fn content_height(document: &web_sys::Document) -> u32 {
    let Some(root) = document.document_element() else { return 0 };
    root.get_bounding_client_rect().height().ceil().max(0.0) as u32
}

/// What `use_embed` gives the page.
#[derive(Clone, Copy)]
pub struct UseEmbedReturn {
    /// Why the last message from the embedding page was refused (shown until
    /// dismissed or until a good one arrives); `None` when there is nothing to say.
    pub notice: RwSignal<Option<String>>,
}

/// What the page keeps alive while it is mounted: the listener (removed when
/// dropped) and the observer with its callback.
struct Live {
    _listener: parent::ParentListener,
    observer: Option<web_sys::ResizeObserver>,
    _on_resize: Closure<dyn FnMut()>,
}

/// Talks to the embedding page at `embed_origins` (the deployment's
/// `embedOrigins`): posts ready once and the content height on every change, and
/// applies the parent's set-range messages to the dashboard's view. Call once, in
/// the dashboard; everything is undone when its owner is cleaned up.
pub fn use_embed(embed_origins: &[String]) -> UseEmbedReturn {
    let notice = RwSignal::new(None::<String>);
    let Some(parent) = Parent::find(embed_origins) else { return UseEmbedReturn { notice } };
    let ctx = use_dashboard();

    // Inbound: a set-range message that parses and resolves in the view's zone.
    let listener = parent.listen(move |data| {
        let refuse = |e: String| notice.set(Some(format!("Ignored a range from the embedding page: {e}")));
        let req = match parse_set_range(&data) {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(e) => return refuse(e),
        };
        let tz = ctx.view.with_untracked(|v| super::picker::view_zone_name(&v.tz));
        let now = browser::now_ms();
        if let Err(e) = check_resolves(&req, &tz, now, &ctx.resolve_options) {
            return refuse(e);
        }
        notice.set(None);
        ctx.now.set(now);
        ctx.view.update(|v| {
            v.range = req.range;
            v.interval = req.interval;
        });
    });

    // Outbound: ready once, then the height whenever it changes.
    parent.post(&message(READY, None));
    let document = parent.window().document();
    let last = std::cell::Cell::new(0u32);
    let on_resize = {
        let document = document.clone();
        let parent = parent.clone();
        Closure::<dyn FnMut()>::new(move || {
            let Some(d) = &document else { return };
            let h = content_height(d);
            if h != last.replace(h) {
                parent.post(&message(HEIGHT, Some(h)));
            }
        })
    };
    let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
    if let (Some(o), Some(body)) = (&observer, document.as_ref().and_then(|d| d.body())) {
        // Fires once at once with the first size, then on every change.
        o.observe(&body);
    }
    let live: StoredValue<Option<Live>, LocalStorage> =
        StoredValue::new_local(Some(Live { _listener: listener, observer, _on_resize: on_resize }));
    on_cleanup(move || {
        if let Some(Some(l)) = live.try_update_value(|l| l.take()) {
            if let Some(o) = &l.observer {
                o.disconnect();
            }
        }
    });
    UseEmbedReturn { notice }
}

/// The notice `use_embed` raises when it refuses a message.
#[component]
pub fn EmbedNotice(notice: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        notice.get().map(|n| {
            view! {
                <div class="notices" role="status" data-role="embed-notice">
                    <ul>
                        <li>{n}</li>
                    </ul>
                    <button type="button" on:click=move |_| notice.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
