//! Saved views in the browser (localStorage), their menu, export/import as a JSON
//! file, and the last view, restored when the page opens without URL parameters.
//! The model and its validation are in `state::saved_views`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::saved_views::{SavedView, SavedViews, LAST_VIEW_KEY, STORAGE_KEY};
use crate::state::view::ViewState;

use super::super::browser;
use super::saved_parts::{open_saved, OpenViewButton, RenameField, Status, StatusLine, ViewNameField};
use crate::app::context::use_dashboard;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

pub(super) fn write(key: &str, value: &str) -> Result<(), String> {
    let s = storage().ok_or("this browser keeps no local storage here")?;
    s.set_item(key, value).map_err(|_| "the browser refused to store the views (storage full or disabled)".to_string())
}

/// The stored views; unreadable storage gives none (and the reason).
pub fn load_views() -> (SavedViews, Option<String>) {
    match read(STORAGE_KEY) {
        None => (SavedViews::default(), None),
        Some(json) => match SavedViews::from_json(&json) {
            Ok(v) => (v, None),
            Err(e) => (SavedViews::default(), Some(format!("The stored views could not be read: {e}"))),
        },
    }
}

pub fn store_views(views: &SavedViews) -> Result<(), String> {
    write(STORAGE_KEY, &views.to_json())
}

/// The view the page opens with: the URL's, or with no URL parameters the last
/// view of this browser. Returns the notices to show.
pub fn initial_view() -> (ViewState, Vec<String>) {
    let pairs = browser::query_pairs();
    if pairs.is_empty() {
        if let Some(last) = read(LAST_VIEW_KEY).and_then(|json| SavedView::from_json(&json).ok()) {
            return last.apply(&ViewState::default());
        }
    }
    ViewState::from_query(&pairs)
}

