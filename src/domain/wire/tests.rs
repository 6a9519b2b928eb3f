use super::*;

fn ok(body: &str) -> RawResponse {
    RawResponse { status: 200, retry_after: None, body: body.into() }
}
fn err(status: u16, body: &str) -> RawResponse {
    RawResponse { status, retry_after: None, body: body.into() }
}

#[test]
fn counts_parse_and_ignore_unknown_fields() {
    let b = parse_counts(&ok(r#"{"code":"success","extra":1,"buckets":[{"start":0,"end":10,"counts":{"total":3,"café":1},"x":true}]}"#)).unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].counts["total"], 3);
    assert_eq!(b[0].counts["café"], 1);
}

#[test]
fn negative_or_fractional_counts_are_errors_not_numbers() {
    assert!(matches!(parse_counts(&ok(r#"{"buckets":[{"start":0,"end":1,"counts":{"a":-1}}]}"#)), Err(ApiError::BadShape { .. })));
    assert!(matches!(parse_counts(&ok(r#"{"buckets":[{"start":0,"end":1,"counts":{"a":1.5}}]}"#)), Err(ApiError::BadShape { .. })));
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
    let e = classify_error(&err(400, r#"{"code":"error","error":"RANGE_TOO_LARGE","message":"x","maxRangeMs":604800000}"#));
    assert_eq!(e, ApiError::RangeTooLarge { max_range_ms: Some(604_800_000) });
    let e = classify_error(&err(400, r#"{"code":"error","error":"RANGE_TOO_LARGE","message":"x"}"#));
    assert_eq!(e, ApiError::RangeTooLarge { max_range_ms: None });
    assert_eq!(classify_error(&err(400, r#"{"error":"TOO_MANY_RESULTS"}"#)), ApiError::TooManyResults);
    assert!(matches!(classify_error(&err(401, r#"{"error":"UNAUTHORIZED","message":"no"}"#)), ApiError::Unauthorized { .. }));
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
    let m = parse_messages(&ok(r#"[{"text":"a","ts":1,"sessionid":"12.10"},{"text":"b","ts":2,"sessionid":12.10,"workflownodeid":7}]"#)).unwrap();
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
    assert_eq!(u, "https://relay.example/KoopidPartnerServer/api/APIEndpoint/Dashboard/Intents?providerId=10%2020&partnerId=1021");
    assert!(request_url("r", Endpoint::Messages, "1", "2", Some("k&y")).ends_with("&apiKey=k%26y"));
}

#[test]
fn request_bodies_follow_the_contract() {
    let body = RequestBody { start_time: 1, end_time: 2, interval: None, timezone: "UTC", intenttype: None };
    assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"startTime":1,"endTime":2,"timezone":"UTC"}"#);
    let body = RequestBody { start_time: 1, end_time: 2, interval: Some("1d".into()), timezone: "Europe/Berlin", intenttype: Some("bot") };
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"startTime":1,"endTime":2,"interval":"1d","timezone":"Europe/Berlin","intenttype":"bot"}"#
    );
}
