//! `MessageIndex`: built once per load. Messages sorted by ts; the folded
//! (lower-cased) texts in one contiguous `String` with offsets; per facet a
//! dictionary of values and a small id per message; the sentiment class; and the
//! conversations by id.

use std::collections::HashMap;

use crate::domain::wire::Message;

use super::session;
use super::tokens::fold_into;

/// The four facets of ui-hooks, by their input `name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Facet {
    SenderType,
    Topic,
    Workflow,
    Sentiment,
}

impl Facet {
    pub const ALL: [Facet; 4] = [Facet::SenderType, Facet::Topic, Facet::Workflow, Facet::Sentiment];

    pub fn name(&self) -> &'static str {
        match self {
            Facet::SenderType => "sendertype",
            Facet::Topic => "topic",
            Facet::Workflow => "workflow",
            Facet::Sentiment => "sentiment",
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Facet::SenderType => "Sender type",
            Facet::Topic => "Topic",
            Facet::Workflow => "Workflow",
            Facet::Sentiment => "Sentiment",
        }
    }

    pub fn slot(&self) -> usize {
        *self as usize
    }
}

/// Sentiment by sign (the contract: no fixed range).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sentiment {
    Negative = 0,
    Neutral = 1,
    Positive = 2,
}

impl Sentiment {
    pub const ALL: [Sentiment; 3] = [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive];

    pub fn of(v: f64) -> Sentiment {
        if v > 0.0 {
            Sentiment::Positive
        } else if v < 0.0 {
            Sentiment::Negative
        } else {
            // 0 and NaN.
            Sentiment::Neutral
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
        }
    }
    pub fn parse(s: &str) -> Option<Sentiment> {
        Sentiment::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// No value for this facet (an absent optional field, an empty topic).
pub const NONE: u32 = u32::MAX;

/// The values one facet takes, each with its id (its position).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dict {
    pub values: Vec<String>,
    lookup: HashMap<String, u32>,
}

impl Dict {
    fn id(&mut self, v: Option<&str>) -> u32 {
        let Some(v) = v.filter(|v| !v.is_empty()) else { return NONE };
        if let Some(id) = self.lookup.get(v) {
            return *id;
        }
        let id = self.values.len() as u32;
        self.values.push(v.to_string());
        self.lookup.insert(v.to_string(), id);
        id
    }
    pub fn get(&self, v: &str) -> Option<u32> {
        self.lookup.get(v).copied()
    }
    pub fn len(&self) -> usize {
        self.values.len()
    }
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

#[derive(Debug, Default)]
pub struct MessageIndex {
    messages: Vec<Message>,
    /// Folded texts, back to back; message i is `folded[offsets[i]..offsets[i+1]]`.
    folded: String,
    offsets: Vec<u32>,
    /// Per facet (sendertype, topic, workflow): the values and each message's id.
    dicts: [Dict; 3],
    ids: [Vec<u32>; 3],
    sentiment: Vec<u8>,
    /// Conversation id -> message positions, ordered by segment then ts.
    conversations: HashMap<String, Vec<u32>>,
}

impl MessageIndex {
    /// Indexes `messages`; sorts them by ts first unless they already are (the
    /// engine's output is).
    pub fn build(mut messages: Vec<Message>) -> MessageIndex {
        if !messages.windows(2).all(|w| w[0].ts <= w[1].ts) {
            messages.sort_by_key(|m| m.ts);
        }
        let total: usize = messages.iter().map(|m| m.text.len()).sum();
        let mut folded = String::with_capacity(total + total / 16);
        let mut offsets = Vec::with_capacity(messages.len() + 1);
        let mut dicts: [Dict; 3] = Default::default();
        let mut ids: [Vec<u32>; 3] = std::array::from_fn(|_| Vec::with_capacity(messages.len()));
        let mut sentiment = Vec::with_capacity(messages.len());
        let mut conversations: HashMap<String, Vec<u32>> = HashMap::new();
        offsets.push(0);
        for (i, m) in messages.iter().enumerate() {
            fold_into(&m.text, &mut folded);
            offsets.push(folded.len() as u32);
            ids[0].push(dicts[0].id(m.sendertype.as_deref()));
            ids[1].push(dicts[1].id(Some(m.topic.as_str())));
            ids[2].push(dicts[2].id(m.workflow.as_deref()));
            sentiment.push(Sentiment::of(m.sentiment) as u8);
            let (conv, _) = session::split(&m.sessionid);
            match conversations.get_mut(conv) {
                Some(v) => v.push(i as u32),
                None => {
                    conversations.insert(conv.to_string(), vec![i as u32]);
                }
            }
        }
        for list in conversations.values_mut() {
            // Already in ts order: a stable sort by segment keeps ts order inside.
            list.sort_by(|a, b| {
                session::cmp_segment(
                    session::split(&messages[*a as usize].sessionid).1,
                    session::split(&messages[*b as usize].sessionid).1,
                )
            });
        }
        MessageIndex { messages, folded, offsets, dicts, ids, sentiment, conversations }
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }
    pub fn message(&self, i: u32) -> &Message {
        &self.messages[i as usize]
    }
    pub fn ts(&self, i: u32) -> i64 {
        self.messages[i as usize].ts
    }
    pub(super) fn folded(&self) -> &[u8] {
        self.folded.as_bytes()
    }
    pub(super) fn offsets(&self) -> &[u32] {
        &self.offsets
    }
    pub fn folded_text(&self, i: u32) -> &str {
        &self.folded[self.offsets[i as usize] as usize..self.offsets[i as usize + 1] as usize]
    }
    /// The dictionary of a facet (not for sentiment, whose values are fixed).
    pub fn dict(&self, f: Facet) -> &Dict {
        &self.dicts[f.slot().min(2)]
    }
    /// A message's value id for `f` (`NONE` if absent); sentiment gives its class.
    pub fn value_id(&self, f: Facet, i: u32) -> u32 {
        match f {
            Facet::Sentiment => self.sentiment[i as usize] as u32,
            _ => self.ids[f.slot()][i as usize],
        }
    }
    pub fn sentiment(&self, i: u32) -> Sentiment {
        Sentiment::ALL[self.sentiment[i as usize] as usize]
    }
    /// The messages of conversation `conv` in the range: by segment (numeric
    /// order), then by ts.
    pub fn conversation(&self, conv: &str) -> &[u32] {
        self.conversations.get(conv).map(Vec::as_slice).unwrap_or(&[])
    }
    pub fn conversation_count(&self) -> usize {
        self.conversations.len()
    }
}
