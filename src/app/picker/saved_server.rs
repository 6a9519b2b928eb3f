//! Saved views on the relay (token scope `views`): my views and my teams' views
//! with their owners, save as private or to a team, open, update, rename, delete,
//! my default view, a version conflict's "reload / save a copy", and moving the
//! browser's own views to the relay. Names and owner names are other people's
//! text: rendered as text only.
//!
//! Hooks: `details[data-role="saved-views"]`; each view is
//! `li[data-view-id][data-view-name][data-scope][data-team][data-owner][data-default]`;
//! buttons by `data-action`; `[data-role="view-conflict"]`; the outcome of the last
//! action in `[data-role="saved-views-status"]` (`data-state` `ok` / `error`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::auth::Session;
use crate::engine::views_api::{ServerView, ViewDraft, ViewsApi, ViewsError};
use crate::state::shared_views::{
    apply_params, changed_keys, clean_name, copy_name, draft, migration, owner_label, parse_target, redraft, sections,
    view_params, MAX_NAME_CHARS,
};

use super::super::browser;
use super::super::context::use_dashboard;
use super::saved::{load_views, store_views};

/// With no URL parameters, the user's default view goes into the URL before the
/// dashboard reads it (so it wins over the browser's last view). A relay slower
/// than 3 s is not waited for.
pub async fn prepare_default_view(session: Session) {
    if !browser::query_pairs().is_empty() {
        return;
    }
    let Some(api) = session.views_api() else { return };
    let find = async move {
        let id = api.default_view().await.ok()??;
        api.list().await.ok()?.into_iter().find(|v| v.id == id)
    };
    let give_up = gloo_timers::future::TimeoutFuture::new(3_000);
    if let futures::future::Either::Left((Some(v), _)) =
        futures::future::select(Box::pin(find), Box::pin(give_up)).await
    {
        let (state, _) = apply_params(&v.view, &Default::default());
        browser::replace_query(&state.to_query());
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Status {
    None,
    Ok(String),
    Error(String),
}

/// My write of `view` was refused because someone else changed it first.
#[derive(Clone, Debug, PartialEq)]
struct Conflict {
    view: ServerView,
    draft: ViewDraft,
}

#[derive(Clone, Copy)]
struct Menu {
    api: StoredValue<ViewsApi, LocalStorage>,
    views: RwSignal<Vec<ServerView>>,
    default_id: RwSignal<Option<String>>,
    /// The view last opened or saved here: what "modified" compares with.
    opened: RwSignal<Option<String>>,
    status: RwSignal<Status>,
    conflict: RwSignal<Option<Conflict>>,
    busy: RwSignal<bool>,
}

impl Menu {
    fn find(&self, id: &str) -> Option<ServerView> {
        self.views.with_untracked(|l| l.iter().find(|v| v.id == id).cloned())
    }

    fn put(&self, v: ServerView) {
        self.views.update(|l| match l.iter_mut().find(|x| x.id == v.id) {
            Some(x) => *x = v,
            None => l.push(v),
        });
    }

    fn fail(&self, what: &str, e: &ViewsError) {
        self.status.set(Status::Error(format!("{what}: {e}.")));
    }

    /// Runs one relay action at a time (a double click must not write twice).
    fn run(&self, task: impl std::future::Future<Output = ()> + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        let busy = self.busy;
        spawn_local(async move {
            task.await;
            busy.set(false);
        });
    }

    async fn reload_list(&self) -> Result<(), ViewsError> {
        let api = self.api.get_value();
        let list = api.list().await?;
        self.views.set(list);
        if let Ok(d) = api.default_view().await {
            self.default_id.set(d);
        }
        Ok(())
    }

    /// A write that may meet a conflict (update, rename).
    async fn write(&self, view: ServerView, next: ViewDraft, done: String) -> bool {
        match self.api.get_value().update(&view.id, view.version, &next).await {
            Ok(v) => {
                self.put(v);
                self.status.set(Status::Ok(done));
                true
            }
            Err(ViewsError::VersionMismatch) => {
                self.status.set(Status::Error(format!("\"{}\" was not saved.", view.name)));
                self.conflict.set(Some(Conflict { view, draft: next }));
                false
            }
            Err(e) => {
                self.fail("Not saved", &e);
                false
            }
        }
    }
}

#[component]
pub fn ServerViewsMenu(session: Session, api: ViewsApi) -> impl IntoView {
    let ctx = use_dashboard();
    let view = ctx.view;
    let claims = session.claims.get_untracked();
    let me = claims.as_ref().map(|c| c.sub.clone()).unwrap_or_default();
    let teams = claims.map(|c| c.teams).unwrap_or_default();
    let menu = Menu {
        api: StoredValue::new_local(api),
        views: RwSignal::new(Vec::new()),
        default_id: RwSignal::new(None),
        opened: RwSignal::new(None),
        status: RwSignal::new(Status::None),
        conflict: RwSignal::new(None),
        busy: RwSignal::new(false),
    };
    // `data-loaded` tells tests (and scripts) the first list is in.
    let loaded = RwSignal::new(false);
    menu.run(async move {
        if let Err(e) = menu.reload_list().await {
            menu.fail("Saved views could not be loaded", &e);
        }
        loaded.set(true);
    });
    let name = RwSignal::new(String::new());
    let target = RwSignal::new("private".to_string());
    let renaming = RwSignal::new(None::<String>);
    let rename_to = RwSignal::new(String::new());
    let local_count = RwSignal::new(load_views().0.views().len());

    let save = {
        let teams = teams.clone();
        move || {
            let (n, t) = (name.get_untracked(), target.get_untracked());
            let n = match clean_name(&n) {
                Ok(n) => n,
                Err(e) => return menu.status.set(Status::Error(format!("Not saved: {e}."))),
            };
            let Some(target) = parse_target(&t, &teams) else { return };
            let d = view.with_untracked(|v| draft(n.clone(), target, v));
            menu.run(async move {
                match menu.api.get_value().create(&d).await {
                    Ok(v) => {
                        menu.opened.set(Some(v.id.clone()));
                        menu.put(v);
                        name.set(String::new());
                        menu.status.set(Status::Ok(format!("Saved \"{n}\".")));
                    }
                    Err(e) => menu.fail("Not saved", &e),
                }
            });
        }
    };
    let open = move |id: String| {
        let Some(v) = menu.find(&id) else { return };
        let (next, notices) = view.with_untracked(|cur| apply_params(&v.view, cur));
        ctx.now.set(browser::now_ms());
        view.set(next);
        menu.opened.set(Some(id));
        menu.status.set(if notices.is_empty() {
            Status::Ok(format!("Opened \"{}\".", v.name))
        } else {
            Status::Error(format!("Opened \"{}\", ignoring: {}", v.name, notices.join("; ")))
        });
    };
    let update = move |id: String| {
        let Some(v) = menu.find(&id) else { return };
        let next = redraft(&v, v.name.clone(), view.with_untracked(view_params));
        let done = format!("Updated \"{}\".", v.name);
        menu.run(async move {
            if menu.write(v, next, done).await {
                menu.opened.set(Some(id));
            }
        });
    };
    let finish_rename = move || {
        let Some(id) = renaming.get_untracked() else { return };
        let Some(v) = menu.find(&id) else { return };
        let to = match clean_name(&rename_to.get_untracked()) {
            Ok(n) => n,
            Err(e) => return menu.status.set(Status::Error(format!("Not renamed: {e}."))),
        };
        let next = redraft(&v, to.clone(), v.view.clone());
        let done = format!("Renamed \"{}\" to \"{to}\".", v.name);
        menu.run(async move {
            if menu.write(v, next, done).await {
                renaming.set(None);
            }
        });
    };
    let delete = move |id: String| {
        let Some(v) = menu.find(&id) else { return };
        menu.run(async move {
            match menu.api.get_value().delete(&id).await {
                Ok(()) | Err(ViewsError::NotFound) => {
                    menu.views.update(|l| l.retain(|x| x.id != id));
                    if menu.default_id.get_untracked().as_deref() == Some(id.as_str()) {
                        menu.default_id.set(None);
                    }
                    menu.status.set(Status::Ok(format!("Deleted \"{}\".", v.name)));
                }
                Err(e) => menu.fail("Not deleted", &e),
            }
        });
    };
    let set_default = move |id: Option<String>| {
        menu.run(async move {
            match menu.api.get_value().set_default(id.as_deref()).await {
                Ok(()) => {
                    let what = id.as_deref().and_then(|i| menu.find(i)).map(|v| v.name);
                    menu.default_id.set(id);
                    menu.status.set(Status::Ok(match what {
                        Some(n) => format!("\"{n}\" opens when the dashboard starts without a view in its address."),
                        None => "No default view.".to_string(),
                    }));
                }
                Err(e) => menu.fail("Default not set", &e),
            }
        });
    };
    // The conflict's two ways out: take their version, or keep mine as a copy.
    let reload_theirs = move || {
        let Some(c) = menu.conflict.get_untracked() else { return };
        menu.run(async move {
            menu.conflict.set(None);
            match menu.reload_list().await {
                Ok(()) if menu.find(&c.view.id).is_some() => {
                    open(c.view.id.clone());
                    menu.status.set(Status::Ok(format!("Reloaded \"{}\" as it is now.", c.view.name)));
                }
                Ok(()) => menu.status.set(Status::Error(format!("\"{}\" was deleted meanwhile.", c.view.name))),
                Err(e) => menu.fail("Not reloaded", &e),
            }
        });
    };
    let save_copy = move || {
        let Some(c) = menu.conflict.get_untracked() else { return };
        let names: Vec<String> = menu.views.with_untracked(|l| l.iter().map(|v| v.name.clone()).collect());
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut d = c.draft.clone();
        d.name = copy_name(&c.view.name, &names);
        menu.run(async move {
            match menu.api.get_value().create(&d).await {
                Ok(v) => {
                    menu.conflict.set(None);
                    menu.opened.set(Some(v.id.clone()));
                    menu.status.set(Status::Ok(format!("Saved your version as \"{}\".", v.name)));
                    menu.put(v);
                }
                Err(e) => menu.fail("The copy was not saved", &e),
            }
        });
    };
    let move_local = {
        let me = me.clone();
        move || {
            let (local, _) = load_views();
            let (create, mut skipped) = menu.views.with_untracked(|l| migration(&local, l, &me));
            menu.run(async move {
                let mut moved = Vec::new();
                for d in create {
                    match menu.api.get_value().create(&d).await {
                        Ok(v) => {
                            moved.push(d.name.to_lowercase());
                            menu.put(v);
                        }
                        Err(_) => skipped.push(d.name),
                    }
                }
                // Moved views leave the browser, so they are moved once.
                let mut rest = local.clone();
                for v in local.views().iter().filter(|v| moved.contains(&v.name.trim().to_lowercase())) {
                    let _ = rest.delete(&v.name);
                }
                let _ = store_views(&rest);
                local_count.set(rest.views().len());
                menu.status.set(if skipped.is_empty() {
                    Status::Ok(format!("Moved {} browser views to your account.", moved.len()))
                } else {
                    Status::Error(format!(
                        "Moved {} browser views; kept in this browser (a view of that name exists or it was refused): {}",
                        moved.len(),
                        skipped.join(", ")
                    ))
                });
            });
        }
    };

    let current_params = Memo::new(move |_| view.with(view_params));
    let modified = move |v: &ServerView| {
        menu.opened.with(|o| o.as_deref() == Some(v.id.as_str()))
            && !current_params.with(|c| changed_keys(&v.view, c).is_empty())
    };
    let status_text = move || match menu.status.get() {
        Status::None => String::new(),
        Status::Ok(s) | Status::Error(s) => s,
    };
    let status_kind = move || match menu.status.get() {
        Status::None => "none",
        Status::Ok(_) => "ok",
        Status::Error(_) => "error",
    };
    let team_options = teams.clone();
    let row = move |v: ServerView| {
        let id = v.id.clone();
        let mine = v.owner == me;
        let owner = owner_label(&v, &me);
        let is_default = {
            let id = id.clone();
            move || menu.default_id.with(|d| d.as_deref() == Some(id.as_str()))
        };
        let (is_default_a, is_default_b) = (is_default.clone(), is_default.clone());
        let is_renaming = {
            let id = id.clone();
            move || renaming.with(|r| r.as_deref() == Some(id.as_str()))
        };
        let (i_open, i_upd, i_ren, i_del, i_def) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
        let v2 = v.clone();
        let shown_name = v.name.clone();
        let own_name = v.name.clone();
        let (attr_name, attr_team, attr_owner) = (v.name.clone(), v.team.clone().unwrap_or_default(), v.owner.clone());
        let scope = if v.team.is_some() { "team" } else { "private" };
        view! {
            <li
                data-view-id=id.clone()
                data-view-name=attr_name
                data-scope=scope
                data-team=attr_team
                data-owner=attr_owner
                data-default=move || if is_default_a() { "true" } else { "false" }
            >
                <Show
                    when=is_renaming
                    fallback=move || {
                        let (i, n, o) = (i_open.clone(), shown_name.clone(), owner.clone());
                        let v3 = v2.clone();
                        view! {
                            <button
                                type="button"
                                class="picker-saved-open"
                                data-action="open-view"
                                on:click=move |_| open(i.clone())
                            >
                                <span class="picker-saved-name">{n}</span>
                                <span class="picker-saved-summary">{format!("by {o}")}</span>
                                <Show when=move || modified(&v3)>
                                    <span class="picker-saved-modified" data-role="view-modified">
                                        " (changed)"
                                    </span>
                                </Show>
                            </button>
                        }
                    }
                >
                    <input
                        type="text"
                        name="rename-view"
                        maxlength=MAX_NAME_CHARS.to_string()
                        aria-label="New name"
                        prop:value=rename_to
                        on:input=move |ev| rename_to.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
                            "Enter" => {
                                ev.prevent_default();
                                finish_rename();
                            }
                            "Escape" => {
                                ev.prevent_default();
                                renaming.set(None);
                            }
                            _ => {}
                        }
                    />
                    <button type="button" data-action="confirm-rename" on:click=move |_| finish_rename()>
                        "OK"
                    </button>
                    <button type="button" data-action="cancel-rename" on:click=move |_| renaming.set(None)>
                        "Cancel"
                    </button>
                </Show>
                <Show when=move || {
                    !is_default_b()
                }>
                    {
                        let i = i_def.clone();
                        view! {
                            <button
                                type="button"
                                data-action="set-default-view"
                                on:click=move |_| set_default(Some(i.clone()))
                            >
                                "Make default"
                            </button>
                        }
                    }
                </Show>
                <Show when=is_default>
                    <button type="button" data-action="clear-default-view" on:click=move |_| set_default(None)>
                        "Default ✓"
                    </button>
                </Show>
                <Show when=move || {
                    mine
                }>
                    {
                        let (u, r, d, n) = (i_upd.clone(), i_ren.clone(), i_del.clone(), own_name.clone());
                        view! {
                            <button type="button" data-action="update-view" on:click=move |_| update(u.clone())>
                                "Update"
                            </button>
                            <button
                                type="button"
                                data-action="rename-view"
                                on:click={
                                    let (r, n) = (r.clone(), n.clone());
                                    move |_| {
                                        rename_to.set(n.clone());
                                        renaming.set(Some(r.clone()));
                                    }
                                }
                            >
                                "Rename"
                            </button>
                            <button type="button" data-action="delete-view" on:click=move |_| delete(d.clone())>
                                "Delete"
                            </button>
                        }
                    }
                </Show>
            </li>
        }
    };

    view! {
        <details
            class="picker-saved"
            data-role="saved-views"
            data-source="relay"
            data-loaded=move || if loaded.get() { "true" } else { "false" }
        >
            <summary>"Saved views"</summary>
            <div class="picker-saved-body">
                <div class="picker-saved-save">
                    <label class="picker-field">
                        <span>"Name this view"</span>
                        <input
                            type="text"
                            name="view-name"
                            maxlength=MAX_NAME_CHARS.to_string()
                            autocomplete="off"
                            prop:value=name
                            on:input=move |ev| name.set(event_target_value(&ev))
                            on:keydown={
                                let save = save.clone();
                                move |ev: leptos::ev::KeyboardEvent| {
                                    if ev.key() == "Enter" {
                                        ev.prevent_default();
                                        save();
                                    }
                                }
                            }
                        />
                    </label>
                    <label class="picker-field">
                        <span>"For"</span>
                        <select
                            name="view-scope"
                            prop:value=target
                            on:change=move |ev| target.set(event_target_value(&ev))
                        >
                            <option value="private">"Only me"</option>
                            {team_options
                                .into_iter()
                                .map(|t| view! { <option value=format!("team:{t}")>{format!("Team {t}")}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <button type="button" data-action="save-view" on:click=move |_| save()>
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
                                    <button type="button" data-action="reload-view" on:click=move |_| reload_theirs()>
                                        "Reload their version"
                                    </button>
                                    <button type="button" data-action="save-copy" on:click=move |_| save_copy()>
                                        "Save mine as a copy"
                                    </button>
                                </div>
                            }
                        })
                }}
                <Show when=move || local_count.get() != 0>
                    <button
                        type="button"
                        data-action="move-local-views"
                        on:click={
                            let move_local = move_local.clone();
                            move |_| move_local()
                        }
                    >
                        {move || format!("Move this browser's {} views to your account", local_count.get())}
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
                                    {s.views.into_iter().map(row.clone()).collect_view()}
                                </ul>
                            }
                        })
                        .collect_view()
                }}
                <p
                    class="picker-saved-status"
                    role="status"
                    aria-live="polite"
                    data-role="saved-views-status"
                    data-state=status_kind
                >
                    {status_text}
                </p>
            </div>
        </details>
    }
}
