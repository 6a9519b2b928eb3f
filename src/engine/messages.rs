//! Messages through the engine: the range split by the Messages limit, halved on
//! `TOO_MANY_RESULTS` (the server refuses rather than truncates) and on
//! `RANGE_TOO_LARGE`, the learned size kept for the session. Settled spans are
//! cached; any sub-range of a cached span is answered from it by `ts`, so a new
//! range overlapping old ones fetches only what is missing. The result is sorted
//! by `ts` and free of duplicates.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture};
use futures::stream::{FuturesUnordered, StreamExt};

use crate::domain::time::TimeSpan;
use crate::domain::wire::{self, ApiError, Endpoint, Message, RequestBody};

use super::call::FetchError;
use super::fetch::{smaller_limit, FetchEngine, Progress};
use super::plan::plan_messages;

/// Spans of messages already fetched and settled, disjoint, with their messages.
#[derive(Default)]
pub struct MessageCache {
    pieces: Vec<(TimeSpan, Rc<Vec<Message>>)>,
    /// Messages held; the oldest pieces are dropped past the cap.
    held: usize,
}

/// Messages held in memory at most (about 100 MB of text at worst).
const MESSAGE_CAP: usize = 500_000;

impl MessageCache {
    fn insert(&mut self, span: TimeSpan, msgs: Rc<Vec<Message>>) {
        self.pieces.retain(|(s, _)| !s.overlaps(&span));
        self.held = self.pieces.iter().map(|(_, m)| m.len()).sum::<usize>() + msgs.len();
        self.pieces.push((span, msgs));
        while self.held > MESSAGE_CAP && self.pieces.len() > 1 {
            let (_, m) = self.pieces.remove(0);
            self.held -= m.len();
        }
    }

    /// The parts of `range` no cached piece covers, and the cached messages inside it.
    fn split(&self, range: TimeSpan) -> (Vec<TimeSpan>, Vec<Rc<Vec<Message>>>) {
        let mut covering: Vec<&(TimeSpan, Rc<Vec<Message>>)> =
            self.pieces.iter().filter(|(s, _)| s.overlaps(&range)).collect();
        covering.sort_by_key(|(s, _)| s.start);
        let mut missing = Vec::new();
        let mut cur = range.start;
        for (s, _) in &covering {
            if s.start > cur {
                missing.push(TimeSpan::new(cur, s.start.min(range.end)));
            }
            cur = cur.max(s.end);
        }
        if cur < range.end {
            missing.push(TimeSpan::new(cur, range.end));
        }
        (missing, covering.into_iter().map(|(_, m)| m.clone()).collect())
    }
}

#[derive(Clone, Debug)]
pub struct MessagesOutcome {
    pub messages: Vec<Message>,
    pub failures: Vec<(TimeSpan, FetchError)>,
    pub progress: Progress,
}

type MessagesResult = (TimeSpan, Result<Vec<Message>, FetchError>);

impl FetchEngine {
    fn messages_call(self: &Rc<Self>, span: TimeSpan) -> LocalBoxFuture<'static, MessagesResult> {
        let this = self.clone();
        async move {
            // Messages ignore the zone; the contract says it is accepted, so send UTC.
            let body = RequestBody {
                start_time: span.start,
                end_time: span.end,
                interval: None,
                timezone: "UTC",
                intenttype: None,
            };
            let body = serde_json::to_string(&body).expect("a request body always serialises");
            let r = this.run_raw(Endpoint::Messages, body, wire::parse_messages).await;
            (span, r)
        }
        .boxed_local()
    }

    /// Loads every message of `range`, sorted by `ts`.
    pub async fn load_messages(
        self: &Rc<Self>,
        range: TimeSpan,
        on_update: &mut dyn FnMut(Progress, usize),
    ) -> MessagesOutcome {
        let (missing, cached) = self.message_cache.borrow().split(range);
        let calls = plan_messages(&missing, &self.limits());
        let mut progress = Progress { done: 0, total: calls.len() };
        let mut fetched: Vec<Rc<Vec<Message>>> = Vec::new();
        let mut count: usize = cached.iter().map(|m| m.iter().filter(|x| range.contains(x.ts)).count()).sum();
        let mut failures = Vec::new();
        on_update(progress, count);

        let mut running = FuturesUnordered::new();
        for c in calls {
            running.push(self.messages_call(c.span));
        }
        let settled_before = self.now_ms() - self.settings.settle_ms;
        while let Some((span, result)) = running.next().await {
            progress.done += 1;
            match result {
                Ok(mut msgs) => {
                    // Only what the call asked for: a server that sends more must not
                    // add messages from outside the range.
                    msgs.retain(|m| span.contains(m.ts));
                    let msgs = Rc::new(msgs);
                    count += msgs.len();
                    if span.end <= settled_before {
                        self.message_cache.borrow_mut().insert(span, msgs.clone());
                    } else if span.start < settled_before {
                        // The settled part of a call up to now is kept too, so a refresh
                        // asks only for what is newer than it (and the last minutes,
                        // which may still change).
                        let part: Vec<Message> = msgs.iter().filter(|m| m.ts < settled_before).cloned().collect();
                        self.message_cache
                            .borrow_mut()
                            .insert(TimeSpan::new(span.start, settled_before), Rc::new(part));
                    }
                    fetched.push(msgs);
                }
                Err(FetchError::Api(e @ (ApiError::TooManyResults | ApiError::RangeTooLarge { .. }))) => {
                    let hint = match e {
                        ApiError::RangeTooLarge { max_range_ms } => max_range_ms,
                        // How far over the per-call cap the range is goes unsaid:
                        // quarter rather than halve, so a busy month takes two
                        // rounds of refusals instead of four.
                        _ => Some(span.len_ms() / 4),
                    };
                    if let Some(limit) =
                        smaller_limit(span.len_ms(), hint).or_else(|| smaller_limit(span.len_ms(), None))
                    {
                        self.shrink_messages_limit(limit);
                        let pieces = super::plan::split_span(span, limit);
                        progress.total += pieces.len();
                        for p in pieces {
                            running.push(self.messages_call(p));
                        }
                    } else {
                        failures.push((span, FetchError::Api(e)));
                    }
                }
                Err(e) => failures.push((span, e)),
            }
            on_update(progress, count);
        }
        let mut messages: Vec<Message> = Vec::with_capacity(count);
        for piece in cached.iter().chain(fetched.iter()) {
            messages.extend(piece.iter().filter(|m| range.contains(m.ts)).cloned());
        }
        sort_and_dedup(&mut messages);
        failures.sort_by_key(|(s, _)| s.start);
        MessagesOutcome { messages, failures, progress }
    }
}

/// Sorts by `ts` (then session and text, so the order is stable across loads) and
/// drops exact duplicates, which overlapping answers would otherwise double.
pub fn sort_and_dedup(messages: &mut Vec<Message>) {
    messages.sort_by(|a, b| {
        a.ts.cmp(&b.ts)
            .then_with(|| a.sessionid.cmp(&b.sessionid))
            .then_with(|| a.text.cmp(&b.text))
            .then_with(|| a.sendertype.cmp(&b.sendertype))
    });
    messages.dedup();
}

pub(super) type MessageCacheCell = RefCell<MessageCache>;
