use super::*;

fn b64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

pub(crate) fn jwt(payload: &str) -> String {
    format!("{}.{}.c2lnbmF0dXJl", b64(br#"{"alg":"EdDSA","kid":"k1"}"#), b64(payload.as_bytes()))
}

#[test]
fn base64url_round_trips() {
    for len in 0..40 {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
        assert_eq!(base64url_decode(&b64(&bytes)).unwrap(), bytes, "{len}");
    }
    assert_eq!(base64url_decode("aGk="), Some(b"hi".to_vec()));
    assert_eq!(base64url_decode("a+b/"), None);
    assert_eq!(base64url_decode("a"), None);
}

#[test]
fn claims_are_read() {
    let t = EmbedToken::parse(&jwt(
        r#"{"tid":"acme","sub":"u1","exp":1800000060,"iat":1800000000,"scope":"counts views","teams":["support","sales"],"name":"Ann <b>"}"#,
    ))
    .unwrap();
    let c = &t.claims;
    assert_eq!((c.tid.as_str(), c.sub.as_str(), c.exp, c.iat), ("acme", "u1", 1_800_000_060, Some(1_800_000_000)));
    assert_eq!(c.scopes, Scopes { counts: true, messages: false, views: true });
    assert_eq!(c.teams, ["support", "sales"]);
    assert_eq!(c.name.as_deref(), Some("Ann <b>"));
}

#[test]
fn scope_defaults_to_counts() {
    let c = parse_claims(&jwt(r#"{"tid":"a","sub":"u","exp":1800000000}"#)).unwrap();
    assert_eq!(c.scopes, Scopes { counts: true, messages: false, views: false });
    assert_eq!(Scopes::parse(Some("messages")), Scopes { counts: false, messages: true, views: false });
    assert!(Scopes::parse(Some("  counts\tmessages ")).messages);
    assert!(!Scopes::parse(Some("messagesx")).messages);
}

#[test]
fn bad_tokens_are_refused_with_a_reason() {
    let none = format!("{}.{}.x", b64(br#"{"alg":"none"}"#), b64(br#"{"tid":"a","sub":"u","exp":1800000000}"#));
    for (token, want) in [
        ("abc".to_string(), TokenError::Malformed("not three dot-separated parts")),
        ("a.b.c.d".to_string(), TokenError::Malformed("not three dot-separated parts")),
        ("..".to_string(), TokenError::Malformed("an empty part")),
        ("!!.e30.x".to_string(), TokenError::Malformed("the header is not base64url")),
        (none, TokenError::Malformed("alg none")),
        (jwt("[1]"), TokenError::Malformed("the payload is not a JSON object")),
        (jwt(r#"{"sub":"u","exp":1800000000}"#), TokenError::Claim("tid")),
        (jwt(r#"{"tid":"a","sub":"u","exp":"soon"}"#), TokenError::Claim("exp")),
        (jwt(r#"{"tid":"a","sub":"u"}"#), TokenError::Claim("exp")),
        (jwt(r#"{"tid":"a","exp":1800000000}"#), TokenError::Claim("sub")),
        (jwt(r#"{"tid":"a","sub":"u","exp":1800000000,"teams":"x"}"#), TokenError::Claim("teams")),
        (jwt(r#"{"tid":"a","sub":"u","exp":1800000000,"scope":["views"]}"#), TokenError::Claim("scope")),
    ] {
        assert_eq!(EmbedToken::parse(&token).unwrap_err(), want, "{token}");
    }
    assert_eq!(EmbedToken::parse(&"a".repeat(MAX_TOKEN_BYTES + 1)), Err(TokenError::TooLong));
}

#[test]
fn the_raw_token_never_appears_in_debug_output() {
    let raw = jwt(r#"{"tid":"a","sub":"u","exp":1800000000}"#);
    let t = EmbedToken::parse(&raw).unwrap();
    let dbg = format!("{t:?}");
    assert!(!dbg.contains(&raw) && !dbg.contains("c2lnbmF0dXJl"), "{dbg}");
    assert_eq!(&**t.raw(), raw.as_str());
}

fn claims(iat: Option<i64>, exp: i64) -> Claims {
    Claims { tid: "t".into(), sub: "u".into(), exp, iat, scopes: Scopes::WITHOUT_AUTH, teams: vec![], name: None }
}

#[test]
fn refresh_is_asked_a_minute_before_expiry() {
    let now = 1_800_000_000_000;
    // A 10-minute token just minted: ask after 9 minutes.
    assert_eq!(refresh_delay_ms(&claims(Some(1_800_000_000), 1_800_000_600), now), 540_000);
    // No iat: from exp alone.
    assert_eq!(refresh_delay_ms(&claims(None, 1_800_000_600), now), 540_000);
    // A 40 s token: halfway.
    assert_eq!(refresh_delay_ms(&claims(Some(1_800_000_000), 1_800_000_040), now), 20_000);
}

#[test]
fn a_skewed_clock_neither_delays_nor_loops() {
    let c = claims(Some(1_800_000_000), 1_800_000_600);
    // The browser's clock 5 minutes behind the portal's: exp looks 15 minutes away,
    // but the token lives 10: still asked after 9.
    assert_eq!(refresh_delay_ms(&c, 1_800_000_000_000 - 300_000), 540_000);
    // The browser's clock an hour ahead: exp looks past; the lifetime counts from now.
    assert_eq!(refresh_delay_ms(&c, 1_800_003_600_000), 540_000);
    // An almost expired token: asked soon, but never at once.
    assert_eq!(refresh_delay_ms(&c, 1_800_000_590_000), MIN_REFRESH_DELAY_MS);
    assert_eq!(refresh_delay_ms(&claims(None, 1_800_000_000), 1_900_000_000_000), MIN_REFRESH_DELAY_MS);
}

#[test]
fn the_fragment_token_is_taken_out() {
    assert_eq!(take_fragment_token("#token=a.b.c"), (Some("a.b.c".into()), String::new()));
    assert_eq!(take_fragment_token("#x=1&token=a.b.c&y"), (Some("a.b.c".into()), "#x=1&y".into()));
    assert_eq!(take_fragment_token(""), (None, String::new()));
    assert_eq!(take_fragment_token("#section"), (None, "#section".into()));
    // A second token= is dropped too: nothing token-like stays in the address bar.
    assert_eq!(take_fragment_token("#token=a&token=b"), (Some("a".into()), String::new()));
}

#[test]
fn token_messages_are_recognised() {
    use serde_json::json;
    assert_eq!(token_in_message(&json!({"type": TOKEN_MESSAGE, "token": "a.b.c"})), Some("a.b.c"));
    for other in [
        json!({"type": TOKEN_REQUEST}),
        json!({"type": TOKEN_MESSAGE}),
        json!({"type": TOKEN_MESSAGE, "token": 5}),
        json!({"type": TOKEN_MESSAGE, "token": ""}),
        json!("engagement-dashboard:token"),
        json!(null),
    ] {
        assert_eq!(token_in_message(&other), None, "{other}");
    }
}
