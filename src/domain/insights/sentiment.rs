//! The `sentiment` panel's numbers: per bucket, how many messages have a sentiment
//! below, equal to or above zero (the contract fixes only the sign), and the mean.

use crate::domain::explorer::{MessageIndex, Sentiment};
use crate::domain::panels::TableModel;
use crate::domain::wire::Message;

use super::bucket_of;

/// Which messages the panel counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SentimentScope {
    #[default]
    All,
    /// Messages whose `topic` is this.
    Topic(String),
    /// Messages whose `sendertype` is this.
    SenderType(String),
}

impl SentimentScope {
    pub fn admits(&self, m: &Message) -> bool {
        match self {
            SentimentScope::All => true,
            SentimentScope::Topic(t) => m.topic == *t,
            SentimentScope::SenderType(s) => m.sendertype.as_deref() == Some(s.as_str()),
        }
    }
}

/// One bucket's messages by sign, and the sum of their sentiments (for the mean).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SentimentCell {
    /// Indexed by `Sentiment as usize`: negative, neutral, positive.
    pub by_sign: [u64; 3],
    pub sum: f64,
}

impl SentimentCell {
    pub fn messages(&self) -> u64 {
        self.by_sign.iter().sum()
    }
    /// The mean sentiment; `None` for an empty bucket (no mean, not zero).
    pub fn mean(&self) -> Option<f64> {
        let n = self.messages();
        (n > 0).then(|| self.sum / n as f64)
    }
}

/// The panel's table: bucket boundaries and one cell per bucket (`None`: the
/// bucket touches a span that failed to load).
#[derive(Clone, Debug, PartialEq)]
pub struct SentimentTable {
    pub boundaries: Vec<i64>,
    pub cells: Vec<Option<SentimentCell>>,
}

/// Column keys of ui-hooks, in order.
pub const KEYS: [&str; 3] = ["negative", "neutral", "positive"];

impl SentimentTable {
    /// Counts `index`'s messages admitted by `scope` into the buckets of
    /// `boundaries`; `missing[i]` marks bucket i as not loaded.
    pub fn build(index: &MessageIndex, boundaries: &[i64], missing: &[bool], scope: &SentimentScope) -> SentimentTable {
        let n = boundaries.len().saturating_sub(1);
        let mut cells = vec![SentimentCell::default(); n];
        for m in index.messages() {
            let Some(b) = bucket_of(boundaries, m.ts) else { continue };
            if !scope.admits(m) {
                continue;
            }
            let c = &mut cells[b];
            c.by_sign[Sentiment::of(m.sentiment) as usize] += 1;
            // NaN counts as neutral and adds nothing to the mean's sum.
            if m.sentiment.is_finite() {
                c.sum += m.sentiment;
            }
        }
        let cells = cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| (!missing.get(i).copied().unwrap_or(false)).then_some(c))
            .collect();
        SentimentTable { boundaries: boundaries.to_vec(), cells }
    }

    /// The table view and CSV model: `negative`, `neutral`, `positive`.
    pub fn model(&self) -> TableModel {
        super::table3(KEYS, ["Negative", "Neutral", "Positive"], &self.boundaries, |i| self.cells[i].map(|c| c.by_sign))
    }

    /// The mean over every loaded message of the range.
    pub fn overall_mean(&self) -> Option<f64> {
        let (n, sum) = self.cells.iter().flatten().fold((0u64, 0.0), |(n, s), c| (n + c.messages(), s + c.sum));
        (n > 0).then(|| sum / n as f64)
    }
}

pub(super) fn capitalised(k: &str) -> String {
    let mut c = k.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
