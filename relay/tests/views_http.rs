//! The views API over HTTP, row by row of the contract's table and every bad
//! input, on both backends. The caller comes from a test-only layer that puts a
//! `Principal` in the request (the auth layer's job in the relay), read from an
//! `x-test-principal` header that only this test server knows.

mod views_support;

use std::sync::Arc;

use axum::extract::Request;
use axum::middleware::{self, Next};
use relay::principal::{Principal, Scope};
use relay::views::{self, ViewStore};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use views_support::{backends, Backend};

async fn test_principal(mut req: Request, next: Next) -> axum::response::Response {
    if let Some(v) = req.headers().get("x-test-principal").and_then(|v| v.to_str().ok()) {
        let p: Value = serde_json::from_str(v).unwrap();
        let scopes = p["scopes"].as_array().unwrap().iter().map(|s| match s.as_str().unwrap() {
            "views" => Scope::Views,
            "messages" => Scope::Messages,
            _ => Scope::Counts,
        });
        req.extensions_mut().insert(Principal {
            tenant: p["tid"].as_str().unwrap().into(),
            sub: p["sub"].as_str().unwrap().into(),
            name: p["name"].as_str().map(str::to_string),
            teams: p["teams"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect(),
            scopes: scopes.collect(),
        });
    }
    next.run(req).await
}

struct Api {
    base: String,
    http: reqwest::Client,
    store: Arc<dyn ViewStore>,
}

struct Reply {
    status: StatusCode,
    body: Value,
    etag: Option<String>,
}

impl Reply {
    /// The contract's error body, with `code` and a message naming `field`.
    fn error(&self, status: u16, code: &str, field: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        assert_eq!(self.body["code"], "error", "{}", self.body);
        assert_eq!(self.body["error"], code, "{}", self.body);
        let msg = self.body["message"].as_str().unwrap();
        assert!(msg.starts_with(field), "message {msg:?} should name {field}");
    }
}

impl Api {
    async fn start(b: &Backend) -> Api {
        let store = b.open().await;
        let app = views::routes(store.clone()).layer(middleware::from_fn(test_principal));
        let (listener, addr) = relay::bind("127.0.0.1:0").await.unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Api { base: format!("http://{addr}"), http: reqwest::Client::new(), store }
    }

    async fn call(&self, who: Option<&Principal>, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.raw(who, method, path, body.map(|b| b.to_string()), &[]).await
    }

    async fn raw(
        &self,
        who: Option<&Principal>,
        method: Method,
        path: &str,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut r = self.http.request(method, format!("{}{path}", self.base));
        if let Some(p) = who {
            let scopes: Vec<&str> =
                p.scopes.iter().map(|s| if *s == Scope::Views { "views" } else { "counts" }).collect();
            let v = json!({ "tid": p.tenant, "sub": p.sub, "name": p.name, "teams": p.teams, "scopes": scopes });
            r = r.header("x-test-principal", v.to_string());
        }
        if let Some(b) = body {
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                r = r.header("content-type", "application/json");
            }
            r = r.body(b);
        }
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        let resp = r.send().await.unwrap();
        let status = resp.status();
        let etag = resp.headers().get("etag").map(|v| v.to_str().unwrap().to_string());
        let text = resp.text().await.unwrap();
        let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect(&text) };
        Reply { status, body, etag }
    }

    async fn del(&self, who: &Principal, id: &str) -> Reply {
        self.call(Some(who), Method::DELETE, &format!("/v1/views/{id}"), None).await
    }

    async fn set_default(&self, who: &Principal, id: &str) -> Reply {
        self.call(Some(who), Method::PUT, "/v1/me/default-view", Some(json!({ "viewId": id }))).await
    }

    async fn put(&self, who: &Principal, id: &str, version: &str, body: Value) -> Reply {
        let path = format!("/v1/views/{id}");
        self.raw(Some(who), Method::PUT, &path, Some(body.to_string()), &[("if-match", version)]).await
    }
}

fn view(name: &str) -> Value {
    json!({ "name": name, "scope": "private", "view": { "from": "now-30d", "to": "now", "panels": "intents" } })
}

fn team_view(name: &str, team: &str) -> Value {
    json!({ "name": name, "scope": "team", "team": team, "view": { "tz": "Europe/Berlin" } })
}

