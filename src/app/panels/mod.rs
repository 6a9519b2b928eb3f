//! Chart panels: a generic counts panel (state, progress, charts, table view,
//! exports, drill-down) and the key figures strip.

pub(crate) mod actions;
mod counts_panel;
mod kpis;
mod load;
pub(crate) mod panel_actions;
pub(crate) mod table_view;
#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
pub(crate) mod theme;

pub use counts_panel::CountsPanel;
pub use kpis::KeyFigures;
#[allow(unused_imports)]
pub use load::{use_counts, CountsHandle, CountsView, Period};
