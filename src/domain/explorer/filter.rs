//! The explorer's filter: a case-insensitive substring of the text, and the facets
//! (OR inside a facet, AND across facets). One pass over the text matches gives the
//! result and every facet's counts. Counts are disjunctive: a facet's counts apply
//! the search and the *other* facets, so ticking a second value of the same facet
//! shows how many it would add.

use memchr::memmem;

use super::index::{Facet, MessageIndex, Sentiment, NONE};
use super::tokens::fold;
use crate::domain::insights::quality::QualityFilter;

/// What the user asked for; values as in the URL.
#[derive(Clone, Copy, Debug, Default)]
pub struct FilterSpec<'a> {
    pub q: &'a str,
    pub sendertype: &'a [String],
    pub topic: &'a [String],
    pub workflow: &'a [String],
    pub sentiment: &'a [String],
    /// Low confidence, ambiguity, a confused pair (intent-quality drill-downs).
    pub quality: QualityFilter<'a>,
}

impl<'a> FilterSpec<'a> {
    pub fn selected(&self, f: Facet) -> &'a [String] {
        match f {
            Facet::SenderType => self.sendertype,
            Facet::Topic => self.topic,
            Facet::Workflow => self.workflow,
            Facet::Sentiment => self.sentiment,
        }
    }
}

/// Counts per facet value id (sentiment: by class), under the disjunctive rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FacetCounts {
    pub counts: [Vec<u32>; 4],
}

