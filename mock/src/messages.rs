//! Redacted messages: each interaction's conversation is derived from its `key`
//! alone, so a message's instant and content never depend on the range asked for.
//!
//! A conversation is a run of segments (`sessionid` = "conversation.segment",
//! counting from 1): a bot segment, then one agent segment per hand-over. A few
//! conversations bounce between agents past ten segments ("…​.10", "…​.11"), so a
//! client that parses sessionid as a number, or sorts it as text, gets it wrong.
//! Abandoned conversations stop on an unanswered customer message.

use serde::Serialize;

use super::data::{Interaction, Kind, Model, HOUR_MS};
use super::insight_data;
use super::rng::{hash, Rng};
use super::vocab::{self, INTENTS};

/// Upper bound of a conversation's length (first to last message), by
/// construction: at most 13 segments × (6 messages × 60 s + 180 s).
pub const MAX_SPAN_MS: i64 = 2 * HOUR_MS;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct TopMatch {
    pub topic: &'static str,
    pub score: f64,
    pub text: &'static str,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Message {
    pub text: &'static str,
    pub timestamp: String,
    pub ts: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sendername: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub senderemail: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sendertype: Option<&'static str>,
    pub sessionid: String,
    pub sentiment: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflownodeid: Option<String>,
    pub topic: &'static str,
    pub score: f64,
    pub topmatches: Vec<TopMatch>,
    /// Deterministic shuffle position (not sent).
    #[serde(skip)]
    pub order: u64,
}

#[derive(Clone, Copy, PartialEq)]
enum Who {
    Customer,
    Bot,
    Agent,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// "2026-03-08 14:03:22 UTC": display only, the contract orders by `ts`.
fn human(ts: i64) -> String {
    match jiff::Timestamp::from_millisecond(ts) {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        Err(_) => ts.to_string(),
    }
}

struct Convo<'a> {
    it: &'a Interaction,
    r: Rng,
    t: i64,
    out: Vec<Message>,
    /// The customer of this conversation, when known.
    customer: (&'static str, &'static str),
}

impl Convo<'_> {
    fn push(&mut self, who: Who, seg: u32, text: &'static str, intent: usize, mood: f64) {
        let r = &mut self.r;
        self.t += r.range(5_000, 60_000);
        let (name, email, kind) = match who {
            Who::Customer => (Some(self.customer.0), Some(self.customer.1), "customer"),
            Who::Bot => (Some(vocab::BOT_NAME), None, "bot"),
            Who::Agent => {
                let a = vocab::AGENTS[(self.it.key as usize + seg as usize) % vocab::AGENTS.len()];
                (Some(a.0), Some(a.1), "agent")
            }
        };
        // Optional fields are sometimes missing, as the spec allows.
        let sendername = name.filter(|_| !r.chance(0.08));
        let senderemail = email.filter(|_| !r.chance(0.25));
        let sendertype = Some(kind).filter(|_| !r.chance(0.03));
        let in_bot_flow = who == Who::Bot || (who == Who::Customer && seg == 1 && self.it.kind != Kind::AgentOnly);
        let workflow = (in_bot_flow && !r.chance(0.1)).then_some(INTENTS[intent].workflow);
        let workflownodeid = workflow.filter(|_| !r.chance(0.15)).map(|_| format!("node-{}", r.range(1, 48)));
        // Sentiment: customers swing both ways, bots are neutral, agents mildly warm.
        let sentiment = match who {
            Who::Customer if r.chance(0.2) => 0.0,
            Who::Customer => round2(mood + (r.f64() - 0.5) * 2.4),
            Who::Bot if r.chance(0.7) => 0.0,
            Who::Bot => round2(r.f64() * 0.6),
            Who::Agent => round2(r.f64() * 1.5 - 0.2),
        };
        // Classification: usually right, sometimes a near miss ranked first.
        let right = r.chance(0.85);
        let top = if right { intent } else { r.below(INTENTS.len() as u64) as usize };
        let score = round2(if right { 0.55 + r.f64() * 0.44 } else { 0.2 + r.f64() * 0.4 });
        let n = r.below(4) as usize; // 0..=3 matches
        let mut topmatches = Vec::with_capacity(n);
        let mut s = score;
        let mut used = Vec::with_capacity(3);
        // A realistic near-tie: the intent the bot mixes this one up with, close behind.
        let near_tie = insight_data::confusable(top).filter(|_| n >= 2 && r.chance(0.3));
        for k in 0..n {
            let ix = match (k, near_tie) {
                (0, _) => top,
                (1, Some(other)) => other,
                _ => r.below(INTENTS.len() as u64) as usize,
            };
            if k == 1 && near_tie.is_some() {
                s = round2((score - r.f64() * 0.14).max(0.0));
            }
            if used.contains(&ix) {
                continue;
            }
            used.push(ix);
            topmatches.push(TopMatch {
                topic: INTENTS[ix].name,
                score: s,
                text: INTENTS[ix].phrases[r.below(2) as usize],
            });
            // After a first match with a near-tie, the tie's score is set above.
            if !(k == 0 && near_tie.is_some()) {
                s = round2(s * (0.3 + r.f64() * 0.6));
            }
        }
        let ts = self.t;
        self.out.push(Message {
            text,
            timestamp: String::new(), // filled once the message is known to be sent
            ts,
            sendername,
            senderemail,
            sendertype,
            sessionid: format!("{}.{}", self.it.id, seg),
            sentiment,
            workflow,
            workflownodeid,
            topic: INTENTS[top].name,
            score,
            topmatches,
            order: 0,
        });
    }
}

