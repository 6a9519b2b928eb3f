//! Saved views (the seed's "preference data"): named views the user keeps in the
//! browser, exported and imported as JSON, and the last view, restored when the page
//! opens without URL parameters.
//!
//! A saved view holds what the URL holds about *what* is shown (range expressions,
//! interval, zone, intent type, panels, filters, auto-refresh), as the URL's own
//! strings, and is read back through [`ViewState::from_query`], so it is validated
//! exactly like a link. Theme and kiosk are how the page looks, not what it shows,
//! and are left out. Deployment settings (relay URL, ids, API key) are not in
//! `ViewState` at all; an import carrying any field this module does not know (an
//! `apiKey`, say) is refused whole rather than silently kept.
//!
//! Pure: the browser's storage glue lives in `app::picker`.

use serde::{Deserialize, Serialize};

use super::view::ViewState;

/// The `format` of an export file and of the stored list.
pub const FORMAT: &str = "engagement-dashboard/saved-views";
pub const VERSION: u32 = 1;
/// Longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// At most this many views are kept (a bound on what storage and the list hold).
pub const MAX_VIEWS: usize = 200;

/// localStorage key of the saved views ([`SavedViews::to_json`]).
pub const STORAGE_KEY: &str = "engagement-dashboard.saved-views";
/// localStorage key of the last view ([`SavedView::to_json`], named "last").
pub const LAST_VIEW_KEY: &str = "engagement-dashboard.last-view";

/// The explorer's filters as the URL writes them.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SavedFilters {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sendertype: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topic: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workflow: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sentiment: Vec<String>,
}

/// One named view. Every value is in the URL grammar of ui-hooks.md.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedView {
    pub name: String,
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// `None`: the browser's zone wherever the view is opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intenttype: Option<String>,
    /// `None`: all panels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panels: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub filters: SavedFilters,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh: Option<String>,
}

fn is_default(f: &SavedFilters) -> bool {
    *f == SavedFilters::default()
}

/// Why a name, a view or an import was refused; `Display` is for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SavedViewError {
    EmptyName,
    NameTooLong,
    NameTaken(String),
    NotFound(String),
    TooMany,
    /// Not JSON, or not the shape of an export.
    BadJson(String),
    WrongFormat(String),
    /// A view whose values are not valid URL values.
    InvalidView {
        name: String,
        problems: Vec<String>,
    },
}

impl std::fmt::Display for SavedViewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SavedViewError::EmptyName => write!(f, "give the view a name"),
            SavedViewError::NameTooLong => write!(f, "the name is longer than {MAX_NAME_CHARS} characters"),
            SavedViewError::NameTaken(n) => write!(f, "a view named \"{n}\" already exists"),
            SavedViewError::NotFound(n) => write!(f, "there is no saved view named \"{n}\""),
            SavedViewError::TooMany => write!(f, "at most {MAX_VIEWS} views can be saved: delete some first"),
            SavedViewError::BadJson(e) => write!(f, "the file is not a saved-views export: {e}"),
            SavedViewError::WrongFormat(got) => write!(
                f,
                "the file is not a saved-views export (format \"{got}\", expected \"{FORMAT}\" version {VERSION})"
            ),
            SavedViewError::InvalidView { name, problems } => {
                write!(f, "the view \"{name}\" is not valid: {}", problems.join("; "))
            }
        }
    }
}

impl std::error::Error for SavedViewError {}

/// A name trimmed and checked.
pub fn clean_name(name: &str) -> Result<String, SavedViewError> {
    let n = name.trim();
    if n.is_empty() {
        return Err(SavedViewError::EmptyName);
    }
    if n.chars().count() > MAX_NAME_CHARS {
        return Err(SavedViewError::NameTooLong);
    }
    Ok(n.to_string())
}

impl SavedView {
    /// The view's "what is shown" part, under `name` (not checked here).
    pub fn from_view(name: &str, v: &ViewState) -> SavedView {
        let [(_, from), (_, to)] = v.range.query_pairs();
        let f = &v.filters;
        SavedView {
            name: name.to_string(),
            from,
            to,
            interval: v.interval.map(|i| i.to_wire()),
            tz: v.tz.clone(),
            intenttype: (v.intenttype != ViewState::default().intenttype).then(|| v.intenttype.as_str().to_string()),
            panels: v.panels.as_ref().map(|p| p.iter().map(|p| p.as_str().to_string()).collect()),
            filters: SavedFilters {
                q: f.q.clone(),
                sendertype: f.sendertype.clone(),
                topic: f.topic.clone(),
                workflow: f.workflow.clone(),
                sentiment: f.sentiment.clone(),
            },
            refresh: v.refresh.map(|r| r.as_str().to_string()),
        }
    }