impl FacetCounts {
    pub fn count(&self, f: Facet, id: u32) -> u32 {
        self.counts[f.slot()].get(id as usize).copied().unwrap_or(0)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterResult {
    /// The folded query these text hits are for.
    pub q: String,
    /// Messages whose text contains the query (all when the query is empty), in ts order.
    pub text_hits: Option<Vec<u32>>,
    /// Messages that pass everything, in ts order.
    pub matches: Vec<u32>,
    pub facets: FacetCounts,
}

/// Positions (ts order) whose folded text contains `q`, by one scan of the
/// contiguous text; or, given `within` (the hits of a query that `q` contains),
/// by checking those alone.
pub fn text_hits(index: &MessageIndex, q: &str, within: Option<&[u32]>) -> Vec<u32> {
    let finder = memmem::Finder::new(q.as_bytes());
    let hay = index.folded();
    let offs = index.offsets();
    let n = q.len();
    if let Some(cands) = within {
        return cands
            .iter()
            .copied()
            .filter(|&i| {
                let s = &hay[offs[i as usize] as usize..offs[i as usize + 1] as usize];
                s.len() >= n && finder.find(s).is_some()
            })
            .collect();
    }
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut i = 0usize;
    while pos < hay.len() {
        let Some(k) = finder.find(&hay[pos..]) else { break };
        let at = pos + k;
        // The message holding `at`: the last offset <= at.
        i += offs[i..].partition_point(|&o| o as usize <= at) - 1;
        let end = offs[i + 1] as usize;
        if at + n <= end {
            out.push(i as u32);
            pos = end;
        } else {
            pos = at + 1;
        }
    }
    out
}

/// Filters the index. `previous` (the last result) lets a query that extends the
/// last one search only the last hits: typing gets cheaper with each key.
pub fn apply(index: &MessageIndex, spec: &FilterSpec, previous: Option<&FilterResult>) -> FilterResult {
    apply_timed(index, spec, previous, &|| 0.0).0
}

/// `apply`, with the milliseconds spent on the text search and on the facet pass
/// measured by `clock` (the browser's `performance.now`).
pub fn apply_timed(
    index: &MessageIndex,
    spec: &FilterSpec,
    previous: Option<&FilterResult>,
    clock: &dyn Fn() -> f64,
) -> (FilterResult, [f64; 2]) {
    let t0 = clock();
    let q = fold(spec.q);
    let text_hits = if q.is_empty() {
        None
    } else {
        let within =
            previous.filter(|p| !p.q.is_empty() && q.contains(p.q.as_str())).and_then(|p| p.text_hits.as_deref());
        Some(text_hits(index, &q, within))
    };
    let t1 = clock();
    let (matches, facets) = facet_pass(index, spec, text_hits.as_deref());
    let t2 = clock();
    (FilterResult { q, text_hits, matches, facets }, [t1 - t0, t2 - t1])
}

/// Per facet, a bitmap of the selected value ids; `None` when nothing is selected.
fn selections(index: &MessageIndex, spec: &FilterSpec) -> [Option<Vec<bool>>; 4] {
    std::array::from_fn(|slot| {
        let f = Facet::ALL[slot];
        let sel = spec.selected(f);
        if sel.is_empty() {
            return None;
        }
        let size = if f == Facet::Sentiment { 3 } else { index.dict(f).len() };
        let mut bits = vec![false; size];
        for v in sel {
            let id = if f == Facet::Sentiment { Sentiment::parse(v).map(|s| s as u32) } else { index.dict(f).get(v) };
            if let Some(id) = id {
                bits[id as usize] = true;
            }
        }
        Some(bits)
    })
}

/// One pass: the messages passing all facets, and the disjunctive counts.
pub fn facet_pass(index: &MessageIndex, spec: &FilterSpec, text_hits: Option<&[u32]>) -> (Vec<u32>, FacetCounts) {
    let sel = selections(index, spec);
    let mut counts: [Vec<u32>; 4] = std::array::from_fn(|slot| {
        let f = Facet::ALL[slot];
        vec![0u32; if f == Facet::Sentiment { 3 } else { index.dict(f).len() }]
    });
    let mut matches = Vec::new();
    let quality = spec.quality;
    let mut visit = |i: u32| {
        if !quality.is_empty() && !quality.admits(&index.messages()[i as usize]) {
            return;
        }
        let mut ids = [0u32; 4];
        let mut fails = 0u32;
        let mut failed_slot = 0usize;
        for slot in 0..4 {
            let id = index.value_id(Facet::ALL[slot], i);
            ids[slot] = id;
            if let Some(bits) = &sel[slot] {
                if id == NONE || !bits[id as usize] {
                    fails += 1;
                    failed_slot = slot;
                }
            }
        }
        match fails {
            0 => {
                matches.push(i);
                for slot in 0..4 {
                    if ids[slot] != NONE {
                        counts[slot][ids[slot] as usize] += 1;
                    }
                }
            }
            1 if ids[failed_slot] != NONE => counts[failed_slot][ids[failed_slot] as usize] += 1,
            _ => {}
        }
    };
    match text_hits {
        Some(h) => h.iter().copied().for_each(&mut visit),
        None => (0..index.len() as u32).for_each(&mut visit),
    }
    (matches, FacetCounts { counts })
}

/// A facet's choices to show: (value, count, checked), the selected first in URL
/// order, then the others by count (highest first) and name; at most `limit`
/// unselected ones, and none with count 0.
pub fn options(
    index: &MessageIndex,
    counts: &FacetCounts,
    f: Facet,
    selected: &[String],
    limit: usize,
) -> Vec<(String, u32, bool)> {
    let count_of = |v: &str| -> u32 {
        let id = if f == Facet::Sentiment { Sentiment::parse(v).map(|s| s as u32) } else { index.dict(f).get(v) };
        id.map(|id| counts.count(f, id)).unwrap_or(0)
    };
    let mut out: Vec<(String, u32, bool)> = selected.iter().map(|v| (v.clone(), count_of(v), true)).collect();
    let mut rest: Vec<(String, u32, bool)> = if f == Facet::Sentiment {
        // Fixed order, always all three.
        return Sentiment::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), counts.count(f, *s as u32), selected.iter().any(|x| x == s.as_str())))
            .collect();
    } else {
        index
            .dict(f)
            .values
            .iter()
            .enumerate()
            .filter(|(_, v)| !selected.contains(v))
            .map(|(id, v)| (v.clone(), counts.count(f, id as u32), false))
            .filter(|(_, c, _)| *c > 0)
            .collect()
    };
    rest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rest.truncate(limit);
    out.extend(rest);
    out
}
