//! `ViewState`: everything the page URL may set (ui-hooks "URL parameters"), read
//! leniently and written canonically. A bad value is dropped with a notice the
//! page shows; it never blanks the page. Deployment settings (relay URL, ids, key)
//! are deliberately absent: a crafted link must not redirect the dashboard.

use jiff::civil::Weekday;

use crate::domain::time::range_expr::{RangeExpr, ResolveOptions, TimeRange};
use crate::domain::time::zone_names::canonical_zone;
use crate::domain::time::Interval;
use crate::domain::url_encoding::{join_list, query_string, split_list};
use crate::domain::wire::IntentType;

pub use crate::domain::panels::PanelName;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    Light,
    Dark,
    #[default]
    Auto,
}

impl Theme {
    pub fn as_str(&self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "auto" => Some(Theme::Auto),
            _ => None,
        }
    }
}

/// Auto-refresh period (`refresh=1m|5m|15m|1h`; absent or `off`: no auto-refresh).
/// Only relative ranges move, so only they are refreshed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refresh {
    M1,
    M5,
    M15,
    H1,
}

impl Refresh {
    pub const ALL: [Refresh; 4] = [Refresh::M1, Refresh::M5, Refresh::M15, Refresh::H1];

    pub fn as_str(&self) -> &'static str {
        match self {
            Refresh::M1 => "1m",
            Refresh::M5 => "5m",
            Refresh::M15 => "15m",
            Refresh::H1 => "1h",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Refresh::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn period_ms(&self) -> i64 {
        match self {
            Refresh::M1 => 60_000,
            Refresh::M5 => 5 * 60_000,
            Refresh::M15 => 15 * 60_000,
            Refresh::H1 => 60 * 60_000,
        }
    }
}

/// The explorer's filters (`q`, facets). Lists keep the URL's order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ExplorerFilters {
    pub q: String,
    pub sendertype: Vec<String>,
    pub topic: Vec<String>,
    pub workflow: Vec<String>,
    /// `negative`, `neutral`, `positive`.
    pub sentiment: Vec<String>,
    /// `confidence=low`: messages scored below config `lowConfidenceScore`.
    pub low_confidence: bool,
    /// `ambiguous=1`: the second-best intent match within 0.1 of the best.
    pub ambiguous: bool,
    /// `pair=A,B`: ambiguous messages whose top two intents are A and B.
    pub pair: Option<(String, String)>,
}