    /// The URL parameters this view stands for (decoded).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let mut p = vec![("from".to_string(), self.from.clone()), ("to".to_string(), self.to.clone())];
        let mut push = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                p.push((k.to_string(), v.clone()));
            }
        };
        push("interval", &self.interval);
        push("tz", &self.tz);
        push("intenttype", &self.intenttype);
        push("panels", &self.panels.as_ref().map(|l| l.join(",")));
        push("refresh", &self.refresh);
        let f = &self.filters;
        push("q", &(!f.q.is_empty()).then(|| f.q.clone()));
        for (k, l) in
            [("sendertype", &f.sendertype), ("topic", &f.topic), ("workflow", &f.workflow), ("sentiment", &f.sentiment)]
        {
            // Items escaped as in the URL, so a comma inside one survives.
            push(k, &(!l.is_empty()).then(|| crate::domain::url_encoding::join_list(l)));
        }
        p
    }

    /// This view applied over `base`: theme and kiosk are kept from `base`, the rest
    /// comes from the saved view. Values no longer valid are dropped with a notice
    /// (exactly as from a URL).
    pub fn apply(&self, base: &ViewState) -> (ViewState, Vec<String>) {
        let (mut v, notices) = ViewState::from_query(&self.query_pairs());
        v.theme = base.theme;
        v.kiosk = base.kiosk;
        (v, notices)
    }

    /// Checks the name and that every value reads without a notice.
    pub fn validate(&self) -> Result<(), SavedViewError> {
        let name = clean_name(&self.name)?;
        let (_, problems) = ViewState::from_query(&self.query_pairs());
        if problems.is_empty() {
            Ok(())
        } else {
            Err(SavedViewError::InvalidView { name, problems })
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a saved view serialises")
    }

    pub fn from_json(json: &str) -> Result<SavedView, SavedViewError> {
        let v: SavedView = serde_json::from_str(json).map_err(|e| SavedViewError::BadJson(e.to_string()))?;
        v.validate()?;
        Ok(v)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    version: u32,
    views: Vec<SavedView>,
}

/// The saved views, in the order they were first saved; names are unique
/// (compared without regard to case).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SavedViews {
    views: Vec<SavedView>,
}

