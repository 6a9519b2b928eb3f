//! Figures derived from a panel's table: top-N series plus "other", rates and
//! shares. Every chart and key figure goes through these, so they are tested once.

use super::table_model::TableModel;

/// How many intents the over-time chart stacks before lumping the rest as "other":
/// more colours than this are no longer told apart.
pub const TOP_INTENTS: usize = 8;
/// How many intents the ranking lists.
pub const RANKING_LEN: usize = 15;

/// The key of the lumped series (never an API key: it has a space and no case).
pub const OTHER_KEY: &str = "other intents";

/// The top `n` API columns (the model sorts open sets largest first) and the rest
/// summed per bucket. "Other" appears only for two or more leftovers: one leftover
/// is shown as itself.
#[derive(Clone, Debug, PartialEq)]
pub struct TopN {
    pub keys: Vec<String>,
    pub rest: Vec<String>,
    /// Per bucket, the sum of `rest` (`None` where the bucket is not loaded).
    pub other: Option<Vec<Option<u64>>>,
}

pub fn top_n(model: &TableModel, n: usize) -> TopN {
    let api: Vec<&str> = model.columns.iter().filter(|c| !c.derived).map(|c| c.key.as_str()).collect();
    let cut = if api.len() > n + 1 { n } else { api.len() };
    let keys: Vec<String> = api[..cut].iter().map(|s| s.to_string()).collect();
    let rest: Vec<String> = api[cut..].iter().map(|s| s.to_string()).collect();
    let other = (!rest.is_empty()).then(|| {
        let idx: Vec<usize> = rest.iter().filter_map(|k| model.column(k)).collect();
        model.rows.iter().map(|r| idx.iter().map(|j| r.cells[*j]).sum::<Option<u64>>()).collect()
    });
    TopN { keys, rest, other }
}

/// A column's cells (all `None` when the model has no such column).
pub fn column(model: &TableModel, key: &str) -> Vec<Option<u64>> {
    match model.column(key) {
        Some(j) => model.rows.iter().map(|r| r.cells[j]).collect(),
        None => vec![None; model.rows.len()],
    }
}

/// A column's total over the loaded buckets (0 when absent).
pub fn total(model: &TableModel, key: &str) -> u64 {
    model.column(key).map(|j| model.totals[j]).unwrap_or(0)
}

/// `part / whole`, `None` for a zero whole: a rate of nothing is not 0 %.
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Containment: `botOnly / (botOnly + botToAgent)` (api-contract).
pub fn containment(bot_only: u64, bot_to_agent: u64) -> Option<f64> {
    ratio(bot_only, bot_only + bot_to_agent)
}

/// Handoff: `botToAgent / (botOnly + botToAgent)`.
pub fn handoff(bot_only: u64, bot_to_agent: u64) -> Option<f64> {
    ratio(bot_to_agent, bot_only + bot_to_agent)
}

/// Per bucket, `part / whole` as a percentage rounded to 0.1 (chart axes show %).
pub fn percent_series(part: &[Option<u64>], whole: &[Option<u64>]) -> Vec<Option<f64>> {
    part.iter()
        .zip(whole)
        .map(|(p, w)| match (p, w) {
            (Some(p), Some(w)) => ratio(*p, *w).map(|r| (r * 1000.0).round() / 10.0),
            _ => None,
        })
        .collect()
}

/// Element-wise sum of columns (`None` if any part is not loaded).
pub fn sum_series(parts: &[Vec<Option<u64>>], len: usize) -> Vec<Option<u64>> {
    (0..len).map(|i| parts.iter().map(|p| p[i]).sum()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::panels::test_util::model;
    use crate::domain::panels::PanelKind;

    #[test]
    fn top_n_plus_other_sums_to_the_total_of_every_bucket() {
        let names: Vec<String> = (0..12).map(|i| format!("intent {i:02}")).collect();
        let b1: Vec<(&str, u64)> = names.iter().enumerate().map(|(i, n)| (n.as_str(), (i as u64 + 1) * 3)).collect();
        let b2: Vec<(&str, u64)> = names.iter().enumerate().map(|(i, n)| (n.as_str(), 40 - i as u64)).collect();
        let m = model(PanelKind::Intents, &[&b1, &b2, &[]]);
        let top = top_n(&m, TOP_INTENTS);
        assert_eq!(top.keys.len(), 8);
        assert_eq!(top.rest.len(), 4);
        let other = top.other.clone().unwrap();
        for (i, row) in m.rows.iter().enumerate() {
            let all: u64 = row.cells.iter().map(|c| c.unwrap()).sum();
            let shown: u64 = top.keys.iter().map(|k| column(&m, k)[i].unwrap()).sum::<u64>() + other[i].unwrap();
            assert_eq!(shown, all, "bucket {i}");
        }
        // Largest totals lead.
        assert_eq!(top.keys[0], "intent 11");
    }

    #[test]
    fn a_single_leftover_is_shown_as_itself_and_few_intents_need_no_other() {
        let nine: Vec<String> = (0..9).map(|i| format!("i{i}")).collect();
        let b: Vec<(&str, u64)> = nine.iter().map(|n| (n.as_str(), 1)).collect();
        let top = top_n(&model(PanelKind::Intents, &[&b]), 8);
        assert_eq!((top.keys.len(), top.other), (9, None));
        let top = top_n(&model(PanelKind::Intents, &[&[("a", 1)]]), 8);
        assert_eq!(top.keys, vec!["a"]);
    }

    #[test]
    fn rates_with_a_zero_denominator_are_none() {
        assert_eq!(containment(0, 0), None);
        assert_eq!(handoff(0, 0), None);
        assert_eq!(containment(3, 1), Some(0.75));
        assert_eq!(handoff(3, 1), Some(0.25));
        assert_eq!(
            percent_series(&[Some(1), Some(0), None], &[Some(3), Some(0), Some(1)]),
            vec![Some(33.3), None, None]
        );
    }

    #[test]
    fn missing_buckets_stay_missing_in_sums() {
        assert_eq!(sum_series(&[vec![Some(1), None], vec![Some(2), Some(3)]], 2), vec![Some(3), None]);
    }
}
