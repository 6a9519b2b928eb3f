//! The range button ("Last 7 days") and its popover: searchable quick ranges,
//! absolute from/to, recently used ranges, zone and week start.
//!
//! Keyboard first: the button opens the popover with focus in the search field;
//! typing filters the quick ranges, ↑/↓ move through them, Enter applies one and
//! closes; Escape closes from anywhere inside; focus goes back to the button.
//! A click outside closes it too. It stays in the DOM while closed (`hidden`),
//! so what is typed in from/to is not lost on a stray click.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::time::presets::{matching, search, QuickRange};
use crate::domain::time::words::{instant_in_words, range_in_words};
use crate::domain::time::zone as find_zone;

use super::range::{apply_quick, apply_range, CustomRange};
use super::zone::{WeekStartSelect, ZoneInput};
use super::{recent, view_zone_name, RangeAtNow};
use crate::app::context::use_dashboard;

/// Open or closed, and where focus goes: shared by the parts of the popover.
#[derive(Clone, Copy)]
pub struct RangePopover {
    pub open: RwSignal<bool>,
    button: NodeRef<html::Button>,
    search: NodeRef<html::Input>,
}

impl RangePopover {
    /// Closes, and gives focus back to the range button.
    pub fn close(&self) {
        if self.open.get_untracked() {
            self.open.set(false);
            if let Some(b) = self.button.get_untracked() {
                let _ = b.focus();
            }
        }
    }

    fn show(&self) {
        self.open.set(true);
        let search = self.search;
        // Focusable once the `hidden` attribute is gone, after this turn.
        set_timeout(
            move || {
                if let Some(i) = search.get_untracked() {
                    let _ = i.focus();
                }
            },
            std::time::Duration::ZERO,
        );
    }
}

pub fn use_popover() -> RangePopover {
    expect_context::<RangePopover>()
}

#[component]
pub fn RangeControl(range_at_now: Memo<Result<RangeAtNow, String>>) -> impl IntoView {
    let ctx = use_dashboard();
    let view = ctx.view;
    let popover = RangePopover { open: RwSignal::new(false), button: NodeRef::new(), search: NodeRef::new() };
    provide_context(popover);
    let open = popover.open;

    let words = move || {
        range_at_now.with(|r| match r {
            Ok(r) => view.with(|v| range_in_words(&v.range, r.now, &r.tz, &v.resolve_options(ctx.resolve_options))),
            Err(_) => view.with(|v| v.range.to_string()),
        })
    };
    // The exact span for the tooltip: the words round, this does not.
    let exact = move || {
        range_at_now.with(|r| match r {
            Ok(r) => format!(
                "{} to {} ({})",
                instant_in_words(r.span.start, &r.tz),
                instant_in_words(r.span.end, &r.tz),
                r.tz.iana_name().unwrap_or("UTC")
            ),
            Err(e) => e.clone(),
        })
    };

    let after_first_load = crate::app::lazy::use_after_first_load();
    let body_wanted = Memo::new(move |was: Option<&bool>| was == Some(&true) || open.get() || after_first_load.get());

    let root = NodeRef::<html::Div>::new();
    let outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        if !open.get_untracked() {
            return;
        }
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = root.get_untracked().is_some_and(|r| r.contains(target.as_ref()));
        if !inside {
            open.set(false);
        }
    });
    on_cleanup(move || outside.remove());

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.prevent_default();
            popover.close();
        }
    };
    let toggle = move |_| if open.get_untracked() { popover.close() } else { popover.show() };
    // Tabbing out of the popover closes it (a click on a list item moves focus
    // nowhere: no related target, so it stays open for the click).
    let on_focusout = move |ev: leptos::ev::FocusEvent| {
        let Some(next) = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()) else { return };
        if open.get_untracked() && !root.get_untracked().is_some_and(|r| r.contains(Some(&next))) {
            open.set(false);
        }
    };

    view! {
        <div class="range-control" node_ref=root on:keydown=on_keydown on:focusout=on_focusout>
            <button
                type="button"
                class="range-button"
                data-action="open-range"
                node_ref=popover.button
                aria-haspopup="dialog"
                aria-controls="picker-range-popover"
                aria-expanded=move || open.get().to_string()
                data-valid=move || range_at_now.with(|r| r.is_ok()).to_string()
                title=exact
                on:click=toggle
            >
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                    <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.5" />
                    <path
                        d="M8 4.5V8l2.5 1.5"
                        fill="none"
                        stroke="currentColor"
                        stroke-width="1.5"
                        stroke-linecap="round"
                    />
                </svg>
                <span class="range-words" data-role="range-words">
                    {words}
                </span>
                <span class="visually-hidden">", change the time range"</span>
                <svg class="caret" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
                    <path
                        d="M4 6l4 4 4-4"
                        fill="none"
                        stroke="currentColor"
                        stroke-width="1.8"
                        stroke-linecap="round"
                    />
                </svg>
            </button>
            <div
                id="picker-range-popover"
                class="range-popover"
                role="dialog"
                aria-label="Choose a time range"
                data-role="range-popover"
                hidden=move || !open.get()
            >
                <Show when=move || {
                    body_wanted.get()
                }>
                    {crate::app::lazy::lazy_view(move || {
                        crate::app::lazy::split_call!(crate::app::lazy::range_popover_body, range_at_now)
                    })}
                </Show>
            </div>
        </div>
    }
}

