//! The virtualised message list: a fixed row height, a spacer as tall as all
//! rows, and only the rows in view (plus a few) in the DOM, at most `MAX_ROWS`.
//! Past what a browser can make tall (about 10 million pixels), scrolling maps
//! proportionally onto the rows, so a million messages still scroll end to end.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::explorer::time_label;

use super::{use_explorer, Filtered, MessageText};

pub const ROW_H: f64 = 36.0;
const OVERSCAN: usize = 6;
pub const MAX_ROWS: usize = 200;
const MAX_PX: f64 = 10_000_000.0;
pub const LIST_ID: &str = "explorer-list";

/// The list's scroll geometry: total virtual height vs the spacer's.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Geometry {
    rows: usize,
    spacer: f64,
    /// Virtual pixels per scrolled pixel (1 unless the list is huge).
    k: f64,
}

fn geometry(rows: usize, viewport: f64) -> Geometry {
    let total = rows as f64 * ROW_H;
    if total <= MAX_PX {
        Geometry { rows, spacer: total, k: 1.0 }
    } else {
        Geometry { rows, spacer: MAX_PX, k: (total - viewport).max(1.0) / (MAX_PX - viewport).max(1.0) }
    }
}

pub fn focus_list() {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(LIST_ID)) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

#[component]
pub fn MessageList() -> impl IntoView {
    let explorer = use_explorer();
    let node = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(540.0f64);
    let count = Memo::new(move |_| explorer.filtered.with(|f| f.as_ref().map(Filtered::len).unwrap_or(0)));
    let geo = Memo::new(move |_| geometry(count.get(), viewport.get()));

    // A new result starts at the top, with nothing focused.
    Effect::new(move |prev: Option<()>| {
        explorer.filtered.track();
        explorer.newest_first.track();
        if prev.is_some() {
            // Writing scrollTop forces a layout: only when not at the top already.
            if scroll_top.get_untracked() != 0.0 {
                if let Some(el) = node.get_untracked() {
                    el.set_scroll_top(0);
                }
                scroll_top.set(0.0);
            }
            if explorer.active.get_untracked().is_some() {
                explorer.active.set(None);
            }
        }
    });
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let h = el.client_height() as f64;
            if h > 0.0 {
                viewport.set(h);
            }
        }
    });

    let window = Memo::new(move |_| {
        let g = geo.get();
        let top = scroll_top.get() * g.k;
        let vh = viewport.get();
        let first = ((top / ROW_H).floor() as usize).saturating_sub(OVERSCAN).min(g.rows);
        let last = (((top + vh) / ROW_H).ceil() as usize + OVERSCAN).min(g.rows).min(first + MAX_ROWS);
        (first, last)
    });
    let rows = move || {
        let (first, last) = window.get();
        let newest = explorer.newest_first.get();
        explorer.filtered.with(|f| match f {
            Some(f) => {
                (first..last).filter_map(|p| f.at(p, newest).map(|i| (f.loaded.generation, p, i))).collect::<Vec<_>>()
            }
            None => Vec::new(),
        })
    };
    // A row's top inside the spacer: exact unless the list is scaled.
    let row_top = move |pos: usize| {
        let g = geo.get();
        if g.k == 1.0 {
            // Not scaled: a row's place does not depend on the scroll position.
            return pos as f64 * ROW_H;
        }
        let st = scroll_top.get();
        pos as f64 * ROW_H - st * g.k + st
    };

    let scroll_to = move |pos: usize| {
        let Some(el) = node.get_untracked() else { return };
        let g = geo.get_untracked();
        let vh = viewport.get_untracked();
        let top = scroll_top.get_untracked() * g.k;
        let y = pos as f64 * ROW_H;
        let new_top = if y < top {
            y
        } else if y + ROW_H > top + vh {
            y + ROW_H - vh
        } else {
            return;
        };
        let st = (new_top / g.k).max(0.0);
        el.set_scroll_top(st.round() as i32);
        scroll_top.set(el.scroll_top() as f64);
    };
    let on_scroll = move |_| {
        if let Some(el) = node.get_untracked() {
            scroll_top.set(el.scroll_top() as f64);
            let h = el.client_height() as f64;
            if h > 0.0 && h != viewport.get_untracked() {
                viewport.set(h);
            }
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let n = count.get_untracked();
        if n == 0 {
            return;
        }
        let page = ((viewport.get_untracked() / ROW_H) as usize).max(1);
        let cur = explorer.active.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowDown" => Some(cur.map(|c| (c + 1).min(n - 1)).unwrap_or(0)),
            "ArrowUp" => Some(cur.map(|c| c.saturating_sub(1)).unwrap_or(0)),
            "PageDown" => Some(cur.map(|c| (c + page).min(n - 1)).unwrap_or(0)),
            "PageUp" => Some(cur.map(|c| c.saturating_sub(page)).unwrap_or(0)),
            "Home" => Some(0),
            "End" => Some(n - 1),
            "Enter" | " " => {
                ev.prevent_default();
                let pos = cur.unwrap_or(0);
                explorer.active.set(Some(pos));
                let newest = explorer.newest_first.get_untracked();
                let idx = explorer.filtered.with_untracked(|f| f.as_ref().and_then(|f| f.at(pos, newest)));
                explorer.opened.set(idx);
                None
            }
            _ => None,
        };
        if let Some(p) = next {
            ev.prevent_default();
            explorer.active.set(Some(p));
            scroll_to(p);
            // With the detail open, it follows the focused row.
            if explorer.opened.get_untracked().is_some() {
                let newest = explorer.newest_first.get_untracked();
                let idx = explorer.filtered.with_untracked(|f| f.as_ref().and_then(|f| f.at(p, newest)));
                explorer.opened.set(idx);
            }
        }
    };

    view! {
        <div
            class="ex-list"
            id=LIST_ID
            node_ref=node
            tabindex="0"
            role="listbox"
            aria-label="Messages"
            aria-activedescendant=move || explorer.active.get().map(|p| format!("ex-row-{p}"))
            on:scroll=on_scroll
            on:keydown=on_keydown
        >
            <div class="ex-head" aria-hidden="true">
                <span>"Time"</span>
                <span>"Sender"</span>
                <span>"Text"</span>
                <span>"Topic"</span>
                <span>"Sentiment"</span>
                <span>"Workflow"</span>
            </div>
            <div class="ex-spacer" style:height=move || format!("{}px", geo.get().spacer)>
                <For
                    each=rows
                    key=|k| *k
                    children=move |(_, pos, idx)| {
                        view! { <Row pos=pos idx=idx top=Signal::derive(move || row_top(pos)) /> }
                    }
                />
            </div>
        </div>
    }
}

