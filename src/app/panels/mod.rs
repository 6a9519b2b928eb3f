//! Chart panels: a generic counts panel (state, progress, chart, table view).

mod counts_panel;
mod load;
mod table_view;

pub use counts_panel::CountsPanel;
#[allow(unused_imports)]
pub use load::{use_counts, CountsHandle, CountsView, PanelStatus};

