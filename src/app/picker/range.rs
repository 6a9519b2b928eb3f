//! Setting a range, and the popover's absolute from/to fields (typed expressions
//! with live validation) with a calendar of days.

use leptos::prelude::*;

use crate::domain::time::presets::QuickRange;
use crate::domain::time::range_expr::{RangeExpr, ResolveOptions, TimeRange};
use crate::domain::time::{check_interval, zone as find_zone, TimeSpan, MAX_BUCKETS};
use crate::state::view::ViewState;

use super::super::browser;
use super::calendar::RangeCalendar;
use super::popover::use_popover;
use super::{recent, view_zone_name, RangeAtNow};
use crate::app::context::{use_dashboard, DashboardContext};

/// Keeps the interval when it still fits the new range; else back to automatic.
pub(super) fn set_range(v: &mut ViewState, range: TimeRange, now: i64, opts: &ResolveOptions) {
    v.range = range;
    if let Some(i) = v.interval {
        let name = view_zone_name(&v.tz);
        let fits = find_zone(&name).is_some_and(|tz| {
            v.range.resolve(now, &tz, opts).is_ok_and(|span| check_interval(span, i, &tz, MAX_BUCKETS).is_ok())
        });
        if !fits {
            v.interval = None;
        }
    }
}

/// A quick range with its own interval, resolved against a fresh clock.
pub(super) fn apply_quick(ctx: DashboardContext, q: &QuickRange) {
    ctx.now.set(browser::now_ms());
    ctx.view.update(|v| {
        v.range = q.range();
        v.interval = Some(q.interval());
    });
}

/// A typed, calendar or recent range: kept among the recent ones.
pub(super) fn apply_range(ctx: DashboardContext, range: TimeRange) {
    let now = browser::now_ms();
    ctx.now.set(now);
    recent::remember(&range);
    let opts = ctx.view.with_untracked(|v| v.resolve_options(ctx.resolve_options));
    ctx.view.update(|v| set_range(v, range, now, &opts));
}

/// What an input shows for an expression: relative ones as typed, instants as ISO
/// 8601 with the zone's offset (epoch ms means nothing to a reader).
pub fn expr_text(expr: &RangeExpr, tz: &jiff::tz::TimeZone) -> String {
    match expr {
        RangeExpr::Instant(ms) => match jiff::Timestamp::from_millisecond(*ms) {
            Ok(t) => {
                let z = t.to_zoned(tz.clone());
                let fmt = if ms.rem_euclid(1000) != 0 {
                    "%Y-%m-%dT%H:%M:%S%.3f%:z"
                } else if ms.rem_euclid(60_000) != 0 {
                    "%Y-%m-%dT%H:%M:%S%:z"
                } else {
                    "%Y-%m-%dT%H:%M%:z"
                };
                z.strftime(fmt).to_string()
            }
            Err(_) => expr.to_string(),
        },
        other => other.to_string(),
    }
}

/// A human preview of an instant in the zone.
fn preview(ms: i64, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(tz.clone()).strftime("%a %-d %b %Y %H:%M").to_string())
        .unwrap_or_default()
}

/// The draft checked: each end parses, and together they make a non-empty range.
/// Non-relative ends are turned into instants here (the URL gets epoch ms).
pub fn check_draft(
    from: &str,
    to: &str,
    now: i64,
    tz: &jiff::tz::TimeZone,
    opts: &ResolveOptions,
) -> Result<(TimeRange, TimeSpan), DraftError> {
    let f = from.parse::<RangeExpr>().map_err(|e| DraftError::From(format!("From: {e}")));
    let t = to.parse::<RangeExpr>().map_err(|e| DraftError::To(format!("To: {e}")));
    let (f, t) = match (f, t) {
        (Err(a), Err(DraftError::To(b))) => return Err(DraftError::Both(format!("{}; {b}", a.message()))),
        (Err(e), _) | (_, Err(e)) => return Err(e),
        (Ok(f), Ok(t)) => (f, t),
    };
    let fix = |e: RangeExpr| -> Result<RangeExpr, String> {
        match e {
            RangeExpr::LocalDate(_) | RangeExpr::LocalDateTime(_) => {
                e.resolve(now, tz, opts).map(RangeExpr::Instant).map_err(|e| e.to_string())
            }
            other => Ok(other),
        }
    };
    let f = fix(f).map_err(DraftError::From)?;
    let t = fix(t).map_err(DraftError::To)?;
    let range = TimeRange::new(f, t);
    let span = range.resolve(now, tz, opts).map_err(|e| DraftError::Both(e.to_string()))?;
    Ok((range, span))
}

#[derive(Clone, Debug, PartialEq)]
pub enum DraftError {
    From(String),
    To(String),
    Both(String),
}

