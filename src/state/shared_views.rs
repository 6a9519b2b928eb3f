//! Saved views on the relay (scope `views`): what the menu lists and how a view
//! becomes the relay's `view` object and back. Pure; the menu is in
//! `app::picker::saved_server`, the HTTP calls in `engine::views_api`.
//!
//! A server view holds the same "what is shown" parameters as a browser view
//! ([`SavedView`]), as URL strings, and is opened through `ViewState::from_query`:
//! validated exactly like a link, whoever wrote it.

use std::collections::BTreeMap;

use crate::engine::views_api::{ServerView, ViewDraft, ViewScope};

use super::saved_views::{SavedView, SavedViews};
use super::view::ViewState;

/// Longest name the relay accepts, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// The view's parameters for the relay.
pub fn view_params(v: &ViewState) -> BTreeMap<String, String> {
    SavedView::from_view("", v).query_pairs().into_iter().collect()
}

/// A stored view applied over `base` (theme and kiosk kept); unknown or invalid
/// parameters are dropped with a notice.
pub fn apply_params(params: &BTreeMap<String, String>, base: &ViewState) -> (ViewState, Vec<String>) {
    let pairs: Vec<(String, String)> = params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let (mut v, notices) = ViewState::from_query(&pairs);
    v.theme = base.theme;
    v.kiosk = base.kiosk;
    (v, notices)
}

/// The parameters that differ between a stored view and the page's (added,
/// removed or changed), sorted: what "Update" would write.
pub fn changed_keys(saved: &BTreeMap<String, String>, current: &BTreeMap<String, String>) -> Vec<String> {
    let mut keys: Vec<String> = saved
        .iter()
        .filter(|(k, v)| current.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .chain(current.keys().filter(|k| !saved.contains_key(*k)).cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// A name trimmed and checked against the relay's limits.
pub fn clean_name(name: &str) -> Result<String, String> {
    let n = name.trim();
    if n.is_empty() {
        return Err("give the view a name".into());
    }
    if n.chars().count() > MAX_NAME_CHARS {
        return Err(format!("the name is longer than {MAX_NAME_CHARS} characters"));
    }
    Ok(n.to_string())
}

/// Where a view is saved: `private`, or `team:ID` (the save form's select).
pub fn parse_target(s: &str, teams: &[String]) -> Option<(ViewScope, Option<String>)> {
    match s.strip_prefix("team:") {
        Some(t) if teams.iter().any(|x| x == t) => Some((ViewScope::Team, Some(t.to_string()))),
        Some(_) => None,
        None => (s == "private").then_some((ViewScope::Private, None)),
    }
}

pub fn draft(name: String, target: (ViewScope, Option<String>), v: &ViewState) -> ViewDraft {
    ViewDraft { name, scope: target.0, team: target.1, view: view_params(v) }
}

/// The same view under a new name (rename, or "save a copy" after a conflict).
pub fn redraft(view: &ServerView, name: String, params: BTreeMap<String, String>) -> ViewDraft {
    ViewDraft { name, scope: view.scope, team: view.team.clone(), view: params }
}

/// "NAME (copy)", "NAME (copy 2)", …: the first not among `taken` (case-blind).
pub fn copy_name(name: &str, taken: &[&str]) -> String {
    let used = |n: &str| taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    let mut candidate = format!("{name} (copy)");
    let mut i = 2;
    while used(&candidate) {
        candidate = format!("{name} (copy {i})");
        i += 1;
    }
    candidate.chars().take(MAX_NAME_CHARS).collect()
}

/// The menu's sections: mine (private), then each team's, names sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// `None`: my private views.
    pub team: Option<String>,
    pub views: Vec<ServerView>,
}

pub fn sections(views: &[ServerView], my_teams: &[String]) -> Vec<Section> {
    let mut private: Vec<ServerView> = views.iter().filter(|v| v.scope == ViewScope::Private).cloned().collect();
    let mut teams: BTreeMap<String, Vec<ServerView>> = BTreeMap::new();
    for t in my_teams {
        teams.entry(t.clone()).or_default();
    }
    for v in views.iter().filter(|v| v.scope == ViewScope::Team) {
        teams.entry(v.team.clone().unwrap_or_default()).or_default().push(v.clone());
    }
    let by_name = |a: &ServerView, b: &ServerView| a.name.to_lowercase().cmp(&b.name.to_lowercase());
    private.sort_by(by_name);
    let mut out = vec![Section { team: None, views: private }];
    for (team, mut views) in teams {
        views.sort_by(by_name);
        out.push(Section { team: Some(team), views });
    }
    out
}

/// Who a view is by, for the menu: "you", or the owner's name (else id).
pub fn owner_label(v: &ServerView, me: &str) -> String {
    if v.owner == me {
        "you".to_string()
    } else {
        v.owner_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| v.owner.clone())
    }
}

/// The browser's views to move to the relay as private views: those whose name I
/// do not already use there. Returns (to create, names skipped).
pub fn migration(local: &SavedViews, server: &[ServerView], me: &str) -> (Vec<ViewDraft>, Vec<String>) {
    let taken = |name: &str| {
        server
            .iter()
            .any(|s| s.scope == ViewScope::Private && s.owner == me && s.name.to_lowercase() == name.to_lowercase())
    };
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for v in local.views() {
        match clean_name(&v.name) {
            Ok(name) if !taken(&name) => out.push(ViewDraft {
                name,
                scope: ViewScope::Private,
                team: None,
                view: v.query_pairs().into_iter().collect(),
            }),
            _ => skipped.push(v.name.clone()),
        }
    }
    (out, skipped)
}

#[cfg(test)]
#[path = "shared_views_tests.rs"]
mod tests;
