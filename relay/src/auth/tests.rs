//! Every claim rule of the contract, against the verifier directly (the HTTP
//! shape of the refusals is tested in `tests/http`).

use serde_json::{json, Value};

use super::keys::{KeyAlg, SigningKey, VerifyKey};
use super::*;
use crate::relay::config::Upstream;

const NOW: u64 = 1_800_000_000;
const ISS: &str = "https://portal.acme.example";
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-hs256";

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/http/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn signer(alg: KeyAlg, kid: &str) -> SigningKey {
    let kid = Some(kid.to_string());
    match alg {
        KeyAlg::EdDSA => SigningKey::private_pem(kid, alg, &fixture("ed25519.pem")).unwrap(),
        KeyAlg::ES256 => SigningKey::private_pem(kid, alg, &fixture("es256.pem")).unwrap(),
        KeyAlg::RS256 => SigningKey::private_pem(kid, alg, &fixture("rs256.pem")).unwrap(),
        KeyAlg::HS256 => SigningKey::hmac(kid, SECRET).unwrap(),
    }
}

fn public_pem(alg: KeyAlg) -> String {
    fixture(match alg {
        KeyAlg::EdDSA => "ed25519.pub.pem",
        KeyAlg::ES256 => "es256.pub.pem",
        KeyAlg::RS256 => "rs256.pub.pem",
        KeyAlg::HS256 => unreachable!(),
    })
}

fn verify_key(alg: KeyAlg, kid: &str) -> VerifyKey {
    match alg {
        KeyAlg::HS256 => VerifyKey::hmac(kid, SECRET).unwrap(),
        _ => VerifyKey::public_pem(kid, alg, &public_pem(alg)).unwrap(),
    }
}

fn tenant(id: &str, issuer: &str, keys: Vec<VerifyKey>) -> Arc<Tenant> {
    Arc::new(Tenant {
        id: id.into(),
        issuer: issuer.into(),
        keys,
        upstream: Upstream::new("http://127.0.0.1:9", "1", "2"),
        allow_origins: Vec::new(),
    })
}

/// acme: one key per algorithm; solo: a single key (kid optional).
fn verifier() -> Verifier {
    let acme = tenant("acme", ISS, KeyAlg::ALL.iter().map(|a| verify_key(*a, a.name())).collect());
    let solo = tenant("solo", "https://solo.example", vec![verify_key(KeyAlg::EdDSA, "only")]);
    Verifier::new(&[acme, solo], TokenPolicy::default())
}

fn claims() -> Value {
    json!({ "tid": "acme", "iss": ISS, "aud": DEFAULT_AUDIENCE, "sub": "user-1", "iat": NOW - 10, "exp": NOW + 590 })
}

fn with(mut c: Value, k: &str, v: Value) -> Value {
    if v.is_null() {
        c.as_object_mut().unwrap().remove(k);
    } else {
        c[k] = v;
    }
    c
}

fn mint(alg: KeyAlg, c: &Value) -> String {
    signer(alg, alg.name()).sign(c).unwrap()
}

fn refused(token: &str) -> String {
    match verifier().verify(token, NOW) {
        Ok((_, p)) => panic!("accepted: {p:?}"),
        Err(Invalid(m)) => {
            assert!(
                (token.is_empty() || !m.contains(token))
                    && token.split('.').all(|part| part.len() < 8 || !m.contains(part)),
                "{m}"
            );
            m
        }
    }
}

fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

#[test]
fn each_algorithm_verifies_and_yields_the_principal() {
    for alg in KeyAlg::ALL {
        let c = with(claims(), "teams", json!(["t1", "t2"]));
        let c = with(with(c, "name", json!("Ann")), "scope", json!("counts messages views bogus"));
        let (t, p) = verifier().verify(&mint(alg, &c), NOW).unwrap_or_else(|e| panic!("{alg:?}: {e:?}"));
        assert_eq!(t.id, "acme");
        assert_eq!(p.tenant, "acme");
        assert_eq!(p.sub, "user-1");
        assert_eq!(p.name.as_deref(), Some("Ann"));
        assert_eq!(p.teams, vec!["t1", "t2"]);
        assert_eq!(p.scopes, vec![Scope::Counts, Scope::Messages, Scope::Views]);
    }
    let (_, p) = verifier().verify(&mint(KeyAlg::EdDSA, &claims()), NOW).unwrap();
    assert_eq!(p.scopes, vec![Scope::Counts], "scope defaults to counts");
}

#[test]
fn tampering_breaks_the_signature() {
    for alg in KeyAlg::ALL {
        let token = mint(alg, &claims());
        let parts: Vec<&str> = token.split('.').collect();
        let forged_payload = format!("{}.{}.{}", parts[0], b64(&with(claims(), "sub", json!("admin"))), parts[2]);
        assert!(refused(&forged_payload).contains("signature"), "{alg:?}");
        let mut sig = parts[2].as_bytes().to_vec();
        sig[4] = if sig[4] == b'A' { b'B' } else { b'A' };
        let forged_sig = format!("{}.{}.{}", parts[0], parts[1], String::from_utf8(sig).unwrap());
        assert!(refused(&forged_sig).contains("signature"), "{alg:?}");
    }
}

