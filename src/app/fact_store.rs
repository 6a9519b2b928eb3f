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
use crate::engine::persist::{FactRecord, LimitsRecord};

const DB_NAME: &str = "engagement-dashboard";
const STORE: &str = "facts";
/// What the page learned about the per-call limits, one record per deployment.
const LIMITS: &str = "limits";
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
    // Version 2 added the limits store.
    let req = factory.open_with_u32(DB_NAME, 2).ok()?;
    let for_upgrade = req.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(db) = for_upgrade.result().map(|r| r.unchecked_into::<IdbDatabase>()) {
            for name in [STORE, LIMITS] {
                if !db.object_store_names().contains(name) {
                    let _ = db.create_object_store(name);
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    request_future(&req).await.ok().map(|db| db.unchecked_into())
}

/// Loads this deployment's persisted facts (and learned limits) into the engine;
/// returns how many facts.
pub async fn hydrate(engine: &Rc<FetchEngine>) -> usize {
    let Some(db) = open().await else { return 0 };
    hydrate_limits(engine, &db).await;
    let Ok(tx) = db.transaction_with_str(STORE) else { return 0 };
    let Ok(store) = tx.object_store(STORE) else { return 0 };
    let Ok(req) = store.get_all() else { return 0 };
    let Ok(all) = request_future(&req).await else { return 0 };
    let all = Array::from(&all);
    let records = all.iter().filter_map(|v| v.as_string()).filter_map(|s| serde_json::from_str::<FactRecord>(&s).ok());
    engine.import_facts(records)
}

async fn hydrate_limits(engine: &Rc<FetchEngine>, db: &IdbDatabase) -> Option<()> {
    let store = db.transaction_with_str(LIMITS).ok()?.object_store(LIMITS).ok()?;
    let found = request_future(&store.get(&JsValue::from_str(&engine.limits_key())).ok()?).await.ok()?;
    let record: LimitsRecord = serde_json::from_str(&found.as_string()?).ok()?;
    engine.import_limits(&record);
    Some(())
}

async fn save_limits(engine: &Rc<FetchEngine>) -> Option<()> {
    let record = engine.take_learned_limits()?;
    let db = open().await?;
    let store =
        db.transaction_with_str_and_mode(LIMITS, IdbTransactionMode::Readwrite).ok()?.object_store(LIMITS).ok()?;
    let json = serde_json::to_string(&record).ok()?;
    store.put_with_key(&JsValue::from_str(&json), &JsValue::from_str(&engine.limits_key())).ok()?;
    Some(())
}

/// Writes the facts settled since the last save, and what was learned of the limits.
pub async fn save_new(engine: &Rc<FetchEngine>) {
    save_limits(engine).await;
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
