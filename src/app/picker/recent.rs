//! Recently used ranges in this browser's storage (the list itself, and what
//! is kept, are `domain::time::recent`). A signal, so the popover's list follows.

use std::cell::OnceCell;

use leptos::prelude::*;

use crate::domain::time::recent::RecentRanges;
use crate::domain::time::TimeRange;

const STORAGE_KEY: &str = "engagement-dashboard.recent-ranges";

thread_local! {
    static RECENT: OnceCell<ArcRwSignal<RecentRanges>> = const { OnceCell::new() };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The recent ranges, read from storage once per page.
pub fn recent_ranges() -> ArcRwSignal<RecentRanges> {
    RECENT.with(|cell| {
        cell.get_or_init(|| {
            let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
            ArcRwSignal::new(stored.map(|json| RecentRanges::from_json(&json)).unwrap_or_default())
        })
        .clone()
    })
}

/// Keeps `range` first in the list (and in storage, when the browser lets us).
pub fn remember(range: &TimeRange) {
    let list = recent_ranges();
    let mut changed = false;
    list.update(|l| changed = l.remember(range));
    if changed {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, &list.with_untracked(RecentRanges::to_json));
        }
    }
}
