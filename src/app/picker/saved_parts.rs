//! What the two saved-views menus (this browser's, `saved.rs`, and the relay's,
//! `saved_server.rs`) show alike: the outcome line, the name field, a view's open
//! button and its rename field. The menus differ in where views live and what a
//! row offers; these parts keep their hooks and wording identical.

use leptos::prelude::*;

use crate::app::browser;
use crate::app::context::DashboardContext;
use crate::state::view::ViewState;

/// The outcome of the menu's last action.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) enum Status {
    #[default]
    None,
    Ok(String),
    Error(String),
}

impl Status {
    fn text(&self) -> String {
        match self {
            Status::None => String::new(),
            Status::Ok(s) | Status::Error(s) => s.clone(),
        }
    }

    /// `data-state` of `[data-role="saved-views-status"]`.
    fn kind(&self) -> &'static str {
        match self {
            Status::None => "none",
            Status::Ok(_) => "ok",
            Status::Error(_) => "error",
        }
    }
}

/// Switches the dashboard to `next` (a saved view applied to the current one) once
/// its zone's data is in; a zone whose data could not be loaded is not taken (the
/// view keeps its zone) and joins `notices`. The status line then reports the
/// opening of `name`, with what was ignored. Returns nothing: the switch may come
/// after a fetch.
pub(super) fn open_saved(
    ctx: DashboardContext,
    name: String,
    mut next: ViewState,
    mut notices: Vec<String>,
    status: RwSignal<Status>,
    then: impl FnOnce() + 'static,
) {
    crate::app::zones::when_zone_loaded(next.tz.clone(), move |loaded| {
        if let Err(e) = loaded {
            next.tz = ctx.view.with_untracked(|cur| cur.tz.clone());
            notices.push(format!("tz: {e}"));
        }
        ctx.now.set(browser::now_ms());
        ctx.view.set(next);
        then();
        status.set(if notices.is_empty() {
            Status::Ok(format!("Opened \"{name}\"."))
        } else {
            Status::Error(format!("Opened \"{name}\", ignoring: {}", notices.join("; ")))
        });
    });
}

/// `[data-role="saved-views-status"]`: polite, so a screen reader hears what a
/// click did without losing its place.
#[component]
pub(super) fn StatusLine(status: RwSignal<Status>) -> impl IntoView {
    view! {
        <p
            class="picker-saved-status"
            role="status"
            aria-live="polite"
            data-role="saved-views-status"
            data-state=move || status.with(Status::kind)
        >
            {move || status.with(Status::text)}
        </p>
    }
}

/// "Name this view": Enter saves, as the Save button beside it does.
#[component]
pub(super) fn ViewNameField(
    name: RwSignal<String>,
    max_chars: usize,
    /// Called after each edit (the local menu withdraws its "Replace it" offer).
    on_edit: impl Fn() + Copy + Send + Sync + 'static,
    on_enter: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="picker-field">
            <span>"Name this view"</span>
            <input
                type="text"
                name="view-name"
                maxlength=max_chars.to_string()
                autocomplete="off"
                prop:value=name
                on:input=move |ev| {
                    name.set(event_target_value(&ev));
                    on_edit();
                }
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

/// A view's name as a button that opens it; `summary` says what it holds or
/// whose it is, `children` may add a mark (e.g. "changed"). Names are other
/// people's text: rendered as text only.
#[component]
pub(super) fn OpenViewButton(
    name: String,
    summary: String,
    on_open: impl Fn() + Send + Sync + 'static,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <button type="button" class="picker-saved-open" data-action="open-view" on:click=move |_| on_open()>
            <span class="picker-saved-name">{name}</span>
            <span class="picker-saved-summary">{summary}</span>
            {children.map(|c| c())}
        </button>
    }
}

/// The rename field that replaces a row's open button: Enter or OK renames,
/// Escape or Cancel gives up.
#[component]
pub(super) fn RenameField(
    rename_to: RwSignal<String>,
    /// The row being renamed; `None` closes the field.
    renaming: RwSignal<Option<String>>,
    label: String,
    max_chars: usize,
    on_confirm: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <input
            type="text"
            name="rename-view"
            maxlength=max_chars.to_string()
            aria-label=label
            prop:value=rename_to
            on:input=move |ev| rename_to.set(event_target_value(&ev))
            on:keydown=move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
                "Enter" => {
                    ev.prevent_default();
                    on_confirm();
                }
                "Escape" => {
                    ev.prevent_default();
                    renaming.set(None);
                }
                _ => {}
            }
        />
        <button type="button" data-action="confirm-rename" on:click=move |_| on_confirm()>
            "OK"
        </button>
        <button type="button" data-action="cancel-rename" on:click=move |_| renaming.set(None)>
            "Cancel"
        </button>
    }
}
