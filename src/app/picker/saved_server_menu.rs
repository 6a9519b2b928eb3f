//! The relay's saved-views menu as state and actions (`ServerMenu`), apart from
//! its view (`saved_server.rs`): every action is a method, so the view only wires
//! buttons to them. One relay action runs at a time (a double click must not
//! write twice); each ends with a line in the menu's status.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::auth::Session;
use crate::app::context::DashboardContext;
use crate::engine::views_api::{ServerView, ViewDraft, ViewsApi, ViewsError};
use crate::state::shared_views::{
    apply_params, clean_name, copy_name, draft, migration, parse_target, redraft, view_params,
};

use super::super::browser;
use super::saved::{load_views, store_views};
use super::saved_parts::{open_saved, Status};

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
        // Its zone's data before the dashboard reads the view (a failure is the
        // dashboard's notice).
        if let Some(tz) = &state.tz {
            let _ = crate::app::zones::load_zone(tz).await;
        }
    }
}

/// My write of `view` was refused because someone else changed it first.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Conflict {
    pub view: ServerView,
    pub draft: ViewDraft,
}

#[derive(Clone, Copy)]
pub(super) struct ServerMenu {
    ctx: DashboardContext,
    api: StoredValue<ViewsApi, LocalStorage>,
    /// The signed-in user (`sub`) and their teams, from the token.
    me: StoredValue<String>,
    teams: StoredValue<Vec<String>>,
    pub views: RwSignal<Vec<ServerView>>,
    pub default_id: RwSignal<Option<String>>,
    /// The view last opened or saved here: what "modified" compares with.
    pub opened: RwSignal<Option<String>>,
    pub status: RwSignal<Status>,
    pub conflict: RwSignal<Option<Conflict>>,
    busy: RwSignal<bool>,
    /// The first list is in (`data-loaded`, for tests and scripts).
    pub loaded: RwSignal<bool>,
    /// The "Name this view" field and its "For" choice (`private` / `team:T`).
    pub name: RwSignal<String>,
    pub target: RwSignal<String>,
    /// The row being renamed, and the name typed for it.
    pub renaming: RwSignal<Option<String>>,
    pub rename_to: RwSignal<String>,
    /// Views still kept in this browser (offered a move to the relay).
    pub local_count: RwSignal<usize>,
}

impl ServerMenu {
    /// The menu for `session`, loading its list at once.
    pub fn new(ctx: DashboardContext, session: &Session, api: ViewsApi) -> Self {
        let claims = session.claims.get_untracked();
        let me = claims.as_ref().map(|c| c.sub.clone()).unwrap_or_default();
        let teams = claims.map(|c| c.teams).unwrap_or_default();
        let menu = ServerMenu {
            ctx,
            api: StoredValue::new_local(api),
            me: StoredValue::new(me),
            teams: StoredValue::new(teams),
            views: RwSignal::new(Vec::new()),
            default_id: RwSignal::new(None),
            opened: RwSignal::new(None),
            status: RwSignal::new(Status::None),
            conflict: RwSignal::new(None),
            busy: RwSignal::new(false),
            loaded: RwSignal::new(false),
            name: RwSignal::new(String::new()),
            target: RwSignal::new("private".to_string()),
            renaming: RwSignal::new(None),
            rename_to: RwSignal::new(String::new()),
            local_count: RwSignal::new(load_views().0.views().len()),
        };
        menu.run(async move {
            if let Err(e) = menu.reload_list().await {
                menu.fail("Saved views could not be loaded", &e);
            }
            menu.loaded.set(true);
        });
        menu
    }

    pub fn me(&self) -> String {
        self.me.get_value()
    }

    pub fn teams(&self) -> Vec<String> {
        self.teams.get_value()
    }

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

    /// Saves the current view under the typed name, privately or for a team.
    pub fn save(self) {
        let (n, t) = (self.name.get_untracked(), self.target.get_untracked());
        let n = match clean_name(&n) {
            Ok(n) => n,
            Err(e) => return self.status.set(Status::Error(format!("Not saved: {e}."))),
        };
        let Some(target) = self.teams.with_value(|teams| parse_target(&t, teams)) else { return };
        let d = self.ctx.view.with_untracked(|v| draft(n.clone(), target, v));
        self.run(async move {
            match self.api.get_value().create(&d).await {
                Ok(v) => {
                    self.opened.set(Some(v.id.clone()));
                    self.put(v);
                    self.name.set(String::new());
                    self.status.set(Status::Ok(format!("Saved \"{n}\".")));
                }
                Err(e) => self.fail("Not saved", &e),
            }
        });
    }

    pub fn open(self, id: String) {
        let Some(v) = self.find(&id) else { return };
        let (next, notices) = self.ctx.view.with_untracked(|cur| apply_params(&v.view, cur));
        open_saved(self.ctx, v.name, next, notices, self.status, move || self.opened.set(Some(id)));
    }

