//! The window that frames us, as far as `postMessage` goes: found once, posted to
//! at exact origins only, listened to through the one filter (`domain::embed::
//! accepts_message`). Shared by the embedding hook and the sign-in handshake so
//! both apply the same origin and source checks.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::embed::{accepts_message, allowed_origins, post_targets};

/// Our parent window and the origins we may talk to it at.
#[derive(Clone)]
pub struct Parent {
    window: web_sys::Window,
    parent: web_sys::Window,
    /// Whom we take messages from.
    allowed: Vec<String>,
    /// Whom we post to (the allowed origins, narrowed to the embedder's when known).
    targets: Vec<String>,
}

/// A `message` listener on our window; removed when dropped, so a hook can tie its
/// life to the component that uses it.
pub struct ParentListener {
    window: web_sys::Window,
    on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Drop for ParentListener {
    fn drop(&mut self) {
        let _ = self.window.remove_event_listener_with_callback("message", self.on_message.as_ref().unchecked_ref());
    }
}

impl ParentListener {
    /// Keeps listening for the page's whole life (the sign-in handshake: the
    /// dashboard under it is never unmounted).
    pub fn keep_for_page(self) {
        std::mem::forget(self);
    }
}

impl Parent {
    /// The parent, when we are framed and `embedOrigins` holds at least one exact
    /// origin; else `None`: nothing is posted and no message is accepted.
    pub fn find(embed_origins: &[String]) -> Option<Parent> {
        let allowed = allowed_origins(embed_origins);
        if allowed.is_empty() {
            return None;
        }
        let window = web_sys::window()?;
        let parent = parent_of(&window)?;
        let targets = post_targets(&allowed, embedder_origin(&window).as_deref());
        Some(Parent { window, parent, allowed, targets })
    }

    pub fn window(&self) -> &web_sys::Window {
        &self.window
    }

    /// Posts `msg` to the parent at each target origin (never `"*"`).
    pub fn post(&self, msg: &JsValue) {
        for origin in &self.targets {
            let _ = self.parent.post_message(msg, origin);
        }
    }

    /// Calls `on_data` with the JSON of every message from the parent at an allowed
    /// origin. The data goes through JSON so the domain reads plain values, never
    /// live objects of another window.
    pub fn listen(&self, mut on_data: impl FnMut(serde_json::Value) + 'static) -> ParentListener {
        let parent: JsValue = self.parent.clone().into();
        let allowed = self.allowed.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let from_parent = ev.source().is_some_and(|s| JsValue::from(s) == parent);
            if !accepts_message(&allowed, &ev.origin(), from_parent) {
                return;
            }
            let text = js_sys::JSON::stringify(&ev.data()).ok().and_then(|s| s.as_string());
            if let Some(data) = text.and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok()) {
                on_data(data);
            }
        });
        let _ = self.window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        ParentListener { window: self.window.clone(), on_message }
    }
}

/// The parent window, if we are framed.
fn parent_of(window: &web_sys::Window) -> Option<web_sys::Window> {
    let parent = window.parent().ok().flatten()?;
    let p: &JsValue = parent.as_ref();
    let w: &JsValue = window.as_ref();
    (p != w).then_some(parent)
}

/// `location.ancestorOrigins[0]`, where the browser has it (Chromium, Safari).
fn embedder_origin(window: &web_sys::Window) -> Option<String> {
    let location = js_sys::Reflect::get(window, &"location".into()).ok()?;
    let list = js_sys::Reflect::get(&location, &"ancestorOrigins".into()).ok()?;
    if list.is_undefined() || list.is_null() {
        return None;
    }
    js_sys::Reflect::get(&list, &0.into()).ok()?.as_string()
}
