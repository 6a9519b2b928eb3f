//! The engine's transport and clock in the browser, and small window helpers.
//! Nothing here ever sees the API key except the URL it is asked to fetch, and it
//! logs nothing.

use futures::future::{FutureExt, LocalBoxFuture};
use gloo_net::http::{Method as GlooMethod, RequestBuilder};
use wasm_bindgen::JsCast;

use crate::domain::wire::RawResponse;
use crate::engine::http::{Http, HttpRequest, Method};
use crate::engine::transport::{Clock, Transport, TransportError};

/// Aborts the fetch when the request's future is dropped: a stale load stops its
/// network traffic, not just its bookkeeping.
struct AbortOnDrop(web_sys::AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `Http` in the browser: the page's one fetch, with an AbortController (dropping
/// the future aborts the request). It never logs, and it is given the token only
/// as a header value.
pub struct BrowserHttp;

impl Http for BrowserHttp {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
        async move {
            let net = |e: gloo_net::Error| TransportError::Network(e.to_string());
            let controller =
                web_sys::AbortController::new().map_err(|_| TransportError::Network("no AbortController".into()))?;
            let signal = controller.signal();
            let _guard = AbortOnDrop(controller);
            let method = match req.method {
                Method::Get => GlooMethod::GET,
                Method::Post => GlooMethod::POST,
                Method::Put => GlooMethod::PUT,
                Method::Delete => GlooMethod::DELETE,
            };
            let mut builder = RequestBuilder::new(&req.url).method(method).abort_signal(Some(&signal));
            for (name, value) in &req.headers {
                builder = builder.header(name, value);
            }
            let request = match req.body {
                Some(body) => builder.body(body).map_err(net)?,
                None => builder.build().map_err(net)?,
            };
            let response = request.send().await.map_err(net)?;
            let status = response.status();
            let retry_after = response.headers().get("Retry-After");
            // The bytes, not `text()`: a JS string would be decoded to UTF-16 and
            // re-encoded into wasm memory, which cost more than parsing it.
            let bytes = response.binary().await.map_err(net)?;
            Ok(RawResponse { status, retry_after, body: crate::domain::wire::body_text(bytes) })
        }
        .boxed_local()
    }
}

/// The counts transport without token auth: a JSON POST through `BrowserHttp`.
pub struct BrowserTransport;

impl Transport for BrowserTransport {
    fn post(&self, url: String, body: String) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
        let headers = vec![("content-type", "application/json".to_string())];
        BrowserHttp.send(HttpRequest { method: Method::Post, url, headers, body: Some(body) })
    }
}

pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        gloo_timers::future::TimeoutFuture::new(ms.min(u32::MAX as u64) as u32).boxed_local()
    }
    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The browser's IANA zone as Intl names it ("UTC" when it names none).
pub fn intl_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into()).ok().and_then(|v| v.as_string()).unwrap_or_else(|| "UTC".into())
}

/// The browser's IANA zone if its data is loaded (`zones::load_boot_zones` loads
/// it before the app mounts), else UTC.
pub fn browser_zone() -> String {
    Some(intl_zone()).filter(|z| crate::domain::time::zone(z).is_some()).unwrap_or_else(|| "UTC".to_string())
}

/// The page's query parameters, decoded (`+` read as a space, as browsers do).
pub fn query_pairs() -> Vec<(String, String)> {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let entries = js_sys::try_iter(&params).ok().flatten();
    if let Some(entries) = entries {
        for entry in entries.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out.push((k, v));
            }
        }
    }
    out
}

/// Writes the query string with `replaceState`: no history entry, no scroll jump.
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let current = location.search().unwrap_or_default();
    let wanted = if query.is_empty() { String::new() } else { format!("?{query}") };
    if current == wanted {
        return;
    }
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ =
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{wanted}{hash}")));
    }
}

/// A CSS custom property of the document, trimmed (theme colours for charts).
pub fn css_var(name: &str) -> Option<String> {
    let window = web_sys::window()?;
    let root = window.document()?.document_element()?;
    let style = window.get_computed_style(&root).ok()??;
    let v = style.get_property_value(name).ok()?;
    let v = v.trim().to_string();
    (!v.is_empty()).then_some(v)
}

/// Whether the user asked for less motion (charts then draw without animation).
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}
