//! `CountsPanel`: one chart panel: `section[data-panel][data-state]`, progress
//! while loading, the chart or its table, and a clear message for every failure
//! (with the HTTP status), including which spans are missing and a retry of those.

use jiff::tz::TimeZone;
use leptos::prelude::*;

use crate::domain::panels::chart::{panel_chart, ChartStyle};
use crate::domain::panels::labels::{bucket_label, instant_label};
use crate::domain::panels::{PanelKind, TableModel};
use crate::domain::time::zone;

use super::load::{use_counts, PanelStatus};
use super::table_view::TableView;
use crate::app::browser;
use crate::app::chart_view::ChartView;
use crate::app::dashboard::{effective_dark, use_dashboard};

/// The chart colours of the current theme, from CSS custom properties.
pub fn chart_style(dark: bool) -> ChartStyle {
    let mut style = ChartStyle::default();
    if let Some(c) = browser::css_var("--chart-text") {
        style.text = c;
    }
    if let Some(c) = browser::css_var("--chart-grid") {
        style.grid_line = c;
    }
    let palette: Vec<String> = (1..=10).filter_map(|i| browser::css_var(&format!("--chart-{i}"))).collect();
    if !palette.is_empty() {
        style.palette = palette;
    }
    // Tests and users who asked for less motion get no animation.
    style.animation = !browser::prefers_reduced_motion() && !browser::css_var("--chart-animation").is_some_and(|v| v == "off");
    let _ = dark;
    style
}

#[component]
pub fn CountsPanel(kind: PanelKind) -> impl IntoView {
    let ctx = use_dashboard();
    let handle = use_counts(kind.endpoint(), kind == PanelKind::Intents);
    let data = handle.data;
    let show_table = RwSignal::new(false);
    let name = kind.name().as_str();
    let heading_id = format!("panel-{name}-title");

    let model = Memo::new(move |_| data.with(|d| d.table.as_ref().map(|t| TableModel::build(kind, t))));
    let resolved = ctx.resolved;
    let zone_of = move || resolved.with(|r| r.as_ref().ok().and_then(|r| zone(&r.tz))).unwrap_or(TimeZone::UTC);
    let options = Signal::derive(move || {
        let dark = effective_dark(ctx.view.with(|v| v.theme));
        let r = resolved.get().ok()?;
        let tz = zone(&r.tz)?;
        model.with(|m| {
            let m = m.as_ref()?;
            let labels: Vec<String> = m.rows.iter().map(|row| bucket_label(row.start, r.interval, &tz)).collect();
            Some(panel_chart(kind, m, &labels, &chart_style(dark)).to_string())
        })
    });
    let aria = Signal::derive(move || {
        model.with(|m| match m {
            Some(m) => {
                let parts: Vec<String> = m.columns.iter().zip(m.totals.iter()).take(6).map(|(c, t)| format!("{} {}", c.label, t)).collect();
                format!("{} over {} buckets: {}", kind.title(), m.rows.len(), parts.join(", "))
            }
            None => format!("{}: loading", kind.title()),
        })
    });

    let progress = move || {
        data.with(|d| {
            (d.status == PanelStatus::Loading).then(|| {
                let (done, total) = (d.progress.done, d.progress.total);
                view! {
                    <div class="progress" data-role="progress" data-done=done.to_string() data-total=total.to_string() role="progressbar"
                        aria-valuemin="0" aria-valuemax=total.to_string() aria-valuenow=done.to_string()>
                        <span class="bar" style:width=format!("{}%", if total == 0 { 0 } else { done * 100 / total })></span>
                        <span class="visually-hidden">{format!("{done} of {total} calls")}</span>
                    </div>
                }
            })
        })
    };
    let error = move || {
        data.with(|d| {
            (d.status == PanelStatus::Error).then(|| {
                let msg = d.error.clone().unwrap_or_default();
                view! {
                    <div class="panel-error" role="alert" data-role="error">
                        <p>{format!("Could not load {}: {msg}", kind.title().to_lowercase())}</p>
                        <button type="button" data-action="retry" on:click=move |_| handle.retry.update(|n| *n += 1)>"Retry"</button>
                    </div>
                }
            })
        })
    };
    let partial = move || {
        data.with(|d| {
            (d.status == PanelStatus::Partial).then(|| {
                let tz = zone_of();
                let spans = d
                    .failures
                    .iter()
                    .map(|(s, why)| view! { <li data-role="missing-span" data-start=s.start.to_string() data-end=s.end.to_string()>
                        {format!("{} – {}: {why}", instant_label(s.start, &tz), instant_label(s.end, &tz))}
                    </li> })
                    .collect_view();
                view! {
                    <div class="panel-partial" role="alert" data-role="partial">
                        <p>"Part of the range failed to load; those buckets are left empty, not counted as zero:"</p>
                        <ul>{spans}</ul>
                        <button type="button" data-action="retry-missing" on:click=move |_| handle.retry.update(|n| *n += 1)>"Retry missing"</button>
                    </div>
                }
            })
        })
    };
    let empty = move || {
        data.with(|d| (d.status == PanelStatus::Empty).then(|| view! { <p class="panel-empty" data-role="empty">"Nothing in this range."</p> }))
    };
    let table = move || {
        let r = resolved.get().ok()?;
        let tz = zone(&r.tz)?;
        let m = model.get()?;
        Some(view! { <TableView model=m interval=r.interval tz=tz caption=format!("{} by bucket", kind.title()) /> })
    };

    view! {
        <section class="panel" data-panel=name data-state=move || data.with(|d| d.status.as_str()) aria-labelledby=heading_id.clone()>
            <header class="panel-head">
                <h2 id=heading_id.clone()>{kind.title()}</h2>
                <div class="panel-actions">
                    <button type="button" data-action="table" aria-pressed=move || show_table.get().to_string()
                        on:click=move |_| show_table.update(|s| *s = !*s)>
                        {move || if show_table.get() { "Chart" } else { "Table" }}
                    </button>
                </div>
            </header>
            {progress}
            {error}
            {partial}
            {empty}
            <Show when=move || show_table.get() fallback=move || view! { <ChartView options=options label=aria /> }>
                {table}
            </Show>
        </section>
    }
}
