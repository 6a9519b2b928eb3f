//! Getting the token into the page (embed-auth.md):
//! - embedded: `{type: "engagement-dashboard:token-request"}` posted to the parent
//!   at each origin of `embedOrigins` (never `"*"`), and `{type:
//!   "engagement-dashboard:token", token}` accepted only from `window.parent` at one
//!   of those origins;
//! - not embedded: `#token=<jwt>`, read once at start-up and at once removed from
//!   the address bar (`replaceState`), so it is in no history entry or copied link.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::domain::token::{take_fragment_token, token_in_message, TOKEN_REQUEST};
use crate::engine::auth::{TokenBroker, TOKEN_WAIT_MS};

use super::super::embed::Parent;
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
    let Some(parent) = Parent::find(embed_origins) else {
        let broker = TokenBroker::new(None, clock, TOKEN_WAIT_MS);
        if let Some(t) = fragment {
            // A malformed fragment token is as good as none: the sign-in error says so.
            let _ = broker.accept(&t);
        }
        return broker;
    };

    let asker = {
        let parent = parent.clone();
        Box::new(move || parent.post(&request_message())) as Box<dyn Fn()>
    };
    let broker = TokenBroker::new(Some(asker), clock, TOKEN_WAIT_MS);
    let weak = Rc::downgrade(&broker);
    let listener = parent.listen(move |data| {
        if let (Some(token), Some(broker)) = (token_in_message(&data), weak.upgrade()) {
            // A malformed answer is dropped; the ask keeps waiting and times out.
            let _ = broker.accept(token);
        }
    });
    listener.keep_for_page();
    broker
}