impl DraftError {
    pub fn message(&self) -> &str {
        match self {
            DraftError::From(m) | DraftError::To(m) | DraftError::Both(m) => m,
        }
    }
    fn bad_from(&self) -> bool {
        matches!(self, DraftError::From(_) | DraftError::Both(_))
    }
    fn bad_to(&self) -> bool {
        matches!(self, DraftError::To(_) | DraftError::Both(_))
    }
}

#[component]
pub fn CustomRange(range_at_now: Memo<Result<RangeAtNow, String>>) -> impl IntoView {
    let ctx = use_dashboard();
    let view = ctx.view;
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());

    let popover = use_popover();
    // The inputs follow the view (a quick range, a shift, a saved view, a new zone),
    // and start from it again each time the popover opens.
    let shown = Memo::new(move |_| view.with(|v| (v.range.clone(), v.tz.clone())));
    Effect::new(move |_| {
        let _ = popover.open.get();
        let (range, tz) = shown.get();
        let tz = find_zone(&view_zone_name(&tz)).unwrap_or(jiff::tz::TimeZone::UTC);
        from.set(expr_text(&range.from, &tz));
        to.set(expr_text(&range.to, &tz));
    });

    let zone = move || {
        range_at_now
            .with(|r| r.as_ref().map(|r| r.tz.clone()).ok())
            .unwrap_or_else(|| find_zone(&view.with(|v| view_zone_name(&v.tz))).unwrap_or(jiff::tz::TimeZone::UTC))
    };
    let opts = move || view.with(|v| v.resolve_options(ctx.resolve_options));
    let checked = Memo::new(move |_| {
        let tz = zone();
        let now = ctx.now.get();
        check_draft(&from.get(), &to.get(), now, &tz, &opts()).map(|(r, s)| (r, s, tz))
    });
    let error = move || checked.with(|c| c.as_ref().err().cloned());
    let unchanged = move || checked.with(|c| c.as_ref().is_ok_and(|(r, _, _)| view.with(|v| v.range == *r)));

    let apply = move || {
        if let Ok((range, _, _)) = checked.get_untracked() {
            apply_range(ctx, range);
            popover.close();
        }
    };
    let message = move || match checked.get() {
        Err(e) => e.message().to_string(),
        Ok((_, span, tz)) => {
            format!("{} → {} ({})", preview(span.start, &tz), preview(span.end, &tz), tz.iana_name().unwrap_or("UTC"))
        }
    };
    // The days the draft covers, for the calendar (its end is exclusive).
    let chosen = Signal::derive(move || {
        checked.with(|c| {
            let (_, span, tz) = c.as_ref().ok()?;
            let day = |ms: i64| jiff::Timestamp::from_millisecond(ms).ok().map(|t| t.to_zoned(tz.clone()).date());
            Some((day(span.start)?, day(span.end - 1)?))
        })
    });
    let week_start = Signal::derive(move || opts().week_start);
    let today = Signal::derive(move || {
        let tz = zone();
        jiff::Timestamp::from_millisecond(ctx.now.get()).map(|t| t.to_zoned(tz).date()).unwrap_or_default()
    });

    view! {
        <fieldset class="picker-custom" data-role="custom-range">
            <legend>"Absolute range"</legend>
            <div class="picker-ends">
                <RangeEndInput
                    label="From"
                    name="from"
                    placeholder="now-7d, 2026-03-01"
                    value=from
                    invalid=Signal::derive(move || error().is_some_and(|e| e.bad_from()))
                    on_enter=apply
                />
                <RangeEndInput
                    label="To"
                    name="to"
                    placeholder="now, now/d"
                    value=to
                    invalid=Signal::derive(move || error().is_some_and(|e| e.bad_to()))
                    on_enter=apply
                />
            </div>
            <RangeCalendar from=from to=to chosen=chosen week_start=week_start today=today />
            <button
                type="button"
                data-action="apply-range"
                class="primary"
                disabled=move || error().is_some() || unchanged()
                on:click=move |_| apply()
            >
                "Apply range"
            </button>
            <p
                id="picker-range-validation"
                class="picker-validation"
                data-role="range-validation"
                aria-live="polite"
                data-valid=move || error().is_none().to_string()
            >
                {message}
            </p>
        </fieldset>
    }
}

/// One end of the absolute range: a free-text field (`now-7d`, `2026-03-01`, …)
/// that applies the draft on Enter. Both ends share the validation message, so
/// `aria-describedby` points at it and `aria-invalid` says which end is wrong.
#[component]
fn RangeEndInput(
    label: &'static str,
    name: &'static str,
    placeholder: &'static str,
    value: RwSignal<String>,
    #[prop(into)] invalid: Signal<bool>,
    on_enter: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="picker-field">
            <span>{label}</span>
            <input
                type="text"
                name=name
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                aria-describedby="picker-range-validation"
                aria-invalid=move || invalid.get().to_string()
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        on_enter();
                    }
                }
            />
        </label>
    }
}
