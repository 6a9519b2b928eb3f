//! Panels as data: which endpoint each panel reads, which columns its table has,
//! what its charts show. Pure, so every number a panel shows is tested natively.

pub mod chart;
pub mod kind;
pub mod labels;
pub mod table_model;

pub use kind::{PanelKind, PanelName};
pub use table_model::{Column, TableModel, TableRow};
