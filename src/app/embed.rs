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

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::time::range_expr::{RangeExpr, ResolveOptions, TimeRange};
use crate::domain::time::{check_interval, default_interval, zone, Interval, MAX_BUCKETS};

use super::browser;
use super::context::use_dashboard;

pub const READY: &str = "engagement-dashboard:ready";
pub const HEIGHT: &str = "engagement-dashboard:height";
pub const SET_RANGE: &str = "engagement-dashboard:set-range";

/// A config origin made canonical (`https://host[:port]`, no trailing slash), or
/// `None` when it is not an exact http(s) origin (`*`, a path, a bare host).
pub fn normalize_origin(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('/');
    let lower = s.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"))?;
    if rest.is_empty() || rest.contains(['/', '*', '?', '#', ' ', '@']) {
        return None;
    }
    Some(lower)
}

/// The origins to post to: the allowed ones, narrowed to the embedding origin when
/// the browser reports it (then none at all if the embedder is not allowed).
pub fn post_targets(allowed: &[String], embedder: Option<&str>) -> Vec<String> {
    match embedder.and_then(normalize_origin) {
        Some(e) => allowed.iter().filter(|a| **a == e).cloned().collect(),
        None => allowed.to_vec(),
    }
}

/// What the parent asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct SetRange {
    pub range: TimeRange,
    pub interval: Option<Interval>,
}

/// A `from`/`to`/`interval` field: a string, or a number (epoch ms) written bare.
fn field(data: &serde_json::Value, name: &str) -> Result<Option<String>, String> {
    match data.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Some(serde_json::Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64().map(|n| n.to_string())),
        Some(other) => Err(format!("{name} must be a string, not {other}")),
    }
}

/// Reads a message's data. `Ok(None)`: not a set-range message (left alone: the
/// page may get other scripts' messages). `Err`: a set-range with a bad value.
pub fn parse_set_range(data: &serde_json::Value) -> Result<Option<SetRange>, String> {
    if data.get("type").and_then(|t| t.as_str()) != Some(SET_RANGE) {
        return Ok(None);
    }
    let from = field(data, "from")?.ok_or("from is missing")?;
    let to = field(data, "to")?.ok_or("to is missing")?;
    let from: RangeExpr = from.parse().map_err(|e| format!("from: {e}"))?;
    let to: RangeExpr = to.parse().map_err(|e| format!("to: {e}"))?;
    let interval = match field(data, "interval")? {
        None => None,
        Some(s) => Some(s.parse::<Interval>().map_err(|e| format!("interval: {e}"))?),
    };
    Ok(Some(SetRange { range: TimeRange::new(from, to), interval }))
}

/// The range must also resolve (not reversed, not too many buckets) in the zone the
/// view shows, the same checks the dashboard applies to its URL.
pub fn check_resolves(req: &SetRange, tz_name: &str, now_ms: i64, opts: &ResolveOptions) -> Result<(), String> {
    let tz = zone(tz_name).ok_or_else(|| format!("unknown time zone {tz_name}"))?;
    let span = req.range.resolve(now_ms, &tz, opts).map_err(|e| e.to_string())?;
    let interval = req.interval.unwrap_or_else(|| default_interval(span.len_ms()));
    check_interval(span, interval, &tz, MAX_BUCKETS).map_err(|e| e.to_string())?;
    Ok(())
}

/// The listener and the observer, kept alive while the dashboard is mounted.
struct Live {
    window: web_sys::Window,
    on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    observer: Option<web_sys::ResizeObserver>,
    _on_resize: Closure<dyn FnMut()>,
}

/// The parent window, if we are framed.
pub(super) fn parent_of(window: &web_sys::Window) -> Option<web_sys::Window> {
    let parent = window.parent().ok().flatten()?;
    let p: &JsValue = parent.as_ref();
    let w: &JsValue = window.as_ref();
    (p != w).then_some(parent)
}

/// `location.ancestorOrigins[0]`, where the browser has it.
pub(super) fn embedder_origin(window: &web_sys::Window) -> Option<String> {
    let location = js_sys::Reflect::get(window, &"location".into()).ok()?;
    let list = js_sys::Reflect::get(&location, &"ancestorOrigins".into()).ok()?;
    if list.is_undefined() || list.is_null() {
        return None;
    }
    js_sys::Reflect::get(&list, &0.into()).ok()?.as_string()
}

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

