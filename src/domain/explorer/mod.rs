//! The message explorer's pure logic (issue 6): an index built once per load, the
//! filter and facet counts over it, redaction tokens and search highlights in a
//! text, conversation (session) ordering, the histogram and the exports.
//!
//! Built for 100,000 messages and more: every message's lower-cased text lives in
//! one contiguous `String` with offsets, facet values are small integer ids, the
//! sentiment class is precomputed, and a result is a `Vec<u32>` of positions in the
//! ts-sorted message list.

pub mod export;
pub mod filter;
pub mod index;
pub mod session;
pub mod tokens;

pub use filter::{FacetCounts, FilterResult, FilterSpec};
pub use index::{Facet, MessageIndex, Sentiment};

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A message time as the list shows it, in the dashboard's zone.
pub fn time_label(ms: i64, tz: &TimeZone) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M:%S").to_string(),
        Err(_) => ms.to_string(),
    }
}

/// Matching messages per bin: `bins` equal slices of `[start, end)`. `matches` are
/// positions in the index (any order).
pub fn histogram(index: &MessageIndex, matches: &[u32], start: i64, end: i64, bins: usize) -> Vec<u32> {
    let mut out = vec![0u32; bins];
    if bins == 0 || end <= start {
        return out;
    }
    let len = (end - start) as i128;
    for &i in matches {
        let ts = index.ts(i);
        if ts < start || ts >= end {
            continue;
        }
        let b = (((ts - start) as i128 * bins as i128) / len) as usize;
        out[b.min(bins - 1)] += 1;
    }
    out
}

#[cfg(test)]
mod tests;