fn same(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

impl SavedViews {
    pub fn views(&self) -> &[SavedView] {
        &self.views
    }

    pub fn get(&self, name: &str) -> Option<&SavedView> {
        self.views.iter().find(|v| same(&v.name, name))
    }

    /// Saves `view` under `name`; an existing view of that name is replaced when
    /// `replace`, else refused.
    pub fn save(&mut self, name: &str, view: &ViewState, replace: bool) -> Result<(), SavedViewError> {
        let name = clean_name(name)?;
        let saved = SavedView::from_view(&name, view);
        let full = self.views.len() >= MAX_VIEWS;
        match self.views.iter_mut().find(|v| same(&v.name, &name)) {
            Some(existing) if replace => *existing = saved,
            Some(existing) => return Err(SavedViewError::NameTaken(existing.name.clone())),
            None if full => return Err(SavedViewError::TooMany),
            None => self.views.push(saved),
        }
        Ok(())
    }

    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), SavedViewError> {
        let to = clean_name(to)?;
        if !same(from, &to) && self.get(&to).is_some() {
            return Err(SavedViewError::NameTaken(to));
        }
        let view = self
            .views
            .iter_mut()
            .find(|v| same(&v.name, from))
            .ok_or_else(|| SavedViewError::NotFound(from.to_string()))?;
        view.name = to;
        Ok(())
    }

    pub fn delete(&mut self, name: &str) -> Result<SavedView, SavedViewError> {
        let i = self
            .views
            .iter()
            .position(|v| same(&v.name, name))
            .ok_or_else(|| SavedViewError::NotFound(name.to_string()))?;
        Ok(self.views.remove(i))
    }

    /// The export file (also what storage holds): pretty JSON with format and version.
    pub fn to_json(&self) -> String {
        let doc = Document { format: FORMAT.to_string(), version: VERSION, views: self.views.clone() };
        serde_json::to_string_pretty(&doc).expect("saved views serialise")
    }

    /// Reads an export, all or nothing: bad JSON, another format, a duplicate name
    /// or any invalid view refuses the whole file with a message saying why.
    pub fn from_json(json: &str) -> Result<SavedViews, SavedViewError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| SavedViewError::BadJson(e.to_string()))?;
        let format = value.get("format").and_then(|f| f.as_str()).unwrap_or("");
        let version = value.get("version").and_then(|v| v.as_u64());
        if format != FORMAT || version != Some(VERSION as u64) {
            return Err(SavedViewError::WrongFormat(if format.is_empty() {
                "none".to_string()
            } else {
                format.to_string()
            }));
        }
        let doc: Document = serde_json::from_value(value).map_err(|e| SavedViewError::BadJson(e.to_string()))?;
        if doc.views.len() > MAX_VIEWS {
            return Err(SavedViewError::TooMany);
        }
        let mut out = SavedViews::default();
        for mut v in doc.views {
            v.validate()?;
            v.name = clean_name(&v.name)?;
            if out.get(&v.name).is_some() {
                return Err(SavedViewError::NameTaken(v.name));
            }
            out.views.push(v);
        }
        Ok(out)
    }

    /// Adds the views of an import; a view whose name exists replaces it. Returns
    /// how many views were imported.
    pub fn merge(&mut self, other: SavedViews) -> Result<usize, SavedViewError> {
        let added = other.views.iter().filter(|v| self.get(&v.name).is_none()).count();
        if self.views.len() + added > MAX_VIEWS {
            return Err(SavedViewError::TooMany);
        }
        let n = other.views.len();
        for v in other.views {
            match self.views.iter_mut().find(|e| same(&e.name, &v.name)) {
                Some(e) => *e = v,
                None => self.views.push(v),
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::range_expr::TimeRange;
    use crate::domain::time::Interval;
    use crate::state::view::{Refresh, Theme};

    fn view(s: &str) -> ViewState {
        let pairs: Vec<(String, String)> =
            s.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let (v, n) = ViewState::from_query(&pairs);
        assert!(n.is_empty(), "{n:?}");
        v
    }

    const FULL: &str = "from=now-30d/d&to=now&interval=1d&tz=Australia/Lord_Howe&intenttype=agent&panels=interactions,messages&q=refund&topic=billing,sales&sentiment=negative&refresh=5m";

    #[test]
    fn a_view_round_trips_through_json() {
        let v = view(FULL);
        let saved = SavedView::from_view("Monthly", &v);
        let back = SavedView::from_json(&saved.to_json()).unwrap();
        assert_eq!(back, saved);
        let (restored, notices) = back.apply(&ViewState::default());
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(restored, v);
        assert_eq!(restored.refresh, Some(Refresh::M5));
    }

    #[test]
    fn defaults_are_left_out_and_theme_is_not_saved() {
        let mut v = ViewState { theme: Theme::Dark, kiosk: true, ..ViewState::default() };
        v.range = TimeRange::absolute(crate::domain::time::TimeSpan::new(1_000, 2_000));
        let saved = SavedView::from_view("x", &v);
        assert_eq!(saved.to_json(), r#"{"name":"x","from":"1000","to":"2000"}"#);
        // Opening it keeps the page's own theme and kiosk mode.
        let base = ViewState { theme: Theme::Light, ..ViewState::default() };
        let (opened, _) = saved.apply(&base);
        assert_eq!((opened.theme, opened.kiosk, opened.range.clone()), (Theme::Light, false, v.range));
    }

    #[test]
    fn save_list_rename_delete() {
        let mut s = SavedViews::default();
        s.save("  Weekly ", &view("from=now-7d/d&to=now&interval=1d"), false).unwrap();
        s.save("Today", &view("from=now/d&to=now/d"), false).unwrap();
        assert_eq!(s.views().iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["Weekly", "Today"]);
        assert_eq!(s.save("weekly", &ViewState::default(), false), Err(SavedViewError::NameTaken("Weekly".into())));
        s.save("weekly", &view("from=now-14d&to=now"), true).unwrap();
        assert_eq!(s.get("WEEKLY").unwrap().from, "now-14d");
        assert_eq!(s.save("   ", &ViewState::default(), false), Err(SavedViewError::EmptyName));
        assert_eq!(s.save(&"x".repeat(81), &ViewState::default(), false), Err(SavedViewError::NameTooLong));

        assert_eq!(s.rename("Weekly", "today"), Err(SavedViewError::NameTaken("today".into())));
        s.rename("weekly", "Fortnight").unwrap();
        s.rename("Fortnight", "fortnight").unwrap(); // case change of itself
        assert!(s.get("Weekly").is_none());
        assert_eq!(s.rename("nope", "x"), Err(SavedViewError::NotFound("nope".into())));

        assert_eq!(s.delete("TODAY").unwrap().name, "Today");
        assert_eq!(s.views().len(), 1);
        assert!(s.delete("Today").is_err());
    }

    #[test]
    fn export_import_round_trip_and_merge() {
        let mut s = SavedViews::default();
        s.save("A", &view(FULL), false).unwrap();
        s.save("B", &view("from=1772982000000&to=1773068400000&interval=1h&tz=UTC"), false).unwrap();
        let json = s.to_json();
        assert!(json.contains(FORMAT));
        let back = SavedViews::from_json(&json).unwrap();
        assert_eq!(back, s);

        let mut mine = SavedViews::default();
        mine.save("a", &ViewState::default(), false).unwrap();
        mine.save("C", &ViewState::default(), false).unwrap();
        assert_eq!(mine.merge(back).unwrap(), 2);
        let names: Vec<_> = mine.views().iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["A", "C", "B"]);
        assert_eq!(mine.get("a").unwrap().interval.as_deref(), Some("1d"));
    }

    #[test]
    fn bad_imports_are_refused_with_a_reason() {
        let e = SavedViews::from_json("{not json").unwrap_err();
        assert!(matches!(e, SavedViewError::BadJson(_)));
        assert!(e.to_string().contains("not a saved-views export"), "{e}");
        assert!(matches!(SavedViews::from_json("[]"), Err(SavedViewError::WrongFormat(_))));
        assert!(matches!(
            SavedViews::from_json(r#"{"format":"something-else","version":1,"views":[]}"#),
            Err(SavedViewError::WrongFormat(_))
        ));
        let doc = |views: &str| format!(r#"{{"format":"{FORMAT}","version":1,"views":[{views}]}}"#);
        assert_eq!(SavedViews::from_json(&doc("")).unwrap(), SavedViews::default());
        // A value the URL would refuse.
        let e = SavedViews::from_json(&doc(r#"{"name":"x","from":"yesterday-ish","to":"now"}"#)).unwrap_err();
        assert!(matches!(&e, SavedViewError::InvalidView { name, .. } if name == "x"), "{e}");
        let e = SavedViews::from_json(&doc(r#"{"name":"x","from":"now-1d","to":"now","tz":"Mars/Base"}"#)).unwrap_err();
        assert!(e.to_string().contains("Mars/Base"), "{e}");
        // A field no view has (a key, a relay URL) refuses the file.
        let e =
            SavedViews::from_json(&doc(r#"{"name":"x","from":"now-1d","to":"now","apiKey":"secret"}"#)).unwrap_err();
        assert!(matches!(e, SavedViewError::BadJson(_)), "{e}");
        // Missing fields, duplicate and empty names.
        assert!(SavedViews::from_json(&doc(r#"{"name":"x"}"#)).is_err());
        let two = doc(r#"{"name":"x","from":"now-1d","to":"now"},{"name":"X","from":"now-2d","to":"now"}"#);
        assert_eq!(SavedViews::from_json(&two), Err(SavedViewError::NameTaken("X".into())));
        assert_eq!(
            SavedViews::from_json(&doc(r#"{"name":" ","from":"now-1d","to":"now"}"#)),
            Err(SavedViewError::EmptyName)
        );
    }

    #[test]
    fn nothing_of_the_deployment_is_ever_written() {
        let mut s = SavedViews::default();
        s.save("A", &view(FULL), false).unwrap();
        let json = s.to_json().to_lowercase();
        for word in ["key", "relay", "provider", "partner", "token", "theme", "kiosk"] {
            assert!(!json.contains(word), "{word} in {json}");
        }
    }

    #[test]
    fn interval_and_zone_survive_exactly() {
        let v = view("from=now-90d/d&to=now&interval=7d&tz=America/New_York");
        let (back, _) = SavedView::from_json(&SavedView::from_view("q", &v).to_json()).unwrap().apply(&v);
        assert_eq!(back.interval, Some(Interval::days(7)));
        assert_eq!(back.tz.as_deref(), Some("America/New_York"));
        assert_eq!(back.range, v.range);
    }
}
