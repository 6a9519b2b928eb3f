//! `CountsPanel`: one chart panel: `section[data-panel][data-state]`, progress
//! while loading, its charts or its table, exports, and a clear message for every
//! failure (with the HTTP status), including which spans are missing and a retry.

use std::rc::Rc;

use jiff::tz::TimeZone;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::domain::panels::chart::{panel_charts, ChartSpec};
use crate::domain::panels::csv_export::table_csv;
use crate::domain::panels::labels::bucket_label;
use crate::domain::panels::{PanelKind, TableModel};
use crate::domain::wire::IntentType;
use crate::state::drill::{drill, zoom_to};
use crate::state::load_state::PanelStatus;

use super::actions;
use super::load::{use_counts, Period};
use super::panel_actions::PanelActions;
use super::table_view::TableView;
use super::theme::chart_style;
use crate::app::chart_view::{ChartView, Handler, InstanceSlot};
use crate::app::context::{use_dashboard, DashboardContext};
use crate::app::load_status::{LoadStatus, StatusTexts};

/// The bucket labels of the model's rows, in the view's zone.
fn row_labels(ctx: &DashboardContext, m: &TableModel) -> Vec<String> {
    ctx.resolved.with(|r| match r.as_ref().ok() {
        Some(r) => m.rows.iter().map(|row| bucket_label(row.start, r.interval, &r.tz)).collect(),
        None => m.rows.iter().map(|row| row.start.to_string()).collect(),
    })
}

/// Chart events: a click drills into the explorer, a drag on a time chart zooms
/// the dashboard to the selected buckets.
fn handlers(
    ctx: DashboardContext,
    kind: PanelKind,
    i: usize,
    specs: Memo<Option<Vec<ChartSpec>>>,
    model: Memo<Option<TableModel>>,
) -> Vec<Handler> {
    // Without the `messages` scope there is nothing to drill into.
    let scopes = crate::app::auth::use_scopes();
    let click = move |p: JsValue| {
        if !scopes.get_untracked().messages {
            return;
        }
        let (Some(s), Some(d)) = (actions::param_index(&p, "seriesIndex"), actions::param_index(&p, "dataIndex"))
        else {
            return;
        };
        let Some(target) = specs.with_untracked(|v| v.as_ref().and_then(|v| v.get(i)?.click_target(s, d))) else {
            return;
        };
        let Some(m) = model.get_untracked() else { return };
        let mut next = ctx.view.get_untracked();
        if drill(&mut next, kind, &m, &target) {
            ctx.view.set(next);
            actions::show_explorer();
        }
    };
    let brush = move |p: JsValue| {
        let Some((a, b)) = actions::brushed_indices(&p) else { return };
        let Some(m) = model.get_untracked() else { return };
        let mut next = ctx.view.get_untracked();
        if zoom_to(&mut next, &m, a, b) {
            ctx.view.set(next);
        }
    };
    vec![("click", Rc::new(click)), ("brushEnd", Rc::new(brush))]
}

