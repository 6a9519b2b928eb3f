//! Saved views on the relay (token scope `views`): my views and my teams' views
//! with their owners, save as private or to a team, open, update, rename, delete,
//! my default view, a version conflict's "reload / save a copy", and moving the
//! browser's own views to the relay. Names and owner names are other people's
//! text: rendered as text only. State and actions are `ServerMenu`
//! (`saved_server_menu.rs`); this file is its view.
//!
//! Hooks: `details[data-role="saved-views"]`; each view is
//! `li[data-view-id][data-view-name][data-scope][data-team][data-owner][data-default]`;
//! buttons by `data-action`; `[data-role="view-conflict"]`; the outcome of the last
//! action in `[data-role="saved-views-status"]` (`data-state` `ok` / `error`).

use leptos::prelude::*;

use crate::app::auth::Session;
use crate::engine::views_api::{ServerView, ViewsApi};
use crate::state::shared_views::{changed_keys, owner_label, sections, view_params, MAX_NAME_CHARS};

use super::super::context::use_dashboard;
use super::saved_parts::{OpenViewButton, RenameField, StatusLine, ViewNameField};
use super::saved_server_menu::ServerMenu;

pub use super::saved_server_menu::prepare_default_view;

#[component]
pub fn ServerViewsMenu(session: Session, api: ViewsApi) -> impl IntoView {
    let ctx = use_dashboard();
    let menu = ServerMenu::new(ctx, &session, api);
    let current_params = Memo::new(move |_| ctx.view.with(view_params));
    // "changed": the view opened here no longer matches what is on screen.
    let modified = move |v: &ServerView| {
        menu.opened.with(|o| o.as_deref() == Some(v.id.as_str()))
            && !current_params.with(|c| changed_keys(&v.view, c).is_empty())
    };
    let teams = menu.teams();

    view! {
        <details
            class="picker-saved"
            data-role="saved-views"
            data-source="relay"
            data-loaded=move || if menu.loaded.get() { "true" } else { "false" }
        >
            <summary>"Saved views"</summary>
            <div class="picker-saved-body">
                <div class="picker-saved-save">
                    <ViewNameField name=menu.name max_chars=MAX_NAME_CHARS on_edit=|| () on_enter=move || menu.save() />
                    <label class="picker-field">
                        <span>"For"</span>
                        <select
                            name="view-scope"
                            prop:value=menu.target
                            on:change=move |ev| menu.target.set(event_target_value(&ev))
                        >
                            <option value="private">"Only me"</option>
                            {teams
                                .iter()
                                .map(|t| view! { <option value=format!("team:{t}")>{format!("Team {t}")}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <button type="button" data-action="save-view" on:click=move |_| menu.save()>
                        "Save"
                    </button>
                </div>
                {move || {
                    menu.conflict
                        .get()
                        .map(|c| {
                            view! {
                                <div class="picker-saved-conflict" role="alert" data-role="view-conflict">
                                    <p>{format!("Someone else changed \"{}\" since you opened it.", c.view.name)}</p>
                                    <button
                                        type="button"
                                        data-action="reload-view"
                                        on:click=move |_| menu.reload_theirs()
                                    >
                                        "Reload their version"
                                    </button>
                                    <button type="button" data-action="save-copy" on:click=move |_| menu.save_copy()>
                                        "Save mine as a copy"
                                    </button>
                                </div>
                            }
                        })
                }}
                <Show when=move || menu.local_count.get() != 0>
                    <button type="button" data-action="move-local-views" on:click=move |_| menu.move_local()>
                        {move || format!("Move this browser's {} views to your account", menu.local_count.get())}
                    </button>
                </Show>
                {move || {
                    sections(&menu.views.get(), &teams)
                        .into_iter()
                        .map(|s| {
                            let title = match &s.team {
                                None => "My views".to_string(),
                                Some(t) => format!("Team {t}"),
                            };
                            let empty = s.views.is_empty();
                            view! {
                                <h3 class="picker-saved-section">{title}</h3>
                                <p class="picker-saved-empty" hidden=!empty>
                                    "No saved views yet."
                                </p>
                                <ul
                                    class="picker-saved-list"
                                    data-role="saved-view-list"
                                    data-team=s.team.clone().unwrap_or_default()
                                >
                                    {s
                                        .views
                                        .into_iter()
                                        .map(|v| view! { <ServerViewRow menu=menu view=v modified=modified /> })
                                        .collect_view()}
                                </ul>
                            }
                        })
                        .collect_view()
                }}
                <StatusLine status=menu.status />
            </div>
        </details>
    }
}

/// One saved view: open (or rename), default, and for my own views update,
/// rename and delete.
#[component]
fn ServerViewRow(
    menu: ServerMenu,
    view: ServerView,
    modified: impl Fn(&ServerView) -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let me = menu.me();
    let id = StoredValue::new(view.id.clone());
    let mine = view.owner == me;
    let owner = owner_label(&view, &me);
    let is_default = move || menu.default_id.with(|d| id.with_value(|id| d.as_deref() == Some(id.as_str())));
    let is_renaming = move || menu.renaming.with(|r| id.with_value(|id| r.as_deref() == Some(id.as_str())));
    let scope = if view.team.is_some() { "team" } else { "private" };
    let name = StoredValue::new(view.name.clone());
    let shown = StoredValue::new(view.clone());

    view! {
        <li
            data-view-id=view.id.clone()
            data-view-name=view.name.clone()
            data-scope=scope
            data-team=view.team.clone().unwrap_or_default()
            data-owner=view.owner.clone()
            data-default=move || if is_default() { "true" } else { "false" }
        >
            <Show
                when=is_renaming
                fallback=move || {
                    view! {
                        <OpenViewButton
                            name=name.get_value()
                            summary=format!("by {owner}")
                            on_open=move || menu.open(id.get_value())
                        >
                            <Show when=move || shown.with_value(|v| modified(v))>
                                <span class="picker-saved-modified" data-role="view-modified">
                                    " (changed)"
                                </span>
                            </Show>
                        </OpenViewButton>
                    }
                }
            >
                <RenameField
                    rename_to=menu.rename_to
                    renaming=menu.renaming
                    label=format!("New name for {}", name.get_value())
                    max_chars=MAX_NAME_CHARS
                    on_confirm=move || menu.finish_rename()
                />
            </Show>
            <Show
                when=is_default
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            data-action="set-default-view"
                            on:click=move |_| menu.set_default(Some(id.get_value()))
                        >
                            "Make default"
                        </button>
                    }
                }
            >
                <button type="button" data-action="clear-default-view" on:click=move |_| menu.set_default(None)>
                    "Default ✓"
                </button>
            </Show>
            <Show when=move || mine>
                <button type="button" data-action="update-view" on:click=move |_| menu.update(id.get_value())>
                    "Update"
                </button>
                <button
                    type="button"
                    data-action="rename-view"
                    on:click=move |_| menu.start_rename(id.get_value(), name.get_value())
                >
                    "Rename"
                </button>
                <button type="button" data-action="delete-view" on:click=move |_| menu.delete(id.get_value())>
                    "Delete"
                </button>
            </Show>
        </li>
    }
}
