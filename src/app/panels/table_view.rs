//! The table view of a chart panel, exactly as ui-hooks fixes it: `data-key` per
//! series, `data-start` per row, `data-value` per cell (unformatted), totals in
//! `tfoot`. Text is set as text, never HTML (intent names come from the API).

use jiff::tz::TimeZone;
use leptos::prelude::*;

use crate::domain::panels::kpi::thousands as fmt_count;
use crate::domain::panels::labels::bucket_label;
use crate::domain::panels::TableModel;
use crate::domain::time::Interval;

#[component]
pub fn TableView(model: TableModel, interval: Interval, tz: TimeZone, caption: String) -> impl IntoView {
    let columns = model.columns.clone();
    let head = columns
        .iter()
        .map(|c| {
            view! {
                <th scope="col" data-key=c.key.clone() class:derived=c.derived>
                    {c.label.clone()}
                </th>
            }
        })
        .collect_view();
    let body = model
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .cells
                .iter()
                .zip(columns.iter())
                .map(|(cell, col)| match cell {
                    Some(v) => view! {
                        <td data-key=col.key.clone() data-value=v.to_string()>
                            {fmt_count(*v)}
                        </td>
                    }
                    .into_any(),
                    None => view! {
                        <td data-key=col.key.clone() class="missing" title="not loaded">
                            "—"
                        </td>
                    }
                    .into_any(),
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row" data-start=row.start.to_string()>
                        {bucket_label(row.start, interval, &tz)}
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let foot = model
        .totals
        .iter()
        .zip(columns.iter())
        .map(|(t, col)| {
            view! {
                <td data-key=col.key.clone() data-value=t.to_string()>
                    {fmt_count(*t)}
                </td>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Bucket start"</th>
                        {head}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row">"Total"</th>
                        {foot}
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}
