//! Synthetic interactions: a pure function of (seed, UTC hour).
//!
//! Each UTC hour `h` (hours since the epoch) gets its own generator seeded by
//! `hash(seed, h)`, which decides how many interactions start in that hour and,
//! for each, its start instant (ms inside the hour), channel, type, outcome and
//! intents. Nothing depends on the requested range, so the count over any range
//! is exactly the number of these events whose timestamp falls in it, and the
//! answers for the parts of a split range add up to the answer for the whole.
//!
//! The volume follows a daily curve in a fixed "business" zone (New York: busy
//! office hours, quiet nights, DST-correct), quieter weekends, a slow growth trend
//! from 2020, day-to-day noise and the odd spike day. Data exists from 2020-01-01
//! to 2030-12-31 (UTC); outside that the mock is empty, which also bounds the work
//! of a huge truth request.

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::insight_data::{Spike, SpikeKey};
use super::rng::{hash, Rng};
use super::vocab;

pub const HOUR_MS: i64 = 3_600_000;
/// 2020-01-01T00:00:00Z in hours since the epoch.
pub const FIRST_HOUR: i64 = 438_288;
/// 2031-01-01T00:00:00Z in hours since the epoch (exclusive).
pub const END_HOUR: i64 = 534_720;
/// Interactions per day on an average weekday in 2020 at volume 1.
const BASE_PER_DAY: f64 = 460.0;
/// Relative load per local hour 0..23 in the business zone.
const HOURLY: [f64; 24] = [
    0.15, 0.10, 0.08, 0.07, 0.08, 0.12, 0.30, 0.60, 1.00, 1.40, 1.60, 1.70, 1.60, 1.60, 1.70, 1.60, 1.50, 1.30, 1.10,
    0.90, 0.70, 0.50, 0.35, 0.22,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    BotOnly,
    BotToAgent,
    AgentOnly,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::BotOnly => "botOnly",
            Kind::BotToAgent => "botToAgent",
            Kind::AgentOnly => "agentOnly",
        }
    }
}

/// One interaction (= one conversation). Its messages are derived from `key`.
#[derive(Clone, Debug)]
pub struct Interaction {
    /// Start instant, epoch ms: what the count endpoints bucket by.
    pub ts: i64,
    /// Conversation id (the `x` of sessionid `x.y`), unique across the data set.
    pub id: u64,
    /// Seed of this interaction's conversation.
    pub key: u64,
    pub channel: usize,
    pub kind: Kind,
    pub completed: bool,
    /// Index into `vocab::INTENTS`.
    pub bot_intent: Option<usize>,
    pub agent_intent: Option<usize>,
}

/// The event model: seed, volume and a few precomputed tables.
pub struct Model {
    pub seed: u64,
    pub volume: f64,
    business: TimeZone,
    bot_w: Vec<f64>,
    agent_w: Vec<f64>,
    chan_w: Vec<f64>,
    /// Injected spikes (`--spike`): extra interactions of one key in some hours.
    pub spikes: Vec<Spike>,
}

impl Model {
    pub fn new(seed: u64, volume: f64) -> Self {
        Model {
            seed,
            volume: volume.max(0.0),
            business: TimeZone::get("America/New_York").expect("bundled tzdb has New York"),
            bot_w: vocab::intent_weights(false),
            agent_w: vocab::intent_weights(true),
            chan_w: vocab::channel_weights(),
            spikes: Vec::new(),
        }
    }

    pub fn with_spikes(mut self, spikes: Vec<Spike>) -> Self {
        self.spikes = spikes;
        self
    }

    /// The share of interactions that carry `key`.
    fn share(&self, key: SpikeKey) -> f64 {
        let of = |w: &[f64], i: usize| w[i] / w.iter().sum::<f64>();
        match key {
            SpikeKey::Intent(i) => 0.85 * of(&self.bot_w, i),
            SpikeKey::Channel(c) => of(&self.chan_w, c),
            SpikeKey::Kind(k) => [0.55, 0.30, 0.15][k as usize],
            SpikeKey::Total => 1.0,
        }
    }