#[test]
fn a_public_key_is_never_an_hmac_secret() {
    for alg in [KeyAlg::EdDSA, KeyAlg::ES256, KeyAlg::RS256] {
        // The attacker knows the public key and signs HS256 with it, naming its kid.
        let forged = SigningKey::hmac(Some(alg.name().into()), public_pem(alg).as_bytes()).unwrap();
        let m = refused(&forged.sign(&claims()).unwrap());
        assert!(m.contains("not the algorithm of this kid"), "{alg:?}: {m}");
    }
}

#[test]
fn alg_none_and_other_algs_are_refused() {
    for alg in ["none", "None", "NONE"] {
        let token = format!("{}.{}.", b64(&json!({ "alg": alg, "kid": "EdDSA" })), b64(&claims()));
        assert!(refused(&token).contains("alg none"), "{alg}");
        assert!(refused(&format!("{token}c2ln")).contains("alg none"), "{alg} with a signature");
    }
    for alg in ["HS512", "RS512", "PS256", "ES384", "eddsa"] {
        let token = format!("{}.{}.c2ln", b64(&json!({ "alg": alg, "kid": "HS256" })), b64(&claims()));
        assert!(refused(&token).contains("alg not accepted"), "{alg}");
    }
}

#[test]
fn time_claims_with_60_s_leeway() {
    let ok = |c: Value| verifier().verify(&mint(KeyAlg::EdDSA, &c), NOW).map(|_| ()).map_err(|e| e.0);
    assert!(ok(with(claims(), "exp", json!(NOW - 30))).is_ok(), "expired within the leeway");
    assert!(ok(with(claims(), "exp", json!(NOW - 61))).unwrap_err().contains("expired"));
    assert!(ok(with(claims(), "nbf", json!(NOW + 30))).is_ok(), "nbf within the leeway");
    assert!(ok(with(claims(), "nbf", json!(NOW + 61))).unwrap_err().contains("not yet valid"));
    assert!(ok(with(claims(), "iat", json!(NOW + 30))).is_ok(), "iat within the leeway");
    assert!(ok(with(claims(), "iat", json!(NOW + 120))).unwrap_err().contains("future"));
    assert!(ok(with(claims(), "iat", Value::Null)).unwrap_err().contains("no iat"));
    assert!(ok(with(claims(), "exp", Value::Null)).unwrap_err().contains("no exp"));
    // Wrongly typed time claims are refused, not skipped.
    assert!(ok(with(claims(), "exp", json!((NOW + 60).to_string()))).is_err());
    assert!(ok(with(claims(), "nbf", json!((NOW + 600).to_string()))).is_err());
    assert!(ok(with(claims(), "iat", json!("yesterday"))).unwrap_err().contains("iat"));
}

#[test]
fn lifetime_cap() {
    let ok = |iat: u64, exp: u64| {
        let c = with(with(claims(), "iat", json!(iat)), "exp", json!(exp));
        verifier().verify(&mint(KeyAlg::HS256, &c), NOW).map(|_| ()).map_err(|e| e.0)
    };
    assert!(ok(NOW - 100, NOW - 100 + 3600).is_ok());
    assert!(ok(NOW - 100, NOW - 100 + 3601).unwrap_err().contains("lifetime"));
    assert!(ok(NOW, NOW + 86_400 * 365).unwrap_err().contains("lifetime"));
}

#[test]
fn audience_issuer_subject() {
    let m = |c: Value| refused(&mint(KeyAlg::ES256, &c));
    assert!(m(with(claims(), "aud", json!("other-app"))).contains("audience"));
    assert!(m(with(claims(), "aud", json!(["a", "b"]))).contains("audience"));
    assert!(m(with(claims(), "aud", Value::Null)).contains("no aud"));
    let both = with(claims(), "aud", json!(["other", DEFAULT_AUDIENCE]));
    assert!(verifier().verify(&mint(KeyAlg::ES256, &both), NOW).is_ok(), "aud may contain ours");
    assert!(m(with(claims(), "iss", json!("https://solo.example"))).contains("issuer"));
    assert!(m(with(claims(), "iss", Value::Null)).contains("no iss"));
    assert!(m(with(claims(), "sub", Value::Null)).contains("no sub"));
    assert!(m(with(claims(), "sub", json!(""))).contains("sub"));
    assert!(m(with(claims(), "sub", json!("x".repeat(257)))).contains("sub"));
    assert!(m(with(claims(), "sub", json!(42))).contains("sub"));
    assert!(verifier().verify(&mint(KeyAlg::ES256, &with(claims(), "sub", json!("é".repeat(256)))), NOW).is_ok());
}

