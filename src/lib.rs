//! Engagement Dashboard: a Rust/WebAssembly analytics dashboard for Dialpad's
//! Digital Engagement APIs.
//!
//! Layers, imports in one direction only: `app` (views, browser) → `engine`
//! (fetching, caching) → `domain` (pure logic).

pub mod domain;
pub mod engine;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod app;