fn download(name: &str, text: &str) -> Result<(), String> {
    let fail = |_| "the export could not be created".to_string();
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The text of the first file chosen in a file input (`File.text()`).
async fn first_file_text(input: &web_sys::EventTarget) -> Result<Option<String>, String> {
    let get = |o: &wasm_bindgen::JsValue, k: &str| {
        js_sys::Reflect::get(o, &k.into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
    };
    let files = get(input, "files");
    let file =
        if files.is_undefined() || files.is_null() { wasm_bindgen::JsValue::UNDEFINED } else { get(&files, "0") };
    if file.is_undefined() || file.is_null() {
        return Ok(None);
    }
    let text: js_sys::Function =
        get(&file, "text").dyn_into().map_err(|_| "this browser cannot read files".to_string())?;
    let promise: js_sys::Promise =
        text.call0(&file).map_err(|_| "the file could not be read".to_string())?.unchecked_into();
    let value =
        wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| "the file could not be read".to_string())?;
    Ok(value.as_string())
}

/// The longest name the browser's menu takes (its views predate the relay's 100).
const LOCAL_NAME_CHARS: usize = 80;

#[component]
pub fn SavedViewsMenu() -> impl IntoView {
    // With the token's `views` scope the views live on the relay; otherwise here.
    let relay = crate::app::auth::use_session().and_then(|s| s.views_api().map(|api| (s, api)));
    if let Some((session, api)) = relay {
        return view! { <super::saved_server::ServerViewsMenu session=session api=api /> }.into_any();
    }
    let ctx = use_dashboard();
    let view = ctx.view;
    let (initial, problem) = load_views();
    let views = RwSignal::new(initial);
    let status = RwSignal::new(problem.map(Status::Error).unwrap_or(Status::None));
    let name = RwSignal::new(String::new());
    let offer_replace = RwSignal::new(false);
    let renaming = RwSignal::new(None::<String>);
    let rename_to = RwSignal::new(String::new());

    // Another tab saving views: pick them up.
    let _ = window_event_listener(leptos::ev::storage, move |ev| {
        if ev.key().as_deref() == Some(STORAGE_KEY) {
            views.set(load_views().0);
        }
    });

    let commit = move |next: SavedViews, ok: String| match store_views(&next) {
        Ok(()) => {
            views.set(next);
            status.set(Status::Ok(ok));
        }
        Err(e) => status.set(Status::Error(e)),
    };
    let save = move |replace: bool| {
        let mut next = views.get_untracked();
        let n = name.get_untracked();
        let result = view.with_untracked(|v| next.save(&n, v, replace));
        match result {
            Ok(()) => {
                offer_replace.set(false);
                name.set(String::new());
                commit(next, format!("Saved \"{}\".", n.trim()));
            }
            Err(e) => {
                offer_replace.set(matches!(e, crate::state::saved_views::SavedViewError::NameTaken(_)));
                status.set(Status::Error(format!("Not saved: {e}.")));
            }
        }
    };
    let open = move |n: String| {
        let Some(saved) = views.with_untracked(|v| v.get(&n).cloned()) else { return };
        let (next, notices) = view.with_untracked(|v| saved.apply(v));
        open_saved(ctx, saved.name, next, notices, status, || {});
    };
    let delete = move |n: String| {
        let mut next = views.get_untracked();
        if next.delete(&n).is_ok() {
            commit(next, format!("Deleted \"{n}\"."));
        }
    };
    let finish_rename = move || {
        let Some(from) = renaming.get_untracked() else { return };
        let mut next = views.get_untracked();
        let to = rename_to.get_untracked();
        match next.rename(&from, &to) {
            Ok(()) => {
                renaming.set(None);
                commit(next, format!("Renamed \"{from}\" to \"{}\".", to.trim()));
            }
            Err(e) => status.set(Status::Error(format!("Not renamed: {e}."))),
        }
    };
    let export = move |_| {
        let json = views.with_untracked(SavedViews::to_json);
        match download("engagement-dashboard-views.json", &json) {
            Ok(()) => status.set(Status::Ok("Exported.".into())),
            Err(e) => status.set(Status::Error(e)),
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(target) = ev.target() else { return };
        leptos::task::spawn_local(async move {
            let text = first_file_text(&target).await;
            // The same file can be chosen again after fixing it.
            let _ = js_sys::Reflect::set(&target, &"value".into(), &"".into());
            match text {
                Ok(None) => {}
                Err(e) => status.set(Status::Error(format!("Not imported: {e}."))),
                Ok(Some(text)) => match SavedViews::from_json(&text) {
                    Err(e) => status.set(Status::Error(format!("Not imported: {e}."))),
                    Ok(imported) => {
                        let mut next = views.get_untracked();
                        match next.merge(imported) {
                            Ok(n) => commit(next, format!("Imported {n} view{}.", if n == 1 { "" } else { "s" })),
                            Err(e) => status.set(Status::Error(format!("Not imported: {e}."))),
                        }
                    }
                },
            }
        });
    };

    view! {
        <details class="picker-saved" data-role="saved-views">
            <summary>"Saved views"</summary>
            <div class="picker-saved-body">
                <div class="picker-saved-save">
                    <ViewNameField
                        name=name
                        max_chars=LOCAL_NAME_CHARS
                        on_edit=move || offer_replace.set(false)
                        on_enter=move || save(false)
                    />
                    <button type="button" data-action="save-view" on:click=move |_| save(false)>
                        "Save"
                    </button>
                    <Show when=move || offer_replace.get()>
                        <button type="button" data-action="replace-view" on:click=move |_| save(true)>
                            "Replace it"
                        </button>
                    </Show>
                </div>
                <p class="picker-saved-empty" hidden=move || views.with(|v| !v.views().is_empty())>
                    "No saved views yet."
                </p>
                <ul class="picker-saved-list" data-role="saved-view-list">
                    {move || {
                        views
                            .get()
                            .views()
                            .iter()
                            .map(|sv| {
                                let n = sv.name.clone();
                                let (n_rename, n_delete, n_is) = (n.clone(), n.clone(), n.clone());
                                let rename_label = format!("New name for {n}");
                                let is_renaming = move || renaming.with(|r| r.as_deref() == Some(n_is.as_str()));
                                let summary = format!(
                                    "{} → {}{}{}",
                                    sv.from,
                                    sv.to,
                                    sv.interval.as_ref().map(|i| format!(", {i}")).unwrap_or_default(),
                                    sv.tz.as_ref().map(|z| format!(", {z}")).unwrap_or_default(),
                                );
                                view! {
                                    <li data-view-name=n.clone()>
                                        <Show
                                            when=is_renaming.clone()
                                            fallback={
                                                let n = n.clone();
                                                let summary = summary.clone();
                                                move || {
                                                    let a = n.clone();
                                                    view! {
                                                        <OpenViewButton
                                                            name=n.clone()
                                                            summary=summary.clone()
                                                            on_open=move || open(a.clone())
                                                        />
                                                    }
                                                }
                                            }
                                        >
                                            <RenameField
                                                rename_to=rename_to
                                                renaming=renaming
                                                label=rename_label.clone()
                                                max_chars=LOCAL_NAME_CHARS
                                                on_confirm=finish_rename
                                            />
                                        </Show>
                                        <button
                                            type="button"
                                            data-action="rename-view"
                                            aria-label=format!("Rename {}", n.clone())
                                            on:click={
                                                let n = n_rename.clone();
                                                move |_| {
                                                    rename_to.set(n.clone());
                                                    renaming.set(Some(n.clone()));
                                                }
                                            }
                                        >
                                            "Rename"
                                        </button>
                                        <button
                                            type="button"
                                            data-action="delete-view"
                                            aria-label=format!("Delete {}", n.clone())
                                            on:click=move |_| delete(n_delete.clone())
                                        >
                                            "Delete"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <div class="picker-saved-files">
                    <button type="button" data-action="export-views" on:click=export>
                        "Export…"
                    </button>
                    <label class="picker-file">
                        <span>"Import…"</span>
                        <input type="file" name="import-views" accept="application/json,.json" on:change=import />
                    </label>
                </div>
                <StatusLine status=status />
            </div>
        </details>
    }
    .into_any()
}
