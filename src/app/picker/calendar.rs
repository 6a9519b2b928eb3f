//! The popover's calendar: a month grid that picks whole days into the from/to
//! fields (click a day, then another; one click alone picks that day). Keyboard:
//! arrows move by a day or a week, Page Up/Down by a month, Enter or Space picks;
//! one day of the grid is in the tab order (a roving tabindex).

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::time::calendar::{add_months, month_grid};

/// `from` and `to` are the popover's draft fields; `chosen` the first and last
/// day the draft covers in the view's zone (to light them up), if it parses.
#[component]
pub fn RangeCalendar(
    from: RwSignal<String>,
    to: RwSignal<String>,
    chosen: Signal<Option<(Date, Date)>>,
    week_start: Signal<Weekday>,
    today: Signal<Date>,
) -> impl IntoView {
    let focused = RwSignal::new(chosen.get_untracked().map(|(_, last)| last).unwrap_or_else(|| today.get_untracked()));
    // The grid follows the draft when it is typed or set by a quick range.
    Effect::new(move |_| {
        if let Some((_, last)) = chosen.get() {
            focused.set(last);
        }
    });
    // The grid is rebuilt only when the month changes: moving within it keeps the
    // buttons (and a keyboard user's focus).
    let shown_month = Memo::new(move |_| focused.get().first_of_month());
    let pending = RwSignal::new(None::<Date>);
    let grid = NodeRef::<html::Table>::new();

    let pick = move |d: Date| {
        let (first, last) = match pending.get_untracked() {
            Some(a) if a != d => (a.min(d), a.max(d)),
            _ => (d, d),
        };
        pending.set(if pending.get_untracked().is_some() { None } else { Some(d) });
        from.set(first.to_string());
        to.set(last.tomorrow().unwrap_or(last).to_string());
        focused.set(d);
    };
    let focus_day = move |d: Date| {
        focused.set(d);
        set_timeout(
            move || {
                let el =
                    grid.get_untracked().and_then(|g| g.query_selector(&format!("[data-date=\"{d}\"]")).ok().flatten());
                if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = el.focus();
                }
            },
            std::time::Duration::ZERO,
        );
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let d = focused.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowLeft" => d.yesterday().ok(),
            "ArrowRight" => d.tomorrow().ok(),
            "ArrowUp" => d.checked_sub(7.days()).ok(),
            "ArrowDown" => d.checked_add(7.days()).ok(),
            "PageUp" => Some(add_months(d, -1)),
            "PageDown" => Some(add_months(d, 1)),
            _ => None,
        };
        if let Some(n) = next {
            ev.prevent_default();
            focus_day(n);
        }
    };
    let month_title = move || shown_month.get().strftime("%B %Y").to_string();
    let in_range = move |d: Date| chosen.with(|c| c.is_some_and(|(a, b)| a <= d && d <= b));
    let weekday_names = move || {
        let ws = week_start.get();
        (0..7)
            .map(|i| {
                let w = ws.wrapping_add(i);
                let long = format!("{w:?}");
                let short: String = long.chars().take(2).collect();
                view! {
                    <th scope="col" abbr=long>
                        {short}
                    </th>
                }
            })
            .collect_view()
    };
    let weeks = move || {
        let shown = shown_month.get();
        month_grid(shown, week_start.get())
            .into_iter()
            .map(|week| {
                let days = week
                    .into_iter()
                    .map(|d| {
                        let outside = d.month() != shown.month();
                        view! {
                            <td>
                                <button
                                    type="button"
                                    class="calendar-day"
                                    data-date=d.to_string()
                                    data-outside=outside.to_string()
                                    data-today=move || (today.get() == d).to_string()
                                    tabindex=move || if focused.get() == d { "0" } else { "-1" }
                                    aria-pressed=move || in_range(d).to_string()
                                    aria-label=d.strftime("%A %-d %B %Y").to_string()
                                    on:click=move |_| pick(d)
                                >
                                    {d.day()}
                                </button>
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr>{days}</tr> }
            })
            .collect_view()
    };
    view! {
        <div class="calendar" data-role="calendar">
            <div class="calendar-head">
                <button
                    type="button"
                    class="icon-button"
                    data-action="previous-month"
                    aria-label="Previous month"
                    on:click=move |_| focused.update(|d| *d = add_months(*d, -1))
                >
                    "‹"
                </button>
                <span id="picker-calendar-title" class="calendar-title" aria-live="polite">
                    {month_title}
                </span>
                <button
                    type="button"
                    class="icon-button"
                    data-action="next-month"
                    aria-label="Next month"
                    on:click=move |_| focused.update(|d| *d = add_months(*d, 1))
                >
                    "›"
                </button>
            </div>
            <table
                class="calendar-grid"
                role="grid"
                aria-labelledby="picker-calendar-title"
                node_ref=grid
                on:keydown=on_keydown
            >
                <thead>
                    <tr>{weekday_names}</tr>
                </thead>
                <tbody>{weeks}</tbody>
            </table>
            <p class="calendar-hint">
                {move || match pending.get() {
                    Some(d) => format!("From {}: now pick the last day.", d.strftime("%-d %b")),
                    None => "Pick a day, or a first and a last day.".to_string(),
                }}
            </p>
        </div>
    }
}