impl ExplorerFilters {
    /// The list filters with their URL parameter names, in URL order. A new list
    /// filter is added here (and in [`Self::list_mut`]) and is then read, written
    /// and saved like the others, its items surviving the URL whatever they hold
    /// ([`crate::domain::url_encoding::join_list`]).
    pub fn lists(&self) -> [(&'static str, &Vec<String>); 4] {
        [
            ("sendertype", &self.sendertype),
            ("topic", &self.topic),
            ("workflow", &self.workflow),
            ("sentiment", &self.sentiment),
        ]
    }

    /// The list filter named `param`, to fill.
    pub fn list_mut(&mut self, param: &str) -> Option<&mut Vec<String>> {
        match param {
            "sendertype" => Some(&mut self.sendertype),
            "topic" => Some(&mut self.topic),
            "workflow" => Some(&mut self.workflow),
            "sentiment" => Some(&mut self.sentiment),
            _ => None,
        }
    }

    /// `(parameter, value)` for each filter set, values not yet percent-encoded.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(("q", self.q.clone()));
        }
        for (k, l) in self.lists() {
            if !l.is_empty() {
                parts.push((k, join_list(l)));
            }
        }
        if self.low_confidence {
            parts.push(("confidence", "low".into()));
        }
        if self.ambiguous {
            parts.push(("ambiguous", "1".into()));
        }
        if let Some((a, b)) = &self.pair {
            parts.push(("pair", join_list(&[a.clone(), b.clone()])));
        }
        parts
    }

    /// Reads the filters from decoded query pairs (`get` finds a parameter);
    /// returns a notice per ignored value.
    fn read<'a>(get: impl Fn(&str) -> Option<&'a str>) -> (ExplorerFilters, Vec<String>) {
        let mut f = ExplorerFilters { q: get("q").unwrap_or("").to_string(), ..Default::default() };
        let mut notices = Vec::new();
        let names: Vec<&'static str> = f.lists().iter().map(|(k, _)| *k).collect();
        for k in names {
            let Some(items) = get(k).map(split_list) else { continue };
            let list = f.list_mut(k).expect("a name from lists()");
            for item in items {
                if k == "sentiment" && !matches!(item.as_str(), "negative" | "neutral" | "positive") {
                    notices.push(format!("Ignored sentiment \"{item}\": use negative, neutral or positive"));
                } else {
                    list.push(item);
                }
            }
        }
        read_quality_filters(&get, &mut f, &mut notices);
        (f, notices)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewState {
    pub range: TimeRange,
    /// `None`: chosen from the range.
    pub interval: Option<Interval>,
    /// `None`: the browser's zone.
    pub tz: Option<String>,
    pub theme: Theme,
    pub intenttype: IntentType,
    /// `None`: all panels.
    pub panels: Option<Vec<PanelName>>,
    pub filters: ExplorerFilters,
    /// Kiosk mode (embedding): no picker.
    pub kiosk: bool,
    /// `None`: no auto-refresh.
    pub refresh: Option<Refresh>,
    /// The explorer lists oldest messages first (`order=oldest`; ours, not a
    /// stable hook). Newest first by default.
    pub oldest_first: bool,
    /// The first day of a week for `now/w` (`weekstart=monday|sunday|saturday`;
    /// ours, not a stable hook). `None`: the deployment's (config `weekStart`).
    pub week_start: Option<Weekday>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            range: TimeRange::default(),
            interval: None,
            tz: None,
            theme: Theme::Auto,
            intenttype: IntentType::Bot,
            panels: None,
            filters: ExplorerFilters::default(),
            kiosk: false,
            refresh: None,
            oldest_first: false,
            week_start: None,
        }
    }
}

impl ViewState {
    pub fn shows(&self, panel: PanelName) -> bool {
        self.panels.as_ref().is_none_or(|p| p.contains(&panel))
    }

    /// The deployment's options with this view's week start, if it has one.
    pub fn resolve_options(&self, deployment: ResolveOptions) -> ResolveOptions {
        ResolveOptions { week_start: self.week_start.unwrap_or(deployment.week_start), ..deployment }
    }

