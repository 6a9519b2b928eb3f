//! Redaction tokens (`****NAME****`, NAME in UPPER_CASE) and search highlights
//! inside a message text, as byte ranges of the original text. The UI turns the
//! pieces into text nodes and `<mark>` elements: a text is never parsed as HTML.

use std::ops::Range;

use memchr::memmem;

/// The seed's entity types and their descriptions (tooltips of the chips).
pub const ENTITIES: &[(&str, &str)] = &[
    ("GPE", "major cities and countries in the world"),
    ("DATE", "some of the supported formats are May 23; May 23, 2018; 02/03/2019; 02-03-2019"),
    ("TIME", "common time formats"),
    (
        "ORG",
        "major organizations such as Citibank, Trader Joe’s, Whole Foods, Chase Bank. There may not be support for non-US organizations.",
    ),
    (
        "NAME",
        "people names in the format firstname lastname . Examples are Adam Smith, John Doe. There is limited support for names that have non-Anglo origins.",
    ),
    ("MONEY", "currency values"),
    ("EMAIL", "email addresses"),
    ("NUMERIC", "string of numbers"),
    ("ID", "string of digits and/or letters"),
];

/// The tooltip of a token: the seed's description, or a plain note for a
/// provider-specific entity.
pub fn entity_description(name: &str) -> String {
    match ENTITIES.iter().find(|(n, _)| *n == name) {
        Some((_, d)) => format!("{name}: {d}"),
        None => format!("{name}: a provider-specific redacted entity"),
    }
}

const STARS: &[u8] = b"****";

/// The redaction tokens of `text`: (range of the whole token, range of its NAME).
pub fn find_tokens(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = memmem::find(&b[i..], STARS) {
        let at = i + k;
        let name_start = at + 4;
        let mut j = name_start;
        if j < b.len() && b[j].is_ascii_uppercase() {
            while j < b.len() && (b[j].is_ascii_uppercase() || b[j].is_ascii_digit() || b[j] == b'_') {
                j += 1;
            }
            if b[j..].starts_with(STARS) {
                out.push((at..j + 4, name_start..j));
                i = j + 4;
                continue;
            }
        }
        i = at + 1;
    }
    out
}

/// Appends the search form of `s`: every char lower-cased on its own (so the
/// index and the highlighter agree on offsets; ASCII takes a fast path).
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        // SAFETY-free: ASCII lower-casing keeps the string valid UTF-8.
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The search form of a query.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Byte ranges of `text` where the folded query `q` occurs (non-overlapping, in
/// order). Empty for an empty query.
pub fn find_matches(text: &str, q: &str) -> Vec<Range<usize>> {
    if q.is_empty() {
        return Vec::new();
    }
    let finder = memmem::Finder::new(q.as_bytes());
    if text.is_ascii() {
        let lower = text.to_ascii_lowercase();
        return finder.find_iter(lower.as_bytes()).fold(Vec::new(), |mut v: Vec<Range<usize>>, s| {
            if v.last().is_none_or(|l| l.end <= s) {
                v.push(s..s + q.len());
            }
            v
        });
    }
    // Folded text with, per folded byte, the original char's start and end.
    let mut folded = String::with_capacity(text.len());
    let mut map: Vec<(u32, u32)> = Vec::with_capacity(text.len());
    for (pos, c) in text.char_indices() {
        let before = folded.len();
        fold_into(c.encode_utf8(&mut [0u8; 4]), &mut folded);
        let end = (pos + c.len_utf8()) as u32;
        map.extend(std::iter::repeat_n((pos as u32, end), folded.len() - before));
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    for s in finder.find_iter(folded.as_bytes()) {
        let start = map[s].0 as usize;
        let end = map[s + q.len() - 1].1 as usize;
        if out.last().is_none_or(|l| l.end <= start) {
            out.push(start..end);
        }
    }
    out
}

/// A run of text, highlighted when the search matched it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub range: Range<usize>,
    pub hit: bool,
}

/// A piece of a message text: plain text, or one redaction token (`entity` is the
/// range of its NAME); each is cut into runs by the search matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub range: Range<usize>,
    pub entity: Option<Range<usize>>,
    pub runs: Vec<Run>,
}

/// Cuts `text` into plain and token pieces, each into hit and non-hit runs for the
/// folded query `q`. The pieces cover the text exactly, in order.
pub fn pieces(text: &str, q: &str) -> Vec<Piece> {
    let tokens = find_tokens(text);
    let hits = find_matches(text, q);
    let mut out = Vec::with_capacity(tokens.len() * 2 + 1);
    let mut cur = 0;
    let mut push = |range: Range<usize>, entity: Option<Range<usize>>| {
        if range.is_empty() {
            return;
        }
        let runs = cut(range.clone(), &hits);
        out.push(Piece { range, entity, runs });
    };
    for (whole, name) in tokens {
        push(cur..whole.start, None);
        cur = whole.end;
        push(whole, Some(name));
    }
    push(cur..text.len(), None);
    out
}

fn cut(range: Range<usize>, hits: &[Range<usize>]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut cur = range.start;
    let first = hits.partition_point(|h| h.end <= range.start);
    for h in &hits[first..] {
        if h.start >= range.end {
            break;
        }
        let s = h.start.max(range.start);
        let e = h.end.min(range.end);
        if s > cur {
            runs.push(Run { range: cur..s, hit: false });
        }
        runs.push(Run { range: s..e, hit: true });
        cur = e;
    }
    if cur < range.end {
        runs.push(Run { range: cur..range.end, hit: false });
    }
    runs
}