    /// Writes the current view over the saved one (mine only).
    pub fn update(self, id: String) {
        let Some(v) = self.find(&id) else { return };
        let next = redraft(&v, v.name.clone(), self.ctx.view.with_untracked(view_params));
        let done = format!("Updated \"{}\".", v.name);
        self.run(async move {
            if self.write(v, next, done).await {
                self.opened.set(Some(id));
            }
        });
    }

    pub fn start_rename(self, id: String, name: String) {
        self.rename_to.set(name);
        self.renaming.set(Some(id));
    }

    pub fn finish_rename(self) {
        let Some(id) = self.renaming.get_untracked() else { return };
        let Some(v) = self.find(&id) else { return };
        let to = match clean_name(&self.rename_to.get_untracked()) {
            Ok(n) => n,
            Err(e) => return self.status.set(Status::Error(format!("Not renamed: {e}."))),
        };
        let next = redraft(&v, to.clone(), v.view.clone());
        let done = format!("Renamed \"{}\" to \"{to}\".", v.name);
        self.run(async move {
            if self.write(v, next, done).await {
                self.renaming.set(None);
            }
        });
    }

    /// Deletes a view; one already gone counts as deleted.
    pub fn delete(self, id: String) {
        let Some(v) = self.find(&id) else { return };
        self.run(async move {
            match self.api.get_value().delete(&id).await {
                Ok(()) | Err(ViewsError::NotFound) => {
                    self.views.update(|l| l.retain(|x| x.id != id));
                    if self.default_id.get_untracked().as_deref() == Some(id.as_str()) {
                        self.default_id.set(None);
                    }
                    self.status.set(Status::Ok(format!("Deleted \"{}\".", v.name)));
                }
                Err(e) => self.fail("Not deleted", &e),
            }
        });
    }

    /// Makes `id` my default view, or clears it with `None`.
    pub fn set_default(self, id: Option<String>) {
        self.run(async move {
            match self.api.get_value().set_default(id.as_deref()).await {
                Ok(()) => {
                    let what = id.as_deref().and_then(|i| self.find(i)).map(|v| v.name);
                    self.default_id.set(id);
                    self.status.set(Status::Ok(match what {
                        Some(n) => format!("\"{n}\" opens when the dashboard starts without a view in its address."),
                        None => "No default view.".to_string(),
                    }));
                }
                Err(e) => self.fail("Default not set", &e),
            }
        });
    }

    /// The conflict's first way out: take their version.
    pub fn reload_theirs(self) {
        let Some(c) = self.conflict.get_untracked() else { return };
        self.run(async move {
            self.conflict.set(None);
            match self.reload_list().await {
                Ok(()) if self.find(&c.view.id).is_some() => {
                    self.open(c.view.id.clone());
                    self.status.set(Status::Ok(format!("Reloaded \"{}\" as it is now.", c.view.name)));
                }
                Ok(()) => self.status.set(Status::Error(format!("\"{}\" was deleted meanwhile.", c.view.name))),
                Err(e) => self.fail("Not reloaded", &e),
            }
        });
    }

    /// The conflict's second way out: keep mine as a copy under a free name.
    pub fn save_copy(self) {
        let Some(c) = self.conflict.get_untracked() else { return };
        let names: Vec<String> = self.views.with_untracked(|l| l.iter().map(|v| v.name.clone()).collect());
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut d = c.draft.clone();
        d.name = copy_name(&c.view.name, &names);
        self.run(async move {
            match self.api.get_value().create(&d).await {
                Ok(v) => {
                    self.conflict.set(None);
                    self.opened.set(Some(v.id.clone()));
                    self.status.set(Status::Ok(format!("Saved your version as \"{}\".", v.name)));
                    self.put(v);
                }
                Err(e) => self.fail("The copy was not saved", &e),
            }
        });
    }

    /// Moves this browser's views to the relay, once: moved views leave the
    /// browser; a name already taken there (or a refused one) stays here.
    pub fn move_local(self) {
        let (local, _) = load_views();
        let (create, mut skipped) = self.views.with_untracked(|l| self.me.with_value(|me| migration(&local, l, me)));
        self.run(async move {
            let mut moved = Vec::new();
            for d in create {
                match self.api.get_value().create(&d).await {
                    Ok(v) => {
                        moved.push(d.name.to_lowercase());
                        self.put(v);
                    }
                    Err(_) => skipped.push(d.name),
                }
            }
            let mut rest = local.clone();
            for v in local.views().iter().filter(|v| moved.contains(&v.name.trim().to_lowercase())) {
                let _ = rest.delete(&v.name);
            }
            let _ = store_views(&rest);
            self.local_count.set(rest.views().len());
            self.status.set(if skipped.is_empty() {
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
}
