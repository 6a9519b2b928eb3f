//! The fetch engine: plans the fewest exact calls for a range, runs them with
//! bounded concurrency, retries and adaptive splitting, caches what is settled, and
//! merges answers into bucket tables. The core has no browser types: the transport
//! and the clock are traits, so it is tested natively with fakes.

pub mod auth;
pub mod call;
pub mod counts;
pub mod facts;
pub mod fetch;
pub mod http;
pub mod limits;
pub mod messages;
pub mod persist;
pub mod plan;
pub mod transport;
pub mod views_api;
