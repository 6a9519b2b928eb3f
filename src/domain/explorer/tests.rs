use super::export::{to_csv, to_json};
use super::filter::{apply, options, text_hits, FilterSpec};
use super::index::{Facet, MessageIndex, Sentiment};
use super::session::{cmp_segment, split};
use super::tokens::{entity_description, find_matches, find_tokens, pieces, Run};
use super::*;
use crate::domain::csv_cell::neutralise;
use crate::domain::wire::{parse_messages, Message, RawResponse};

fn msg(ts: i64, sid: &str, text: &str, st: Option<&str>, topic: &str, wf: Option<&str>, sent: f64) -> Message {
    Message {
        text: text.into(),
        timestamp: None,
        ts,
        sendername: None,
        senderemail: None,
        sendertype: st.map(String::from),
        sessionid: sid.into(),
        sentiment: sent,
        workflow: wf.map(String::from),
        workflownodeid: None,
        topic: topic.into(),
        score: 0.5,
        topmatches: vec![],
    }
}

fn corpus() -> MessageIndex {
    MessageIndex::build(vec![
        msg(
            30,
            "12.10",
            "I want a REFUND for ****ORDER_ID**** please",
            Some("customer"),
            "refund",
            Some("returns"),
            -0.4,
        ),
        msg(10, "12.9", "Hello ****NAME****, how can I help?", Some("bot"), "greeting", Some("returns"), 0.0),
        msg(20, "12.2", "refund refund", Some("agent"), "refund", None, 0.7),
        msg(40, "7.1", "Straße ÄRGER café", Some("customer"), "billing", Some("billing"), 0.2),
        msg(50, "13.1", "no sender type", None, "", None, -1.0),
    ])
}

fn ids(ix: &MessageIndex, v: &[u32]) -> Vec<i64> {
    v.iter().map(|&i| ix.ts(i)).collect()
}

fn spec<'a>(q: &'a str, st: &'a [String], topic: &'a [String], wf: &'a [String], sent: &'a [String]) -> FilterSpec<'a> {
    FilterSpec { q, sendertype: st, topic, workflow: wf, sentiment: sent, quality: Default::default() }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn the_index_sorts_by_ts_and_folds_text() {
    let ix = corpus();
    assert_eq!(ids(&ix, &(0..5).collect::<Vec<_>>()), vec![10, 20, 30, 40, 50]);
    assert_eq!(ix.folded_text(2), "i want a refund for ****order_id**** please");
    assert_eq!(ix.folded_text(3), "straße ärger café");
    assert_eq!(ix.sentiment(2), Sentiment::Negative);
    assert_eq!(ix.sentiment(0), Sentiment::Neutral);
}

#[test]
fn search_is_a_case_insensitive_substring_and_tokens_match() {
    let ix = corpus();
    let none: Vec<String> = vec![];
    let r = apply(&ix, &spec("ReFuNd", &none, &none, &none, &none), None);
    assert_eq!(ids(&ix, &r.matches), vec![20, 30]);
    let r = apply(&ix, &spec("****NAME****", &none, &none, &none, &none), None);
    assert_eq!(ids(&ix, &r.matches), vec![10]);
    let r = apply(&ix, &spec("****order_id", &none, &none, &none, &none), None);
    assert_eq!(ids(&ix, &r.matches), vec![30]);
    let r = apply(&ix, &spec("ärger", &none, &none, &none, &none), None);
    assert_eq!(ids(&ix, &r.matches), vec![40]);
    // Never across two messages: "please" + "straße" would be "pleasestr".
    let r = apply(&ix, &spec("pleasehello", &none, &none, &none, &none), None);
    assert!(r.matches.is_empty());
    let r = apply(&ix, &spec("", &none, &none, &none, &none), None);
    assert_eq!(r.matches.len(), 5);
}

#[test]
fn a_longer_query_refines_the_previous_hits_with_the_same_answer() {
    let ix = corpus();
    let none: Vec<String> = vec![];
    let first = apply(&ix, &spec("re", &none, &none, &none, &none), None);
    let refined = apply(&ix, &spec("refund", &none, &none, &none, &none), Some(&first));
    let fresh = apply(&ix, &spec("refund", &none, &none, &none, &none), None);
    assert_eq!(refined, fresh);
    // A query that does not contain the previous one searches everything.
    let other = apply(&ix, &spec("hello", &none, &none, &none, &none), Some(&fresh));
    assert_eq!(ids(&ix, &other.matches), vec![10]);
}