/// The messages of one interaction, in time order (callers shuffle).
pub fn conversation(seed: u64, it: &Interaction) -> Vec<Message> {
    let mut r = Rng::new(hash(&[seed, 3, it.key]));
    let customer = vocab::CUSTOMERS[r.below(vocab::CUSTOMERS.len() as u64) as usize];
    let topic = it.bot_intent.or(it.agent_intent).unwrap_or(0);
    let mood = if it.completed { 0.4 } else { -0.8 } + insight_data::mood(topic);
    let mut c = Convo { it, r, t: it.ts - 5_000, out: Vec::new(), customer };
    let mut seg = 1;
    let first = it.bot_intent.or(it.agent_intent).unwrap_or(0);
    let opener = INTENTS[first].customer[c.r.below(2) as usize];
    if let Some(bi) = it.bot_intent {
        c.push(Who::Customer, seg, opener, bi, mood);
        let rounds = if c.r.chance(0.3) { 2 } else { 1 };
        for _ in 0..rounds {
            let line = *c.r.pick(vocab::BOT_LINES);
            c.push(Who::Bot, seg, line, bi, mood);
            let line = *c.r.pick(vocab::CUSTOMER_FOLLOWUPS);
            c.push(Who::Customer, seg, line, bi, mood);
        }
        if it.kind == Kind::BotToAgent {
            c.push(Who::Bot, seg, vocab::BOT_LINES[6], bi, mood);
        } else if it.completed {
            c.push(Who::Bot, seg, vocab::BOT_LINES[7], bi, mood);
        }
        seg += 1;
    }
    if let Some(ai) = it.agent_intent {
        // Usually one agent segment; a few conversations bounce past segment 10.
        let segments = if c.r.chance(0.03) { c.r.range(9, 12) } else { 1 };
        for s in 0..segments {
            c.t += c.r.range(20_000, 180_000);
            if it.kind == Kind::AgentOnly && s == 0 {
                c.push(Who::Customer, seg, opener, ai, mood);
            }
            let msgs = c.r.range(1, 2);
            for _ in 0..msgs {
                let line = *c.r.pick(vocab::AGENT_LINES);
                c.push(Who::Agent, seg, line, ai, mood);
                let line = *c.r.pick(vocab::CUSTOMER_FOLLOWUPS);
                c.push(Who::Customer, seg, line, ai, mood);
            }
            if s + 1 < segments {
                c.push(Who::Agent, seg, vocab::AGENT_LINES[7], ai, mood);
            } else if it.completed {
                c.push(Who::Agent, seg, vocab::AGENT_LINES[8], ai, mood);
            }
            seg += 1;
        }
    }
    // By construction an abandoned conversation ends on an unanswered customer
    // message: the closing bot/agent lines above are only sent when completed.
    c.out
}

