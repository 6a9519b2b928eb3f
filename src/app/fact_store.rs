//! Settled counts across reloads, in IndexedDB: loaded before the first panel
//! loads, appended after every load. Storage trouble (private mode, quota, a
//! blocked database) only costs speed, never correctness, so every error here is
//! swallowed and the engine simply fetches.

use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

use crate::engine::fetch::FetchEngine;
use crate::engine::persist::FactRecord;

const DB_NAME: &str = "engagement-dashboard";
const STORE: &str = "facts";
/// Records kept at most; past it the store is cleared and refilled as used.
const CAP: u32 = 100_000;

fn request_future(req: &IdbRequest) -> JsFuture {
    let req2 = req.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let r = req2.clone();
        let on_ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let on_err = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        req2.set_onsuccess(Some(on_ok.unchecked_ref()));
        req2.set_onerror(Some(on_err.unchecked_ref()));
    });
    JsFuture::from(promise)
}

async fn open() -> Option<IdbDatabase> {
    let factory = web_sys::window()?.indexed_db().ok()??;
    let req = factory.open_with_u32(DB_NAME, 1).ok()?;
    let for_upgrade = req.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(db) = for_upgrade.result().map(|r| r.unchecked_into::<IdbDatabase>()) {
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    req.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    request_future(&req).await.ok().map(|db| db.unchecked_into())
}

/// Loads this deployment's persisted facts into the engine; returns how many.
pub async fn hydrate(engine: &Rc<FetchEngine>) -> usize {
    let Some(db) = open().await else { return 0 };
    let Ok(tx) = db.transaction_with_str(STORE) else { return 0 };
    let Ok(store) = tx.object_store(STORE) else { return 0 };
    let Ok(req) = store.get_all() else { return 0 };
    let Ok(all) = request_future(&req).await else { return 0 };
    let all = Array::from(&all);
    let records = all.iter().filter_map(|v| v.as_string()).filter_map(|s| serde_json::from_str::<FactRecord>(&s).ok());
    engine.import_facts(records)
}

/// Writes the facts settled since the last save.
pub async fn save_new(engine: &Rc<FetchEngine>) {
    let records = engine.take_unsaved_facts();
    if records.is_empty() {
        return;
    }
    let Some(db) = open().await else { return };
    let Ok(tx) = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite) else { return };
    let Ok(store) = tx.object_store(STORE) else { return };
    if let Ok(count_req) = store.count() {
        if let Ok(n) = request_future(&count_req).await {
            if n.as_f64().unwrap_or(0.0) as u32 + records.len() as u32 > CAP {
                let _ = store.clear();
            }
        }
    }
    for r in records {
        if let Ok(json) = serde_json::to_string(&r) {
            let _ = store.put_with_key(&JsValue::from_str(&json), &JsValue::from_str(&r.key()));
        }
    }
}
