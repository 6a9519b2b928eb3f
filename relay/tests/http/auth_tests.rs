//! A relay with tenants answers no data call without a valid token: the HTTP
//! shape of every refusal (401 + WWW-Authenticate, 403, 429, all readable by the
//! page through CORS), the tenant from the token alone, scopes, per-user and
//! per-address limits, the views API's mount, and logs with tid/sub but no token.

use axum::routing::get;
use axum::Extension;
use relay::auth::keys::{KeyAlg, SigningKey};
use relay::principal::Principal;
use relay::relay::ratelimit::RateLimit;
use serde_json::{json, Value};

use super::tokens::*;
use super::*;

fn assert_refusal(r: &(u16, reqwest::header::HeaderMap, String), status: u16, code: &str, origin: &str) {
    assert_eq!(r.0, status, "{}", r.2);
    assert_eq!(error_code(&r.2), code, "{}", r.2);
    assert_eq!(r.1["access-control-allow-origin"], origin, "CORS so the page can read it");
    assert!(r.1["access-control-expose-headers"].to_str().unwrap().contains("Retry-After"));
    if status == 401 {
        assert_eq!(r.1["www-authenticate"], r#"Bearer error="invalid_token""#);
    }
}

fn message(body: &str) -> String {
    serde_json::from_str::<Value>(body).unwrap()["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn no_data_without_a_valid_token() {
    let relay = spawn(two_tenants().await).await;
    for name in ["Intents", "Interactions", "InteractionType", "CustomerEndpoint", "Messages"] {
        let r = call_as(&relay, name, None, Some(ACME_ORIGIN)).await;
        assert_refusal(&r, 401, "UNAUTHORIZED", ACME_ORIGIN);
        assert!(message(&r.2).contains("no token"), "{}", r.2);
    }
    // Without an Origin (curl) it is the same 401.
    assert_eq!(call_as(&relay, "Interactions", None, None).await.0, 401);

    // One case per rule: the message says which, and never echoes the token.
    let now = relay::auth::now_secs();
    let c = |k: &str, v: Value| {
        let mut c = acme_claims("u1", "counts");
        c[k] = v;
        c
    };
    let ed = signer(KeyAlg::EdDSA, "ed");
    let good = acme_token("u1", "counts");
    let parts: Vec<&str> = good.split('.').collect();
    let mut admin = acme_claims("admin", "counts messages views");
    admin["iat"] =
        serde_json::from_str::<Value>(&String::from_utf8(b64_decode(parts[1])).unwrap()).unwrap()["iat"].clone();
    let tampered = format!("{}.{}.{}", parts[0], b64(&admin), parts[2]);
    let cases: Vec<(String, &str)> = vec![
        ("not-a-jwt".into(), "malformed"),
        (tampered, "signature"),
        (ed.sign(&c("exp", json!(now - 120))).unwrap(), "expired"),
        (ed.sign(&c("nbf", json!(now + 300))).unwrap(), "not yet valid"),
        (ed.sign(&c("iat", json!(now + 300))).unwrap(), "future"),
        (ed.sign(&c("exp", json!(now + 7200))).unwrap(), "lifetime"),
        (ed.sign(&c("aud", json!("someone-else"))).unwrap(), "audience"),
        (ed.sign(&c("iss", json!(BETA_ISS))).unwrap(), "issuer"),
        (ed.sign(&c("tid", json!("gamma"))).unwrap(), "unknown tenant"),
        (signer(KeyAlg::EdDSA, "2019").sign(&acme_claims("u1", "counts")).unwrap(), "unknown kid"),
        // acme's RS256 public key used as an HS256 secret under its kid.
        (
            SigningKey::hmac(Some("rs".into()), fixture("rs256.pub.pem").as_bytes())
                .unwrap()
                .sign(&acme_claims("u", "counts"))
                .unwrap(),
            "not the algorithm",
        ),
        // beta's key signing a token that claims acme.
        (signer(KeyAlg::ES256, "es").sign(&acme_claims("u1", "counts")).unwrap(), "unknown kid"),
    ];
    for (token, want) in cases {
        let r = call_as(&relay, "Interactions", Some(&token), Some(ACME_ORIGIN)).await;
        assert_refusal(&r, 401, "UNAUTHORIZED", ACME_ORIGIN);
        let m = message(&r.2);
        assert!(m.contains(want), "want {want:?}: {m}");
        assert!(!r.2.contains(&token) && !r.2.contains(token.split('.').nth(1).unwrap_or("~")), "{}", r.2);
    }
    let none = format!("{}.{}.", b64(&json!({ "alg": "none" })), b64(&acme_claims("u1", "counts messages")));
    let r = call_as(&relay, "Messages", Some(&none), Some(ACME_ORIGIN)).await;
    assert_refusal(&r, 401, "UNAUTHORIZED", ACME_ORIGIN);
    assert!(message(&r.2).contains("alg none"));
    // Every algorithm of acme's keys gets data.
    for (alg, kid) in [(KeyAlg::EdDSA, "ed"), (KeyAlg::RS256, "rs"), (KeyAlg::HS256, "hs")] {
        let t = signer(alg, kid).sign(&acme_claims("u1", "counts")).unwrap();
        let r = call_as(&relay, "Interactions", Some(&t), Some(ACME_ORIGIN)).await;
        assert_eq!(r.0, 200, "{alg:?}: {}", r.2);
    }
}

fn b64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).unwrap()
}

