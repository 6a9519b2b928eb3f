//! The fact cache's persistent form, for IndexedDB across reloads. Only settled
//! counts are stored (never messages: customer text stays in memory only), keyed
//! by the deployment's relay and ids, never by the API key.

use serde::{Deserialize, Serialize};

use crate::domain::time::TimeSpan;
use crate::domain::wire::{Endpoint, IntentType};

use super::facts::{Counts, SeriesId};
use super::fetch::FetchEngine;
use super::limits::{ClassLimit, LEARNED_TTL_MS};

/// Bump when the record format or its meaning changes: older records are ignored.
pub const FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FactRecord {
    pub v: u32,
    pub source: String,
    pub endpoint: String,
    pub intenttype: Option<String>,
    pub start: i64,
    pub end: i64,
    pub counts: Counts,
}

impl FactRecord {
    /// The storage key: unique per series and span.
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.source,
            self.endpoint,
            self.intenttype.as_deref().unwrap_or("-"),
            self.start,
            self.end
        )
    }
}

fn endpoint_named(name: &str) -> Option<Endpoint> {
    [Endpoint::Intents, Endpoint::Interactions, Endpoint::InteractionType, Endpoint::CustomerEndpoint]
        .into_iter()
        .find(|e| e.path_name() == name)
}

impl FetchEngine {
    /// Facts cached since the last call, as records to persist.
    pub fn take_unsaved_facts(&self) -> Vec<FactRecord> {
        let mut facts = self.facts.borrow_mut();
        let unsaved = facts.take_unsaved();
        unsaved
            .into_iter()
            .filter_map(|(id, span)| {
                let counts = facts.lookup(&id, span)?;
                Some(FactRecord {
                    v: FORMAT,
                    source: id.source.to_string(),
                    endpoint: id.endpoint.path_name().to_string(),
                    intenttype: id.intenttype.map(|t| t.as_str().to_string()),
                    start: span.start,
                    end: span.end,
                    counts,
                })
            })
            .collect()
    }

    /// Loads persisted facts of this deployment; others, and older formats, are
    /// skipped. Returns how many were taken.
    pub fn import_facts(&self, records: impl IntoIterator<Item = FactRecord>) -> usize {
        let mut facts = self.facts.borrow_mut();
        let mut n = 0;
        for r in records {
            if r.v != FORMAT || *r.source != *self.source || r.end <= r.start {
                continue;
            }
            let Some(endpoint) = endpoint_named(&r.endpoint) else { continue };
            let intenttype = match r.intenttype.as_deref() {
                None => None,
                Some(t) => match IntentType::parse(t) {
                    Some(t) => Some(t),
                    None => continue,
                },
            };
            let id = SeriesId { source: self.source.clone(), endpoint, intenttype };
            facts.insert_saved(&id, TimeSpan::new(r.start, r.end), r.counts);
            n += 1;
        }
        n
    }
}

/// What a page learned about the per-call limits of a deployment (hour, day,
/// messages), kept so the next visit starts with it instead of probing again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LimitsRecord {
    pub v: u32,
    pub source: String,
    /// When it was learned: records older than a week are learned again.
    pub at_ms: i64,
    pub classes: Vec<ClassLimit>,
}

impl FetchEngine {
    /// The storage key of this deployment's limits record.
    pub fn limits_key(&self) -> String {
        self.source.to_string()
    }

    /// What was learned since the last call, as a record to persist.
    pub fn take_learned_limits(&self) -> Option<LimitsRecord> {
        let classes = self.learner.take_learned()?;
        Some(LimitsRecord {
            v: FORMAT,
            source: self.source.to_string(),
            at_ms: self.now_ms(),
            classes: classes.to_vec(),
        })
    }

    /// Starts from a persisted record of this deployment, if fresh; true if taken.
    pub fn import_limits(&self, r: &LimitsRecord) -> bool {
        let age = self.now_ms() - r.at_ms;
        if r.v != FORMAT || *r.source != *self.source || age >= LEARNED_TTL_MS || r.classes.len() != 3 {
            return false;
        }
        self.learner.restore(&r.classes);
        true
    }
}