/// The popover's content: a split point (`app::lazy`), loaded once the first
/// chart is drawn or when the popover opens, whichever comes first.
pub(crate) fn range_popover_body(range_at_now: Memo<Result<RangeAtNow, String>>) -> AnyView {
    view! {
        <div class="range-popover-quick">
            <QuickRanges />
        </div>
        <div class="range-popover-side">
            <CustomRange range_at_now=range_at_now />
            <RecentRanges />
            <div class="range-popover-settings">
                <ZoneInput />
                <WeekStartSelect />
            </div>
        </div>
    }
    .into_any()
}

/// The search field and the list it filters (an ARIA combobox: focus stays in
/// the field, the active option is `aria-activedescendant`).
#[component]
fn QuickRanges() -> impl IntoView {
    let ctx = use_dashboard();
    let popover = use_popover();
    let query = RwSignal::new(String::new());
    let found = Memo::new(move |_| query.with(|q| search(q)));
    let active = RwSignal::new(0usize);
    let current = Memo::new(move |_| ctx.view.with(|v| matching(&v.range).map(|q| q.id)));
    // The body is a lazily loaded chunk: a popover opened before it arrived gets
    // focus in the search field when the field appears, as if it had been there.
    Effect::new(move |_| {
        if let Some(i) = popover.search.get() {
            if popover.open.get_untracked() {
                let _ = i.focus();
            }
        }
    });
    // Each opening starts from the full list, on the range in use.
    Effect::new(move |_| {
        if popover.open.get() {
            query.set(String::new());
            let at = current.get_untracked().and_then(|id| search("").iter().position(|q| q.id == id));
            active.set(at.unwrap_or(0));
        }
    });
    let choose = move |q: &'static QuickRange| {
        apply_quick(ctx, q);
        popover.close();
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let len = found.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if len > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1).min(len - 1));
            }
            "ArrowUp" => {
                ev.prevent_default();
                active.update(|a| *a = a.saturating_sub(1));
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(q) = found.with_untracked(|f| f.get(active.get_untracked()).copied()) {
                    choose(q);
                }
            }
            _ => {}
        }
    };
    let option_id = |q: &QuickRange| format!("picker-quick-{}", q.id);
    let active_id = move || found.with(|f| f.get(active.get()).map(|q| option_id(q)));
    view! {
        <label class="picker-field" for="picker-quick-search">
            <span>"Quick ranges"</span>
        </label>
        <input
            id="picker-quick-search"
            type="search"
            name="range-search"
            node_ref=popover.search
            role="combobox"
            aria-expanded="true"
            aria-controls="picker-quick-list"
            aria-autocomplete="list"
            aria-activedescendant=active_id
            placeholder="Search: week, 30d, yesterday"
            autocomplete="off"
            spellcheck="false"
            prop:value=query
            on:input=move |ev| {
                query.set(event_target_value(&ev));
                active.set(0);
            }
            on:keydown=on_keydown
        />
        <ul id="picker-quick-list" class="quick-list" role="listbox" aria-label="Quick ranges">
            {move || {
                found
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, q)| {
                        view! {
                            <li
                                role="option"
                                id=option_id(q)
                                data-quick-range=q.id
                                aria-selected=move || (active.get() == i).to_string()
                                data-current=move || (current.get() == Some(q.id)).to_string()
                                on:click=move |_| choose(q)
                            >
                                {q.label}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
        <p class="quick-none" data-role="quick-none" hidden=move || found.with(|f| !f.is_empty())>
            "No quick range has those words. Type a range in From and To instead, like now-2d/d to now."
        </p>
    }
}

/// The last ranges typed or picked here, newest first.
#[component]
fn RecentRanges() -> impl IntoView {
    let ctx = use_dashboard();
    let popover = use_popover();
    let list = recent::recent_ranges();
    let shown = list.clone();
    let items = move || {
        let ranges = list.with(|l| l.ranges().to_vec());
        let (tz_name, opts) = ctx.view.with(|v| (view_zone_name(&v.tz), v.resolve_options(ctx.resolve_options)));
        let tz = find_zone(&tz_name).unwrap_or(jiff::tz::TimeZone::UTC);
        let now = ctx.now.get();
        ranges
            .into_iter()
            .map(|r| {
                let words = range_in_words(&r, now, &tz, &opts);
                let title = format!("{} to {}", r.from, r.to);
                view! {
                    <li>
                        <button
                            type="button"
                            class="link-button"
                            data-role="recent-range"
                            data-from=r.from.to_string()
                            data-to=r.to.to_string()
                            title=title
                            on:click=move |_| {
                                apply_range(ctx, r.clone());
                                popover.close();
                            }
                        >
                            {words}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section
            class="recent-ranges"
            aria-labelledby="picker-recent-title"
            hidden=move || shown.with(|l| l.ranges().is_empty())
        >
            <h3 id="picker-recent-title">"Recently used"</h3>
            <ul>{items}</ul>
        </section>
    }
}
