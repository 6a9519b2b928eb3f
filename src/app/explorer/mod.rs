//! The message explorer (issue 6): `section[data-panel="messages"]`.

use leptos::prelude::*;

#[component]
pub fn Explorer() -> impl IntoView {
    view! {
        <section class="panel explorer" id="explorer" data-panel="messages" data-state="loading">
            <header class="panel-head"><h2>"Messages"</h2></header>
        </section>
    }
}
