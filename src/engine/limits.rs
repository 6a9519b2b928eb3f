//! `LimitLearner`: the per-call range limit, learned once per page for every panel.
//!
//! The contract's limits are a guess unless the deployment configures them or the
//! server hints (`maxRangeMs`). Without a hint, every refused call is a wasted round
//! trip, and panels that learn alone in parallel each pay for it. So a class (hour,
//! day, messages) whose limit is not trusted lets only one call longer than what is
//! known to work be in flight (the *probe*); the others wait for its answer. After
//! the first refusal, the probe lengths follow the egg-drop search: with `e`
//! refusals left and `n` candidate lengths between the longest call that worked
//! and the shortest refused, the next probe is the `N(d-1, e-1)`-th candidate, so
//! the search ends within the refusal budget and every successful probe is a real
//! call of data. Candidates grow by 10 % or one bucket, whichever is more: a
//! 10-day limit is found as 10 days, not 7.75 as halving from 31 would give.
//!
//! What was learned is persisted per deployment (see `persist`), so the next visit
//! starts right.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use serde::{Deserialize, Serialize};

use crate::domain::config::RangeLimits;
use crate::domain::time::LimitClass;

/// Refusals a page spends on the search before it settles on what worked.
pub const REFUSAL_BUDGET: u32 = 3;
/// Candidates grow by at least this factor: the limit is found within 10 %.
const GROWTH: f64 = 1.1;
/// The shortest call worth making; a limit below it is an error, not a split.
pub const MIN_CALL_MS: i64 = 60_000;
/// Learned limits older than this are checked again (the vendor may change them).
pub const LEARNED_TTL_MS: i64 = 7 * 86_400_000;

/// What one class knows about its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassLimit {
    /// The longest call we ever make: configured, or the contract's default.
    pub ceiling: i64,
    /// The longest call length that worked (0: none yet).
    pub good: i64,
    /// The shortest call length the server refused, if any.
    pub bad: Option<i64>,
    /// Configured or hinted by the server: no probing, `good` is the limit.
    pub trusted: bool,
}

/// What the gate tells a call that wants to go.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Within what is known to work: send.
    Go,
    /// Longer than the limit in force: split under `limit` and ask again.
    Shrink(i64),
    /// This call is the probe: send at most `max_len` of it (a longer call sends
    /// its head and asks again for the rest).
    Probe(i64),
    /// A probe is in flight: wait for its answer.
    Wait,
}

impl ClassLimit {
    pub fn new(ceiling: i64, trusted: bool) -> Self {
        ClassLimit { ceiling, good: if trusted { ceiling } else { 0 }, bad: None, trusted }
    }

    /// The limit to plan calls under: what works once the search is over, else the
    /// longest length not known to be refused.
    pub fn plan_limit(&self, refusals: u32) -> i64 {
        if self.trusted || self.settled(refusals) {
            return self.good.max(MIN_CALL_MS);
        }
        match self.bad {
            Some(b) => self.ceiling.min(b - 1),
            None => self.ceiling,
        }
    }

    /// True when probing further cannot pay: trusted, the budget is spent (with
    /// something that worked), or the refused length is within 10 % of a good one.
    pub fn settled(&self, refusals: u32) -> bool {
        self.trusted
            || match self.bad {
                None => self.good >= self.ceiling,
                Some(b) => self.good > 0 && (refusals >= REFUSAL_BUDGET || (b as f64) <= self.good as f64 * GROWTH),
            }
    }

    /// The gate: may a call of `len` ms (buckets of about `step` ms) go now?
    pub fn verdict(&self, len: i64, step: i64, refusals: u32, probe_in_flight: bool) -> Verdict {
        if len <= self.good {
            return Verdict::Go;
        }
        if self.settled(refusals) {
            return Verdict::Shrink(self.good.min(self.ceiling).max(MIN_CALL_MS));
        }
        if probe_in_flight {
            return Verdict::Wait;
        }
        match self.next_probe(step, refusals) {
            Some(t) => Verdict::Probe(t),
            // No length between good and bad at this granularity.
            None if self.good > 0 => Verdict::Shrink(self.good),
            None => Verdict::Shrink(self.bad.unwrap_or(len) / 2),
        }
    }