#[component]
pub fn CountsPanel(kind: PanelKind) -> impl IntoView {
    let ctx = use_dashboard();
    let handle = use_counts(kind.endpoint(), kind == PanelKind::Intents, Period::Current);
    let data = handle.data;
    let show_table = RwSignal::new(false);
    let name = kind.name().as_str();
    let heading_id = format!("panel-{name}-title");
    let slot: InstanceSlot = StoredValue::new_local(None);

    crate::app::lazy::hold_deferred_while(move || data.with(|d| d.load.is(PanelStatus::Loading)));
    let model = Memo::new(move |_| data.with(|d| d.table.as_ref().map(|t| TableModel::build(kind, t))));
    let resolved = ctx.resolved;
    let zone_of = move || resolved.with(|r| r.as_ref().ok().map(|r| r.tz.clone())).unwrap_or(TimeZone::UTC);
    let style = Memo::new(move |_| chart_style(ctx.view.with(|v| v.theme)));
    let anomalies = crate::app::insights::use_anomalies();
    let specs = Memo::new(move |_| {
        let flags = anomalies.map(|a| a.for_panel(kind)).unwrap_or_default();
        style.with(|style| {
            model.with(|m| {
                m.as_ref().map(|m| {
                    let mut specs = panel_charts(kind, m, &row_labels(&ctx, m), style);
                    crate::app::insights::mark_chart(&mut specs, m, &flags);
                    specs
                })
            })
        })
    });
    let chart_count =
        panel_charts(kind, &TableModel { columns: vec![], rows: vec![], totals: vec![] }, &[], &Default::default())
            .len();
    let charts = move || {
        (0..chart_count)
            .map(|i| {
                let options = Signal::derive(move || specs.with(|s| s.as_ref().map(|s| s[i].option.clone())));
                let label = Signal::derive(move || {
                    specs
                        .with(|s| s.as_ref().map(|s| s[i].summary.clone()))
                        .unwrap_or_else(|| format!("{}: loading", kind.title()))
                });
                // A memo: the same series after a refresh must not rebuild the buttons
                // (a keyboard user's focus would be lost).
                let legend = Signal::from(Memo::new(move |_| {
                    specs.with(|s| s.as_ref().map(|s| style.with(|st| s[i].legend(st)))).unwrap_or_default()
                }));
                let class = if i == 0 { "chart-main" } else { "chart-side" };
                let slot = (i == 0).then_some(slot);
                view! {
                    <ChartView
                        options
                        label
                        handlers=handlers(ctx, kind, i, specs, model)
                        brush=i == 0
                        instance=slot.unwrap_or_else(|| StoredValue::new_local(None))
                        class=class
                        legend=legend
                    />
                }
            })
            .collect_view()
    };

    let export_csv = move |_| {
        if let Some(m) = model.get_untracked() {
            if let Ok(bytes) = table_csv(&m, &row_labels(&ctx, &m)) {
                actions::download_bytes(
                    &bytes,
                    "text/csv;charset=utf-8",
                    &format!("{}.csv", actions::file_stem(kind, &m)),
                );
            }
        }
    };
    let export_png = move |_| {
        let (Some(m), Some(inst)) = (model.get_untracked(), slot.get_value()) else { return };
        let bg = chart_style(ctx.view.with_untracked(|v| v.theme)).surface;
        actions::download_png(&inst, &bg, &format!("{}.png", actions::file_stem(kind, &m)));
    };

    let load = Signal::derive(move || data.with(|d| d.load.clone()));
    let texts = StatusTexts {
        loading: "Loading",
        what: kind.title().to_lowercase(),
        partial: "those buckets are left empty, not counted as zero:",
        empty: "Nothing was counted in this range. Try a longer range, or move it back with ◀ (keys t ←).",
    };
    let progress_detail =
        Signal::derive(move || data.with(|d| format!("{} of {} calls", d.load.progress.done, d.load.progress.total)));
    let status_view = view! {
        <LoadStatus
            state=load
            texts=texts
            progress_detail=progress_detail
            tz=Signal::derive(zone_of)
            retry=Callback::new(move |_| handle.retry.update(|n| *n += 1))
        />
    };
    let table = move || {
        let r = resolved.get().ok()?;
        let tz = r.tz.clone();
        let m = model.get()?;
        Some(view! { <TableView model=m interval=r.interval tz=tz caption=format!("{} by bucket", kind.title()) /> })
    };
    let no_data = move || model.with(Option::is_none);

    view! {
        <section
            class="panel"
            data-panel=name
            data-state=move || data.with(|d| d.load.status.as_str())
            aria-labelledby=heading_id.clone()
        >
            <header class="panel-head">
                <h2 id=heading_id.clone()>{kind.title()}</h2>
                {(kind == PanelKind::Intents).then(|| view! { <IntentSwitch /> })}
                <PanelActions
                    title=kind.title()
                    show_table=show_table
                    no_data=Signal::derive(no_data)
                    on_csv=Callback::new(export_csv)
                    on_png=Callback::new(export_png)
                />
            </header>
            {status_view}
            <Show
                when=move || show_table.get()
                fallback=move || {
                    view! {
                        <div class="charts" data-charts=chart_count.to_string()>
                            {charts()}
                        </div>
                    }
                }
            >
                {table}
            </Show>
        </section>
    }
}

/// Bot or agent intents (`intenttype` in the URL).
#[component]
fn IntentSwitch() -> impl IntoView {
    let view = use_dashboard().view;
    let button = move |t: IntentType, text: &'static str| {
        view! {
            <button
                type="button"
                data-action="intenttype"
                value=t.as_str()
                aria-pressed=move || (view.with(|v| v.intenttype) == t).to_string()
                on:click=move |_| view.update(|v| v.intenttype = t)
            >
                {text}
            </button>
        }
    };
    view! {
        <div class="segmented" role="group" aria-label="Intent type">
            {button(IntentType::Bot, "Bot")}
            {button(IntentType::Agent, "Agent")}
        </div>
    }
}
