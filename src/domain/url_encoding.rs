//! The one percent-encoder of the project (the `percent-encoding` crate), for
//! every query value we write: the relay's request URLs and the page's own URL.
//!
//! Lists (`topic=billing,returns`) are comma-separated in the URL. So that an item
//! may hold any character, a comma included (`returns, exchanges`), each item is
//! encoded once on its own before the list is joined and the whole value encoded
//! again: in the decoded value a literal `,` then only ever separates items, and
//! [`split_list`] decodes each item back. Hand-written lists (`topic=a, b`) read
//! as before.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Escaped in a query value: everything but RFC 3986's unreserved characters and
/// `,` `/` `:`, which are safe in a query and keep links readable.
const QUERY_VALUE: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b',').remove(b'/').remove(b':');

/// Escaped within a list item (before the value is encoded as a whole): the
/// separator, the escape character itself, and control characters.
const LIST_ITEM: &AsciiSet = &percent_encoding::CONTROLS.add(b'%').add(b',');

/// A query value, percent-encoded (`now+1d` → `now%2B1d`, `a b` → `a%20b`).
pub fn encode_query_value(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// Escaped in a path segment: everything but RFC 3986's unreserved characters.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// One path segment (a saved view's id in `/v1/views/{id}`), `/` included.
pub fn encode_path_segment(s: &str) -> String {
    utf8_percent_encode(s, PATH_SEGMENT).to_string()
}

/// `key=value&…`, each value encoded by [`encode_query_value`].
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| format!("{}={}", k.as_ref(), encode_query_value(v.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes a query component as a browser's `URLSearchParams` does (`+` is a space).
/// Malformed escapes are kept as they are; bytes that are not UTF-8 become U+FFFD.
pub fn decode_query_value(s: &str) -> String {
    percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned()
}

/// The decoded value of a list parameter (before [`encode_query_value`]).
pub fn join_list<S: AsRef<str>>(items: &[S]) -> String {
    items.iter().map(|i| encode_list_item(i.as_ref())).collect::<Vec<_>>().join(",")
}

/// One list item, escaped so that [`split_list`] gives it back exactly: the
/// separator and `%`, and whitespace at either end (which [`split_list`] trims
/// from hand-written lists).
fn encode_list_item(item: &str) -> String {
    let inner = item.trim();
    let (start, end) = (item.len() - item.trim_start().len(), item.trim_end().len());
    let edge = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    format!("{}{}{}", edge(&item[..start]), utf8_percent_encode(inner, LIST_ITEM), edge(&item[end.max(start)..]))
}

/// The items of a decoded list value: split at `,`, trimmed, empty ones dropped,
/// each item's own escapes decoded.
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_keep_readable_characters() {
        assert_eq!(encode_query_value("now+1d"), "now%2B1d");
        assert_eq!(encode_query_value("Europe/Berlin"), "Europe/Berlin");
        assert_eq!(encode_query_value("a,b c&d=e#f%"), "a,b%20c%26d%3De%23f%25");
        assert_eq!(encode_query_value("ünï"), "%C3%BCn%C3%AF");
        assert_eq!(decode_query_value("a%20b+c%2B"), "a b c+");
        assert_eq!(query_string([("from", "now-7d"), ("q", "a&b")]), "from=now-7d&q=a%26b");
    }

    #[test]
    fn a_comma_in_an_item_survives_the_list() {
        let items = ["returns, exchanges", "billing"];
        let value = join_list(&items);
        assert_eq!(value, "returns%2C exchanges,billing");
        assert_eq!(split_list(&value), items);
        // Hand-written lists read as before.
        assert_eq!(split_list("billing, returns ,,"), ["billing", "returns"]);
        assert_eq!(split_list("100%"), ["100%"]);
    }

    // proptest does not build for wasm32 (see Cargo.toml).
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Any list of non-empty items survives join, the URL (encoded, then decoded
        /// as a browser does) and split.
        #[test]
        fn lists_round_trip_through_the_url(items in proptest::collection::vec("\\PC{1,12}|[ ,%+&=#]{1,4}", 0..5)) {
            let url_value = encode_query_value(&join_list(&items));
            proptest::prop_assert_eq!(split_list(&decode_query_value(&url_value)), items);
        }
    }
}
