//! State: what the page shows, independent of how it is drawn. Pure; views read
//! and write it, it uses the domain, never the other way round.

pub mod access;
pub mod drill;
pub mod load_state;
pub mod resolve;
pub mod saved_views;
pub mod shared_views;
pub mod view;
