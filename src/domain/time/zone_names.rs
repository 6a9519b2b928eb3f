//! Zone names as people type them and as the zone field lists them, from the
//! names of the database (`zone_registry`: compiled in, also in the browser, where
//! a zone's data is loaded only when used).

#[cfg(test)]
use super::zone;
use super::zone_registry;

/// Region/City names of the bundled database, sorted; aliases such as `posixrules`
/// and the `Etc/GMT+5` family (whose sign reads backwards) are left out.
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = zone_registry::all_names()
        .map(str::to_string)
        .filter(|n| {
            n.contains('/')
                && !n.starts_with("Etc/")
                && !n.starts_with("SystemV/")
                && !n.starts_with("posix/")
                && !n.starts_with("right/")
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The name as the database spells it (`europe/berlin` → `Europe/Berlin`), so the
/// URL and saved views hold one spelling; `None` for a zone it does not know.
/// Needs no zone data (in the browser the zone may not be loaded yet).
pub fn canonical_zone(input: &str) -> Option<String> {
    let input = input.trim();
    if input.eq_ignore_ascii_case("utc") {
        return Some("UTC".to_string());
    }
    zone_registry::known_name(input).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_region_city_names_only_sorted() {
        let names = zone_names();
        assert!(names.len() > 300, "{}", names.len());
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
        for known in ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"] {
            assert!(names.iter().any(|n| n == known), "{known}");
        }
        assert!(names.iter().all(|n| n.contains('/') && !n.starts_with("Etc/") && !n.starts_with("posix/")));
        assert!(names.iter().all(|n| zone(n).is_some()), "every listed name resolves");
    }

    #[test]
    fn typed_names_come_back_as_the_database_spells_them() {
        assert_eq!(canonical_zone(" europe/berlin ").as_deref(), Some("Europe/Berlin"));
        assert_eq!(canonical_zone("AMERICA/NEW_YORK").as_deref(), Some("America/New_York"));
        assert_eq!(canonical_zone("utc").as_deref(), Some("UTC"));
        assert_eq!(canonical_zone("Mars/Base"), None);
        assert_eq!(canonical_zone(""), None);
    }
}
