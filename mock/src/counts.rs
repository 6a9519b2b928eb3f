//! Count responses: walk the events of the range once, in time order, dropping
//! each into its bucket. Buckets are contiguous and ascending, so a single moving
//! pointer finds the bucket (no search, no per-event zone maths).
//!
//! Omission (allowed by the contract, and deliberately exercised here so clients
//! prove they treat missing as 0): keys with a zero count are never sent, and a
//! bucket with no keys at all is left out.

use std::collections::BTreeMap;

use serde::Serialize;

use super::buckets::Bucket;
use super::data::{Interaction, Model};
use super::request::IntentType;
use super::vocab::{CHANNELS, INTENTS};
use crate::api::Endpoint;

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct CountBucket {
    pub start: i64,
    pub end: i64,
    pub counts: BTreeMap<&'static str, u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

#[derive(Serialize, Debug)]
pub struct CountResponse {
    pub code: &'static str,
    pub buckets: Vec<CountBucket>,
}

/// The keys one interaction adds 1 to.
fn keys(endpoint: Endpoint, it_type: Option<IntentType>, it: &Interaction, out: &mut Vec<&'static str>) {
    match endpoint {
        Endpoint::Intents => {
            let ix = match it_type {
                Some(IntentType::Agent) => it.agent_intent,
                _ => it.bot_intent,
            };
            out.extend(ix.map(|i| INTENTS[i].name));
        }
        Endpoint::Interactions => {
            out.push("total");
            out.push(if it.completed { "completed" } else { "abandoned" });
        }
        Endpoint::InteractionType => out.push(it.kind.key()),
        Endpoint::CustomerEndpoint => out.push(CHANNELS[it.channel].0),
        Endpoint::Messages => {}
    }
}

pub fn count(model: &Model, endpoint: Endpoint, it_type: Option<IntentType>, buckets: &[Bucket]) -> CountResponse {
    let mut out: Vec<CountBucket> = buckets
        .iter()
        .map(|b| CountBucket { start: b.start, end: b.end, counts: BTreeMap::new(), partial: b.partial })
        .collect();
    if let (Some(first), Some(last)) = (buckets.first(), buckets.last()) {
        let mut i = 0;
        let mut ks = Vec::with_capacity(2);
        model.each(first.start, last.end, |it| {
            while out[i].end <= it.ts {
                i += 1;
            }
            ks.clear();
            keys(endpoint, it_type, it, &mut ks);
            for k in &ks {
                *out[i].counts.entry(k).or_insert(0) += 1;
            }
        });
    }
    out.retain(|b| !b.counts.is_empty());
    CountResponse { code: "success", buckets: out }
}
