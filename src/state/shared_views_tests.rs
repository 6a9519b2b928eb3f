use super::*;
use crate::state::view::Theme;

fn view(q: &str) -> ViewState {
    let pairs: Vec<(String, String)> =
        q.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.into(), v.into())).collect();
    let (v, n) = ViewState::from_query(&pairs);
    assert!(n.is_empty(), "{n:?}");
    v
}

fn server(id: &str, name: &str, scope: ViewScope, team: Option<&str>, owner: &str) -> ServerView {
    ServerView {
        id: id.into(),
        name: name.into(),
        scope,
        team: team.map(str::to_string),
        owner: owner.into(),
        owner_name: Some(format!("{owner} name")),
        view: [("from".to_string(), "now-7d".to_string()), ("to".to_string(), "now".to_string())].into(),
        version: 1,
        updated_at: 0,
    }
}

#[test]
fn a_view_round_trips_through_the_relays_form() {
    let v = view("from=now-30d/d&to=now&interval=1d&tz=Europe/Berlin&intenttype=agent&panels=intents,messages&topic=billing&refresh=5m");
    let params = view_params(&v);
    assert_eq!(params.get("tz").map(String::as_str), Some("Europe/Berlin"));
    assert!(!params.contains_key("theme"), "how the page looks is not saved");
    let base = ViewState { theme: Theme::Dark, ..ViewState::default() };
    let (back, notices) = apply_params(&params, &base);
    assert!(notices.is_empty());
    assert_eq!(back.theme, Theme::Dark);
    assert_eq!(ViewState { theme: v.theme, ..back }, v);
}

#[test]
fn hostile_parameters_are_dropped_with_a_notice() {
    let params: BTreeMap<String, String> = [
        ("from".to_string(), "<script>".to_string()),
        ("to".to_string(), "now".to_string()),
        ("tz".to_string(), "Mars/Base".to_string()),
    ]
    .into();
    let (v, notices) = apply_params(&params, &ViewState::default());
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert_eq!(v.tz, None);
}

#[test]
fn changes_are_listed_by_key() {
    let a = view_params(&view("from=now-7d&to=now&tz=UTC"));
    let b = view_params(&view("from=now-7d&to=now&interval=1h"));
    assert_eq!(changed_keys(&a, &b), ["interval", "tz"]);
    assert!(changed_keys(&a, &a).is_empty());
}

#[test]
fn names_are_checked_like_the_relay() {
    assert_eq!(clean_name("  Mine "), Ok("Mine".into()));
    assert!(clean_name("   ").is_err());
    assert!(clean_name(&"é".repeat(101)).is_err());
    assert!(clean_name(&"é".repeat(100)).is_ok());
}

#[test]
fn save_targets_are_private_or_one_of_my_teams() {
    let teams = vec!["support".to_string()];
    assert_eq!(parse_target("private", &teams), Some((ViewScope::Private, None)));
    assert_eq!(parse_target("team:support", &teams), Some((ViewScope::Team, Some("support".into()))));
    assert_eq!(parse_target("team:sales", &teams), None);
    assert_eq!(parse_target("public", &teams), None);
}

#[test]
fn copies_get_a_free_name() {
    assert_eq!(copy_name("Weekly", &["Weekly"]), "Weekly (copy)");
    assert_eq!(copy_name("Weekly", &["Weekly", "weekly (COPY)", "Weekly (copy 2)"]), "Weekly (copy 3)");
    assert_eq!(copy_name(&"x".repeat(100), &[]).chars().count(), MAX_NAME_CHARS);
}

#[test]
fn the_menu_has_mine_then_each_team_sorted() {
    let views = vec![
        server("1", "zeta", ViewScope::Private, None, "me"),
        server("2", "Alpha", ViewScope::Private, None, "me"),
        server("3", "b", ViewScope::Team, Some("support"), "u2"),
        server("4", "A", ViewScope::Team, Some("support"), "me"),
    ];
    let s = sections(&views, &["support".to_string(), "sales".to_string()]);
    let names: Vec<(Option<&str>, Vec<&str>)> =
        s.iter().map(|s| (s.team.as_deref(), s.views.iter().map(|v| v.name.as_str()).collect())).collect();
    assert_eq!(names, [(None, vec!["Alpha", "zeta"]), (Some("sales"), vec![]), (Some("support"), vec!["A", "b"])]);
    assert_eq!(owner_label(&views[2], "me"), "u2 name");
    assert_eq!(owner_label(&views[3], "me"), "you");
}

#[test]
fn local_views_move_once_and_names_in_use_are_skipped() {
    let mut local = SavedViews::default();
    local.save("Weekly", &view("from=now-7d&to=now"), false).unwrap();
    local.save("Daily", &view("from=now-1d&to=now&tz=UTC"), false).unwrap();
    let server_views = vec![
        server("1", "weekly", ViewScope::Private, None, "me"),
        server("2", "Daily", ViewScope::Private, None, "someone-else"),
    ];
    let (create, skipped) = migration(&local, &server_views, "me");
    assert_eq!(skipped, ["Weekly"]);
    assert_eq!(create.len(), 1);
    assert_eq!(create[0].name, "Daily");
    assert_eq!(create[0].scope, ViewScope::Private);
    assert_eq!(create[0].view.get("tz").map(String::as_str), Some("UTC"));
}
