//! Token-auth fixtures for the HTTP tests: two tenants on one relay, each with
//! its own strict mock upstream, and minting with the test-only keys in `keys/`.

use std::sync::{Arc, Mutex};

use mock_de::MockConfig;
use relay::auth::keys::{KeyAlg, SigningKey, VerifyKey};
use relay::auth::TokenPolicy;
use relay::relay::origin::Origin;
use relay::relay::{RelayConfig, Tenant, Upstream};
use serde_json::{json, Value};

use super::*;

pub const ACME_ORIGIN: &str = "https://dash.acme.example";
pub const BETA_ORIGIN: &str = "https://dash.beta.example";
pub const ACME_ISS: &str = "https://portal.acme.example";
pub const BETA_ISS: &str = "https://portal.beta.example";
pub const ACME_KEY: &str = "acme-vendor-s3cret";
pub const BETA_KEY: &str = "beta-vendor-s3cret";
pub const HS_SECRET: &[u8] = b"acme-hs256-secret-of-at-least-32-bytes!";

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/http/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The signing key of `alg` (test fixtures), named `kid`.
pub fn signer(alg: KeyAlg, kid: &str) -> SigningKey {
    let kid = Some(kid.to_string());
    match alg {
        KeyAlg::EdDSA => SigningKey::private_pem(kid, alg, &fixture("ed25519.pem")).unwrap(),
        KeyAlg::ES256 => SigningKey::private_pem(kid, alg, &fixture("es256.pem")).unwrap(),
        KeyAlg::RS256 => SigningKey::private_pem(kid, alg, &fixture("rs256.pem")).unwrap(),
        KeyAlg::HS256 => SigningKey::hmac(kid, HS_SECRET).unwrap(),
    }
}

pub fn verify_key(alg: KeyAlg, kid: &str) -> VerifyKey {
    match alg {
        KeyAlg::EdDSA => VerifyKey::public_pem(kid, alg, &fixture("ed25519.pub.pem")).unwrap(),
        KeyAlg::ES256 => VerifyKey::public_pem(kid, alg, &fixture("es256.pub.pem")).unwrap(),
        KeyAlg::RS256 => VerifyKey::public_pem(kid, alg, &fixture("rs256.pub.pem")).unwrap(),
        KeyAlg::HS256 => VerifyKey::hmac(kid, HS_SECRET).unwrap(),
    }
}

/// Claims of a fresh acme token for `sub` with `scope`.
pub fn acme_claims(sub: &str, scope: &str) -> Value {
    let now = relay::auth::now_secs();
    json!({ "tid": "acme", "iss": ACME_ISS, "aud": "engagement-dashboard", "sub": sub, "scope": scope,
            "iat": now, "exp": now + 300 })
}

pub fn beta_claims(sub: &str, scope: &str) -> Value {
    let mut c = acme_claims(sub, scope);
    c["tid"] = json!("beta");
    c["iss"] = json!(BETA_ISS);
    c
}

/// acme signs with EdDSA (kid "ed"), RS256 ("rs") or HS256 ("hs"); beta with ES256 ("es").
pub fn acme_token(sub: &str, scope: &str) -> String {
    signer(KeyAlg::EdDSA, "ed").sign(&acme_claims(sub, scope)).unwrap()
}

pub fn beta_token(sub: &str, scope: &str) -> String {
    signer(KeyAlg::ES256, "es").sign(&beta_claims(sub, scope)).unwrap()
}

/// Log lines the relay wrote.
#[derive(Clone, Default)]
pub struct Logs(pub Arc<Mutex<Vec<String>>>);

impl Logs {
    pub fn sink(&self) -> relay::relay::access_log::LogSink {
        let lines = self.0.clone();
        Arc::new(move |l: &str| lines.lock().unwrap().push(l.to_string()))
    }
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// acme (provider 1020, key ACME_KEY) and beta (provider 2020, key BETA_KEY), each
/// in front of its own mock that insists on its own key and provider.
pub async fn two_tenants() -> RelayConfig {
    let acme_mock = spawn_mock(MockConfig {
        api_key: Some(ACME_KEY.into()),
        allowed_providers: vec!["1020".into()],
        ..MockConfig::default()
    })
    .await;
    let beta_mock = spawn_mock(MockConfig {
        api_key: Some(BETA_KEY.into()),
        allowed_providers: vec!["2020".into()],
        ..MockConfig::default()
    })
    .await;
    let tenant = |id: &str, iss: &str, keys, mock: &str, provider: &str, key: &str, origin: &str| {
        let mut upstream = Upstream::new(mock, provider, "1021");
        upstream.api_key = Some(key.into());
        Tenant {
            id: id.into(),
            issuer: iss.into(),
            keys,
            upstream,
            allow_origins: vec![Origin::parse(origin).unwrap()],
        }
    };
    let acme_keys =
        vec![verify_key(KeyAlg::EdDSA, "ed"), verify_key(KeyAlg::RS256, "rs"), verify_key(KeyAlg::HS256, "hs")];
    let beta_keys = vec![verify_key(KeyAlg::ES256, "es")];
    let mut cfg = RelayConfig::with_tenants(
        TokenPolicy::default(),
        vec![
            tenant("acme", ACME_ISS, acme_keys, &acme_mock, "1020", ACME_KEY, ACME_ORIGIN),
            tenant("beta", BETA_ISS, beta_keys, &beta_mock, "2020", BETA_KEY, BETA_ORIGIN),
        ],
    );
    cfg.log = relay::relay::access_log::null_sink();
    cfg
}

pub async fn spawn(cfg: RelayConfig) -> String {
    spawn_app(relay::relay::app(cfg, None)).await
}

pub async fn spawn_app(app: axum::Router) -> String {
    let (l, a) = relay::bind("127.0.0.1:0").await.unwrap();
    tokio::spawn(relay::relay::server::serve_app(l, app, std::time::Duration::from_secs(10), std::future::pending()));
    format!("http://{a}")
}

/// A Dashboard call with a token (or none) from `origin` (or none).
pub async fn call_as(
    relay: &str,
    name: &str,
    token: Option<&str>,
    origin: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let body = if name == "Messages" {
        json!({ "startTime": T0, "endTime": T0 + H })
    } else if name == "Intents" {
        json!({ "startTime": T0, "endTime": T0 + H, "interval": "1h", "intenttype": "bot" })
    } else {
        counts_body(T0, T0 + H, "1h")
    };
    let mut req = client().post(format!("{relay}{DASH}/{name}")).header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let r = req.body(body.to_string()).send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}
