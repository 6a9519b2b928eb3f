//! Browser tests of the explorer's components (`cargo xtask test --wasm`): they
//! mount `ExplorerBody` over a synthetic index, without the dashboard or a server.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::domain::explorer::MessageIndex;
use crate::domain::time::TimeSpan;
use crate::domain::wire::{Message, TopMatch};

use super::{ExplorerBody, ExplorerContext, Loaded, MessageText};

wasm_bindgen_test_configure!(run_in_browser);

fn msg(i: usize, sid: &str, text: &str) -> Message {
    Message {
        text: text.into(),
        timestamp: None,
        ts: 1_000_000 + i as i64 * 1000,
        sendername: Some(format!("Sender {}", i % 7)),
        senderemail: None,
        sendertype: Some(["customer", "bot", "agent"][i % 3].into()),
        sessionid: sid.into(),
        sentiment: (i % 5) as f64 - 2.0,
        workflow: Some(format!("wf{}", i % 4)),
        workflownodeid: None,
        topic: format!("topic{}", i % 9),
        score: 0.5,
        topmatches: vec![TopMatch { topic: "t".into(), score: 0.25, text: "<b>match</b>".into() }],
    }
}

fn corpus(n: usize) -> Vec<Message> {
    let words =
        ["refund please", "where is my order", "hello ****NAME****", "pay ****MONEY**** now", "<script>bad()</script>"];
    (0..n).map(|i| msg(i, &format!("{}.{}", i / 12, i % 12 + 1), words[i % words.len()])).collect()
}

fn host() -> web_sys::HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    // The list's layout rules (explorer.css is not loaded here): a scroll box.
    if doc.get_element_by_id("ex-test-style").is_none() {
        let style = doc.create_element("style").unwrap();
        style.set_id("ex-test-style");
        style.set_text_content(Some(
            ".ex-list{position:relative;height:400px;overflow:auto}.ex-spacer{position:relative}.ex-row{position:absolute;left:0;right:0;top:0;height:36px;overflow:hidden}",
        ));
        doc.head().unwrap().append_child(&style).unwrap();
    }
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    host
}

async fn tick() {
    gloo_timers::future::TimeoutFuture::new(30).await;
}

/// Mounts the explorer body over `messages`; returns its host and the context.
fn mount_body(messages: Vec<Message>) -> (web_sys::HtmlElement, ExplorerContext) {
    let el = host();
    let out: Rc<Cell<Option<ExplorerContext>>> = Rc::new(Cell::new(None));
    let out2 = out.clone();
    let span = TimeSpan::new(0, 1_000_000 + messages.len() as i64 * 1000 + 1);
    let handle = leptos::mount::mount_to(el.clone(), move || {
        let explorer = ExplorerContext::new(Signal::derive(|| "UTC".to_string()));
        provide_context(explorer);
        explorer.loaded.set(Some(Loaded {
            index: Arc::new(MessageIndex::build(messages)),
            generation: 1,
            span,
            failed: Default::default(),
        }));
        out2.set(Some(explorer));
        view! { <ExplorerBody /> }
    });
    handle.forget();
    (el, out.get().unwrap())
}

/// `querySelectorAll` as a Vec (through JS: no NodeList binding needed).
fn qsa(el: &web_sys::Element, sel: &str) -> Vec<web_sys::Element> {
    let f = js_sys::Function::new_with_args("el, sel", "return Array.from(el.querySelectorAll(sel))");
    let arr: js_sys::Array = f.call2(&wasm_bindgen::JsValue::NULL, el, &sel.into()).unwrap().unchecked_into();
    arr.iter().map(|v| v.unchecked_into()).collect()
}

fn count(el: &web_sys::HtmlElement, sel: &str) -> u32 {
    qsa(el, sel).len() as u32
}

fn match_count(el: &web_sys::HtmlElement) -> String {
    el.query_selector("[data-role=match-count]").unwrap().unwrap().get_attribute("data-value").unwrap_or_default()
}

#[wasm_bindgen_test]
async fn text_is_never_html_and_tokens_are_chips() {
    let el = host();
    let text = "<script>window.__bad=1</script> <img src=x onerror=alert(1)> ****NAME**** and ****ACME_ID****";
    let handle = leptos::mount::mount_to(el.clone(), move || {
        view! { <MessageText text=text query=Signal::derive(|| "script".to_string()) /> }
    });
    handle.forget();
    tick().await;
    assert_eq!(count(&el, "script, img"), 0);
    let span = el.query_selector("[data-role=text]").unwrap().unwrap();
    assert_eq!(span.text_content().unwrap(), text);
    let marks = qsa(&el, "mark[data-entity]");
    assert_eq!(marks.len(), 2);
    let first = &marks[0];
    assert_eq!(first.get_attribute("data-entity").unwrap(), "NAME");
    assert!(first.get_attribute("title").unwrap().contains("firstname lastname"));
    let second = &marks[1];
    assert_eq!(second.get_attribute("data-entity").unwrap(), "ACME_ID");
    assert!(second.get_attribute("title").unwrap().contains("provider-specific"));
    assert_eq!(count(&el, "mark.hit"), 2);
}

