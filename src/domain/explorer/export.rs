//! Exports of the filtered set: CSV (UTF-8 with a BOM for spreadsheets, every cell
//! safe against formula injection) and JSON (the messages as received).

use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::index::MessageIndex;
use crate::domain::csv_cell::neutralise;

pub const CSV_HEADER: [&str; 14] = [
    "ts",
    "time",
    "timestamp",
    "sessionid",
    "sendertype",
    "sendername",
    "senderemail",
    "text",
    "topic",
    "score",
    "sentiment",
    "workflow",
    "workflownodeid",
    "topmatches",
];

/// The CSV bytes of `matches` (positions in the index, in the order given).
pub fn to_csv(index: &MessageIndex, matches: &[u32], tz: &TimeZone) -> Vec<u8> {
    let mut out = Vec::with_capacity(3 + matches.len() * 160);
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    let _ = w.write_record(CSV_HEADER);
    for &i in matches {
        let m = index.message(i);
        let time = Timestamp::from_millisecond(m.ts)
            .map(|t| t.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
            .unwrap_or_default();
        let topmatches = serde_json::to_string(&m.topmatches).unwrap_or_default();
        let cells: [String; 14] = [
            m.ts.to_string(),
            time,
            m.timestamp.clone().unwrap_or_default(),
            m.sessionid.clone(),
            m.sendertype.clone().unwrap_or_default(),
            m.sendername.clone().unwrap_or_default(),
            m.senderemail.clone().unwrap_or_default(),
            m.text.clone(),
            m.topic.clone(),
            m.score.to_string(),
            m.sentiment.to_string(),
            m.workflow.clone().unwrap_or_default(),
            m.workflownodeid.clone().unwrap_or_default(),
            topmatches,
        ];
        let _ = w.write_record(cells.iter().map(|c| neutralise(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

/// The JSON array of `matches`, fields as received (sessionid kept as text).
pub fn to_json(index: &MessageIndex, matches: &[u32]) -> String {
    let list: Vec<&crate::domain::wire::Message> = matches.iter().map(|&i| index.message(i)).collect();
    serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into())
}