/// Mounted once by the dashboard; renders only a notice when a parent's message
/// was refused.
#[component]
pub fn Embed(origins: Vec<String>) -> impl IntoView {
    let ctx = use_dashboard();
    let notice = RwSignal::new(None::<String>);
    let live: StoredValue<Option<Live>, LocalStorage> = StoredValue::new_local(None);

    let allowed: Vec<String> = origins.iter().filter_map(|o| normalize_origin(o)).collect();
    let window = web_sys::window();
    let parent = window.as_ref().and_then(parent_of);
    if let (Some(window), Some(parent), false) = (window, parent, allowed.is_empty()) {
        let targets = post_targets(&allowed, embedder_origin(&window).as_deref());
        let post = {
            let parent = parent.clone();
            move |msg: &JsValue| {
                for origin in &targets {
                    let _ = parent.post_message(msg, origin);
                }
            }
        };

        // Inbound: allowed origin, from our parent, of our type.
        let on_message = {
            let parent: JsValue = parent.clone().into();
            let allowed = allowed.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let from_parent = ev.source().is_some_and(|s| JsValue::from(s) == parent);
                if !from_parent || !allowed.iter().any(|a| *a == ev.origin().to_ascii_lowercase()) {
                    return;
                }
                let data = js_sys::JSON::stringify(&ev.data()).ok().and_then(|s| s.as_string());
                let Some(data) = data.and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok()) else { return };
                let req = match parse_set_range(&data) {
                    Ok(Some(r)) => r,
                    Ok(None) => return,
                    Err(e) => {
                        notice.set(Some(format!("Ignored a range from the embedding page: {e}")));
                        return;
                    }
                };
                let tz = ctx.view.with_untracked(|v| v.tz.clone()).unwrap_or_else(browser::browser_zone);
                let now = browser::now_ms();
                if let Err(e) = check_resolves(&req, &tz, now, &ctx.resolve_options) {
                    notice.set(Some(format!("Ignored a range from the embedding page: {e}")));
                    return;
                }
                notice.set(None);
                ctx.now.set(now);
                ctx.view.update(|v| {
                    v.range = req.range;
                    v.interval = req.interval;
                });
            })
        };
        let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());

        // Outbound: ready once, then the height whenever it changes.
        post(&message(READY, None));
        let document = window.document();
        let last = std::cell::Cell::new(0u32);
        let on_resize = {
            let document = document.clone();
            Closure::<dyn FnMut()>::new(move || {
                let Some(d) = &document else { return };
                let h = content_height(d);
                if h != last.replace(h) {
                    post(&message(HEIGHT, Some(h)));
                }
            })
        };
        let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        if let (Some(o), Some(body)) = (&observer, document.as_ref().and_then(|d| d.body())) {
            // Fires once at once with the first size, then on every change.
            o.observe(&body);
        }
        live.set_value(Some(Live { window, on_message, observer, _on_resize: on_resize }));
    }
    on_cleanup(move || {
        if let Some(Some(l)) = live.try_update_value(|l| l.take()) {
            let _ = l.window.remove_event_listener_with_callback("message", l.on_message.as_ref().unchecked_ref());
            if let Some(o) = &l.observer {
                o.disconnect();
            }
        }
    });

    view! {
        {move || {
            notice
                .get()
                .map(|n| {
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
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn origins_are_exact() {
        assert_eq!(normalize_origin("https://Portal.example/"), Some("https://portal.example".into()));
        assert_eq!(normalize_origin("http://127.0.0.1:8081"), Some("http://127.0.0.1:8081".into()));
        for bad in ["*", "https://*.example", "https://a.example/path", "portal.example", "https://"] {
            assert_eq!(normalize_origin(bad), None, "{bad}");
        }
        let allowed = vec!["https://a.example".to_string(), "https://b.example".to_string()];
        assert_eq!(post_targets(&allowed, None), allowed);
        assert_eq!(post_targets(&allowed, Some("https://b.example")), vec!["https://b.example".to_string()]);
        assert!(post_targets(&allowed, Some("https://evil.example")).is_empty());
    }

    #[wasm_bindgen_test]
    fn set_range_messages() {
        assert_eq!(parse_set_range(&json!({ "type": "other" })), Ok(None));
        assert_eq!(parse_set_range(&json!("hello")), Ok(None));
        let r = parse_set_range(
            &json!({ "type": SET_RANGE, "from": "1772409600000", "to": 1772496000000i64, "interval": "1h" }),
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.range, TimeRange::parse("1772409600000", "1772496000000").unwrap());
        assert_eq!(r.interval, Some("1h".parse().unwrap()));
        let r = parse_set_range(&json!({ "type": SET_RANGE, "from": "now-30d", "to": "now" })).unwrap().unwrap();
        assert_eq!(r.interval, None);
        assert!(check_resolves(&r, "UTC", 1772409600000, &ResolveOptions::default()).is_ok());
        for bad in [
            json!({ "type": SET_RANGE, "to": "now" }),
            json!({ "type": SET_RANGE, "from": "yesterday", "to": "now" }),
            json!({ "type": SET_RANGE, "from": "now-1d", "to": "now", "interval": "5m" }),
            json!({ "type": SET_RANGE, "from": ["now"], "to": "now" }),
        ] {
            assert!(parse_set_range(&bad).is_err(), "{bad}");
        }
        let reversed = parse_set_range(&json!({ "type": SET_RANGE, "from": "now", "to": "now-1d" })).unwrap().unwrap();
        assert!(check_resolves(&reversed, "UTC", 1772409600000, &ResolveOptions::default()).is_err());
        let too_many =
            parse_set_range(&json!({ "type": SET_RANGE, "from": "now-365d", "to": "now", "interval": "1h" }))
                .unwrap()
                .unwrap();
        assert!(check_resolves(&too_many, "UTC", 1772409600000, &ResolveOptions::default()).is_err());
    }
}
