//! `TableModel`: the table view of a chart panel, exactly as ui-hooks fixes it:
//! every bucket of the range in ascending order (zeros included), one column per
//! API key as returned, derived columns extra, and a totals row. The CSV export
//! writes this same model, so the two can never disagree.

use crate::domain::count_table::CountTable;
use crate::domain::wire::keys;

use super::kind::PanelKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The API key exactly as returned (`botOnly`, an intent name, `web`).
    pub key: String,
    pub label: String,
    pub derived: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    pub start: i64,
    pub end: i64,
    /// One per column; `None` when the bucket failed to load (never zero).
    pub cells: Vec<Option<u64>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableModel {
    pub columns: Vec<Column>,
    pub rows: Vec<TableRow>,
    /// Sums over the loaded buckets.
    pub totals: Vec<u64>,
}

fn label_for(key: &str) -> String {
    match key {
        keys::TOTAL => "Total".into(),
        keys::COMPLETED => "Completed".into(),
        keys::ABANDONED => "Abandoned".into(),
        keys::BOT_ONLY => "Bot only".into(),
        keys::BOT_TO_AGENT => "Bot to agent".into(),
        keys::AGENT_ONLY => "Agent only".into(),
        other => other.to_string(),
    }
}

impl TableModel {
    pub fn build(kind: PanelKind, table: &CountTable) -> TableModel {
        let present = table.keys();
        let mut columns: Vec<Column> = Vec::new();
        let mut push = |key: &str, derived: bool, label: String| {
            if !columns.iter().any(|c| c.key == key) {
                columns.push(Column { key: key.to_string(), label, derived });
            }
        };
        for k in kind.fixed_keys() {
            push(k, false, label_for(k));
        }
        for k in kind.optional_keys() {
            if present.iter().any(|p| p == k) {
                push(k, false, label_for(k));
            }
        }
        if kind.open_keys() {
            // Open sets largest first, so the biggest series lead the legend.
            let mut extra: Vec<&String> = present.iter().filter(|k| !kind.fixed_keys().contains(&k.as_str())).collect();
            extra.sort_by(|a, b| table.total(b).cmp(&table.total(a)).then_with(|| a.cmp(b)));
            for k in extra {
                push(k, false, label_for(k));
            }
        }
        for (k, label, _) in kind.derived() {
            push(k, true, label.to_string());
        }
        let value = |i: usize, col: &Column| -> Option<u64> {
            match kind.derived().iter().find(|(k, _, _)| *k == col.key) {
                Some((_, _, parts)) => parts.iter().map(|p| table.value(i, p)).sum(),
                None => table.value(i, &col.key),
            }
        };
        let rows: Vec<TableRow> = (0..table.len())
            .map(|i| {
                let b = table.bucket(i);
                TableRow { start: b.start, end: b.end, cells: columns.iter().map(|c| value(i, c)).collect() }
            })
            .collect();
        let totals = (0..columns.len()).map(|j| rows.iter().filter_map(|r| r.cells[j]).sum()).collect();
        TableModel { columns, rows, totals }
    }

    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// True when every loaded cell is zero (the panel's `empty` state).
    pub fn all_zero(&self) -> bool {
        self.totals.iter().all(|t| *t == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::TimeSpan;
    use crate::domain::wire::WireBucket;
    use std::collections::BTreeMap;

    fn wb(start: i64, end: i64, counts: &[(&str, u64)]) -> WireBucket {
        WireBucket {
            start,
            end,
            counts: counts.iter().map(|(k, v)| (k.to_string(), *v)).collect::<BTreeMap<_, _>>(),
            partial: false,
        }
    }

    #[test]
    fn interactions_columns_follow_what_the_api_sent() {
        let mut t = CountTable::new(vec![0, 10, 20, 30]);
        t.merge_call(
            TimeSpan::new(0, 20),
            &[wb(0, 10, &[("total", 5), ("completed", 4)]), wb(10, 20, &[("extra", 1)])],
        )
        .unwrap();
        let m = TableModel::build(PanelKind::Interactions, &t);
        let keys: Vec<&str> = m.columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, vec!["total", "completed", "extra"]);
        assert_eq!(m.rows.len(), 3);
        assert_eq!(m.rows[1].cells, vec![Some(0), Some(0), Some(1)]);
        assert_eq!(m.rows[2].cells, vec![None, None, None], "not loaded is not zero");
        assert_eq!(m.totals, vec![5, 4, 1]);
    }

    #[test]
    fn bot_vs_agent_keeps_the_api_columns_and_adds_derived_ones() {
        let mut t = CountTable::new(vec![0, 10]);
        t.merge_call(TimeSpan::new(0, 10), &[wb(0, 10, &[("botOnly", 6), ("botToAgent", 3), ("agentOnly", 1)])])
            .unwrap();
        let m = TableModel::build(PanelKind::BotVsAgent, &t);
        let keys: Vec<&str> = m.columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, vec!["botOnly", "botToAgent", "agentOnly", "botHandled", "agentHandled"]);
        assert_eq!(m.totals, vec![6, 3, 1, 6, 4]);
    }

    #[test]
    fn fixed_columns_appear_even_when_all_zero() {
        let mut t = CountTable::new(vec![0, 10]);
        t.merge_call(TimeSpan::new(0, 10), &[]).unwrap();
        let m = TableModel::build(PanelKind::BotAccess, &t);
        assert_eq!(m.columns.len(), 3);
        assert!(m.all_zero());
    }
}