    /// Reads decoded query pairs. Returns the state and a notice per ignored value.
    pub fn from_query(pairs: &[(String, String)]) -> (ViewState, Vec<String>) {
        let mut v = ViewState::default();
        let mut notices = Vec::new();
        let get = |k: &str| pairs.iter().rev().find(|(n, _)| n == k).map(|(_, val)| val.as_str());
        let from = get("from");
        let to = get("to");
        if from.is_some() || to.is_some() {
            let f = from.map(|s| s.parse::<RangeExpr>());
            let t = to.map(|s| s.parse::<RangeExpr>());
            match (f, t) {
                (Some(Err(e)), _) => notices.push(format!("Ignored from: {e}")),
                (_, Some(Err(e))) => notices.push(format!("Ignored to: {e}")),
                (f, t) => {
                    let candidate = TimeRange::new(
                        f.map(|r| r.unwrap()).unwrap_or_else(|| v.range.from.clone()),
                        t.map(|r| r.unwrap()).unwrap_or_else(|| v.range.to.clone()),
                    );
                    // Reversed ranges are caught when resolved, against a clock.
                    v.range = candidate;
                }
            }
        }
        if let Some(s) = get("interval").filter(|s| !s.is_empty()) {
            match s.parse::<Interval>() {
                Ok(i) => v.interval = Some(i),
                Err(e) => notices.push(format!("Ignored interval: {e}")),
            }
        }
        if let Some(s) = get("tz").filter(|s| !s.is_empty()) {
            // Zones are found whatever their case; the API is sent (and the URL
            // keeps) the database's own spelling, `america/santiago` →
            // `America/Santiago`, which a case-sensitive server knows. Names only:
            // in the browser the zone's data is loaded before the view is used.
            if let Some(name) = canonical_zone(s) {
                v.tz = Some(name);
            } else {
                notices.push(format!("Ignored tz: \"{s}\" is not an IANA time zone (like Europe/Berlin)"));
            }
        }
        if let Some(s) = get("theme") {
            match Theme::parse(s) {
                Some(t) => v.theme = t,
                None => notices.push(format!("Ignored theme: \"{s}\" is not light, dark or auto")),
            }
        }
        if let Some(s) = get("intenttype") {
            match IntentType::parse(s) {
                Some(t) => v.intenttype = t,
                None => notices.push(format!("Ignored intenttype: \"{s}\" is not bot or agent")),
            }
        }
        if let Some(s) = get("panels") {
            let mut panels = Vec::new();
            for name in split_list(s) {
                match PanelName::parse(&name) {
                    Some(p) if !panels.contains(&p) => panels.push(p),
                    Some(_) => {}
                    None => notices.push(format!("Ignored panel \"{name}\": not a panel name")),
                }
            }
            if panels.is_empty() {
                notices.push("Ignored panels: no known panel named, showing all".to_string());
            } else {
                v.panels = Some(panels);
            }
        }
        if let Some(s) = get("refresh").filter(|s| !s.is_empty() && *s != "off") {
            match Refresh::parse(s) {
                Some(r) => v.refresh = Some(r),
                None => notices.push(format!("Ignored refresh: \"{s}\" is not off, 1m, 5m, 15m or 1h")),
            }
        }
        if let Some(s) = get("order") {
            match s {
                "oldest" => v.oldest_first = true,
                "newest" => {}
                other => notices.push(format!("Ignored order: \"{other}\" is not newest or oldest")),
            }
        }
        if let Some(s) = get("weekstart").filter(|s| !s.is_empty()) {
            match parse_week_start(s) {
                Some(w) => v.week_start = Some(w),
                None => notices.push(format!("Ignored weekstart: \"{s}\" is not monday, sunday or saturday")),
            }
        }
        if let Some(s) = get("kiosk") {
            v.kiosk = matches!(s, "1" | "true" | "");
        }
        let (filters, filter_notices) = ExplorerFilters::read(get);
        v.filters = filters;
        notices.extend(filter_notices);
        (v, notices)
    }

    /// The canonical query string (without `?`), defaults left out.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        let [(fk, fv), (tk, tv)] = self.range.query_pairs();
        parts.push((fk, fv));
        parts.push((tk, tv));
        if let Some(i) = self.interval {
            parts.push(("interval", i.to_wire()));
        }
        if let Some(tz) = &self.tz {
            parts.push(("tz", tz.clone()));
        }
        if self.theme != Theme::Auto {
            parts.push(("theme", self.theme.as_str().into()));
        }
        if self.intenttype != IntentType::Bot {
            parts.push(("intenttype", self.intenttype.as_str().into()));
        }
        if let Some(p) = &self.panels {
            parts.push(("panels", p.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")));
        }
        if self.kiosk {
            parts.push(("kiosk", "1".into()));
        }
        if let Some(r) = self.refresh {
            parts.push(("refresh", r.as_str().into()));
        }
        parts.extend(self.filters.query_pairs());
        if self.oldest_first {
            parts.push(("order", "oldest".into()));
        }
        if let Some(w) = self.week_start {
            parts.push(("weekstart", week_start_name(w).into()));
        }
        query_string(parts)
    }
}

/// The week starts a picker offers (those of config `weekStart`).
pub const WEEK_STARTS: [Weekday; 3] = [Weekday::Monday, Weekday::Sunday, Weekday::Saturday];

pub fn week_start_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Sunday => "sunday",
        Weekday::Saturday => "saturday",
        _ => "monday",
    }
}

