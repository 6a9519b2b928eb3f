use std::path::PathBuf;

use serde_json::json;

use super::*;

fn parse(args: &[&str]) -> Result<Settings, String> {
    RelayCli::try_parse_from(args).map_err(|e| e.to_string())?.settings()
}

fn keys_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/http/keys")
}

/// A scratch directory, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("relay-cli-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn write(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn flags_need_auth_none_said_out_loud() {
    let base = ["relay", "--auth", "none", "--provider-id", "1020", "--partner-id", "1021"];
    let c = parse(&base).unwrap();
    assert_eq!(c.relay.auth, Auth::None);
    assert_eq!(c.relay.tenants[0].allow_origins.len(), 2, "dev origins by default");
    assert_eq!(c.relay.tenants[0].upstream.base, "http://127.0.0.1:8787");
    assert_eq!(c.relay.rate_limit, Some(RateLimit::default()));
    assert_eq!(c.addr, "127.0.0.1:8788");
    let mut args = base.to_vec();
    args.extend([
        "--allow-origin",
        "https://A.example",
        "--upstream",
        "https://api.example/",
        "--rate-limit-per-second",
        "0",
    ]);
    let c = parse(&args).unwrap();
    assert_eq!(c.relay.tenants[0].allow_origins, vec![Origin::parse("https://a.example").unwrap()]);
    assert_eq!(c.relay.tenants[0].upstream.base, "https://api.example");
    assert_eq!(c.relay.rate_limit, None);
    for bad in ["*", "https://*.example", "https://a.example/path", "a.example", "https://user@a.example"] {
        let mut args = base.to_vec();
        args.extend(["--allow-origin", bad]);
        assert!(RelayCli::try_parse_from(args).is_err(), "{bad}");
    }
    assert!(parse(&["relay", "--auth", "none", "--provider-id", "1"]).unwrap_err().contains("partnerId"));
    // Without tenants and without `auth none`, no relay: no authentication is never a default.
    let e = parse(&["relay", "--provider-id", "1020", "--partner-id", "1021"]).unwrap_err();
    assert!(e.contains("--auth none") && e.contains("tenants"), "{e}");
    assert!(parse(&["relay", "--auth", "token"]).unwrap_err().contains("tenants"));
    assert!(parse(&["relay", "--auth", "maybe", "--provider-id", "1", "--partner-id", "2"]).is_err());
}

