//! `FactCache`: settled counts by series and exact span.
//!
//! A count for `[start, end)` does not depend on the interval or the zone it was
//! asked with, only on the series (source, endpoint, intent type) and the span. So
//! the cache keeps "facts" (span → counts), and a bucket is answered by one fact
//! with its exact span or by facts that tile it (hourly facts roll up into a day).
//! Only settled spans are stored: one that touches "now" can still grow, so it is
//! always refetched, never trusted.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

pub use crate::domain::count_table::Counts;
use std::rc::Rc;

use crate::domain::time::TimeSpan;
use crate::domain::wire::{Endpoint, IntentType};

/// Everything that changes an answer except its span.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesId {
    /// Relay URL and ids: two deployments never share facts.
    pub source: Rc<str>,
    pub endpoint: Endpoint,
    pub intenttype: Option<IntentType>,
}

#[derive(Default)]
struct SeriesFacts {
    /// start → [(end, counts)]
    by_start: BTreeMap<i64, Vec<(i64, Rc<Counts>)>>,
}

/// Settled facts with a size cap (oldest inserted evicted first).
pub struct FactCache {
    series: HashMap<SeriesId, SeriesFacts>,
    order: VecDeque<(SeriesId, TimeSpan)>,
    cap: usize,
    /// Inserted since the last `take_unsaved`, for persisting.
    unsaved: Vec<(SeriesId, TimeSpan)>,
}

impl FactCache {
    pub fn new(cap: usize) -> Self {
        FactCache { series: HashMap::new(), order: VecDeque::new(), cap: cap.max(1), unsaved: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Stores a settled fact; a fact for the same span is replaced.
    pub fn insert(&mut self, id: &SeriesId, span: TimeSpan, counts: Counts) {
        self.unsaved.push((id.clone(), span));
        self.insert_saved(id, span, counts);
    }

    /// Facts inserted since the last call (loaded ones are not included).
    pub fn take_unsaved(&mut self) -> Vec<(SeriesId, TimeSpan)> {
        std::mem::take(&mut self.unsaved)
    }

    /// Stores a fact that is already persisted (loaded at start-up).
    pub fn insert_saved(&mut self, id: &SeriesId, span: TimeSpan, counts: Counts) {
        let facts = self.series.entry(id.clone()).or_default();
        let list = facts.by_start.entry(span.start).or_default();
        if let Some(slot) = list.iter_mut().find(|(end, _)| *end == span.end) {
            slot.1 = Rc::new(counts);
            return;
        }
        list.push((span.end, Rc::new(counts)));
        // Longest first: `lookup` tries big pieces before small ones.
        list.sort_by_key(|e| std::cmp::Reverse(e.0));
        self.order.push_back((id.clone(), span));
        while self.order.len() > self.cap {
            if let Some((old_id, old)) = self.order.pop_front() {
                self.remove(&old_id, old);
            }
        }
    }

    fn remove(&mut self, id: &SeriesId, span: TimeSpan) {
        if let Some(facts) = self.series.get_mut(id) {
            if let Some(list) = facts.by_start.get_mut(&span.start) {
                list.retain(|(end, _)| *end != span.end);
                if list.is_empty() {
                    facts.by_start.remove(&span.start);
                }
            }
        }
    }

    /// The counts for exactly `span`: one fact, or facts that tile it end to end.
    pub fn lookup(&self, id: &SeriesId, span: TimeSpan) -> Option<Counts> {
        let facts = self.series.get(id)?;
        let mut dead_ends = HashSet::new();
        let pieces = tile(facts, span.start, span.end, &mut dead_ends)?;
        let mut total = Counts::new();
        for piece in pieces {
            for (k, v) in piece.iter() {
                *total.entry(k.clone()).or_insert(0) += v;
            }
        }
        Some(total)
    }

    /// Every fact, for persisting.
    pub fn entries(&self) -> impl Iterator<Item = (&SeriesId, TimeSpan, &Counts)> {
        self.series.iter().flat_map(|(id, f)| {
            f.by_start
                .iter()
                .flat_map(move |(s, list)| list.iter().map(move |(e, c)| (id, TimeSpan::new(*s, *e), c.as_ref())))
        })
    }
}

/// Depth-first search for facts tiling `[from, to)`, longest piece first;
/// `dead_ends` remembers positions already known not to reach `to`.
fn tile(facts: &SeriesFacts, from: i64, to: i64, dead_ends: &mut HashSet<i64>) -> Option<Vec<Rc<Counts>>> {
    if from == to {
        return Some(Vec::new());
    }
    if dead_ends.contains(&from) {
        return None;
    }
    for (end, counts) in facts.by_start.get(&from)?.iter() {
        if *end > to {
            continue;
        }
        if let Some(mut rest) = tile(facts, *end, to, dead_ends) {
            rest.push(counts.clone());
            return Some(rest);
        }
    }
    dead_ends.insert(from);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> SeriesId {
        SeriesId { source: "r|1|2".into(), endpoint: Endpoint::Interactions, intenttype: None }
    }
    fn counts(n: u64) -> Counts {
        Counts::from([("total".to_string(), n)])
    }

    #[test]
    fn exact_and_tiled_lookups() {
        let mut c = FactCache::new(100);
        c.insert(&id(), TimeSpan::new(0, 10), counts(1));
        c.insert(&id(), TimeSpan::new(10, 20), counts(2));
        c.insert(&id(), TimeSpan::new(10, 15), counts(5));
        assert_eq!(c.lookup(&id(), TimeSpan::new(0, 10)), Some(counts(1)));
        assert_eq!(c.lookup(&id(), TimeSpan::new(0, 20)), Some(counts(3)));
        assert_eq!(c.lookup(&id(), TimeSpan::new(0, 15)), Some(counts(6)));
        assert_eq!(c.lookup(&id(), TimeSpan::new(0, 12)), None);
        assert_eq!(c.lookup(&id(), TimeSpan::new(5, 10)), None);
    }

    #[test]
    fn other_series_do_not_answer() {
        let mut c = FactCache::new(100);
        c.insert(&id(), TimeSpan::new(0, 10), counts(1));
        let other = SeriesId { endpoint: Endpoint::CustomerEndpoint, ..id() };
        assert_eq!(c.lookup(&other, TimeSpan::new(0, 10)), None);
    }

    #[test]
    fn the_cap_evicts_the_oldest() {
        let mut c = FactCache::new(2);
        c.insert(&id(), TimeSpan::new(0, 1), counts(1));
        c.insert(&id(), TimeSpan::new(1, 2), counts(1));
        c.insert(&id(), TimeSpan::new(2, 3), counts(1));
        assert_eq!(c.len(), 2);
        assert_eq!(c.lookup(&id(), TimeSpan::new(0, 1)), None);
        assert!(c.lookup(&id(), TimeSpan::new(1, 3)).is_some());
    }
}