/// All messages with `start_ms <= ts < end_ms`, deterministically shuffled, or
/// `Err(count)` when there are more than `cap` (the contract's TOO_MANY_RESULTS:
/// never truncate). Interactions that started up to `MAX_SPAN_MS` before the range
/// are included, since their later messages may fall in it.
pub fn in_range(model: &Model, start_ms: i64, end_ms: i64, cap: Option<usize>) -> Result<Vec<Message>, usize> {
    let mut out = Vec::new();
    model.each(start_ms.saturating_sub(MAX_SPAN_MS), end_ms, |it| {
        for mut m in conversation(model.seed, it) {
            if m.ts >= start_ms && m.ts < end_ms {
                m.order = hash(&[model.seed, 4, m.ts as u64, it.id]);
                out.push(m);
            }
        }
    });
    if cap.is_some_and(|c| out.len() > c) {
        return Err(out.len());
    }
    for m in &mut out {
        m.timestamp = human(m.ts);
    }
    // A deterministic shuffle: the contract guarantees no order, and the client
    // must sort by ts itself, so do not hand it a sorted array by accident.
    out.sort_by_key(|m| m.order);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Model, i64) {
        let start = "2026-03-02T00:00:00Z".parse::<jiff::Timestamp>().unwrap().as_millisecond();
        (Model::new(42, 1.0), start)
    }

    #[test]
    fn spans_are_bounded_and_segments_pass_ten() {
        let (m, start) = sample();
        let mut max_seg = 0;
        m.each(start, start + 2 * 86_400_000, |it| {
            let c = conversation(42, it);
            assert!(!c.is_empty());
            let span = c.last().unwrap().ts - c[0].ts;
            assert!(c[0].ts >= it.ts && span < MAX_SPAN_MS, "{span}");
            assert!(c.windows(2).all(|w| w[0].ts < w[1].ts));
            for msg in &c {
                let seg: u32 = msg.sessionid.split_once('.').unwrap().1.parse().unwrap();
                max_seg = max_seg.max(seg);
            }
        });
        assert!(max_seg >= 11, "{max_seg}");
    }

    #[test]
    fn daily_volume_tokens_and_shuffle() {
        let (m, start) = sample();
        // A week: 1,500..3,000 a day on average, so 7 days exceed the 10,000 cap.
        let msgs = in_range(&m, start, start + 7 * 86_400_000, None).unwrap();
        assert_eq!(in_range(&m, start, start + 7 * 86_400_000, Some(10_000)), Err(msgs.len()));
        assert!((10_500..21_000).contains(&msgs.len()), "{}", msgs.len());
        eprintln!("messages in a week: {}", msgs.len());
        let all: String = msgs.iter().map(|m| m.text).collect::<Vec<_>>().join(" ");
        for tok in ["GPE", "DATE", "TIME", "ORG", "NAME", "MONEY", "EMAIL", "NUMERIC", "ID", "LOYALTY_ID"] {
            assert!(all.contains(&format!("****{tok}****")), "{tok}");
        }
        assert!(msgs.windows(2).any(|w| w[0].ts > w[1].ts), "not shuffled");
        assert!(msgs.iter().any(|m| m.sentiment > 0.0) && msgs.iter().any(|m| m.sentiment < 0.0));
        assert!(msgs.iter().any(|m| m.sentiment == 0.0));
        assert!(msgs.iter().any(|m| m.sendername.is_none()) && msgs.iter().any(|m| m.workflow.is_none()));
        assert!(msgs.iter().all(|m| (0.0..=1.0).contains(&m.score) && m.topmatches.len() <= 3));
    }
}
