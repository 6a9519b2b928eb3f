use super::*;
use crate::domain::count_table::CountTable;
use crate::domain::wire::WireBucket;

const H: i64 = 3_600_000;

/// `n` hourly buckets from `start`, the first two loaded.
fn model(start: i64, n: usize) -> TableModel {
    let bounds: Vec<i64> = (0..=n as i64).map(|i| start + i * H).collect();
    let mut t = CountTable::new(bounds);
    let wb = |s: i64, c: u64| WireBucket {
        start: s,
        end: s + H,
        counts: [("botOnly".to_string(), c), ("botToAgent".to_string(), 1)].into(),
        partial: false,
    };
    if n >= 2 {
        t.merge_call(TimeSpan::new(start, start + 2 * H), &[wb(start, 1200), wb(start + H, 3)]).unwrap();
    }
    TableModel::build(PanelKind::BotAccess, &t)
}

#[test]
fn a_brush_rounds_to_buckets_in_either_direction() {
    assert_eq!(brushed_buckets(3.4, 6.6), Some((3, 7)));
    assert_eq!(brushed_buckets(6.6, 3.4), Some((3, 7)), "dragged right to left");
    assert_eq!(brushed_buckets(-2.0, 1.2), Some((0, 1)), "started left of the first bucket");
    assert_eq!(brushed_buckets(f64::NAN, 1.0), None);
    assert_eq!(brushed_buckets(0.0, f64::INFINITY), None);
}

#[test]
fn zooming_takes_the_buckets_and_frees_the_interval() {
    let m = model(0, 3);
    let mut v = ViewState { interval: Some(crate::domain::time::Interval::hours(1)), ..ViewState::default() };
    assert!(zoom_to(&mut v, &m, 1, 2));
    assert_eq!(v.range, TimeRange::absolute(TimeSpan::new(H, 3 * H)));
    assert_eq!(v.interval, None);
    let before = v.clone();
    assert!(!zoom_to(&mut v, &m, 3, 3), "no fourth bucket");
    assert_eq!(v, before, "a refused zoom leaves the view alone");
    assert!(zoom_to(&mut v, &m, 2, 99), "past the end is the last bucket");
    assert_eq!(v.range, TimeRange::absolute(TimeSpan::new(2 * H, 3 * H)));
    assert!(!zoom_to(&mut v, &model(0, 0), 0, 0), "an empty model");
}

#[test]
fn a_drill_down_sets_the_range_and_the_topic() {
    let m = model(0, 3);
    let mut v = ViewState::default();
    assert!(drill(&mut v, PanelKind::Intents, &m, &ClickTarget::Bucket { index: 1, key: Some("billing".into()) }));
    assert_eq!(v.range, TimeRange::absolute(TimeSpan::new(H, 2 * H)));
    assert_eq!(v.filters.topic, vec!["billing".to_string()]);
    assert_eq!(v.interval, None);

    let mut v = ViewState::default();
    assert!(drill(&mut v, PanelKind::BotAccess, &m, &ClickTarget::Key("botOnly".into())));
    assert_eq!(v.range, ViewState::default().range, "a ranking's item keeps the range");
    assert!(v.filters.topic.is_empty(), "only intents are topics");
    assert!(!drill(&mut v, PanelKind::Intents, &m, &ClickTarget::Bucket { index: 9, key: None }));
}

#[test]
fn opening_a_bucket_replaces_range_interval_and_filters() {
    let mut v = ViewState { interval: Some(crate::domain::time::Interval::hours(1)), ..ViewState::default() };
    v.filters.q = "old".into();
    let filters = ExplorerFilters { topic: vec!["billing".into()], ..ExplorerFilters::default() };
    open_bucket(&mut v, TimeSpan::new(H, 2 * H), filters.clone());
    assert_eq!((v.range, v.interval, v.filters), (TimeRange::absolute(TimeSpan::new(H, 2 * H)), None, filters));
}

#[test]
fn file_stems_sort_and_avoid_colons() {
    assert_eq!(
        file_stem("interactions", &model(1_772_409_600_000, 2)),
        "interactions_2026-03-02T0000Z_2026-03-02T0200Z"
    );
    assert_eq!(file_stem("interactions", &model(0, 0)), "interactions");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any brush over any model zooms to a range made of whole buckets inside
        /// the model's span, never empty, or leaves the view alone.
        #[test]
        fn a_zoom_stays_on_bucket_edges(n in 0usize..50, a in -10.0f64..80.0, b in -10.0f64..80.0) {
            let m = model(1_700_000_000_000, n);
            let (first, last) = brushed_buckets(a, b).unwrap();
            prop_assert!(first <= last);
            let mut v = ViewState::default();
            if zoom_to(&mut v, &m, first, last) {
                let span = v.range.resolve(0, &jiff::tz::TimeZone::UTC, &Default::default()).unwrap();
                prop_assert!(span.len_ms() > 0);
                prop_assert!(m.rows.iter().any(|r| r.start == span.start));
                prop_assert!(m.rows.iter().any(|r| r.end == span.end));
                prop_assert_eq!(span.len_ms() % H, 0);
            } else {
                prop_assert!(first >= m.rows.len());
                prop_assert_eq!(v, ViewState::default());
            }
        }
    }
}
