//! The real `relay` binary with token auth and the views API: an acknowledged
//! write survives SIGKILL right after its 2xx (restart, read back), and two relay
//! processes on one PostgreSQL see each other's writes. SQLite always; PostgreSQL
//! when `VIEWS_TEST_POSTGRES_URL` is set.

mod views_support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use relay::auth::keys::SigningKey;
use serde_json::{json, Value};
use views_support::{backends, Backend, TempDir};

const SECRET: &str = "views-binary-test-hs256-secret-0123456789";
const ISS: &str = "https://portal.views.example";

/// A relay process; killed (SIGKILL) when dropped.
struct RelayProc {
    child: Child,
    url: String,
}

impl RelayProc {
    fn start(config: &std::path::Path) -> RelayProc {
        let mut child = Command::new(env!("CARGO_BIN_EXE_relay"))
            .arg("--config")
            .arg(config)
            .env_remove("RELAY_CONFIG")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start relay");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("relay exited before listening").unwrap();
            if let Some(u) = line.strip_prefix("relay listening on ") {
                break u.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        RelayProc { child, url }
    }

    /// SIGKILL: no shutdown code runs.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for RelayProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write_config(dir: &TempDir, b: &Backend, tenant: &str) -> std::path::PathBuf {
    let cfg = json!({
        "addr": "127.0.0.1:0",
        "auth": "token",
        "database": b.url,
        "tenants": [{
            "id": tenant, "issuer": ISS,
            "keys": [{ "kid": "hs", "alg": "HS256", "secret": SECRET }],
            "upstream": "http://127.0.0.1:9", "providerId": "1020", "partnerId": "1021",
            "allowOrigins": ["https://dash.views.example"]
        }]
    });
    let path = dir.0.join(format!("relay-{}.json", b.name));
    std::fs::write(&path, cfg.to_string()).unwrap();
    path
}

fn token(tenant: &str, sub: &str, teams: &[&str]) -> String {
    let now = relay::auth::now_secs();
    let claims = json!({ "tid": tenant, "iss": ISS, "aud": "engagement-dashboard", "sub": sub,
                         "scope": "counts views", "teams": teams, "name": format!("User {sub}"),
                         "iat": now, "exp": now + 600 });
    SigningKey::hmac(Some("hs".into()), SECRET.as_bytes()).unwrap().sign(&claims).unwrap()
}

async fn call(
    relay: &str,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
    if_match: Option<i64>,
) -> (u16, Value) {
    let mut r = reqwest::Client::new().request(method, format!("{relay}{path}")).bearer_auth(token);
    if let Some(b) = body {
        r = r.header("content-type", "application/json").body(b.to_string());
    }
    if let Some(v) = if_match {
        r = r.header("if-match", format!("\"{v}\""));
    }
    let resp = r.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect(&text) })
}

fn view(name: &str, q: &str) -> Value {
    json!({ "name": name, "scope": "team", "team": "sales", "view": { "q": q, "from": "now-7d" } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledged_write_survives_sigkill() {
    for b in backends("bin-kill") {
        let dir = TempDir::new("bin-kill-cfg");
        let tenant = b.tenant("acme");
        let config = write_config(&dir, &b, &tenant);
        let alice = token(&tenant, "alice", &["sales"]);
        let bob = token(&tenant, "bob", &["sales"]);

        // Each write is followed at once by SIGKILL; the next process must have it.
        let relay = RelayProc::start(&config);
        let (status, created) =
            call(&relay.url, &alice, reqwest::Method::POST, "/v1/views", Some(view("Morning", "a")), None).await;
        assert_eq!(status, 201, "{}: {created}", b.name);
        relay.kill();
        let id = created["id"].as_str().unwrap().to_string();

        let relay = RelayProc::start(&config);
        let path = format!("/v1/views/{id}");
        let (status, v2) =
            call(&relay.url, &alice, reqwest::Method::PUT, &path, Some(view("Morning", "b")), Some(1)).await;
        assert_eq!((status, v2["version"].as_i64()), (200, Some(2)), "{}: {v2}", b.name);
        relay.kill();

        let relay = RelayProc::start(&config);
        let body = Some(json!({ "viewId": id }));
        assert_eq!(call(&relay.url, &bob, reqwest::Method::PUT, "/v1/me/default-view", body, None).await.0, 200);
        relay.kill();

        let relay = RelayProc::start(&config);
        let (status, list) = call(&relay.url, &bob, reqwest::Method::GET, "/v1/views", None, None).await;
        assert_eq!(status, 200);
        assert_eq!(list["views"], json!([v2]), "{}: the update is there, exactly", b.name);
        let (_, dv) = call(&relay.url, &bob, reqwest::Method::GET, "/v1/me/default-view", None, None).await;
        assert_eq!(dv, json!({ "viewId": id }), "{}", b.name);
        // A stale writer after the restart is still refused.
        let (status, _) =
            call(&relay.url, &alice, reqwest::Method::PUT, &path, Some(view("Morning", "c")), Some(1)).await;
        assert_eq!(status, 412, "{}", b.name);
        let (status, _) = call(&relay.url, &alice, reqwest::Method::DELETE, &path, None, None).await;
        assert_eq!(status, 204);
        relay.kill();
        let relay = RelayProc::start(&config);
        let (_, list) = call(&relay.url, &alice, reqwest::Method::GET, "/v1/views", None, None).await;
        assert_eq!(list, json!({ "views": [] }), "{}: the delete is there too", b.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_relays_on_one_database_see_each_others_writes() {
    // SQLite is for one relay; this is PostgreSQL's case.
    let Some(b) = backends("bin-two").into_iter().find(|b| b.name == "postgres") else { return };
    let dir = TempDir::new("bin-two-cfg");
    let tenant = b.tenant("acme");
    let config = write_config(&dir, &b, &tenant);
    let (one, two) = (RelayProc::start(&config), RelayProc::start(&config));
    let alice = token(&tenant, "alice", &["sales"]);
    let bob = token(&tenant, "bob", &["sales"]);
    let (status, created) =
        call(&one.url, &alice, reqwest::Method::POST, "/v1/views", Some(view("Shared", "x")), None).await;
    assert_eq!(status, 201);
    let (_, list) = call(&two.url, &bob, reqwest::Method::GET, "/v1/views", None, None).await;
    assert_eq!(list["views"], json!([created]));
    let path = format!("/v1/views/{}", created["id"].as_str().unwrap());
    let (status, _) = call(&two.url, &alice, reqwest::Method::PUT, &path, Some(view("Shared", "y")), Some(1)).await;
    assert_eq!(status, 200);
    // The other relay's view of the version is the database's, not a cache.
    let (status, body) = call(&one.url, &alice, reqwest::Method::PUT, &path, Some(view("Shared", "z")), Some(1)).await;
    assert_eq!((status, body["currentVersion"].as_i64()), (412, Some(2)));
    let (status, _) =
        call(&one.url, &alice, reqwest::Method::POST, "/v1/views", Some(view("Shared", "dup")), None).await;
    assert_eq!(status, 409);
}