    /// The next length to try, or `None` when none lies between good and bad.
    pub fn next_probe(&self, step: i64, refusals: u32) -> Option<i64> {
        let Some(bad) = self.bad else { return Some(self.ceiling) };
        let eggs = REFUSAL_BUDGET.saturating_sub(refusals);
        if eggs == 0 {
            // Nothing has worked and the budget is spent: halve, as a last resort.
            return (self.good == 0 && bad / 2 >= MIN_CALL_MS).then_some(bad / 2);
        }
        let step = step.max(MIN_CALL_MS);
        let mut grid = Vec::new();
        let mut x = self.good;
        loop {
            x = ((x as f64 * GROWTH) as i64).max(x + step);
            if x >= bad || grid.len() >= 400 {
                break;
            }
            grid.push(x);
        }
        if grid.is_empty() {
            return None;
        }
        // The fewest drops d whose search covers the grid with `eggs` refusals.
        let mut d = 1;
        while covered(d, eggs) < grid.len() as u64 {
            d += 1;
        }
        let idx = covered(d - 1, eggs - 1) as usize;
        Some(grid[idx.min(grid.len() - 1)])
    }
}

/// How many candidates `d` probes with `e` refusals can search: sum of C(d, i).
fn covered(d: u64, e: u32) -> u64 {
    let mut total = 0u64;
    let mut c = 1u64;
    for i in 1..=e as u64 {
        if i > d {
            break;
        }
        c = c * (d - i + 1) / i;
        total = total.saturating_add(c);
    }
    total
}

/// One class's state on a page.
#[derive(Clone, Copy, Debug)]
struct ClassState {
    limit: ClassLimit,
    refusals: u32,
    probe_in_flight: bool,
}

/// The page's learner: three classes, the probe slots and the calls waiting.
pub struct LimitLearner {
    classes: RefCell<[ClassState; 3]>,
    waiters: RefCell<Vec<oneshot::Sender<()>>>,
    /// Set when something worth persisting was learned.
    dirty: std::cell::Cell<bool>,
    refused: std::cell::Cell<u64>,
}

fn idx(class: LimitClass) -> usize {
    match class {
        LimitClass::Hour => 0,
        LimitClass::Day => 1,
        LimitClass::Messages => 2,
    }
}

pub const CLASSES: [LimitClass; 3] = [LimitClass::Hour, LimitClass::Day, LimitClass::Messages];

/// Held by the probe while it is in flight; dropping it (answer or cancel) frees
/// the slot and wakes the waiting calls.
pub struct ProbeSlot {
    learner: Rc<LimitLearner>,
    class: LimitClass,
}

impl Drop for ProbeSlot {
    fn drop(&mut self) {
        self.learner.classes.borrow_mut()[idx(self.class)].probe_in_flight = false;
        self.learner.wake();
    }
}

/// What `admit` returns.
pub enum Admission {
    Go,
    Shrink(i64),
    Probe(i64, ProbeSlot),
}

impl LimitLearner {
    pub fn new(limits: RangeLimits, trusted: bool) -> Rc<Self> {
        let state = |c| ClassState {
            limit: ClassLimit::new(limits.for_class(c), trusted),
            refusals: 0,
            probe_in_flight: false,
        };
        Rc::new(LimitLearner {
            classes: RefCell::new(CLASSES.map(state)),
            waiters: RefCell::new(Vec::new()),
            dirty: Default::default(),
            refused: Default::default(),
        })
    }