fn b64(v: &Value) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

#[tokio::test]
async fn the_tenant_comes_from_the_token_alone() {
    let relay = spawn(two_tenants().await).await;
    // Each tenant's mock insists on its own key and provider: a 200 proves the
    // call went to the token's tenant with that tenant's credentials.
    let r = call_as(&relay, "Interactions", Some(&acme_token("u1", "counts")), Some(ACME_ORIGIN)).await;
    assert_eq!(r.0, 200, "{}", r.2);
    let r = call_as(&relay, "Interactions", Some(&beta_token("u1", "counts")), Some(BETA_ORIGIN)).await;
    assert_eq!(r.0, 200, "{}", r.2);
    // A beta token whatever the URL, body and headers say about acme.
    let r = client()
        .post(format!("{relay}{DASH}/Interactions?tid=acme&providerId=1020&apiKey={ACME_KEY}"))
        .header("content-type", "application/json")
        .header("origin", BETA_ORIGIN)
        .header("authorization", format!("Bearer {}", beta_token("u1", "counts")))
        .header("x-tenant", "acme")
        .body(
            json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "tid": "acme", "providerId": "1020" })
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "still beta's upstream and key");
    // A tenant's token from another tenant's origin.
    let r = call_as(&relay, "Interactions", Some(&acme_token("u1", "counts")), Some(BETA_ORIGIN)).await;
    assert_refusal(&r, 403, "ORIGIN_NOT_ALLOWED", BETA_ORIGIN);
    // A token in the query string is never accepted.
    let t = acme_token("u1", "counts");
    for q in ["access_token", "token", "jwt", "authorization"] {
        let r = client()
            .post(format!("{relay}{DASH}/Interactions?{q}={t}"))
            .header("content-type", "application/json")
            .header("origin", ACME_ORIGIN)
            .body(counts_body(T0, T0 + H, "1h").to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "?{q}=");
    }
}

#[tokio::test]
async fn scopes_decide_the_endpoints() {
    let relay = spawn(two_tenants().await).await;
    let counts = acme_token("u1", "counts");
    let messages_only = acme_token("u1", "messages");
    let r = call_as(&relay, "Messages", Some(&counts), Some(ACME_ORIGIN)).await;
    assert_refusal(&r, 403, "FORBIDDEN", ACME_ORIGIN);
    assert!(message(&r.2).contains("messages"));
    assert_eq!(call_as(&relay, "Messages", Some(&messages_only), Some(ACME_ORIGIN)).await.0, 200);
    for name in ["Intents", "Interactions", "InteractionType", "CustomerEndpoint"] {
        let r = call_as(&relay, name, Some(&messages_only), Some(ACME_ORIGIN)).await;
        assert_refusal(&r, 403, "FORBIDDEN", ACME_ORIGIN);
        assert_eq!(call_as(&relay, name, Some(&counts), Some(ACME_ORIGIN)).await.0, 200, "{name}");
    }
    // No scope claim: counts.
    let mut c = acme_claims("u1", "");
    c.as_object_mut().unwrap().remove("scope");
    let default = signer(KeyAlg::EdDSA, "ed").sign(&c).unwrap();
    assert_eq!(call_as(&relay, "Interactions", Some(&default), Some(ACME_ORIGIN)).await.0, 200);
    assert_eq!(call_as(&relay, "Messages", Some(&default), Some(ACME_ORIGIN)).await.0, 403);
}

