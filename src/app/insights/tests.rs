//! Browser tests: the explorer's intent-quality filters (what a click in the
//! intent-quality panel sets) and their chips, over a synthetic index.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::app::explorer::{ExplorerBody, ExplorerContext, Loaded};
use crate::domain::explorer::MessageIndex;
use crate::domain::time::TimeSpan;
use crate::domain::wire::{Message, TopMatch};

wasm_bindgen_test_configure!(run_in_browser);

fn msg(i: usize) -> Message {
    // Scores 0.0, 0.25, 0.5, 0.75 in turn; every third has a near-tie.
    let score = (i % 4) as f64 * 0.25;
    let second = if i.is_multiple_of(3) { (score - 0.05).max(0.0) } else { score / 4.0 };
    Message {
        text: format!("message {i}"),
        timestamp: None,
        ts: 1_000 + i as i64,
        sendername: None,
        senderemail: None,
        sendertype: Some("customer".into()),
        sessionid: format!("{i}.1"),
        sentiment: 0.0,
        workflow: None,
        workflownodeid: None,
        topic: "billing".into(),
        score,
        topmatches: vec![
            TopMatch { topic: "billing".into(), score, text: String::new() },
            TopMatch { topic: "payment failed".into(), score: second, text: String::new() },
        ],
    }
}

async fn tick() {
    gloo_timers::future::TimeoutFuture::new(30).await;
}

#[wasm_bindgen_test]
async fn quality_filters_select_those_messages_and_their_chips_remove_them() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&el).unwrap();
    let explorer_out: Arc<std::sync::Mutex<Option<ExplorerContext>>> = Default::default();
    let out = explorer_out.clone();
    let handle = leptos::mount::mount_to(el.clone(), move || {
        let explorer = ExplorerContext::new(Signal::derive(|| "UTC".to_string()));
        provide_context(explorer);
        let messages: Vec<Message> = (0..12).map(msg).collect();
        explorer.loaded.set(Some(Loaded {
            index: Arc::new(MessageIndex::build(messages)),
            generation: 1,
            span: TimeSpan::new(0, 10_000),
            failed: Default::default(),
        }));
        *out.lock().unwrap() = Some(explorer);
        view! { <ExplorerBody /> }
    });
    handle.forget();
    let explorer = explorer_out.lock().unwrap().unwrap();
    let matches = || {
        el.query_selector("[data-role=match-count]").unwrap().unwrap().get_attribute("data-value").unwrap_or_default()
    };
    tick().await;
    assert_eq!(matches(), "12");
    // Below 0.5 (the default threshold): scores 0.0 and 0.25, half of them.
    explorer.filters.update(|f| f.low_confidence = true);
    tick().await;
    assert_eq!(matches(), "6");
    // Ambiguous (second >= first - 0.1): every third, and those scoring 0 twice
    // (i = 0, 3, 4, 6, 8, 9); with low confidence too: 0, 4, 8, 9.
    explorer.filters.update(|f| f.ambiguous = true);
    tick().await;
    assert_eq!(matches(), "4");
    assert!(el.query_selector("[data-role=quality-filters] [data-filter=ambiguous]").unwrap().is_some());
    let chip: web_sys::HtmlElement =
        el.query_selector("[data-role=quality-filters] [data-filter=confidence]").unwrap().unwrap().unchecked_into();
    chip.click();
    tick().await;
    assert!(!explorer.filters.get_untracked().low_confidence);
    assert_eq!(matches(), "6");
    // A pair in either order selects the same ambiguous messages.
    explorer.filters.update(|f| {
        f.ambiguous = false;
        f.pair = Some(("payment failed".into(), "billing".into()));
    });
    tick().await;
    assert_eq!(matches(), "6");
}