    /// The limits to plan under now.
    pub fn plan_limits(&self) -> RangeLimits {
        let c = self.classes.borrow();
        let l = |i: usize| c[i].limit.plan_limit(c[i].refusals);
        RangeLimits { hour_ms: l(0), day_ms: l(1), messages_ms: l(2) }
    }

    /// Whether the class's limit is known (no probing left to do).
    pub fn settled(&self, class: LimitClass) -> bool {
        let c = self.classes.borrow();
        let s = &c[idx(class)];
        s.limit.settled(s.refusals)
    }

    /// `RANGE_TOO_LARGE` answers seen on this page.
    pub fn refused_calls(&self) -> u64 {
        self.refused.get()
    }

    pub fn snapshot(&self, class: LimitClass) -> ClassLimit {
        self.classes.borrow()[idx(class)].limit
    }

    /// Waits until a call of `len` ms may go, and says how.
    pub async fn admit(self: &Rc<Self>, class: LimitClass, len: i64, step: i64) -> Admission {
        loop {
            let verdict = {
                let c = self.classes.borrow();
                let s = &c[idx(class)];
                s.limit.verdict(len, step, s.refusals, s.probe_in_flight)
            };
            match verdict {
                Verdict::Go => return Admission::Go,
                Verdict::Shrink(l) => return Admission::Shrink(l),
                Verdict::Probe(t) => {
                    self.classes.borrow_mut()[idx(class)].probe_in_flight = true;
                    return Admission::Probe(t, ProbeSlot { learner: self.clone(), class });
                }
                Verdict::Wait => {
                    let (tx, rx) = oneshot::channel();
                    self.waiters.borrow_mut().push(tx);
                    let _ = rx.await;
                }
            }
        }
    }

    fn wake(&self) {
        for w in self.waiters.borrow_mut().drain(..) {
            let _ = w.send(());
        }
    }

    /// A call of `len` ms was answered.
    pub fn worked(&self, class: LimitClass, len: i64) {
        let mut c = self.classes.borrow_mut();
        let l = &mut c[idx(class)].limit;
        if len > l.good {
            l.good = len;
            if l.bad.is_some_and(|b| b <= len) {
                l.bad = None;
            }
            self.dirty.set(true);
        }
    }

    /// A call of `len` ms was refused as too large, with the server's hint if any.
    pub fn refused(&self, class: LimitClass, len: i64, hint: Option<i64>) {
        self.refused.set(self.refused.get() + 1);
        self.dirty.set(true);
        let mut c = self.classes.borrow_mut();
        let s = &mut c[idx(class)];
        s.refusals += 1;
        match hint.filter(|h| *h >= MIN_CALL_MS && *h < len) {
            Some(h) => {
                s.limit.good = h.min(s.limit.ceiling);
                s.limit.bad = Some(len);
                s.limit.trusted = true;
            }
            None => {
                s.limit.bad = Some(s.limit.bad.map_or(len, |b| b.min(len)));
                // A refusal at or under what worked: the limit changed; search again.
                if s.limit.good >= len {
                    s.limit.good = 0;
                    s.limit.trusted = false;
                }
            }
        }
        drop(c);
        self.wake();
    }

    /// Takes what was learned since the last call, if anything, for persisting.
    pub fn take_learned(&self) -> Option<[ClassLimit; 3]> {
        self.dirty.replace(false).then(|| self.classes.borrow().map(|s| s.limit))
    }

    /// Starts from what an earlier visit learned, when it was learned under the
    /// same ceiling (a changed config starts over) and is not trusted already.
    pub fn restore(&self, learned: &[ClassLimit]) {
        let mut c = self.classes.borrow_mut();
        for (s, l) in c.iter_mut().zip(learned) {
            if l.ceiling != s.limit.ceiling || l.good > l.ceiling || l.bad.is_some_and(|b| b <= l.good) {
                continue;
            }
            s.limit = *l;
        }
    }
}

#[cfg(test)]
mod tests;
