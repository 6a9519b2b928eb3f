//! The opened message: every field, its top matches, and its whole conversation
//! (segments in numeric order, 12.10 after 12.9) with the message in view.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::explorer::session;
use crate::domain::explorer::time_label;

use super::{use_explorer, MessageText};

#[component]
pub fn Detail() -> impl IntoView {
    let explorer = use_explorer();
    let body = move || {
        let idx = explorer.opened.get()?;
        let loaded = explorer.loaded.get()?;
        let ix = loaded.index.clone();
        if idx as usize >= ix.len() {
            return None;
        }
        let m = ix.message(idx).clone();
        let tz = explorer.zone();
        let (conv, _) = session::split(&m.sessionid);
        let conv = conv.to_string();
        let field = |k: &'static str, v: Option<String>| {
            v.map(|v| {
                view! {
                    <dt>{k}</dt>
                    <dd data-field=k dir="auto">
                        {v}
                    </dd>
                }
            })
        };
        let fields = vec![
            field("time", Some(time_label(m.ts, &tz))),
            field("ts", Some(m.ts.to_string())),
            field("timestamp", m.timestamp.clone()),
            field("sessionid", Some(m.sessionid.clone())),
            field("sendertype", m.sendertype.clone()),
            field("sendername", m.sendername.clone()),
            field("senderemail", m.senderemail.clone()),
            field("topic", Some(m.topic.clone())),
            field("score", Some(m.score.to_string())),
            field("sentiment", Some(format!("{} ({})", m.sentiment, ix.sentiment(idx).as_str()))),
            field("workflow", m.workflow.clone()),
            field("workflownodeid", m.workflownodeid.clone()),
        ];
        let topmatches = m
            .topmatches
            .iter()
            .map(|t| {
                view! {
                    <li data-role="topmatch" data-topic=t.topic.clone() data-score=t.score.to_string()>
                        <span class="tm-topic" dir="auto">
                            {t.topic.clone()}
                        </span>
                        <span class="tm-score">{format!("{:.3}", t.score)}</span>
                        <MessageText text=t.text.clone() query=Signal::derive(String::new) />
                    </li>
                }
            })
            .collect_view();
        // Group the conversation by segment (already in segment, then ts order).
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        for &i in ix.conversation(&conv) {
            let seg = session::split(&ix.message(i).sessionid).1.to_string();
            match groups.last_mut() {
                Some((s, v)) if *s == seg => v.push(i),
                _ => groups.push((seg, vec![i])),
            }
        }
        let transcript = groups
            .into_iter()
            .map(|(seg, list)| {
                let turns = list
                    .into_iter()
                    .map(|i| {
                        let t = ix.message(i).clone();
                        let current = i == idx;
                        view! {
                            <li
                                class="turn"
                                class:current=current
                                data-role="turn"
                                data-sessionid=t.sessionid.clone()
                                data-ts=t.ts.to_string()
                                aria-current=current.then_some("true")
                                data-sendertype=t.sendertype.clone().unwrap_or_default()
                            >
                                <span class="turn-meta">
                                    {format!(
                                        "{} · {}",
                                        time_label(t.ts, &tz),
                                        t.sendertype.clone().unwrap_or_default(),
                                    )}
                                </span>
                                <MessageText text=t.text.clone() query=explorer.query />
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="segment" data-segment=seg.clone()>
                        <h4>{if seg.is_empty() { "No segment".to_string() } else { format!("Segment {seg}") }}</h4>
                        <ol>{turns}</ol>
                    </section>
                }
            })
            .collect_view();
        Some(view! {
            <aside
                class="ex-detail"
                data-role="detail"
                data-sessionid=m.sessionid.clone()
                data-ts=m.ts.to_string()
                aria-label="Message detail"
            >
                <header>
                    <h3>"Message"</h3>
                    <button
                        type="button"
                        data-action="close"
                        on:click=move |_| {
                            explorer.opened.set(None);
                            super::list::focus_list();
                        }
                    >
                        "Close"
                    </button>
                </header>
                <p class="detail-text">
                    <MessageText text=m.text.clone() query=explorer.query />
                </p>
                <dl class="fields">{fields}</dl>
                <h4>"Top matches"</h4>
                <ol class="topmatches">{topmatches}</ol>
                <h4>{format!("Conversation {conv}")}</h4>
                <div class="conversation" data-role="conversation" data-conversation=conv.clone()>
                    {transcript}
                </div>
            </aside>
        })
    };
    // The opened message in view inside the transcript.
    Effect::new(move |_| {
        if explorer.opened.get().is_none() {
            return;
        }
        request_animation_frame(|| {
            let doc = web_sys::window().and_then(|w| w.document());
            if let Some(el) =
                doc.and_then(|d| d.query_selector("[data-role=conversation] [aria-current=true]").ok().flatten())
            {
                if let Some(list) = el.closest("[data-role=conversation]").ok().flatten() {
                    if let Ok(list) = list.dyn_into::<web_sys::HtmlElement>() {
                        let el: web_sys::HtmlElement = el.unchecked_into();
                        let top = el.offset_top() - list.offset_top();
                        list.set_scroll_top((top - list.client_height() / 3).max(0));
                    }
                }
            }
        });
    });
    body
}
