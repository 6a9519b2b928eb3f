//! `CountTable`: a range's buckets and what is known of each, filled call by call.
//!
//! A call's answer is checked before it is merged: every returned bucket must lie
//! inside the call and inside one client bucket, and returned buckets must not
//! overlap. Anything else would double-count or misplace a number, so it is an
//! error, never a silent merge. Missing buckets and keys are zeros (contract).

use crate::domain::time::TimeSpan;
use crate::domain::wire::WireBucket;

use std::collections::BTreeMap;

/// Counts by key, as the API returns them for one bucket.
pub type Counts = BTreeMap<String, u64>;

/// The bucket index (into `boundaries`) that contains `t`, by binary search.
pub fn bucket_index(boundaries: &[i64], t: i64) -> Option<usize> {
    if boundaries.len() < 2 || t < boundaries[0] || t >= *boundaries.last().unwrap() {
        return None;
    }
    Some(boundaries.partition_point(|b| *b <= t) - 1)
}

#[derive(Clone, Debug, PartialEq)]
pub struct CountTable {
    /// `b_0 … b_n`: bucket i is `[boundaries[i], boundaries[i+1])`.
    pub boundaries: Vec<i64>,
    /// `Some` once bucket i is fully known.
    pub cells: Vec<Option<Counts>>,
    /// Sums for buckets fetched in several pieces, with the ms covered so far.
    pending: Vec<Option<(Counts, i64)>>,
}

impl CountTable {
    pub fn new(boundaries: Vec<i64>) -> Self {
        let n = boundaries.len().saturating_sub(1);
        CountTable { boundaries, cells: vec![None; n], pending: vec![None; n] }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn bucket(&self, i: usize) -> TimeSpan {
        TimeSpan::new(self.boundaries[i], self.boundaries[i + 1])
    }

    pub fn known(&self) -> Vec<bool> {
        self.cells.iter().map(Option::is_some).collect()
    }

    pub fn is_complete(&self) -> bool {
        self.cells.iter().all(Option::is_some)
    }

    /// Buckets not known, as maximal spans (for "missing" notices).
    pub fn missing_spans(&self) -> Vec<TimeSpan> {
        let mut out: Vec<TimeSpan> = Vec::new();
        for (i, c) in self.cells.iter().enumerate() {
            if c.is_none() {
                let b = self.bucket(i);
                match out.last_mut() {
                    Some(last) if last.end == b.start => last.end = b.end,
                    _ => out.push(b),
                }
            }
        }
        out
    }

    /// Merges one call's answer; returns the indices of buckets it completed.
    pub fn merge_call(&mut self, call: TimeSpan, answer: &[WireBucket]) -> Result<Vec<usize>, String> {
        let mut sums: Vec<(usize, Counts)> = Vec::new();
        let mut prev_end = i64::MIN;
        for wb in answer {
            if wb.start < call.start || wb.end > call.end {
                return Err(format!("a bucket [{}, {}) lies outside the requested range", wb.start, wb.end));
            }
            if wb.start < prev_end {
                return Err(format!("buckets overlap or are out of order at {}", wb.start));
            }
            prev_end = wb.end;
            let i = bucket_index(&self.boundaries, wb.start)
                .ok_or_else(|| format!("a bucket at {} is outside the range", wb.start))?;
            if wb.end > self.boundaries[i + 1] {
                return Err(format!("a bucket [{}, {}) crosses a bucket boundary", wb.start, wb.end));
            }
            match sums.last_mut() {
                Some((j, acc)) if *j == i => add_into(acc, &wb.counts),
                _ => sums.push((i, wb.counts.clone())),
            }
        }
        // Every bucket the call touches gets its share, zero when nothing came back.
        let first = bucket_index(&self.boundaries, call.start).ok_or("the call lies outside the range")?;
        let last = bucket_index(&self.boundaries, call.end - 1).ok_or("the call lies outside the range")?;
        let mut done = Vec::new();
        for i in first..=last {
            let bucket = self.bucket(i);
            let covered = call.end.min(bucket.end) - call.start.max(bucket.start);
            let part = sums.iter().find(|(j, _)| *j == i).map(|(_, c)| c.clone()).unwrap_or_default();
            if covered == bucket.end - bucket.start {
                self.cells[i] = Some(part);
                done.push(i);
                continue;
            }
            let (acc, seen) = self.pending[i].get_or_insert_with(|| (Counts::new(), 0));
            add_into(acc, &part);
            *seen += covered;
            if *seen == bucket.end - bucket.start {
                let (acc, _) = self.pending[i].take().unwrap();
                self.cells[i] = Some(acc);
                done.push(i);
            }
        }
        Ok(done)
    }

    /// The series keys present anywhere, in first-seen order of a sorted walk.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.cells.iter().flatten().flat_map(|c| c.keys().cloned()).collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// The count of `key` in bucket i (zero when absent), `None` if not known.
    pub fn value(&self, i: usize, key: &str) -> Option<u64> {
        self.cells[i].as_ref().map(|c| c.get(key).copied().unwrap_or(0))
    }

    /// Sum of `key` over the known buckets.
    pub fn total(&self, key: &str) -> u64 {
        self.cells.iter().flatten().map(|c| c.get(key).copied().unwrap_or(0)).sum()
    }
}

pub fn add_into(acc: &mut Counts, more: &Counts) {
    for (k, v) in more {
        *acc.entry(k.clone()).or_insert(0) += v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wb(start: i64, end: i64, n: u64) -> WireBucket {
        WireBucket { start, end, counts: Counts::from([("total".into(), n)]), partial: false }
    }

    #[test]
    fn merges_whole_buckets_and_fills_missing_ones_with_zero() {
        let mut t = CountTable::new(vec![0, 10, 20, 30]);
        let done = t.merge_call(TimeSpan::new(0, 20), &[wb(10, 20, 4)]).unwrap();
        assert_eq!(done, vec![0, 1]);
        assert_eq!(t.value(0, "total"), Some(0));
        assert_eq!(t.value(1, "total"), Some(4));
        assert_eq!(t.value(2, "total"), None);
        assert_eq!(t.missing_spans(), vec![TimeSpan::new(20, 30)]);
    }

    #[test]
    fn rolls_up_pieces_of_one_bucket() {
        let mut t = CountTable::new(vec![0, 100]);
        assert!(t.merge_call(TimeSpan::new(0, 40), &[wb(0, 20, 1), wb(20, 40, 2)]).unwrap().is_empty());
        assert_eq!(t.merge_call(TimeSpan::new(40, 100), &[wb(40, 100, 3)]).unwrap(), vec![0]);
        assert_eq!(t.value(0, "total"), Some(6));
    }

    #[test]
    fn refuses_answers_that_would_misplace_a_count() {
        let mut t = CountTable::new(vec![0, 10, 20]);
        assert!(t.merge_call(TimeSpan::new(0, 20), &[wb(5, 15, 1)]).is_err(), "crosses a boundary");
        assert!(t.merge_call(TimeSpan::new(0, 10), &[wb(0, 20, 1)]).is_err(), "outside the call");
        assert!(t.merge_call(TimeSpan::new(0, 20), &[wb(0, 10, 1), wb(0, 10, 1)]).is_err(), "overlap");
        assert!(t.cells.iter().all(Option::is_none));
    }
}
