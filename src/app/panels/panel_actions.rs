//! `PanelActions`: a chart panel's buttons: the table view toggle
//! (`[data-action="table"]`), CSV and PNG exports. Shared by every chart panel.

use leptos::prelude::*;

#[component]
pub fn PanelActions(
    /// The panel's title, for the group's accessible name.
    title: &'static str,
    show_table: RwSignal<bool>,
    /// Nothing loaded yet: nothing to export.
    #[prop(into)]
    no_data: Signal<bool>,
    on_csv: Callback<()>,
    on_png: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="panel-actions" role="group" aria-label=format!("{title} actions")>
            <button
                type="button"
                data-action="table"
                aria-pressed=move || show_table.get().to_string()
                on:click=move |_| show_table.update(|s| *s = !*s)
            >
                "Table"
            </button>
            <button type="button" data-action="csv" disabled=no_data on:click=move |_| on_csv.run(())>
                "CSV"
            </button>
            <button
                type="button"
                data-action="png"
                disabled=move || no_data.get() || show_table.get()
                on:click=move |_| on_png.run(())
            >
                "PNG"
            </button>
        </div>
    }
}
