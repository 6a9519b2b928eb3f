//! What the dashboard's insight panels need from the data (issue 15):
//!
//! - [`mood`]: customers' sentiment shifts with the topic (billing trouble and
//!   complaints are sour, store hours and upgrades sweet), on top of the outcome;
//! - [`confusable`]: intents the bot mixes up, so the second-best match of a
//!   message is often a realistic near-tie (billing ↔ payment failed);
//! - [`Spike`]: `--spike KEY@TIME*FACTOR[/HOURS]` multiplies one series (a bot
//!   intent, a channel, `botOnly`/`botToAgent`/`agentOnly`, or `total`) for some
//!   hours by adding interactions of that key, so counts, messages and the truth
//!   paths all agree, deterministically for a seed.

use jiff::Timestamp;

use super::data::HOUR_MS;
use super::vocab::{CHANNELS, INTENTS};

/// The topic's pull on a customer's sentiment (added to the outcome's mood).
pub fn mood(intent: usize) -> f64 {
    match INTENTS.get(intent).map(|i| i.name) {
        Some("réclamation") => -0.9,
        Some("payment failed" | "account locked" | "delivery delay") => -0.6,
        Some("billing" | "refund" | "cancel subscription") => -0.35,
        Some("store hours" | "pricing" | "upgrade plan") => 0.5,
        _ => 0.0,
    }
}

/// The intent the bot most often confuses with `intent`, if any.
pub fn confusable(intent: usize) -> Option<usize> {
    let partner = match INTENTS.get(intent)?.name {
        "billing" => "payment failed",
        "payment failed" => "billing",
        "order status" => "delivery delay",
        "delivery delay" => "order status",
        "refund" => "return item",
        "return item" => "refund",
        "password reset" => "account locked",
        "account locked" => "password reset",
        "cancel subscription" => "upgrade plan",
        "upgrade plan" => "pricing",
        _ => return None,
    };
    INTENTS.iter().position(|i| i.name == partner)
}

/// Which interactions a spike adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpikeKey {
    /// A bot intent (index into `INTENTS`).
    Intent(usize),
    /// A channel (index into `CHANNELS`).
    Channel(usize),
    /// `botOnly`, `botToAgent`, `agentOnly` (0, 1, 2).
    Kind(u8),
    Total,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Spike {
    pub key: SpikeKey,
    /// First UTC hour (hours since the epoch) and how many.
    pub first_hour: i64,
    pub hours: i64,
    /// The series' level in those hours is multiplied by this.
    pub factor: f64,
}

impl Spike {
    /// `KEY@TIME*FACTOR[/HOURS]`, e.g. `password reset@2026-06-08T14:00:00Z*8` or
    /// `web@2026-06-08T00:00:00Z*8/24`. TIME is cut to its UTC hour.
    pub fn parse(s: &str) -> Result<Spike, String> {
        let (key, rest) = s.rsplit_once('@').ok_or_else(|| format!("{s:?}: expected KEY@TIME*FACTOR[/HOURS]"))?;
        let (time, rest) = rest.split_once('*').ok_or_else(|| format!("{s:?}: missing *FACTOR"))?;
        let (factor, hours) = match rest.split_once('/') {
            Some((f, h)) => (f, h.parse::<i64>().map_err(|_| format!("{h:?} is not a number of hours"))?),
            None => (rest, 1),
        };
        let factor: f64 = factor.parse().map_err(|_| format!("{factor:?} is not a factor"))?;
        let at: Timestamp = time.parse().map_err(|e| format!("{time:?}: {e}"))?;
        if !(1.0..=1000.0).contains(&factor) || !(1..=24 * 366).contains(&hours) {
            return Err(format!("{s:?}: factor must be 1..1000 and hours 1..8784"));
        }
        let key = match key {
            "total" => SpikeKey::Total,
            "botOnly" => SpikeKey::Kind(0),
            "botToAgent" => SpikeKey::Kind(1),
            "agentOnly" => SpikeKey::Kind(2),
            k => {
                if let Some(i) = INTENTS.iter().position(|i| i.name == k && i.bot_w > 0.0) {
                    SpikeKey::Intent(i)
                } else if let Some(c) = CHANNELS.iter().position(|c| c.0 == k) {
                    SpikeKey::Channel(c)
                } else {
                    return Err(format!("{k:?} is not a bot intent, a channel, a type or total"));
                }
            }
        };
        Ok(Spike { key, first_hour: at.as_millisecond().div_euclid(HOUR_MS), hours, factor })
    }

    pub fn covers(&self, h: i64) -> bool {
        (self.first_hour..self.first_hour + self.hours).contains(&h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Model;
    use crate::messages::in_range;

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn a_spike_multiplies_its_series_and_nothing_else_moves() {
        let (a, b) = (ms("2026-06-08T14:00:00Z"), ms("2026-06-08T15:00:00Z"));
        let spike = Spike::parse("password reset@2026-06-08T14:20:00Z*8").unwrap();
        let ix = INTENTS.iter().position(|i| i.name == "password reset").unwrap();
        let count = |m: &Model, s: i64, e: i64| {
            let mut n = 0;
            m.each(s, e, |it| n += (it.bot_intent == Some(ix)) as u64);
            n
        };
        let plain = Model::new(42, 1.0);
        let spiked = Model::new(42, 1.0).with_spikes(vec![spike]);
        // Over several weekday afternoons the plain hour averages the expected level;
        // the spiked hour carries about 7 times that on top.
        let before = count(&plain, a, b);
        let after = count(&spiked, a, b);
        let extra_expected = 7.0 * plain.expected(a / HOUR_MS) * 0.85 * 8.0 / 97.0;
        assert!(after > before && (after - before) as f64 > 0.5 * extra_expected, "{before} -> {after}");
        // Other hours are untouched, and it is deterministic.
        assert_eq!(count(&plain, b, b + HOUR_MS), count(&spiked, b, b + HOUR_MS));
        assert_eq!(after, count(&Model::new(42, 1.0).with_spikes(spiked.spikes.clone()), a, b));
    }

    #[test]
    fn near_ties_and_topic_moods_show_in_the_messages() {
        let m = Model::new(42, 1.0);
        let s = ms("2026-03-02T00:00:00Z");
        let msgs = in_range(&m, s, s + 86_400_000, None).unwrap();
        let ties = msgs
            .iter()
            .filter(|x| x.topmatches.len() >= 2 && x.topmatches[1].score >= x.topmatches[0].score - 0.1)
            .count();
        assert!(ties * 20 > msgs.len(), "{ties} near-ties in {}", msgs.len());
        let mean = |topic: &str| {
            let v: Vec<f64> = msgs
                .iter()
                .filter(|x| x.topic == topic && x.sendertype == Some("customer"))
                .map(|x| x.sentiment)
                .collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        };
        assert!(mean("store hours") > mean("billing"), "{} {}", mean("store hours"), mean("billing"));
        assert!(Spike::parse("total@2026-06-08T00:00:00Z*0.5").is_err());
    }
}
