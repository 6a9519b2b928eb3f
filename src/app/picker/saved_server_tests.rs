//! Browser tests of the relay's saved-views menu with a scripted relay: names are
//! text, and a version conflict offers "save a copy".

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::app::auth::test_session;
use crate::domain::config::DeploymentConfig;
use crate::domain::token::{Claims, Scopes};
use crate::domain::wire::RawResponse;
use crate::engine::http::{Http, HttpRequest};
use crate::engine::transport::TransportError;
use crate::engine::views_api::ViewsApi;
use crate::state::view::ViewState;

use super::super::context::DashboardContext;
use super::saved_server::ServerViewsMenu;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Default)]
struct Relay {
    answers: RefCell<VecDeque<(u16, String)>>,
    seen: RefCell<Vec<HttpRequest>>,
}

struct Fake(Rc<Relay>);

impl Http for Fake {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
        self.0.seen.borrow_mut().push(req);
        let (status, body) = self.0.answers.borrow_mut().pop_front().unwrap_or((500, String::new()));
        futures::future::ready(Ok(RawResponse { status, retry_after: None, body })).boxed_local()
    }
}

const NAME: &str = "<img src=x onerror=\"window.__pwned=1\">Weekly";

fn stored(version: i64) -> serde_json::Value {
    serde_json::json!({"id": "v1", "name": NAME, "scope": "private", "team": null, "owner": "ann", "ownerName": "Ann",
                       "view": {"from": "now-7d", "to": "now", "tz": "UTC"}, "version": version, "updatedAt": 1})
}

fn mount(relay: Rc<Relay>) -> web_sys::HtmlElement {
    let config = DeploymentConfig::parse(r#"{"relayUrl":"http://127.0.0.1:9","auth":"token"}"#).unwrap();
    // The context creates effects (the zone loader) before mount_to would start
    // the executor: start it first, whatever test runs first.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let ctx = DashboardContext::new(&config, ViewState::default());
    let claims = Claims {
        tid: "acme".into(),
        sub: "ann".into(),
        exp: 2_000_000_000,
        iat: None,
        scopes: Scopes { counts: true, messages: true, views: true },
        teams: vec!["support".into()],
        name: Some("Ann".into()),
    };
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(ctx);
        let session = test_session(claims, ViewsApi::new(Rc::new(Fake(relay)), "http://127.0.0.1:9"));
        view! { <ServerViewsMenu session=session api=session.views_api().unwrap() /> }
    });
    handle.forget();
    root
}

async fn settle() {
    gloo_timers::future::TimeoutFuture::new(30).await;
}

fn q(root: &web_sys::HtmlElement, sel: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(sel).unwrap().map(|e| e.unchecked_into())
}

#[wasm_bindgen_test]
async fn names_are_text_and_a_conflict_can_be_saved_as_a_copy() {
    let relay = Rc::new(Relay::default());
    relay.answers.borrow_mut().extend([
        (200, serde_json::json!({ "views": [stored(1)] }).to_string()),
        (200, r#"{"viewId":null}"#.to_string()),
        (412, r#"{"error":"VERSION_MISMATCH","message":"version 2 is current"}"#.to_string()),
        (
            201,
            serde_json::json!({"id": "v2", "name": format!("{NAME} (copy)"), "scope": "private", "owner": "ann",
                                 "view": {"from": "now-7d", "to": "now"}, "version": 1})
            .to_string(),
        ),
    ]);
    let root = mount(relay.clone());
    settle().await;
    let row = q(&root, "li[data-view-id=v1]").expect("the view is listed");
    assert!(row.text_content().unwrap().contains(NAME));
    assert!(q(&root, "img").is_none(), "a name is never HTML");
    assert_eq!(row.get_attribute("data-view-name").as_deref(), Some(NAME));

    q(&root, "li[data-view-id=v1] [data-action=update-view]").unwrap().click();
    settle().await;
    let put = relay.seen.borrow()[2].clone();
    assert_eq!(put.header_value("if-match"), Some("\"1\""));
    let conflict = q(&root, "[data-role=view-conflict]").expect("the conflict is offered");
    assert!(conflict.text_content().unwrap().contains("Someone else changed"));

    q(&root, "[data-action=save-copy]").unwrap().click();
    settle().await;
    let post: serde_json::Value = serde_json::from_str(relay.seen.borrow()[3].body.as_deref().unwrap()).unwrap();
    assert_eq!(post["name"], format!("{NAME} (copy)"));
    assert!(q(&root, "li[data-view-id=v2]").is_some());
    assert!(q(&root, "[data-role=view-conflict]").is_none());
    let status = q(&root, "[data-role=saved-views-status]").unwrap();
    assert_eq!(status.get_attribute("data-state").as_deref(), Some("ok"));
}
