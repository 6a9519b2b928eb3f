//! The domain: pure logic with no browser types. Everything here compiles natively
//! and is tested with `cargo test`.

pub mod advice;
pub mod config;
pub mod count_table;
pub mod csv_cell;
pub mod embed;
pub mod explorer;
pub mod insights;
pub mod panels;
pub mod time;
pub mod token;
pub mod url_encoding;
pub mod wire;
