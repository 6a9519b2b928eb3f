//! Anomaly detection on the mock's data: false alarms on a quiet 90-day range and
//! injected 8x spikes found, with the dashboard's own detector
//! (`domain::insights::anomaly`) over the mock's own counts and bucket maths (no
//! HTTP: the figures are about the method, not the network).
//!
//! `cargo run --release --example anomaly_bench` (also run by `cargo xtask bench`).
//! Prints figures; asserts nothing.

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    bench::main();
}

// Native only: the mock crate is a native dev-dependency.
#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use engagement_dashboard::domain::count_table::CountTable;
    use engagement_dashboard::domain::insights::anomaly::{completeness, detect_tables, history_span, Finding};
    use engagement_dashboard::domain::time::{boundaries, Interval, TimeSpan};
    use engagement_dashboard::domain::wire::WireBucket;
    use jiff::tz::TimeZone;
    use mock_de::api::Endpoint;
    use mock_de::data::Model;
    use mock_de::insight_data::Spike;
    use mock_de::request::IntentType;
    use mock_de::vocab::{CHANNELS, INTENTS};

    const DAY: i64 = 86_400_000;
    const HOUR: i64 = 3_600_000;
    const ENDPOINTS: [Endpoint; 4] =
        [Endpoint::Interactions, Endpoint::Intents, Endpoint::InteractionType, Endpoint::CustomerEndpoint];

    fn table(
        model: &Model,
        ep: Endpoint,
        span: TimeSpan,
        iv: Interval,
        mock_iv: mock_de::buckets::Interval,
    ) -> CountTable {
        let tz = TimeZone::UTC;
        let mut t = CountTable::new(boundaries(span, iv, &tz, 100_000).expect("buckets"));
        let bs = mock_de::buckets::buckets(span.start, span.end, mock_iv, &tz, 100_000).expect("mock buckets");
        let it = (ep == Endpoint::Intents).then_some(IntentType::Bot);
        let answer: Vec<WireBucket> = mock_de::counts::count(model, ep, it, &bs)
            .buckets
            .into_iter()
            .map(|b| WireBucket {
                start: b.start,
                end: b.end,
                counts: b.counts.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                partial: b.partial,
            })
            .collect();
        t.merge_call(span, &answer).expect("mock answer merges");
        t
    }

    /// Every finding over `span` for every series of every endpoint.
    fn findings(
        model: &Model,
        span: TimeSpan,
        iv: Interval,
        mock_iv: mock_de::buckets::Interval,
    ) -> (Vec<Finding>, usize) {
        let tz = TimeZone::UTC;
        let hist_span = history_span(span, iv, &tz).expect("history");
        let (mut out, mut buckets) = (Vec::new(), 0);
        for ep in ENDPOINTS {
            let cur = table(model, ep, span, iv, mock_iv);
            let hist = table(model, ep, hist_span, iv, mock_iv);
            let mut keys = cur.keys();
            keys.extend(hist.keys());
            keys.sort();
            keys.dedup();
            let complete = completeness(&cur, iv, &tz, i64::MAX);
            buckets += keys.len() * cur.len();
            out.extend(detect_tables(Some(&hist), &cur, &keys, iv, &complete));
        }
        (out, buckets)
    }

    /// A deterministic pick of spike keys: bot intents, channels, types and total.
    fn spike_keys() -> Vec<String> {
        let mut k: Vec<String> = INTENTS.iter().filter(|i| i.bot_w > 0.0).map(|i| i.name.to_string()).collect();
        k.extend(CHANNELS.iter().map(|c| c.0.to_string()));
        k.extend(["botOnly", "botToAgent", "agentOnly", "total"].map(String::from));
        k
    }

    fn iso(ms: i64) -> String {
        jiff::Timestamp::from_millisecond(ms).unwrap().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    fn spikes(label: &str, span: TimeSpan, iv: Interval, mock_iv: mock_de::buckets::Interval, step: i64, hours: i64) {
        let keys = spike_keys();
        let slots = (span.len_ms() / step) as usize;
        let (mut found, mut tried, mut extra) = (0, 0, 0);
        let mut missed = Vec::new();
        for (n, key) in keys.iter().enumerate() {
            // Spread over the range, at business hours for hourly spikes.
            let slot = (n * 7 + 3) % slots;
            let at = span.start + slot as i64 * step + if hours == 1 { 15 * HOUR } else { 0 };
            let spike = Spike::parse(&format!("{key}@{}*8/{hours}", iso(at))).expect("spike");
            let model = Model::new(42, 1.0).with_spikes(vec![spike]);
            let (fs, _) = findings(&model, span, iv, mock_iv);
            tried += 1;
            let bucket_ms = if hours == 1 { HOUR } else { DAY };
            let bucket_start = at - (at - span.start) % bucket_ms;
            let hit = fs.iter().any(|f| f.key == *key && f.start == bucket_start);
            if hit {
                found += 1;
            } else {
                missed.push(format!("{key}@{}", iso(at)));
            }
            extra += fs.iter().filter(|f| f.start != bucket_start).count();
        }
        println!(
            "{label}: {found}/{tried} injected 8x spikes found ({extra} flags elsewhere in those {tried} runs){}",
            if missed.is_empty() { String::new() } else { format!("; missed: {}", missed.join(", ")) }
        );
    }

    pub fn main() {
        let quiet_end = jiff::Timestamp::from_second(1_788_220_800).unwrap().as_millisecond(); // 2026-09-01Z
        let quiet = TimeSpan::new(quiet_end - 90 * DAY, quiet_end);
        let model = Model::new(42, 1.0);
        let t0 = std::time::Instant::now();
        let (fs, judged) = findings(&model, quiet, Interval::days(1), mock_de::buckets::Interval::Days(1));
        println!(
            "quiet 90 days, 1d buckets, every series of the four count endpoints: {} flags in {judged} series-buckets",
            fs.len()
        );
        for f in &fs {
            println!("  {} {} value {} usually {:.1}", f.key, iso(f.start), f.value, f.expected);
        }
        let hourly = TimeSpan::new(quiet_end - 14 * DAY, quiet_end);
        let (fs, judged) = findings(&model, hourly, Interval::hours(1), mock_de::buckets::Interval::Hours(1));
        println!("quiet 14 days, 1h buckets: {} flags in {judged} series-buckets", fs.len());
        for f in fs.iter().take(10) {
            println!("  {} {} value {} usually {:.1}", f.key, iso(f.start), f.value, f.expected);
        }
        spikes("daily view (90 days, 1d)", quiet, Interval::days(1), mock_de::buckets::Interval::Days(1), DAY, 24);
        spikes(
            "hourly view (7 days, 1h)",
            TimeSpan::new(quiet_end - 7 * DAY, quiet_end),
            Interval::hours(1),
            mock_de::buckets::Interval::Hours(1),
            DAY,
            1,
        );
        println!("({:.1} s)", t0.elapsed().as_secs_f64());
    }
}
