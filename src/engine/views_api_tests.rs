use std::cell::RefCell;
use std::collections::VecDeque;

use futures::future::{FutureExt, LocalBoxFuture};
use serde_json::json;

use super::*;
use crate::engine::transport::TransportError;

/// Answers from a script; remembers each request.
#[derive(Default)]
struct Scripted {
    answers: RefCell<VecDeque<RawResponse>>,
    seen: RefCell<Vec<HttpRequest>>,
}

impl Http for Rc<Scripted> {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
        self.seen.borrow_mut().push(req);
        let next = self.answers.borrow_mut().pop_front().expect("an answer is scripted");
        futures::future::ready(Ok(next)).boxed_local()
    }
}

fn api(answers: Vec<(u16, serde_json::Value)>) -> (ViewsApi, Rc<Scripted>) {
    let s = Rc::new(Scripted::default());
    s.answers.borrow_mut().extend(answers.into_iter().map(|(status, body)| RawResponse {
        status,
        retry_after: None,
        body: if body.is_null() { String::new() } else { body.to_string() },
    }));
    (ViewsApi::new(Rc::new(s.clone()), "https://relay.example/"), s)
}

fn stored(id: &str, name: &str, version: i64) -> serde_json::Value {
    json!({"id": id, "name": name, "scope": "team", "team": "support", "owner": "u2", "ownerName": "Bea",
           "view": {"from": "now-7d", "to": "now"}, "version": version, "updatedAt": 1})
}

#[tokio::test]
async fn the_list_skips_what_it_cannot_read() {
    let (api, s) = api(vec![(
        200,
        json!({"views": [stored("a", "<img src=x onerror=alert(1)>", 1), {"id": 5}, stored("b", "B", 2)]}),
    )]);
    let views = api.list().await.unwrap();
    assert_eq!(views.len(), 2);
    assert_eq!(views[0].name, "<img src=x onerror=alert(1)>");
    assert_eq!(views[0].owner_name.as_deref(), Some("Bea"));
    assert_eq!(views[1].scope, ViewScope::Team);
    let req = &s.seen.borrow()[0];
    assert_eq!((req.method, req.url.as_str()), (Method::Get, "https://relay.example/v1/views"));
}

#[tokio::test]
async fn an_update_sends_its_version_and_a_conflict_is_named() {
    let (api, s) = api(vec![(200, stored("v/1", "N", 4)), (412, json!({"error": "VERSION_MISMATCH", "message": "x"}))]);
    let draft = ViewDraft {
        name: "N".into(),
        scope: ViewScope::Private,
        team: None,
        view: [("from".to_string(), "now-1d".to_string())].into(),
    };
    assert_eq!(api.update("v/1", 3, &draft).await.unwrap().version, 4);
    assert_eq!(api.update("v/1", 3, &draft).await, Err(ViewsError::VersionMismatch));
    let seen = s.seen.borrow();
    assert_eq!(seen[0].url, "https://relay.example/v1/views/v%2F1");
    assert_eq!(seen[0].header_value("if-match"), Some("\"3\""));
    let body: serde_json::Value = serde_json::from_str(seen[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({"name": "N", "scope": "private", "view": {"from": "now-1d"}}));
}

#[tokio::test]
async fn errors_keep_the_relays_message_and_status() {
    let (api, _) = api(vec![
        (400, json!({"error": "INVALID_PARAMETER", "message": "name: longer than 100 characters"})),
        (409, json!({"error": "CONFLICT", "message": "taken"})),
        (404, json!({"error": "NOT_FOUND", "message": "no"})),
        (500, serde_json::Value::String("<html>".into())),
        (204, serde_json::Value::Null),
    ]);
    let draft = ViewDraft { name: "x".into(), scope: ViewScope::Team, team: Some("t".into()), view: BTreeMap::new() };
    let e = api.create(&draft).await.unwrap_err();
    assert_eq!(e, ViewsError::Invalid("name: longer than 100 characters".into()));
    assert!(e.to_string().starts_with("HTTP 400"));
    assert_eq!(api.create(&draft).await, Err(ViewsError::NameTaken));
    assert_eq!(api.delete("gone").await, Err(ViewsError::NotFound));
    assert!(matches!(api.delete("x").await, Err(ViewsError::Other { status: 500, .. })));
    assert_eq!(api.delete("x").await, Ok(()));
}

#[tokio::test]
async fn the_default_view_is_read_and_set() {
    let (api, s) = api(vec![(200, json!({"viewId": "abc"})), (200, json!({"viewId": null})), (200, json!({}))]);
    assert_eq!(api.default_view().await, Ok(Some("abc".into())));
    assert_eq!(api.default_view().await, Ok(None));
    api.set_default(None).await.unwrap();
    let seen = s.seen.borrow();
    assert_eq!((seen[2].method, seen[2].url.as_str()), (Method::Put, "https://relay.example/v1/me/default-view"));
    assert_eq!(seen[2].body.as_deref(), Some(r#"{"viewId":null}"#));
}