#[tokio::test]
async fn preflights_with_tokens() {
    let relay = spawn(two_tenants().await).await;
    let preflight = |origin: &'static str, path: &'static str, method: &'static str, headers: &'static str| {
        client()
            .request(reqwest::Method::OPTIONS, format!("{relay}{path}"))
            .header("origin", origin)
            .header("access-control-request-method", method)
            .header("access-control-request-headers", headers)
            .send()
    };
    let path = "/KoopidPartnerServer/api/APIEndpoint/Dashboard/Intents";
    for origin in [ACME_ORIGIN, BETA_ORIGIN] {
        let r = preflight(origin, path, "POST", "authorization, content-type").await.unwrap();
        assert_eq!(r.status(), 204);
        assert_eq!(r.headers()["access-control-allow-origin"], origin);
        let allowed = r.headers()["access-control-allow-headers"].to_str().unwrap().to_string();
        for h in ["authorization", "content-type", "if-match"] {
            assert!(allowed.contains(h), "{allowed}");
        }
    }
    let r = preflight("https://evil.example", path, "POST", "authorization").await.unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = preflight(ACME_ORIGIN, path, "PATCH", "authorization").await.unwrap();
    assert_eq!(r.status(), 403);
    let r = preflight(ACME_ORIGIN, path, "POST", "x-api-key").await.unwrap();
    assert_eq!(r.status(), 403);
    // The views API is not mounted on this relay.
    assert_eq!(preflight(ACME_ORIGIN, "/v1/views", "GET", "authorization").await.unwrap().status(), 404);
}