#[test]
fn single_tenant_file_under_flags() {
    let dir = Dir::new("single");
    dir.write("key", "file-s3cret\n");
    let text = json!({
        "auth": "none", "addr": "0.0.0.0:9999", "upstream": "https://vendor.example/", "providerId": "7", "partnerId": "8",
        "apiKeyFile": "key", "allowOrigins": ["https://portal.example"], "upstreamTimeoutMs": 1234,
        "rateLimitPerSecond": 5, "rateLimitBurst": 10, "maxUpstreamBytes": 1000
    });
    let path = dir.write("relay.json", &text.to_string());
    let c = parse(&["relay", "--config", &path]).unwrap();
    let t = &c.relay.tenants[0];
    assert_eq!((c.addr.as_str(), t.upstream.base.as_str()), ("0.0.0.0:9999", "https://vendor.example"));
    assert_eq!((t.upstream.provider_id.as_str(), t.upstream.partner_id.as_str()), ("7", "8"));
    assert_eq!(t.upstream.api_key.as_deref(), Some("file-s3cret"), "apiKeyFile relative to the config file");
    assert_eq!(t.allow_origins, vec![Origin::parse("https://portal.example").unwrap()]);
    assert_eq!(c.relay.upstream_timeout, Duration::from_millis(1234));
    assert_eq!(c.relay.max_upstream_bytes, 1000);
    assert_eq!(c.relay.rate_limit, Some(RateLimit { per_second: 5.0, burst: 10 }));
    let c = parse(&["relay", "--config", &path, "--provider-id", "9", "--addr", "127.0.0.1:0"]).unwrap();
    assert_eq!((c.relay.tenants[0].upstream.provider_id.as_str(), c.addr.as_str()), ("9", "127.0.0.1:0"));
    // Typos and bad values are errors, not silent defaults.
    let p = dir
        .write("typo.json", r#"{"auth":"none","providerId":"1","partnerId":"2","allowOrigin":["https://x.example"]}"#);
    assert!(parse(&["relay", "--config", &p]).unwrap_err().contains("allowOrigin"));
    let p = dir.write("star.json", r#"{"auth":"none","providerId":"1","partnerId":"2","allowOrigins":["*"]}"#);
    assert!(parse(&["relay", "--config", &p]).is_err());
}

fn pem(name: &str) -> String {
    std::fs::read_to_string(keys_dir().join(name)).unwrap()
}

fn tenant_json(id: &str, issuer: &str) -> serde_json::Value {
    json!({
        "id": id, "issuer": issuer,
        "keys": [ { "kid": "ed", "alg": "EdDSA", "publicKeyPem": pem("ed25519.pub.pem") },
                  { "kid": "rs", "alg": "RS256", "publicKeyFile": keys_dir().join("rs256.pub.pem") },
                  { "kid": "hs", "alg": "HS256", "secretFile": "hs.secret" } ],
        "upstream": "https://vendor.example", "providerId": "1020", "partnerId": "1021",
        "apiKey": format!("key-of-{id}-s3cret"), "allowOrigins": ["https://Dash.Acme.example"]
    })
}

#[test]
fn tenants_file() {
    let dir = Dir::new("tenants");
    dir.write("hs.secret", "0123456789abcdef0123456789abcdef\n");
    let good = json!({ "audience": "dash", "maxTokenLifetimeSecs": 900, "database": "postgres://u:pw@db/views",
                       "tenants": [tenant_json("acme", "https://portal.acme.example"), tenant_json("beta", "https://beta.example")] });
    let path = dir.write("relay.json", &good.to_string());
    let c = parse(&["relay", "--config", &path]).unwrap();
    assert_eq!(
        c.relay.auth,
        Auth::Token(TokenPolicy { audience: "dash".into(), max_lifetime_secs: 900, leeway_secs: 60 })
    );
    assert_eq!(c.relay.tenants.len(), 2);
    assert_eq!(c.relay.tenants[0].keys.len(), 3);
    assert_eq!(c.relay.tenants[1].allow_origins[0].as_str(), "https://dash.acme.example");
    assert_eq!(c.relay.database, "postgres://u:pw@db/views");
    // check-config lists tenants and never a secret.
    let report = describe(&c);
    assert!(report.contains("acme") && report.contains("beta") && report.contains("hs (HS256)"), "{report}");
    for secret in ["key-of-acme-s3cret", "0123456789abcdef", "pw@", "BEGIN"] {
        assert!(!report.contains(secret), "{secret} in {report}");
    }
    assert!(!format!("{c:?}").contains("s3cret") && !format!("{c:?}").contains("pw@"), "Debug hides secrets");
    // Defaults: audience, lifetime, database; auth token is implied by tenants.
    let path = dir.write("min.json", &json!({ "tenants": [tenant_json("acme", "i")] }).to_string());
    let c = parse(&["relay", "--config", &path]).unwrap();
    assert_eq!(c.relay.auth, Auth::Token(TokenPolicy::default()));
    assert_eq!(c.relay.database, "sqlite://relay-views.db");
}

#[test]
fn bad_tenant_files_are_start_up_errors() {
    let dir = Dir::new("bad");
    dir.write("hs.secret", "0123456789abcdef0123456789abcdef");
    dir.write("short.secret", "only-16-bytes-xx");
    let t = || tenant_json("acme", "https://portal.acme.example");
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (json!({ "tenants": [t(), t()] }), "duplicate tenant id"),
        (json!({ "tenants": [t(), tenant_json("beta", "https://portal.acme.example")] }), "issuer"),
        (json!({ "tenants": [t()], "auth": "none" }), "auth none"),
        (json!({ "tenants": [t()], "upstream": "https://x.example" }), "inside each tenant"),
        (json!({ "tenants": [t()], "tenantz": [] }), "tenantz"),
        (json!({ "tenants": [] }), "empty"),
        (json!({ "tenants": [t()], "maxTokenLifetimeSecs": 0 }), "maxTokenLifetimeSecs"),
    ];
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let mut edits: Vec<(Edit, &str)> = vec![
        (Box::new(|v| v["keys"][1]["kid"] = json!("ed")), "duplicate kid"),
        (Box::new(|v| v["keys"][2]["secretFile"] = json!("short.secret")), "at least 32"),
        (Box::new(|v| v["keys"][2] = json!({ "kid": "h", "alg": "HS256", "secret": "x".repeat(31) })), "at least 32"),
        (Box::new(|v| v["keys"][0]["alg"] = json!("none")), "alg"),
        (Box::new(|v| v["keys"][0]["alg"] = json!("RS256")), "RS256"),
        (Box::new(|v| v["keys"][0]["publicKeyPem"] = json!(pem("ed25519.pem"))), "PRIVATE"),
        (Box::new(|v| v["keys"][0]["secret"] = json!("x".repeat(40))), "not a secret"),
        (Box::new(|v| v["keys"][0]["extra"] = json!(1)), "extra"),
        (Box::new(|v| v["keys"] = json!([])), "at least one key"),
        (Box::new(|v| v["allowOrigins"] = json!(["https://x.example/path"])), "allowOrigins"),
        (Box::new(|v| v["apiKeyFile"] = json!("missing-file")), "not both"),
        (
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("apiKey");
                v["apiKeyFile"] = json!("missing-file");
            }),
            "missing-file",
        ),
        (Box::new(|v| v["upstream"] = json!("ftp://x")), "base URL"),
        (Box::new(|v| v["id"] = json!("")), "id"),
        (Box::new(|v| v["keys"][1]["publicKeyFile"] = json!("nope.pem")), "nope.pem"),
    ];
    for (mut_fn, want) in edits.drain(..) {
        let mut tenant = t();
        mut_fn(&mut tenant);
        let path = dir.write("edit.json", &json!({ "tenants": [tenant] }).to_string());
        let e = parse(&["relay", "--config", &path]).unwrap_err();
        assert!(e.contains(want), "want {want:?} in: {e}");
        assert!(e.contains("tenants[0]") || e.contains("line 1 column"), "the error says where: {e}");
    }
    for (file, want) in cases {
        let path = dir.write("case.json", &file.to_string());
        let e = parse(&["relay", "--config", &path]).unwrap_err();
        assert!(e.contains(want), "want {want:?} in: {e}");
    }
    // Single-tenant flags do not mix with tenants either.
    let path = dir.write("ok.json", &json!({ "tenants": [t()] }).to_string());
    assert!(parse(&["relay", "--config", &path, "--provider-id", "1"]).unwrap_err().contains("inside each tenant"));
}

#[test]
fn mint_token_args() {
    let a = RelayCli::try_parse_from([
        "relay",
        "mint-token",
        "--key-file",
        keys_dir().join("ed25519.pem").to_str().unwrap(),
        "--kid",
        "ed",
        "--tid",
        "acme",
        "--iss",
        "https://portal.acme.example",
        "--sub",
        "u1",
        "--scope",
        "counts views",
        "--ttl-secs",
        "120",
        "--teams",
        "a,b",
        "--name",
        "Ann",
    ])
    .unwrap();
    let Some(Command::MintToken(m)) = a.command else { panic!("not mint-token") };
    let token = m.mint().unwrap();
    let payload = token.split('.').nth(1).unwrap();
    use base64::Engine as _;
    let claims: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(claims["tid"], "acme");
    assert_eq!(claims["teams"], json!(["a", "b"]));
    assert_eq!(claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(), 120);
    assert!(RelayCli::try_parse_from(["relay", "check-config", "x.json"]).is_ok());
}
