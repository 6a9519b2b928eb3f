//! The `intent-quality` panel's numbers, over customer messages (`sendertype`
//! `customer`): per bucket, how many there are, how many the bot recognised with
//! low confidence (`score` below the deployment's `lowConfidenceScore`), and how
//! many are ambiguous (the second-best match scores within 0.1 of the best:
//! `second >= first - 0.1`, computed exactly so). Also the intent pairs the bot
//! confuses, ranked, each with example messages.

use std::collections::HashMap;

use crate::domain::explorer::MessageIndex;
use crate::domain::panels::TableModel;
use crate::domain::wire::{Message, TopMatch};

use super::bucket_of;

/// The default of config `lowConfidenceScore`.
pub const DEFAULT_LOW_CONFIDENCE: f64 = 0.5;
/// How close the second match must score to the first to call a message ambiguous.
pub const AMBIGUITY_MARGIN: f64 = 0.1;
/// The sender type these figures are about.
pub const CUSTOMER: &str = "customer";
/// Example texts kept per confusion pair.
pub const EXAMPLES_PER_PAIR: usize = 3;

/// Column keys of ui-hooks, in order.
pub const KEYS: [&str; 3] = ["customerMessages", "lowConfidence", "ambiguous"];

pub fn is_customer(m: &Message) -> bool {
    m.sendertype.as_deref() == Some(CUSTOMER)
}

/// Below the threshold (a missing score reads as 0, so it is low).
pub fn is_low_confidence(m: &Message, threshold: f64) -> bool {
    m.score < threshold
}

/// The best two matches, best first. The contract promises no order, so they are
/// ranked by score (a stable sort: ties keep the server's order).
pub fn top_two(m: &Message) -> Option<(&TopMatch, &TopMatch)> {
    match m.topmatches.as_slice() {
        [] | [_] => None,
        [a, b] => Some(if b.score > a.score { (b, a) } else { (a, b) }),
        many => {
            let mut v: Vec<&TopMatch> = many.iter().collect();
            v.sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal));
            Some((v[0], v[1]))
        }
    }
}

pub fn is_ambiguous(m: &Message) -> bool {
    top_two(m).is_some_and(|(a, b)| b.score >= a.score - AMBIGUITY_MARGIN)
}

/// The confused pair of an ambiguous message: its top two topics, `a` before `b`
/// in code-point order (Rust's `str` order is exactly that).
pub fn pair_of(m: &Message) -> Option<(&str, &str)> {
    let (x, y) = top_two(m).filter(|(a, b)| b.score >= a.score - AMBIGUITY_MARGIN)?;
    let (x, y) = (x.topic.as_str(), y.topic.as_str());
    Some(if x <= y { (x, y) } else { (y, x) })
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QualityCell {
    pub customer_messages: u64,
    pub low_confidence: u64,
    pub ambiguous: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfusionPair {
    pub a: String,
    pub b: String,
    pub count: u64,
    /// Positions in the index of the first few such messages (time order).
    pub examples: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct QualityTable {
    pub boundaries: Vec<i64>,
    pub cells: Vec<Option<QualityCell>>,
    /// Most frequent first; ties by `a`, then `b`.
    pub pairs: Vec<ConfusionPair>,
}

impl QualityTable {
    /// One pass over `index` (ts order). Messages outside the range, or in buckets
    /// marked `missing`, count nowhere (pairs included).
    pub fn build(index: &MessageIndex, boundaries: &[i64], missing: &[bool], threshold: f64) -> QualityTable {
        let n = boundaries.len().saturating_sub(1);
        let mut cells = vec![QualityCell::default(); n];
        let mut pairs: HashMap<(&str, &str), ConfusionPair> = HashMap::new();
        for (i, m) in index.messages().iter().enumerate() {
            if !is_customer(m) {
                continue;
            }
            let Some(b) = bucket_of(boundaries, m.ts).filter(|b| !missing.get(*b).copied().unwrap_or(false)) else {
                continue;
            };
            let c = &mut cells[b];
            c.customer_messages += 1;
            c.low_confidence += is_low_confidence(m, threshold) as u64;
            if let Some((a, bt)) = pair_of(m) {
                c.ambiguous += 1;
                let p = pairs.entry((a, bt)).or_insert_with(|| ConfusionPair {
                    a: a.to_string(),
                    b: bt.to_string(),
                    count: 0,
                    examples: Vec::new(),
                });
                p.count += 1;
                if p.examples.len() < EXAMPLES_PER_PAIR {
                    p.examples.push(i as u32);
                }
            }
        }
        let mut pairs: Vec<ConfusionPair> = pairs.into_values().collect();
        pairs.sort_by(|x, y| y.count.cmp(&x.count).then_with(|| x.a.cmp(&y.a)).then_with(|| x.b.cmp(&y.b)));
        let cells = cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| (!missing.get(i).copied().unwrap_or(false)).then_some(c))
            .collect();
        QualityTable { boundaries: boundaries.to_vec(), cells, pairs }
    }

    /// The table view and CSV model: `customerMessages`, `lowConfidence`, `ambiguous`.
    pub fn model(&self) -> TableModel {
        super::table3(KEYS, ["Customer messages", "Low confidence", "Ambiguous"], &self.boundaries, |i| {
            self.cells[i].map(|c| [c.customer_messages, c.low_confidence, c.ambiguous])
        })
    }
}

/// The explorer's quality filters (URL `confidence=low`, `ambiguous=1`,
/// `pair=A,B`): all given must hold. A pair implies ambiguity.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct QualityFilter<'a> {
    /// `Some(threshold)`: only messages scoring below it.
    pub low_confidence: Option<f64>,
    pub ambiguous: bool,
    pub pair: Option<(&'a str, &'a str)>,
}

impl QualityFilter<'_> {
    pub fn is_empty(&self) -> bool {
        self.low_confidence.is_none() && !self.ambiguous && self.pair.is_none()
    }

    pub fn admits(&self, m: &Message) -> bool {
        if self.low_confidence.is_some_and(|t| !is_low_confidence(m, t)) {
            return false;
        }
        if self.ambiguous && !is_ambiguous(m) {
            return false;
        }
        match self.pair {
            None => true,
            Some((a, b)) => {
                let want = if a <= b { (a, b) } else { (b, a) };
                pair_of(m) == Some(want)
            }
        }
    }
}
