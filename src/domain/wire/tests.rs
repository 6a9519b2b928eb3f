use super::*;

fn ok(body: &str) -> RawResponse {
    RawResponse { status: 200, retry_after: None, body: body.into() }
}
fn err(status: u16, body: &str) -> RawResponse {
    RawResponse { status, retry_after: None, body: body.into() }
}

#[test]
fn counts_parse_and_ignore_unknown_fields() {
    let b = parse_counts(&ok(
        r#"{"code":"success","extra":1,"buckets":[{"start":0,"end":10,"counts":{"total":3,"café":1},"x":true}]}"#,
    ))
    .unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].counts["total"], 3);
    assert_eq!(b[0].counts["café"], 1);
}

#[test]
fn negative_or_fractional_counts_are_errors_not_numbers() {
    assert!(matches!(
        parse_counts(&ok(r#"{"buckets":[{"start":0,"end":1,"counts":{"a":-1}}]}"#)),
        Err(ApiError::BadShape { .. })
    ));
    assert!(matches!(
        parse_counts(&ok(r#"{"buckets":[{"start":0,"end":1,"counts":{"a":1.5}}]}"#)),
        Err(ApiError::BadShape { .. })
    ));
}

#[test]
fn html_bodies_keep_their_status() {
    let e = parse_counts(&err(502, "<html><body>Bad gateway</body></html>")).unwrap_err();
    assert_eq!(e.status(), 502);
    assert!(matches!(e, ApiError::NotJson { .. }));
    assert!(e.is_transient());
    let e = parse_counts(&ok("<!doctype html><p>login</p>")).unwrap_err();
    assert!(matches!(e, ApiError::NotJson { status: 200, .. }), "{e:?}");
}

#[test]
fn wrong_shape_is_an_error() {
    assert!(matches!(parse_counts(&ok(r#"{"code":"success"}"#)), Err(ApiError::BadShape { .. })));
    assert!(matches!(parse_counts(&ok(r#"[1,2]"#)), Err(ApiError::BadShape { .. })));
    assert!(matches!(parse_counts(&ok(r#"{"code":"error","buckets":[]}"#)), Err(ApiError::BadShape { .. })));
}

#[test]
fn contract_errors_are_classified() {
    let e =
        classify_error(&err(400, r#"{"code":"error","error":"RANGE_TOO_LARGE","message":"x","maxRangeMs":604800000}"#));
    assert_eq!(e, ApiError::RangeTooLarge { max_range_ms: Some(604_800_000) });
    let e = classify_error(&err(400, r#"{"code":"error","error":"RANGE_TOO_LARGE","message":"x"}"#));
    assert_eq!(e, ApiError::RangeTooLarge { max_range_ms: None });
    assert_eq!(classify_error(&err(400, r#"{"error":"TOO_MANY_RESULTS"}"#)), ApiError::TooManyResults);
    assert!(matches!(
        classify_error(&err(401, r#"{"error":"UNAUTHORIZED","message":"no"}"#)),
        ApiError::Unauthorized { .. }
    ));
    assert!(matches!(classify_error(&err(403, "")), ApiError::Forbidden { .. }));
    let e = classify_error(&RawResponse { status: 429, retry_after: Some("3".into()), body: "{}".into() });
    assert_eq!(e, ApiError::RateLimited { retry_after_ms: Some(3000) });
    let e = classify_error(&err(503, r#"{"code":"error","error":"UNAVAILABLE","message":"down"}"#));
    assert!(matches!(e, ApiError::Server { status: 503, .. }) && e.is_transient());
    assert!(!classify_error(&err(400, r#"{"error":"INVALID_PARAMETER","message":"bad"}"#)).is_transient());
    assert!(e.to_string().contains("503"));
}

#[test]
fn session_ids_keep_their_literal_text() {
    let m = parse_messages(&ok(
        r#"[{"text":"a","ts":1,"sessionid":"12.10"},{"text":"b","ts":2,"sessionid":12.10,"workflownodeid":7}]"#,
    ))
    .unwrap();
    assert_eq!(m[0].sessionid, "12.10");
    assert_eq!(m[1].sessionid, "12.10");
    assert_eq!(m[1].workflownodeid.as_deref(), Some("7"));
    assert!(parse_messages(&ok(r#"[{"text":"a","ts":1,"sessionid":true}]"#)).is_err());
}

#[test]
fn messages_need_a_timestamp() {
    assert!(matches!(parse_messages(&ok(r#"[{"text":"a","sessionid":"1.1"}]"#)), Err(ApiError::BadShape { .. })));
}

#[test]
fn urls_carry_ids_and_only_a_given_key() {
    let u = request_url("https://relay.example/", Endpoint::Intents, "10 20", "1021", None);
    assert_eq!(
        u,
        "https://relay.example/KoopidPartnerServer/api/APIEndpoint/Dashboard/Intents?providerId=10%2020&partnerId=1021"
    );
    assert!(request_url("r", Endpoint::Messages, "1", "2", Some("k&y")).ends_with("&apiKey=k%26y"));
}

#[test]
fn request_bodies_follow_the_contract() {
    let body = RequestBody { start_time: 1, end_time: 2, interval: None, timezone: "UTC", intenttype: None };
    assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"startTime":1,"endTime":2,"timezone":"UTC"}"#);
    let body = RequestBody {
        start_time: 1,
        end_time: 2,
        interval: Some("1d".into()),
        timezone: "Europe/Berlin",
        intenttype: Some("bot"),
    };
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"startTime":1,"endTime":2,"interval":"1d","timezone":"Europe/Berlin","intenttype":"bot"}"#
    );
}

#[test]
fn message_fields_follow_the_contract() {
    let body = r#"[
        {"text":"hi","ts":5,"sessionid":"7.1","sentiment":-0.25,"topic":"t","score":0.5,
         "topmatches":[{"topic":"a","score":0.4,"text":"m"},{"topic":"b"}],"future":{"x":[1,2,{"y":null}]},"other":"z"},
        {"ts":6,"sessionid":12.10},
        {"ts":7,"sessionid":-3,"workflownodeid":null,"sendername":null}
    ]"#;
    let m = parse_messages(&ok(body)).unwrap();
    assert_eq!(m.len(), 3);
    assert_eq!((m[0].text.as_str(), m[0].ts, m[0].sessionid.as_str(), m[0].sentiment), ("hi", 5, "7.1", -0.25));
    assert_eq!(m[0].topmatches.len(), 2);
    assert_eq!(m[0].topmatches[0], TopMatch { topic: "a".into(), score: 0.4, text: "m".into() });
    assert_eq!(m[0].topmatches[1], TopMatch { topic: "b".into(), score: 0.0, text: String::new() });
    // Optional fields may be absent: empty text, no sender, no topmatches.
    assert_eq!(m[1].sessionid, "12.10");
    assert_eq!(
        (m[1].text.as_str(), m[1].sendername.as_deref(), m[1].sentiment, m[1].topmatches.len()),
        ("", None, 0.0, 0)
    );
    assert_eq!(
        (m[2].sessionid.as_str(), m[2].workflownodeid.as_deref(), m[2].sendername.as_deref()),
        ("-3", None, None)
    );
}

#[test]
fn string_ids_are_decoded_only_when_escaped() {
    let m = parse_messages(&ok(r#"[{"ts":1,"sessionid":"12\u002e10","workflownodeid":"n\"1"},{"ts":2,"sessionid":"caf\u00e9 ü","workflownodeid":"x"}]"#)).unwrap();
    assert_eq!(m[0].sessionid, "12.10");
    assert_eq!(m[0].workflownodeid.as_deref(), Some("n\"1"));
    assert_eq!(m[1].sessionid, "café ü");
    assert_eq!(m[1].workflownodeid.as_deref(), Some("x"));
}

#[test]
fn bodies_that_are_not_json_stay_errors_wherever_the_fault_is() {
    // The messages are parsed in one pass; a fault anywhere, also inside a field
    // nobody reads, must still fail the whole answer (never silently fewer messages).
    let good = r#"{"text":"a","ts":1,"sessionid":"1.1"}"#;
    for bad in [
        format!("[{good},"),
        format!("[{good}] trailing"),
        format!("[{good},]"),
        format!(r#"[{good},{{"ts":2,"sessionid":"1.2","x":tru}}]"#),
        format!(r#"[{good},{{"ts":2,"sessionid":"1.2","x":01}}]"#),
        format!(r#"[{good},{{"ts":2,"sessionid":"1.2","x":"bad \x escape"}}]"#),
        format!("[{good},{{\"ts\":2,\"sessionid\":\"1.2\",\"x\":\"a\u{1}b\"}}]"),
        format!(r#"[{good},{{"ts":2,"sessionid":"1.2","x":[1,}}]"#),
        format!(r#"[{good},{{"ts":2,"sessionid":1.2.3}}]"#),
        "<html>502</html>".to_string(),
        String::new(),
    ] {
        let e = parse_messages(&ok(&bad)).unwrap_err();
        assert!(matches!(e, ApiError::NotJson { status: 200, .. }), "{bad}: {e:?}");
    }
    // Wrong shape first, broken JSON later: still NotJson, as before the one-pass parse.
    assert!(matches!(parse_messages(&ok(r#"[{"ts":"x"}, tru]"#)), Err(ApiError::NotJson { .. })));
}

#[test]
fn json_of_the_wrong_shape_is_a_bad_shape() {
    for bad in [
        r#"{"messages":[]}"#,
        r#"[{"text":"a","sessionid":"1.1"}]"#,
        r#"[{"text":"a","ts":"1","sessionid":"1.1"}]"#,
        r#"[{"text":"a","ts":1,"sessionid":"1.1","topmatches":{"topic":"x"}}]"#,
        r#"[{"text":"a","ts":1,"sessionid":"1.1","sentiment":"high"}]"#,
        r#"[{"text":"a","ts":1,"sessionid":null}]"#,
        r#"[{"text":"a","ts":1,"sessionid":"1.1","ts":2}]"#,
    ] {
        let e = parse_messages(&ok(bad)).unwrap_err();
        assert!(matches!(e, ApiError::BadShape { status: 200, .. }), "{bad}: {e:?}");
    }
    assert_eq!(parse_messages(&ok("[]")).unwrap(), Vec::new());
}

#[test]
fn bodies_decode_like_response_text() {
    assert_eq!(body_text(b"[1]".to_vec()), "[1]");
    assert_eq!(body_text("\u{feff}[\"é\"]".as_bytes().to_vec()), "[\"é\"]");
    assert_eq!(body_text(b"\"a\xFFb\"".to_vec()), "\"a\u{FFFD}b\"");
    assert_eq!(body_text(Vec::new()), "");
    // A BOM-prefixed array parses; a body with a broken byte inside a string still parses, with U+FFFD.
    let m =
        parse_messages(&ok(&body_text(b"\xEF\xBB\xBF[{\"ts\":1,\"sessionid\":\"1.1\",\"text\":\"x\xC3y\"}]".to_vec())))
            .unwrap();
    assert_eq!(m[0].text, "x\u{FFFD}y");
}
