//! `use_abortable_load`: the one loader hook of the page (count panels, key
//! figures, explorer). It runs `start` now and again whenever a signal `start` reads
//! changes; `start` sets what it can at once (loading, or an error) and returns the
//! async part, if any. The previous run is aborted first, so a slow old answer can
//! never land in a new view, and so is a run still going when the owner goes away.

use std::future::Future;
use std::sync::{Arc, Mutex};

use futures::future::{abortable, AbortHandle};
use leptos::prelude::*;
use leptos::task::spawn_local;

pub fn use_abortable_load<Fut>(start: impl Fn() -> Option<Fut> + 'static)
where
    Fut: Future<Output = ()> + 'static,
{
    // Held outside the reactive arena: the cleanup must still find the handle when
    // the owner's stored values are already disposed, or a load would outlive its
    // panel and write to disposed signals.
    let running: Arc<Mutex<Option<AbortHandle>>> = Arc::default();
    let for_cleanup = running.clone();
    on_cleanup(move || abort(&for_cleanup));
    Effect::new(move |_| {
        abort(&running);
        let Some(load) = start() else { return };
        let (task, handle) = abortable(load);
        if let Ok(mut r) = running.lock() {
            *r = Some(handle);
        }
        spawn_local(async move {
            let _ = task.await;
        });
    });
}

fn abort(running: &Mutex<Option<AbortHandle>>) {
    if let Some(h) = running.lock().ok().and_then(|mut r| r.take()) {
        h.abort();
    }
}
