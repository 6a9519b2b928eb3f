//! Chart panels: a generic counts panel (state, progress, charts, table view,
//! exports, drill-down) and the key figures strip.

mod actions;
mod counts_panel;
mod kpis;
mod load;
mod table_view;
#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
mod theme;

pub use counts_panel::CountsPanel;
pub use kpis::KeyFigures;
#[allow(unused_imports)]
pub use load::{use_counts, CountsHandle, CountsView, Period};