#[test]
fn whole_scan_equals_a_naive_filter_on_a_bigger_corpus() {
    let words = ["alpha", "beta", "ALPHABET", "****NAME****", "gamma", "bet"];
    let msgs: Vec<Message> = (0..2000)
        .map(|i| {
            let t: Vec<&str> = (0..(i % 5 + 1)).map(|k| words[(i * 7 + k * 3) % words.len()]).collect();
            msg(i as i64, &format!("{}.{}", i / 10, i % 10 + 1), &t.join(" "), Some("bot"), "t", None, 0.0)
        })
        .collect();
    let ix = MessageIndex::build(msgs.clone());
    for q in ["bet", "alphabet", "a b", "****name", "gamma bet", "zzz", "t"] {
        let got = text_hits(&ix, q, None);
        let want: Vec<u32> =
            (0..msgs.len() as u32).filter(|&i| ix.message(i).text.to_lowercase().contains(q)).collect();
        assert_eq!(got, want, "query {q}");
    }
}

#[test]
fn facets_are_or_inside_and_across_with_disjunctive_counts() {
    let ix = corpus();
    let none: Vec<String> = vec![];
    let all = apply(&ix, &spec("", &none, &none, &none, &none), None);
    let st = ix.dict(Facet::SenderType);
    let c = |r: &FilterResult, f: Facet, v: &str| r.facets.count(f, ix.dict(f).get(v).unwrap());
    assert_eq!(st.len(), 3);
    assert_eq!(c(&all, Facet::SenderType, "customer"), 2);
    assert_eq!(c(&all, Facet::Topic, "refund"), 2);
    assert_eq!(all.facets.count(Facet::Sentiment, Sentiment::Negative as u32), 2);
    assert_eq!(all.facets.count(Facet::Sentiment, Sentiment::Neutral as u32), 1);
    assert_eq!(all.facets.count(Facet::Sentiment, Sentiment::Positive as u32), 2);

    let cust = s(&["customer"]);
    let r = apply(&ix, &spec("", &cust, &none, &none, &none), None);
    assert_eq!(ids(&ix, &r.matches), vec![30, 40]);
    // Own facet's counts ignore its own selection; others' apply it.
    assert_eq!(c(&r, Facet::SenderType, "bot"), 1);
    assert_eq!(c(&r, Facet::SenderType, "customer"), 2);
    assert_eq!(c(&r, Facet::Topic, "greeting"), 0);
    assert_eq!(c(&r, Facet::Topic, "billing"), 1);

    let two = s(&["customer", "agent"]);
    let neg = s(&["negative", "positive"]);
    let r = apply(&ix, &spec("", &two, &none, &none, &neg), None);
    assert_eq!(ids(&ix, &r.matches), vec![20, 30, 40]);
    let refund = s(&["refund"]);
    let r = apply(&ix, &spec("refund", &two, &refund, &none, &s(&["positive"])), None);
    assert_eq!(ids(&ix, &r.matches), vec![20]);
    // An unknown value selects nothing and does not panic.
    let r = apply(&ix, &spec("", &s(&["martian"]), &none, &none, &s(&["angry"])), None);
    assert!(r.matches.is_empty());
    let opts = options(&ix, &r.facets, Facet::SenderType, &s(&["martian"]), 10);
    assert_eq!(opts[0], ("martian".to_string(), 0, true));
}

#[test]
fn facet_counts_recount_from_the_search() {
    let ix = corpus();
    let none: Vec<String> = vec![];
    let r = apply(&ix, &spec("refund", &none, &none, &none, &none), None);
    let opts = options(&ix, &r.facets, Facet::SenderType, &none, 10);
    assert_eq!(opts, vec![("agent".to_string(), 1, false), ("customer".to_string(), 1, false)]);
    let sent = options(&ix, &r.facets, Facet::Sentiment, &none, 10);
    assert_eq!(sent.iter().map(|o| o.1).collect::<Vec<_>>(), vec![1, 0, 1]);
}

#[test]
fn tokens_are_found_with_their_names() {
    let t = "Hi ****NAME****, ****CUSTOM_2**** ****lower**** *****ID**** ****";
    let found: Vec<(&str, &str)> = find_tokens(t).into_iter().map(|(w, n)| (&t[w], &t[n])).collect();
    assert_eq!(found, vec![("****NAME****", "NAME"), ("****CUSTOM_2****", "CUSTOM_2"), ("****ID****", "ID")]);
    assert!(entity_description("GPE").contains("cities"));
    assert!(entity_description("CUSTOM_2").contains("provider-specific"));
}

