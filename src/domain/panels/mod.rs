//! Panels as data: which endpoint each panel reads, which columns its table has,
//! what its charts show, its key figures and exports. Pure, so every number a
//! panel shows is tested natively.

pub mod chart;
pub mod csv_export;
pub mod derive;
pub mod kind;
pub mod kpi;
pub mod labels;
pub mod table_model;
#[cfg(test)]
pub(crate) mod test_util;

pub use kind::{PanelKind, PanelName};
pub use table_model::{Column, TableModel, TableRow};