pub fn parse_week_start(s: &str) -> Option<Weekday> {
    WEEK_STARTS.into_iter().find(|w| week_start_name(*w).eq_ignore_ascii_case(s))
}

/// The intent-quality drill-down filters: `confidence=low`, `ambiguous=1`,
/// `pair=A,B` (two intent names).
fn read_quality_filters<'a>(get: &dyn Fn(&str) -> Option<&'a str>, f: &mut ExplorerFilters, notices: &mut Vec<String>) {
    match get("confidence") {
        None | Some("") => {}
        Some("low") => f.low_confidence = true,
        Some(other) => notices.push(format!("Ignored confidence: \"{other}\" is not low")),
    }
    match get("ambiguous") {
        None | Some("") | Some("0") => {}
        Some("1") | Some("true") => f.ambiguous = true,
        Some(other) => notices.push(format!("Ignored ambiguous: \"{other}\" is not 1")),
    }
    if let Some(s) = get("pair").filter(|s| !s.is_empty()) {
        match split_list(s).as_slice() {
            [a, b] => f.pair = Some((a.clone(), b.clone())),
            _ => notices.push(format!("Ignored pair: \"{s}\" is not two intents (pair=A,B)")),
        }
    }
}

/// Percent-encodes a query value; `,` `/` `:` stay readable (they are safe there).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b'/' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::url_encoding::decode_query_value;

    /// Decoded pairs, as the browser's `URLSearchParams` gives them.
    fn q(s: &str) -> Vec<(String, String)> {
        s.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), decode_query_value(v))).collect()
    }

    #[test]
    fn defaults_when_empty() {
        let (v, n) = ViewState::from_query(&[]);
        assert_eq!(v, ViewState::default());
        assert!(n.is_empty());
        assert_eq!(v.to_query(), "from=now-7d&to=now");
    }

    #[test]
    fn reads_every_parameter_and_writes_it_back() {
        let s = "from=now-30d&to=now&interval=1d&tz=Europe/Berlin&theme=dark&intenttype=agent&panels=interactions,messages&q=refund&sendertype=customer,agent&topic=billing&sentiment=negative&order=oldest";
        let (v, n) = ViewState::from_query(&q(s));
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(v.interval, Some(Interval::days(1)));
        assert_eq!(v.tz.as_deref(), Some("Europe/Berlin"));
        assert_eq!(v.theme, Theme::Dark);
        assert_eq!(v.intenttype, IntentType::Agent);
        assert_eq!(v.panels, Some(vec![PanelName::Interactions, PanelName::Messages]));
        assert_eq!(v.filters.sendertype, vec!["customer", "agent"]);
        assert!(v.oldest_first);
        let (again, _) = ViewState::from_query(&q(&v.to_query()));
        assert_eq!(again, v);
    }

    #[test]
    fn a_week_start_overrides_the_deployments_and_round_trips() {
        let (v, n) = ViewState::from_query(&q("weekstart=Sunday"));
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(v.week_start, Some(Weekday::Sunday));
        assert_eq!(v.to_query(), "from=now-7d&to=now&weekstart=sunday");
        let deployment = ResolveOptions { week_start: Weekday::Saturday, ..ResolveOptions::default() };
        assert_eq!(v.resolve_options(deployment).week_start, Weekday::Sunday);
        assert_eq!(ViewState::default().resolve_options(deployment).week_start, Weekday::Saturday);
        let (v, n) = ViewState::from_query(&q("weekstart=friday"));
        assert_eq!((v.week_start, n.len()), (None, 1));
        assert!(n[0].contains("friday"), "{n:?}");
    }

    #[test]
    fn quality_filters_round_trip_and_bad_ones_are_noticed() {
        let (v, n) = ViewState::from_query(&q("confidence=low&ambiguous=1&pair=billing,order%20status"));
        assert!(n.is_empty(), "{n:?}");
        assert!(v.filters.low_confidence && v.filters.ambiguous);
        assert_eq!(v.filters.pair, Some(("billing".into(), "order status".into())));
        let (again, _) = ViewState::from_query(&q(&v.to_query()));
        assert_eq!(again, v);
        let (v, n) = ViewState::from_query(&q("confidence=high&ambiguous=maybe&pair=billing"));
        assert_eq!(v, ViewState::default());
        assert_eq!(n.len(), 3, "{n:?}");
    }

    #[test]
    fn a_zone_is_kept_in_the_databases_spelling() {
        for (given, kept) in
            [("america/santiago", "America/Santiago"), ("PACIFIC/CHATHAM", "Pacific/Chatham"), ("utc", "UTC")]
        {
            let (v, n) = ViewState::from_query(&q(&format!("tz={given}")));
            assert!(n.is_empty(), "{n:?}");
            assert_eq!(v.tz.as_deref(), Some(kept));
        }
    }

    #[test]
    fn bad_values_are_ignored_with_a_notice() {
        let (v, n) = ViewState::from_query(&q(
            "from=yesterday-ish&interval=5m&tz=Mars/Base&theme=neon&panels=bogus&sentiment=angry&order=random",
        ));
        assert_eq!(v, ViewState::default());
        assert_eq!(n.len(), 8, "{n:?}");
        assert!(n.iter().any(|m| m.contains("Mars/Base")));
    }

    #[test]
    fn an_iso_offset_whose_plus_became_a_space_is_read() {
        let pairs =
            vec![("from".to_string(), "2026-03-08T10:00:00 05:30".to_string()), ("to".to_string(), "now".to_string())];
        let (v, n) = ViewState::from_query(&pairs);
        assert!(n.is_empty(), "{n:?}");
        assert_ne!(v.range, ViewState::default().range);
    }

    #[test]
    fn refresh_is_read_written_and_checked() {
        for r in Refresh::ALL {
            let (v, n) = ViewState::from_query(&q(&format!("refresh={}", r.as_str())));
            assert!(n.is_empty(), "{n:?}");
            assert_eq!(v.refresh, Some(r));
            assert_eq!(v.to_query(), format!("from=now-7d&to=now&refresh={}", r.as_str()));
        }
        let (v, n) = ViewState::from_query(&q("refresh=off"));
        assert_eq!((v.refresh, n.len()), (None, 0));
        let (v, n) = ViewState::from_query(&q("refresh=10s"));
        assert_eq!(v, ViewState::default());
        assert!(n.len() == 1 && n[0].contains("10s"), "{n:?}");
        assert_eq!(Refresh::M5.period_ms(), 300_000);
    }

    #[test]
    fn filter_values_survive_the_url_whatever_they_hold() {
        let mut v = ViewState::default();
        v.filters.topic = vec!["returns, exchanges".into(), "billing".into()];
        v.filters.workflow = vec!["50% off".into(), " spaced ".into(), "a&b=c#d+e".into(), "ünï,ç".into()];
        v.filters.q = "refund, now".into();
        let (again, n) = ViewState::from_query(&q(&v.to_query()));
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(again.filters, v.filters);
        // A hand-written list still splits at its commas.
        let (v, _) = ViewState::from_query(&q("topic=billing, returns"));
        assert_eq!(v.filters.topic, vec!["billing", "returns"]);
    }

    #[test]
    fn the_relay_cannot_be_set_from_the_url() {
        let (v, _) = ViewState::from_query(&q("relayUrl=https://evil.example&providerId=1&apiKey=x"));
        assert_eq!(v, ViewState::default());
    }
}