#[test]
fn pieces_cover_the_text_with_tokens_and_hits() {
    let t = "Call ****NAME**** now";
    let p = pieces(t, "me**** n");
    let joined: String = p.iter().map(|x| &t[x.range.clone()]).collect();
    assert_eq!(joined, t);
    assert_eq!(p.len(), 3);
    assert_eq!(p[1].entity.clone().map(|r| &t[r]), Some("NAME"));
    assert_eq!(p[1].runs, vec![Run { range: 5..11, hit: false }, Run { range: 11..17, hit: true }]);
    assert_eq!(p[2].runs[0], Run { range: 17..19, hit: true });
    // Non-ASCII: offsets are the original text's.
    let t = "İstanbul ÄRGER";
    let m = find_matches(t, &tokens::fold("ärger"));
    assert_eq!(&t[m[0].clone()], "ÄRGER");
}

#[test]
fn segments_order_as_numbers() {
    assert_eq!(split("12.10"), ("12", "10"));
    assert_eq!(split("12"), ("12", ""));
    let mut segs = vec!["10", "9", "1", "2", "x", "010", "100"];
    segs.sort_by(|a, b| cmp_segment(a, b));
    assert_eq!(segs, vec!["1", "2", "9", "010", "10", "100", "x"]);
}

#[test]
fn conversations_list_segments_in_numeric_order_then_time() {
    let ix = corpus();
    let conv: Vec<&str> = ix.conversation("12").iter().map(|&i| ix.message(i).sessionid.as_str()).collect();
    assert_eq!(conv, vec!["12.2", "12.9", "12.10"]);
    assert!(ix.conversation("99").is_empty());
}

#[test]
fn a_numeric_sessionid_stays_verbatim() {
    let body = r#"[{"text":"a","ts":1,"sessionid":12.10,"sentiment":0,"topic":"x","score":1}]"#;
    let msgs = parse_messages(&RawResponse { status: 200, retry_after: None, body: body.into() }).unwrap();
    let ix = MessageIndex::build(msgs);
    assert_eq!(ix.message(0).sessionid, "12.10");
    assert_eq!(ix.conversation("12").len(), 1);
    assert!(to_json(&ix, &[0]).contains("\"12.10\""));
}

#[test]
fn csv_cells_are_neutralised_and_start_with_a_bom() {
    assert_eq!(neutralise("=1+1"), "'=1+1");
    assert_eq!(neutralise("+cmd"), "'+cmd");
    assert_eq!(neutralise("-2+3"), "'-2+3");
    assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(neutralise("\tx"), "'\tx");
    assert_eq!(neutralise("\rx"), "'\rx");
    assert_eq!(neutralise("-0.5"), "-0.5");
    assert_eq!(neutralise("-"), "'-");
    assert_eq!(neutralise("1."), "1.");
    assert_eq!(neutralise("plain = fine"), "plain = fine");
    let mut m =
        msg(1_700_000_000_000, "=HYPERLINK(\"x\")", "=cmd|' /C calc'!A0", Some("@bot"), "+t", Some("-wf"), -0.5);
    m.sendername = Some("Ann, \"the\" Agent".into());
    let ix = MessageIndex::build(vec![m]);
    let bytes = to_csv(&ix, &[0], &jiff::tz::TimeZone::UTC);
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let row = r.records().next().unwrap().unwrap();
    let h = r.headers().unwrap().clone();
    let get = |k: &str| row.get(h.iter().position(|x| x == k).unwrap()).unwrap().to_string();
    assert_eq!(get("text"), "'=cmd|' /C calc'!A0");
    assert_eq!(get("sessionid"), "'=HYPERLINK(\"x\")");
    assert_eq!(get("sendertype"), "'@bot");
    assert_eq!(get("topic"), "'+t");
    assert_eq!(get("workflow"), "'-wf");
    assert_eq!(get("sentiment"), "-0.5");
    assert_eq!(get("sendername"), "Ann, \"the\" Agent");
    assert_eq!(get("time"), "2023-11-14T22:13:20+00:00");
    for cell in row.iter() {
        assert!(!cell.starts_with(['=', '+', '@', '\t', '\r']), "{cell}");
    }
}

#[test]
fn histogram_bins_matches() {
    let ix = corpus();
    let all: Vec<u32> = (0..5).collect();
    assert_eq!(histogram(&ix, &all, 0, 60, 3), vec![1, 2, 2]);
    assert_eq!(histogram(&ix, &all[..2], 0, 60, 3), vec![1, 1, 0]);
    assert_eq!(time_label(0, &jiff::tz::TimeZone::UTC), "1970-01-01 00:00:00");
}