#[tokio::test]
async fn every_row_of_the_contract() {
    for b in backends("http-rows") {
        let api = Api::start(&b).await;
        let alice = b.user("acme", "alice", &["sales"]);
        let bob = b.user("acme", "bob", &["sales"]);
        let eve = b.user("globex", "alice", &["sales"]);

        // POST: 201, version 1, the whole view object.
        let r = api.call(Some(&alice), Method::POST, "/v1/views", Some(view("Zeta"))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}: {}", b.name, r.body);
        let mine = r.body.clone();
        assert_eq!(r.etag.as_deref(), Some("\"1\""));
        assert_eq!(mine["version"], 1);
        assert_eq!((mine["scope"].as_str(), mine["team"].clone()), (Some("private"), Value::Null));
        assert_eq!((mine["owner"].as_str(), mine["ownerName"].as_str()), (Some("alice"), Some("User alice")));
        assert_eq!(mine["view"], json!({ "from": "now-30d", "to": "now", "panels": "intents" }));
        assert!(mine["updatedAt"].as_i64().unwrap() > 1_700_000_000_000, "epoch ms");
        assert_eq!(mine["id"].as_str().unwrap().len(), 32);
        let id = mine["id"].as_str().unwrap().to_string();
        let r = api.call(Some(&alice), Method::POST, "/v1/views", Some(team_view("Alpha", "sales"))).await;
        assert_eq!(r.status, StatusCode::CREATED);
        let shared_id = r.body["id"].as_str().unwrap().to_string();
        assert_eq!(r.body["team"], "sales");

        // 409: the same name in the same scope/team.
        api.call(Some(&alice), Method::POST, "/v1/views", Some(view("Zeta"))).await.error(409, "CONFLICT", "");

        // GET: own views and the team's, by name.
        let r = api.call(Some(&alice), Method::GET, "/v1/views", None).await;
        assert_eq!(r.status, StatusCode::OK);
        let listed: Vec<&str> =
            r.body["views"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
        assert_eq!(listed, ["Alpha", "Zeta"], "{}", b.name);
        assert_eq!(r.body["views"][1], mine);
        let r = api.call(Some(&bob), Method::GET, "/v1/views", None).await;
        assert_eq!(r.body["views"].as_array().unwrap().len(), 1, "{}: bob sees the team view only", b.name);
        let r = api.call(Some(&eve), Method::GET, "/v1/views", None).await;
        assert_eq!(r.body, json!({ "views": [] }), "{}: another tenant, same sub and team", b.name);

        // PUT: If-Match, version + 1; 412 stale; 428 without.
        let r = api.put(&alice, &id, "\"1\"", view("Zeta 2")).await;
        assert_eq!((r.status, r.body["version"].as_i64(), r.etag.as_deref()), (StatusCode::OK, Some(2), Some("\"2\"")));
        assert_eq!(r.body["name"], "Zeta 2");
        let r = api.put(&alice, &id, "\"1\"", view("Zeta 3")).await;
        r.error(412, "VERSION_MISMATCH", "");
        assert_eq!(r.body["currentVersion"], 2);
        let path = format!("/v1/views/{id}");
        let r = api.raw(Some(&alice), Method::PUT, &path, Some(view("x").to_string()), &[]).await;
        r.error(428, "PRECONDITION_REQUIRED", "");
        api.put(&alice, &id, "\"two\"", view("x")).await.error(400, "INVALID_PARAMETER", "If-Match");
        // Only the owner changes; team members read; others get 404.
        api.put(&bob, &shared_id, "\"1\"", team_view("Mine now", "sales")).await.error(403, "FORBIDDEN", "");
        api.put(&bob, &id, "\"2\"", view("x")).await.error(404, "NOT_FOUND", "");
        api.put(&eve, &shared_id, "\"1\"", view("x")).await.error(404, "NOT_FOUND", "");

        // Default view: null, set (own or team view), 404 for what is not visible.
        let r = api.call(Some(&bob), Method::GET, "/v1/me/default-view", None).await;
        assert_eq!((r.status, r.body.clone()), (StatusCode::OK, json!({ "viewId": null })));
        let r = api.call(Some(&bob), Method::PUT, "/v1/me/default-view", Some(json!({ "viewId": shared_id }))).await;
        assert_eq!((r.status, r.body.clone()), (StatusCode::OK, json!({ "viewId": shared_id })));
        let r = api.call(Some(&bob), Method::GET, "/v1/me/default-view", None).await;
        assert_eq!(r.body, json!({ "viewId": shared_id }));
        api.set_default(&bob, &id).await.error(404, "NOT_FOUND", "");
        api.set_default(&eve, &shared_id).await.error(404, "NOT_FOUND", "");
        let r = api.call(Some(&bob), Method::PUT, "/v1/me/default-view", Some(json!({ "viewId": null }))).await;
        assert_eq!((r.status, r.body.clone()), (StatusCode::OK, json!({ "viewId": null })));

        // DELETE: 204 for the owner; 403 for a team member; 404 otherwise.
        api.del(&bob, &shared_id).await.error(403, "FORBIDDEN", "");
        api.del(&eve, &shared_id).await.error(404, "NOT_FOUND", "");
        api.del(&bob, &id).await.error(404, "NOT_FOUND", "");
        let r = api.raw(Some(&alice), Method::DELETE, &path, None, &[("if-match", "\"1\"")]).await;
        r.error(412, "VERSION_MISMATCH", "");
        let r = api.del(&alice, &id).await;
        assert_eq!((r.status, r.body.clone()), (StatusCode::NO_CONTENT, Value::Null));
        api.del(&alice, &id).await.error(404, "NOT_FOUND", "");
        api.put(&alice, &id, "\"2\"", view("x")).await.error(404, "NOT_FOUND", "");
        assert_eq!(api.del(&alice, &shared_id).await.status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn every_bad_input_is_400_naming_its_field() {
    for b in backends("http-bad") {
        let api = Api::start(&b).await;
        let alice = b.user("acme", "alice", &["sales"]);
        let id = api.call(Some(&alice), Method::POST, "/v1/views", Some(view("Base"))).await.body["id"]
            .as_str()
            .unwrap()
            .to_string();
        let long = "é".repeat(101);
        let big = "x".repeat(9000);
        let cases = [
            (json!({ "scope": "private", "view": {} }), "name"),
            (json!({ "name": "", "scope": "private", "view": {} }), "name"),
            (json!({ "name": " \t ", "scope": "private", "view": {} }), "name"),
            (json!({ "name": long, "scope": "private", "view": {} }), "name"),
            (json!({ "name": "a\u{0}b", "scope": "private", "view": {} }), "name"),
            (json!({ "name": ["a"], "scope": "private", "view": {} }), "name"),
            (json!({ "name": "a", "scope": "public", "view": {} }), "scope"),
            (json!({ "name": "a", "scope": null, "view": {} }), "scope"),
            (json!({ "name": "a", "view": {} }), "scope"),
            (json!({ "name": "a", "scope": "team", "view": {} }), "team"),
            (json!({ "name": "a", "scope": "team", "team": "support", "view": {} }), "team"),
            (json!({ "name": "a", "scope": "private", "team": "sales", "view": {} }), "team"),
            (json!({ "name": "a", "scope": "private" }), "view"),
            (json!({ "name": "a", "scope": "private", "view": "from=now-7d" }), "view"),
            (
                json!({ "name": "a", "scope": "private", "view": { "relayUrl": "https://evil.example" } }),
                "view.relayUrl",
            ),
            (json!({ "name": "a", "scope": "private", "view": { "apiKey": "k" } }), "view.apiKey"),
            (json!({ "name": "a", "scope": "private", "view": { "from": 7 } }), "view.from"),
            (json!({ "name": "a", "scope": "private", "view": { "panels": null } }), "view.panels"),
            (json!({ "name": "a", "scope": "private", "view": { "q": big } }), "view"),
            (json!({ "name": "a", "scope": "private", "view": {}, "providerId": "9" }), "providerId"),
            (json!(["a"]), "body"),
        ];
        for (body, field) in &cases {
            let r = api.call(Some(&alice), Method::POST, "/v1/views", Some(body.clone())).await;
            r.error(400, "INVALID_PARAMETER", field);
            api.put(&alice, &id, "\"1\"", body.clone()).await.error(400, "INVALID_PARAMETER", field);
        }
        let r = api.raw(Some(&alice), Method::POST, "/v1/views", Some("{\"name\":".into()), &[]).await;
        r.error(400, "INVALID_PARAMETER", "body");
        let r = api.raw(
            Some(&alice),
            Method::POST,
            "/v1/views",
            Some(view("a").to_string()),
            &[("content-type", "text/plain")],
        );
        r.await.error(415, "UNSUPPORTED_MEDIA_TYPE", "");
        let huge = json!({ "name": "a", "scope": "private", "view": { "q": "x".repeat(100_000) } });
        api.call(Some(&alice), Method::POST, "/v1/views", Some(huge)).await.error(413, "PAYLOAD_TOO_LARGE", "");
        for bad in [json!({}), json!({ "viewId": 3 }), json!({ "viewId": null, "x": 1 }), json!("id")] {
            let r = api.call(Some(&alice), Method::PUT, "/v1/me/default-view", Some(bad.clone())).await;
            assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (400, Some("INVALID_PARAMETER")), "{bad}");
        }
        // Nothing of the refused writes was stored.
        let r = api.call(Some(&alice), Method::GET, "/v1/views", None).await;
        assert_eq!(r.body["views"].as_array().unwrap().len(), 1, "{}", b.name);
        assert_eq!(r.body["views"][0]["version"], 1);
    }
}

#[tokio::test]
async fn hostile_names_round_trip_as_data() {
    for b in backends("http-names") {
        let api = Api::start(&b).await;
        let alice = b.user("acme", "alice", &[]);
        let names = [
            "<script>alert(1)</script>".to_string(),
            "\u{202E}txt.exe \u{200F}עברית".to_string(),
            "' OR 1=1; DROP TABLE views; --".to_string(),
            "👩‍👩‍👧‍👦".repeat(14), // 98 characters
            "\"quoted\" & <b>bold</b> \\ back".to_string(),
        ];
        for n in &names {
            let r = api.call(Some(&alice), Method::POST, "/v1/views", Some(view(n))).await;
            assert_eq!(r.status, StatusCode::CREATED, "{n}: {}", r.body);
            assert_eq!(r.body["name"].as_str(), Some(n.as_str()));
        }
        let r = api.call(Some(&alice), Method::GET, "/v1/views", None).await;
        let mut got: Vec<String> =
            r.body["views"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap().to_string()).collect();
        got.sort();
        let mut want = names.to_vec();
        want.sort();
        assert_eq!(got, want, "{}", b.name);
    }
}

#[tokio::test]
async fn callers_without_a_user_or_the_scope_are_refused() {
    let b = backends("http-auth").remove(0);
    let api = Api::start(&b).await;
    let counts_only = Principal { scopes: vec![Scope::Counts, Scope::Messages], ..b.user("acme", "alice", &[]) };
    for (method, path) in [
        (Method::GET, "/v1/views"),
        (Method::POST, "/v1/views"),
        (Method::PUT, "/v1/views/abc"),
        (Method::DELETE, "/v1/views/abc"),
        (Method::GET, "/v1/me/default-view"),
        (Method::PUT, "/v1/me/default-view"),
    ] {
        api.call(None, method.clone(), path, Some(json!({}))).await.error(401, "UNAUTHORIZED", "");
        api.call(Some(&counts_only), method, path, Some(json!({}))).await.error(403, "FORBIDDEN", "");
    }
    let alice = b.user("acme", "alice", &[]);
    api.call(Some(&alice), Method::PATCH, "/v1/views", None).await.error(405, "METHOD_NOT_ALLOWED", "");
    api.call(Some(&alice), Method::GET, "/v1/views/abc", None).await.error(405, "METHOD_NOT_ALLOWED", "");
}

#[tokio::test]
async fn the_501st_view_is_refused() {
    let b = backends("http-cap").remove(0);
    let api = Api::start(&b).await;
    let alice = b.user("acme", "alice", &[]);
    let input = |i: usize| relay::views::ViewInput {
        name: format!("v{i}"),
        scope: relay::views::ViewScope::Private,
        team: None,
        view_json: "{}".into(),
    };
    for batch in (0..500).collect::<Vec<_>>().chunks(20) {
        let tasks: Vec<_> = batch
            .iter()
            .map(|&i| {
                let (s, a, inp) = (api.store.clone(), alice.clone(), input(i));
                tokio::spawn(async move { s.create(&a, &inp).await.unwrap() })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    }
    api.call(Some(&alice), Method::POST, "/v1/views", Some(view("one more"))).await.error(
        400,
        "INVALID_PARAMETER",
        "views",
    );
}
