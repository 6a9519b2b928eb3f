//! `InsightPanel`: the frame both insight panels share: `section[data-panel]
//! [data-state]`, the messages load's status, the chart or the table view, CSV and
//! PNG exports, and a click on a bar handed to the panel.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::app::chart_view::{ChartView, Handler, InstanceSlot};
use crate::app::context::use_dashboard;
use crate::app::messages_feed::{use_messages_feed, FeedStatus};
use crate::app::panels::actions;
use crate::app::panels::panel_actions::PanelActions;
use crate::app::panels::table_view::TableView;
use crate::app::panels::theme::chart_style;
use crate::domain::panels::chart::{ChartSpec, ClickTarget};
use crate::domain::panels::csv_export::table_csv;
use crate::domain::panels::{PanelName, TableModel};

use super::Buckets;

/// A click on a bar: the bucket's index and the series' key.
pub type OnBucket = Rc<dyn Fn(usize, Option<String>)>;

#[component]
pub fn InsightPanel(
    name: PanelName,
    title: &'static str,
    buckets: Memo<Option<Buckets>>,
    model: Memo<Option<TableModel>>,
    spec: Memo<Option<ChartSpec>>,
    on_bucket: OnBucket,
    /// Controls in the header (a scope choice).
    #[prop(optional)]
    controls: Option<ViewFn>,
    /// Below the chart (the confusion pairs); re-run when what it reads changes.
    #[prop(optional)]
    below: Option<ViewFn>,
) -> impl IntoView {
    let ctx = use_dashboard();
    let feed = use_messages_feed();
    let show_table = RwSignal::new(false);
    let slot: InstanceSlot = StoredValue::new_local(None);
    let key = name.as_str();
    let heading_id = format!("panel-{key}-title");
    let status = move || {
        feed.state.with(|s| s.load.status).for_panel(model.with(|m| m.as_ref().is_some_and(TableModel::all_zero)))
    };
    let options = Signal::derive(move || spec.with(|s| s.as_ref().map(|s| s.option.to_string())));
    let label = Signal::derive(move || {
        spec.with(|s| s.as_ref().map(|s| s.summary.clone())).unwrap_or_else(|| format!("{title}: loading"))
    });
    let style = Memo::new(move |_| chart_style(ctx.view.with(|v| v.theme)));
    let legend = Signal::from(Memo::new(move |_| {
        spec.with(|s| s.as_ref().map(|s| style.with(|st| s.legend(st)))).unwrap_or_default()
    }));
    let on_bucket = StoredValue::new_local(on_bucket);
    // Built per chart mount: the chart owns its closures.
    let handlers = move || -> Vec<Handler> {
        let click = move |p: JsValue| {
            let (Some(s), Some(d)) = (actions::param_index(&p, "seriesIndex"), actions::param_index(&p, "dataIndex"))
            else {
                return;
            };
            if let Some(ClickTarget::Bucket { index, key }) =
                spec.with_untracked(|v| v.as_ref().and_then(|v| v.click_target(s, d)))
            {
                if let Some(f) = on_bucket.try_get_value() {
                    f(index, key);
                }
            }
        };
        vec![("click", Rc::new(click))]
    };
    let export_csv = move |_| {
        if let (Some(m), Some(b)) = (model.get_untracked(), buckets.get_untracked()) {
            if let Ok(bytes) = table_csv(&m, &b.labels) {
                let file = format!("{}.csv", actions::file_stem_named(key, &m));
                actions::download_bytes(&bytes, "text/csv;charset=utf-8", &file);
            }
        }
    };
    let export_png = move |_| {
        let (Some(m), Some(inst)) = (model.get_untracked(), slot.get_value()) else { return };
        let bg = chart_style(ctx.view.with_untracked(|v| v.theme)).surface;
        actions::download_png(&inst, &bg, &format!("{}.png", actions::file_stem_named(key, &m)));
    };
    let table = move || {
        let b = buckets.get()?;
        let m = model.get()?;
        Some(view! { <TableView model=m interval=b.interval tz=b.tz caption=format!("{title} by bucket") /> })
    };
    let no_data = move || model.with(Option::is_none);
    view! {
        <section
            class="panel insight"
            data-panel=key
            data-state=move || status().as_str()
            aria-labelledby=heading_id.clone()
        >
            <header class="panel-head">
                <h2 id=heading_id.clone()>{title}</h2>
                {controls.map(|c| c.run())}
                <PanelActions
                    title=title
                    show_table=show_table
                    no_data=Signal::derive(no_data)
                    on_csv=Callback::new(export_csv)
                    on_png=Callback::new(export_png)
                />
            </header>
            <FeedStatus empty_text="Nothing in this range." />
            <Show
                when=move || show_table.get()
                fallback=move || {
                    view! {
                        <div class="charts" data-charts="1">
                            <ChartView
                                options
                                label
                                handlers=handlers()
                                brush=false
                                instance=slot
                                class="chart-main"
                                legend=legend
                            />
                        </div>
                    }
                }
            >
                {table}
            </Show>
            {move || below.clone().map(|b| b.run())}
        </section>
    }
}