#[wasm_bindgen_test]
async fn a_hundred_thousand_messages_keep_at_most_200_rows() {
    let (el, _ex) = mount_body(corpus(100_000));
    tick().await;
    assert_eq!(match_count(&el), "100000");
    let rows = count(&el, "[data-role=message]");
    assert!(rows > 0 && rows <= 200, "{rows} rows");
    // Newest first: the first row is the last message.
    let first = el.query_selector("[data-role=message]").unwrap().unwrap();
    assert_eq!(first.get_attribute("data-ts").unwrap(), (1_000_000i64 + 99_999 * 1000).to_string());
    // Scrolled to the end: still few rows, and the oldest message is there.
    let list: web_sys::HtmlElement = el.query_selector("[role=listbox]").unwrap().unwrap().unchecked_into();
    list.set_scroll_top(i32::MAX);
    list.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    tick().await;
    let rows = count(&el, "[data-role=message]");
    assert!(rows > 0 && rows <= 200, "{rows} rows at the end");
    assert_eq!(count(&el, "[data-role=message][data-ts=\"1000000\"]"), 1);
}

#[wasm_bindgen_test]
async fn search_and_facets_update_the_count() {
    let (el, explorer) = mount_body(corpus(1000));
    tick().await;
    let input: web_sys::HtmlInputElement =
        el.query_selector("input[type=search][name=q]").unwrap().unwrap().unchecked_into();
    input.set_value("REFUND");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    tick().await;
    assert_eq!(match_count(&el), "200");
    assert_eq!(explorer.filters.get_untracked().q, "REFUND");
    assert!(count(&el, "[data-role=text] mark.hit") > 0);
    let cb: web_sys::HtmlElement =
        el.query_selector("input[type=checkbox][name=sendertype][value=customer]").unwrap().unwrap().unchecked_into();
    cb.click();
    tick().await;
    // i % 5 == 0 and i % 3 == 0: every 15th.
    assert_eq!(match_count(&el), "67");
    assert_eq!(explorer.filters.get_untracked().sendertype, vec!["customer".to_string()]);
    let neg: web_sys::HtmlElement =
        el.query_selector("input[type=checkbox][name=sentiment][value=negative]").unwrap().unwrap().unchecked_into();
    neg.click();
    tick().await;
    // Their sentiment is (0 % 5) - 2 = -2: all negative.
    assert_eq!(match_count(&el), "67");
    neg.click();
    tick().await;
    assert_eq!(match_count(&el), "67");
    assert!(explorer.filters.get_untracked().sentiment.is_empty());
}

#[wasm_bindgen_test]
async fn opening_a_row_shows_the_conversation_in_segment_order() {
    let mut msgs = vec![msg(0, "12.10", "ten"), msg(1, "12.9", "nine"), msg(2, "12.2", "two"), msg(3, "13.1", "other")];
    msgs.push(msg(4, "12.10", "ten again"));
    let (el, explorer) = mount_body(msgs);
    tick().await;
    let row: web_sys::HtmlElement =
        el.query_selector("[data-role=message][data-sessionid=\"12.9\"]").unwrap().unwrap().unchecked_into();
    row.click();
    tick().await;
    let conv =
        el.query_selector("[data-role=conversation][data-conversation=\"12\"]").unwrap().expect("conversation shown");
    let order: Vec<String> =
        qsa(&conv, "[data-segment]").iter().map(|e| e.get_attribute("data-segment").unwrap()).collect();
    assert_eq!(order, vec!["2", "9", "10"]);
    assert_eq!(qsa(&conv, "[data-segment=\"10\"] [data-role=turn]").len(), 2);
    let current = conv.query_selector("[aria-current=true]").unwrap().unwrap();
    assert_eq!(current.get_attribute("data-sessionid").unwrap(), "12.9");
    assert_eq!(count(&el, "[data-role=topmatch]"), 1);
    assert_eq!(count(&el, "[data-role=detail] b"), 0);
    // Escape closes.
    let press = js_sys::Function::new_with_args(
        "el",
        "el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))",
    );
    press.call1(&wasm_bindgen::JsValue::NULL, &row).unwrap();
    tick().await;
    assert!(explorer.opened.get_untracked().is_none());
    assert_eq!(count(&el, "[data-role=conversation]"), 0);
}