#[test]
fn tenant_and_kid_selection() {
    let m = |c: Value| refused(&mint(KeyAlg::EdDSA, &c));
    assert!(m(with(claims(), "tid", json!("nobody"))).contains("unknown tenant"));
    assert!(m(with(claims(), "tid", Value::Null)).contains("no tid"));
    assert!(m(with(claims(), "tid", json!(["acme"]))).contains("tid must be a string"));
    // A kid the tenant does not have.
    let other = signer(KeyAlg::EdDSA, "2019-old").sign(&claims()).unwrap();
    assert!(refused(&other).contains("unknown kid"));
    // No kid: fine for a one-key tenant, refused when it has several.
    let no_kid = SigningKey::private_pem(None, KeyAlg::EdDSA, &fixture("ed25519.pem")).unwrap();
    assert!(refused(&no_kid.sign(&claims()).unwrap()).contains("several keys"));
    let solo = with(with(claims(), "tid", json!("solo")), "iss", json!("https://solo.example"));
    assert!(verifier().verify(&no_kid.sign(&solo).unwrap(), NOW).is_ok());
    // Only the token's tenant's keys verify it: solo's key is acme's EdDSA key
    // too, but a solo token naming acme's issuer is still solo's and fails on iss.
    let cross = with(solo, "iss", json!(ISS));
    assert!(refused(&no_kid.sign(&cross).unwrap()).contains("issuer"));
}

#[test]
fn teams_and_scope_shapes() {
    let m = |c: Value| refused(&mint(KeyAlg::RS256, &c));
    let fifty: Vec<String> = (0..50).map(|i| format!("t{i}")).collect();
    let c = with(claims(), "teams", json!(fifty));
    assert_eq!(verifier().verify(&mint(KeyAlg::RS256, &c), NOW).unwrap().1.teams.len(), 50);
    let fifty_one: Vec<String> = (0..51).map(|i| format!("t{i}")).collect();
    assert!(m(with(claims(), "teams", json!(fifty_one))).contains("teams"));
    assert!(m(with(claims(), "teams", json!([1, 2]))).contains("teams"));
    assert!(m(with(claims(), "teams", json!("t1"))).contains("teams"));
    assert!(m(with(claims(), "scope", json!(["counts"]))).contains("scope"));
    let c = with(claims(), "scope", json!("views"));
    assert_eq!(verifier().verify(&mint(KeyAlg::RS256, &c), NOW).unwrap().1.scopes, vec![Scope::Views]);
}

#[test]
fn malformed_tokens() {
    for t in ["", "abc", "a.b", "a.b.c", "....", "eyJhbGciOiJFZERTQSJ9", &"x".repeat(9000)] {
        let m = refused(t);
        assert!(m.contains("malformed") || m.contains("alg"), "{t:.20}: {m}");
    }
    // A valid header with a payload that is not JSON.
    let token = mint(KeyAlg::HS256, &claims());
    let parts: Vec<&str> = token.split('.').collect();
    assert!(refused(&format!("{}.bm90IGpzb24.{}", parts[0], parts[2])).contains("malformed"));
}

#[test]
fn key_config_rules() {
    assert!(VerifyKey::hmac("k", b"too short").unwrap_err().contains("at least 32"));
    assert!(
        VerifyKey::public_pem("k", KeyAlg::EdDSA, &public_pem(KeyAlg::RS256)).is_err(),
        "an RSA key is not Ed25519"
    );
    assert!(VerifyKey::public_pem("k", KeyAlg::ES256, &public_pem(KeyAlg::EdDSA)).is_err());
    assert!(VerifyKey::public_pem("k", KeyAlg::RS256, "not a pem").is_err());
    assert!(VerifyKey::public_pem("k", KeyAlg::EdDSA, &fixture("ed25519.pem")).unwrap_err().contains("PRIVATE"));
    assert!(VerifyKey::public_pem("k", KeyAlg::HS256, &public_pem(KeyAlg::EdDSA)).is_err());
    assert!(format!("{:?}", VerifyKey::hmac("k", SECRET).unwrap()).find("0123456789").is_none(), "Debug hides secrets");
}

#[test]
fn generated_dev_keys_work() {
    let (private, public) = keys::generate_ed25519().unwrap();
    let t = tenant("dev", "dev-portal", vec![VerifyKey::public_pem("dev", KeyAlg::EdDSA, &public).unwrap()]);
    let v = Verifier::new(&[t], TokenPolicy::default());
    let c = with(with(claims(), "tid", json!("dev")), "iss", json!("dev-portal"));
    let token = SigningKey::private_pem(Some("dev".into()), KeyAlg::EdDSA, &private).unwrap().sign(&c).unwrap();
    assert!(v.verify(&token, NOW).is_ok());
}