    fn has_key(it: &Interaction, key: SpikeKey) -> bool {
        match key {
            SpikeKey::Intent(i) => it.bot_intent == Some(i),
            SpikeKey::Channel(c) => it.channel == c,
            SpikeKey::Kind(k) => it.kind as u8 == k,
            SpikeKey::Total => true,
        }
    }

    /// The extra interactions spikes add to hour `h`: enough of the spike's key
    /// to multiply its expected level, drawn like any other (rejecting the rest).
    fn spike_extras(&self, h: i64, lambda: f64, out: &mut Vec<Interaction>) {
        for (n, sp) in self.spikes.iter().enumerate().filter(|(_, sp)| sp.covers(h)) {
            let extra = ((sp.factor - 1.0) * lambda * self.share(sp.key)).round() as usize;
            let mut r = Rng::new(hash(&[self.seed, 6, h as u64, n as u64]));
            for _ in 0..extra {
                let mut it = self.one(&mut r, h);
                for _ in 0..500 {
                    if Self::has_key(&it, sp.key) {
                        break;
                    }
                    it = self.one(&mut r, h);
                }
                if Self::has_key(&it, sp.key) {
                    out.push(it);
                }
            }
        }
    }

    /// Expected number of interactions starting in UTC hour `h`.
    pub fn expected(&self, h: i64) -> f64 {
        if !(FIRST_HOUR..END_HOUR).contains(&h) {
            return 0.0;
        }
        let local = Timestamp::from_second(h * 3600).expect("in range").to_zoned(self.business.clone());
        let shape = HOURLY[local.hour() as usize] / HOURLY.iter().sum::<f64>();
        let week = match local.weekday() {
            Weekday::Saturday => 0.55,
            Weekday::Sunday => 0.45,
            _ => 1.0,
        };
        let years = (h - FIRST_HOUR) as f64 / 8766.0;
        let trend = 0.75 + 0.06 * years;
        // Noise and spikes per local calendar day, so a whole day moves together.
        let day = local.date();
        let day_key = (day.year() as u64) << 16 | (day.month() as u64) << 8 | day.day() as u64;
        let mut dr = Rng::new(hash(&[self.seed, 1, day_key]));
        let noise = 0.8 + 0.4 * dr.f64();
        let spike = if dr.chance(0.02) { 2.0 } else { 1.0 };
        BASE_PER_DAY * self.volume * shape * week * trend * noise * spike
    }

    /// The interactions starting in UTC hour `h`, ascending by `ts`.
    pub fn hour(&self, h: i64) -> Vec<Interaction> {
        let lambda = self.expected(h);
        if lambda <= 0.0 {
            return Vec::new();
        }
        let mut r = Rng::new(hash(&[self.seed, 2, h as u64]));
        let n = r.poisson(lambda).min(9_999);
        let mut v: Vec<Interaction> = (0..n).map(|_| self.one(&mut r, h)).collect();
        self.spike_extras(h, lambda, &mut v);
        v.sort_by_key(|i| (i.ts, i.key));
        for (i, it) in v.iter_mut().enumerate() {
            it.id = (h - FIRST_HOUR) as u64 * 10_000 + i as u64 + 1;
        }
        v
    }

