//! CSV export of a panel's table view: exactly the table's cells (header texts,
//! bucket labels, unformatted counts, the totals row), UTF-8 with a BOM so
//! spreadsheet programs read the encoding. Text that a spreadsheet would run as a
//! formula (an intent named `=HYPERLINK(…)` comes from the API) is neutralised
//! ([`crate::domain::csv_cell`]).

use super::table_model::TableModel;
use crate::domain::csv_cell::neutralise;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The table as CSV; `row_labels[i]` is row i's header text (the bucket start in
/// the zone), as the table shows it. A bucket not loaded is an empty cell.
pub fn table_csv(model: &TableModel, row_labels: &[String]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    let head = std::iter::once("Bucket start".to_string()).chain(model.columns.iter().map(|c| c.label.clone()));
    w.write_record(head.map(|h| neutralise(&h).into_owned()))?;
    for (row, label) in model.rows.iter().zip(row_labels) {
        let cells = row.cells.iter().map(|c| c.map(|v| v.to_string()).unwrap_or_default());
        w.write_record(std::iter::once(neutralise(label).into_owned()).chain(cells))?;
    }
    w.write_record(std::iter::once("Total".to_string()).chain(model.totals.iter().map(|t| t.to_string())))?;
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::panels::test_util::model;
    use crate::domain::panels::PanelKind;

    #[test]
    fn the_csv_is_the_table_with_a_bom_and_no_formulas() {
        let mut m = model(PanelKind::Intents, &[&[("=HYPERLINK(\"x\")", 2), ("billing", 5)], &[("@cmd", 1)]]);
        m.rows[1].cells[0] = None;
        let bytes = table_csv(&m, &["Mon 2026-03-02".into(), "-Tue".into()]).unwrap();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Bucket start,billing,\"'=HYPERLINK(\"\"x\"\")\",'@cmd");
        assert_eq!(lines[1], "Mon 2026-03-02,5,2,0");
        assert_eq!(lines[2], "'-Tue,,0,1");
        assert_eq!(lines[3], "Total,5,2,1");
        assert_eq!(lines.len(), 4);
    }
}
