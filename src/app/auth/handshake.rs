//! Getting the token into the page (embed-auth.md):
//! - embedded: `{type: "engagement-dashboard:token-request"}` posted to the parent
//!   at each origin of `embedOrigins` (never `"*"`), and `{type:
//!   "engagement-dashboard:token", token}` accepted only from `window.parent` at one
//!   of those origins;
//! - not embedded: `#token=<jwt>`, read once at start-up and at once removed from
//!   the address bar (`replaceState`), so it is in no history entry or copied link.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::token::{take_fragment_token, token_in_message, TOKEN_REQUEST};
use crate::engine::auth::{TokenBroker, TOKEN_WAIT_MS};

use super::super::embed::{embedder_origin, normalize_origin, parent_of, post_targets};
use super::super::BrowserClock;

/// Takes `token=` out of the location's fragment (always: even when it is not
/// used, it must not stay in the address bar) and returns it.
fn take_fragment(window: &web_sys::Window) -> Option<String> {
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let (token, rest) = take_fragment_token(&hash);
    token.as_ref()?;
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}{rest}")));
    }
    token
}

fn request_message() -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"type".into(), &TOKEN_REQUEST.into());
    o.into()
}

/// Starts the handshake: a broker that asks the parent (when embedded with
/// allowed origins), fed by the parent's answers or the fragment's token.
pub fn start(embed_origins: &[String]) -> Rc<TokenBroker> {
    let clock = Rc::new(BrowserClock);
    let Some(window) = web_sys::window() else { return TokenBroker::new(None, clock, TOKEN_WAIT_MS) };
    let fragment = take_fragment(&window);
    let allowed: Vec<String> = embed_origins.iter().filter_map(|o| normalize_origin(o)).collect();
    let parent = parent_of(&window).filter(|_| !allowed.is_empty());
    let Some(parent) = parent else {
        let broker = TokenBroker::new(None, clock, TOKEN_WAIT_MS);
        if let Some(t) = fragment {
            // A malformed fragment token is as good as none: the sign-in error says so.
            let _ = broker.accept(&t);
        }
        return broker;
    };

    let targets = post_targets(&allowed, embedder_origin(&window).as_deref());
    let asker = {
        let parent = parent.clone();
        Box::new(move || {
            let msg = request_message();
            for origin in &targets {
                let _ = parent.post_message(&msg, origin);
            }
        }) as Box<dyn Fn()>
    };
    let broker = TokenBroker::new(Some(asker), clock, TOKEN_WAIT_MS);
    let weak = Rc::downgrade(&broker);
    let parent: JsValue = parent.into();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let from_parent = ev.source().is_some_and(|s| JsValue::from(s) == parent);
        if !from_parent || !allowed.iter().any(|a| *a == ev.origin().to_ascii_lowercase()) {
            return;
        }
        let data = js_sys::JSON::stringify(&ev.data()).ok().and_then(|s| s.as_string());
        let Some(data) = data.and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok()) else { return };
        if let (Some(token), Some(broker)) = (token_in_message(&data), weak.upgrade()) {
            // A malformed answer is dropped; the ask keeps waiting and times out.
            let _ = broker.accept(token);
        }
    });
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    // The page's lifetime: the dashboard is never unmounted.
    on_message.forget();
    broker
}