    fn one(&self, r: &mut Rng, h: i64) -> Interaction {
        let ts = h * HOUR_MS + r.below(HOUR_MS as u64) as i64;
        let channel = r.weighted(&self.chan_w);
        let x = r.f64();
        let kind = if x < 0.55 {
            Kind::BotOnly
        } else if x < 0.85 {
            Kind::BotToAgent
        } else {
            Kind::AgentOnly
        };
        let abandon = match kind {
            Kind::BotOnly => 0.18,
            Kind::BotToAgent => 0.12,
            Kind::AgentOnly => 0.08,
        };
        let completed = !r.chance(abandon);
        let bot_intent = (kind != Kind::AgentOnly).then(|| r.weighted(&self.bot_w));
        let agent_intent = match (kind, bot_intent) {
            (Kind::BotOnly, _) => None,
            // A handed-over conversation usually keeps its topic when agents handle it.
            (Kind::BotToAgent, Some(b)) if self.agent_w[b] > 0.0 && r.chance(0.65) => Some(b),
            _ => Some(r.weighted(&self.agent_w)),
        };
        Interaction { ts, id: 0, key: r.next_u64(), channel, kind, completed, bot_intent, agent_intent }
    }

    /// Calls `f` for every interaction with `start_ms <= ts < end_ms`, ascending.
    pub fn each(&self, start_ms: i64, end_ms: i64, mut f: impl FnMut(&Interaction)) {
        let first = start_ms.div_euclid(HOUR_MS).max(FIRST_HOUR);
        let last = (end_ms - 1).div_euclid(HOUR_MS).min(END_HOUR - 1);
        for h in first..=last {
            for it in self.hour(h) {
                if it.ts >= start_ms && it.ts < end_ms {
                    f(&it);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_dates() {
        let h = |s: &str| s.parse::<Timestamp>().unwrap().as_second() / 3600;
        assert_eq!(h("2020-01-01T00:00:00Z"), FIRST_HOUR);
        assert_eq!(h("2031-01-01T00:00:00Z"), END_HOUR);
    }

    #[test]
    fn hours_are_reproducible_and_ids_unique() {
        let m = Model::new(42, 1.0);
        let h = h_of("2026-03-10T15:00:00Z");
        let a: Vec<(i64, u64)> = m.hour(h).iter().map(|i| (i.ts, i.id)).collect();
        let b: Vec<(i64, u64)> = m.hour(h).iter().map(|i| (i.ts, i.id)).collect();
        assert_eq!(a, b);
        assert!(!a.is_empty());
        assert!(a.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 < w[1].1));
        let other = Model::new(43, 1.0).hour(h);
        assert_ne!(a.len() as i64 * 1000 + a[0].0, other.len() as i64 * 1000 + other.first().map_or(0, |i| i.ts));
    }

    fn h_of(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_second() / 3600
    }

    #[test]
    fn volume_is_in_the_advertised_band() {
        // 28 days of 2026: 300..600 a day on average, weekdays busier than weekends,
        // office hours busier than nights.
        let m = Model::new(42, 1.0);
        let start = "2026-02-02T05:00:00Z".parse::<Timestamp>().unwrap().as_millisecond(); // Mon 00:00 NY
        let mut per_day = [0u32; 28];
        let mut types = [0u32; 3];
        m.each(start, start + 28 * 86_400_000, |i| {
            per_day[((i.ts - start) / 86_400_000) as usize] += 1;
            types[i.kind as usize] += 1;
        });
        let avg = per_day.iter().sum::<u32>() as f64 / 28.0;
        assert!((300.0..600.0).contains(&avg), "{avg}");
        let weekday: u32 = (0..28).filter(|d| d % 7 < 5).map(|d| per_day[d]).sum();
        let weekend: u32 = (0..28).filter(|d| d % 7 >= 5).map(|d| per_day[d]).sum();
        assert!(weekday as f64 / 20.0 > 1.4 * weekend as f64 / 8.0);
        let total = types.iter().sum::<u32>() as f64;
        assert!((types[0] as f64 / total - 0.55).abs() < 0.03, "{types:?}");
        assert!(m.expected(h_of("2026-03-10T16:00:00Z")) > 4.0 * m.expected(h_of("2026-03-10T08:00:00Z")));
        assert_eq!(m.expected(FIRST_HOUR - 1), 0.0);
        assert_eq!(m.expected(END_HOUR), 0.0);
    }
}