#[component]
fn Row(pos: usize, idx: u32, #[prop(into)] top: Signal<f64>) -> impl IntoView {
    let explorer = use_explorer();
    let Some(loaded) = explorer.loaded.get_untracked() else { return ().into_any() };
    let m = loaded.index.message(idx).clone();
    let sentiment = loaded.index.sentiment(idx).as_str();
    let time = time_label(m.ts, &explorer.zone());
    let sender = match (&m.sendername, &m.senderemail) {
        (Some(n), Some(e)) => format!("{n} <{e}>"),
        (Some(n), None) => n.clone(),
        (None, Some(e)) => e.clone(),
        (None, None) => String::new(),
    };
    let open = move |_| {
        explorer.active.set(Some(pos));
        explorer.opened.set(Some(idx));
    };
    view! {
        <div
            class="ex-row"
            data-role="message"
            data-sessionid=m.sessionid.clone()
            data-ts=m.ts.to_string()
            id=format!("ex-row-{pos}")
            role="option"
            aria-selected=move || (explorer.active.get() == Some(pos)).to_string()
            class:active=move || explorer.active.get() == Some(pos)
            class:open=move || explorer.opened.get() == Some(idx)
            style:transform=move || format!("translateY({}px)", top.get())
            on:click=open
        >
            <span class="ex-time" title=m.timestamp.clone().unwrap_or_default()>
                {time}
            </span>
            <span class="ex-sender">
                <span class="ex-sendertype" data-sendertype=m.sendertype.clone().unwrap_or_default()>
                    {m.sendertype.clone().unwrap_or_default()}
                </span>
                <span class="ex-sendername" dir="auto">
                    {sender}
                </span>
            </span>
            <MessageText text=m.text.clone() query=explorer.query />
            <span class="ex-topic" dir="auto">
                {m.topic.clone()}
                <small>{format!(" {:.2}", m.score)}</small>
            </span>
            <span class="ex-sentiment" data-sentiment=sentiment>
                {sentiment_text(m.sentiment)}
            </span>
            <span class="ex-workflow" dir="auto">
                {m.workflow.clone().unwrap_or_default()}
            </span>
        </div>
    }
    .into_any()
}

/// The sign is what matters (contract): neutral shows no sign, and a value too small
/// for two decimals keeps its sign visible rather than reading "+0.00".
fn sentiment_text(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else if v.abs() < 0.005 {
        format!("{v:+.1e}")
    } else {
        format!("{v:+.2}")
    }
}
