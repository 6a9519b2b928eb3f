//! Session ids `x.y`: conversation x, segment y. Segments count from 1 and are
//! ordered as numbers (12.10 after 12.9); the text is never parsed as a float.

use std::cmp::Ordering;

/// (conversation, segment) of a session id as received; no dot: the whole text is
/// the conversation and the segment is empty.
pub fn split(sessionid: &str) -> (&str, &str) {
    match sessionid.split_once('.') {
        Some((c, s)) => (c, s),
        None => (sessionid, ""),
    }
}

fn digits(s: &str) -> Option<&str> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| {
        let t = s.trim_start_matches('0');
        t
    })
}

/// Numeric order for segments of digits (any length), then the others as text.
pub fn cmp_segment(a: &str, b: &str) -> Ordering {
    match (digits(a), digits(b)) {
        (Some(x), Some(y)) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)).then_with(|| a.cmp(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// The same numeric order for conversation ids.
pub fn cmp_conversation(a: &str, b: &str) -> Ordering {
    cmp_segment(a, b)
}