#[tokio::test]
async fn the_views_api_mounts_behind_token_auth() {
    // A stand-in for the views router: echoes who the auth layer said is calling.
    let views = axum::Router::new()
        .route("/v1/views", get(|Extension(p): Extension<Principal>| async move { format!("{}/{}", p.tenant, p.sub) }))
        .route("/v1/views/{id}", get(|Extension(p): Extension<Principal>| async move { p.sub }))
        .route("/v1/me/default-view", get(|| async { "{}" }));
    let relay = spawn_app(relay::relay::app(two_tenants().await, Some(views))).await;
    let get_as = |path: &'static str, token: Option<String>| {
        let mut r = client().get(format!("{relay}{path}")).header("origin", ACME_ORIGIN);
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        r.send()
    };
    let r = get_as("/v1/views", Some(acme_token("ann", "views"))).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["access-control-allow-origin"], ACME_ORIGIN);
    assert_eq!(r.text().await.unwrap(), "acme/ann");
    assert_eq!(
        get_as("/v1/views/x1", Some(beta_token("bob", "views"))).await.unwrap().status(),
        403,
        "beta from acme's origin"
    );
    let r = get_as("/v1/views/x1", Some(acme_token("ann", "counts messages"))).await.unwrap();
    assert_eq!(r.status(), 403, "no views scope");
    assert_eq!(error_code(&r.text().await.unwrap()), "FORBIDDEN");
    let r = get_as("/v1/me/default-view", None).await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], r#"Bearer error="invalid_token""#);
    let r = client()
        .request(reqwest::Method::OPTIONS, format!("{relay}/v1/views/x1"))
        .header("origin", ACME_ORIGIN)
        .header("access-control-request-method", "PUT")
        .header("access-control-request-headers", "authorization,content-type,if-match")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let methods = r.headers()["access-control-allow-methods"].to_str().unwrap().to_string();
    for m in ["GET", "POST", "PUT", "DELETE"] {
        assert!(methods.contains(m), "{methods}");
    }
    // An auth-none relay never serves the views API.
    let mut cfg = relay::relay::RelayConfig::new("http://127.0.0.1:9", "1", "2");
    cfg.log = relay::relay::access_log::null_sink();
    let open =
        spawn_app(relay::relay::app(cfg, Some(axum::Router::new().route("/v1/views", get(|| async { "x" }))))).await;
    assert_eq!(client().get(format!("{open}/v1/views")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn rate_limits_per_user_and_failed_auth_per_address() {
    let mut cfg = two_tenants().await;
    cfg.rate_limit = Some(RateLimit { per_second: 0.01, burst: 2 });
    let relay = spawn(cfg).await;
    let ann = acme_token("ann", "counts");
    for _ in 0..2 {
        assert_eq!(call_as(&relay, "Interactions", Some(&ann), Some(ACME_ORIGIN)).await.0, 200);
    }
    let r = call_as(&relay, "Interactions", Some(&ann), Some(ACME_ORIGIN)).await;
    assert_refusal(&r, 429, "RATE_LIMITED", ACME_ORIGIN);
    assert!(r.1["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    // Another user of the same tenant, and the same sub in another tenant, have their own buckets.
    assert_eq!(call_as(&relay, "Interactions", Some(&acme_token("bob", "counts")), Some(ACME_ORIGIN)).await.0, 200);
    assert_eq!(call_as(&relay, "Interactions", Some(&beta_token("ann", "counts")), Some(BETA_ORIGIN)).await.0, 200);

    let mut cfg = two_tenants().await;
    cfg.failed_auth_limit = Some(RateLimit { per_second: 0.01, burst: 3 });
    let relay = spawn(cfg).await;
    for _ in 0..3 {
        assert_eq!(call_as(&relay, "Interactions", Some("forged.token.x"), Some(ACME_ORIGIN)).await.0, 401);
    }
    let r = call_as(&relay, "Interactions", Some("forged.token.x"), Some(ACME_ORIGIN)).await;
    assert_refusal(&r, 429, "RATE_LIMITED", ACME_ORIGIN);
    // From this address, even a good token waits now: the check comes before any verification.
    assert_eq!(call_as(&relay, "Interactions", Some(&ann), Some(ACME_ORIGIN)).await.0, 429);
}

#[tokio::test]
async fn logs_carry_tid_and_sub_never_a_token_or_key() {
    let logs = Logs::default();
    let mut cfg = two_tenants().await;
    cfg.log = logs.sink();
    let relay = spawn(cfg).await;
    let ann = acme_token("ann", "counts");
    let bob = beta_token("bob", "counts");
    let forged = format!("{}x", &ann[..ann.len() - 1]);
    assert_eq!(call_as(&relay, "Interactions", Some(&ann), Some(ACME_ORIGIN)).await.0, 200);
    assert_eq!(call_as(&relay, "Interactions", Some(&bob), Some(BETA_ORIGIN)).await.0, 200);
    assert_eq!(call_as(&relay, "Messages", Some(&ann), Some(ACME_ORIGIN)).await.0, 403);
    assert_eq!(call_as(&relay, "Interactions", Some(&forged), Some(ACME_ORIGIN)).await.0, 401);
    let lines = logs.lines();
    let access: Vec<Value> =
        lines.iter().map(|l| serde_json::from_str::<Value>(l).unwrap()).filter(|v| v["event"] == "access").collect();
    assert_eq!(access.len(), 4, "{lines:#?}");
    assert_eq!((access[0]["tid"].as_str(), access[0]["sub"].as_str()), (Some("acme"), Some("ann")));
    assert_eq!((access[1]["tid"].as_str(), access[1]["sub"].as_str()), (Some("beta"), Some("bob")));
    assert_eq!((access[2]["tid"].as_str(), access[2]["error"].as_str()), (Some("acme"), Some("FORBIDDEN")));
    assert_eq!(access[3]["error"], "UNAUTHORIZED");
    assert!(access[3]["tid"].is_null(), "an unverified token names no tenant in the log");
    for line in &lines {
        for secret in [ann.as_str(), bob.as_str(), forged.as_str(), ACME_KEY, BETA_KEY] {
            assert!(!line.contains(secret), "secret in a log line: {line}");
        }
        for part in ann.split('.').chain(bob.split('.')) {
            assert!(!line.contains(part), "token part in a log line: {line}");
        }
    }
}
