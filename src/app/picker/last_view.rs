//! The last view of this browser, kept in local storage as it changes, so a page
//! opened without URL parameters starts where the user left off (`initial_view`).

use leptos::prelude::*;

use crate::state::saved_views::{SavedView, LAST_VIEW_KEY};

use super::saved::write;
use crate::app::context::use_dashboard;

/// Options of `use_remember_last_view_with_options`.
#[derive(Clone, Copy, Debug)]
pub struct UseRememberLastViewOptions {
    /// The storage key (default `LAST_VIEW_KEY`, the one `initial_view` reads);
    /// tests use another so they do not replace a real last view.
    pub key: &'static str,
}

impl Default for UseRememberLastViewOptions {
    fn default() -> Self {
        UseRememberLastViewOptions { key: LAST_VIEW_KEY }
    }
}

/// Keeps the dashboard's view in storage as it changes, except in kiosk mode: an
/// embedded page must not replace the user's own last view. Returns nothing: a
/// write that fails (storage full or disabled) costs only the next restore, and no
/// one would act on a message about it.
pub fn use_remember_last_view() {
    use_remember_last_view_with_options(UseRememberLastViewOptions::default())
}

pub fn use_remember_last_view_with_options(options: UseRememberLastViewOptions) {
    let ctx = use_dashboard();
    Effect::new(move |_| {
        let saved = ctx.view.with(|v| (!v.kiosk).then(|| SavedView::from_view("last", v)));
        if let Some(saved) = saved {
            let _ = write(options.key, &saved.to_json());
        }
    });
}
