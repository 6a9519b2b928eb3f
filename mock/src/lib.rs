//! `mock-de`: a deterministic Digital Engagement Dashboard API per
//! `api-contract.md`. Module map:
//!
//! - [`rng`]: seeded hashing/PRNG, so any hour can be regenerated alone;
//! - [`vocab`]: intents, channels, people and texts;
//! - [`data`]: the interaction events (a pure function of seed and hour);
//! - [`messages`]: each interaction's redacted conversation;
//! - [`buckets`]: the contract's bucket maths (jiff, IANA zones);
//! - [`request`]: body validation; [`counts`]: count responses;
//! - [`faults`]: injected latency, 5xx, 429;
//! - [`server`]: routes, limits, truth/stats paths, CORS;
//! - [`cli`]: the `mock-de` flags.

pub mod api;
pub mod buckets;
pub mod cli;
pub mod counts;
pub mod data;
pub mod faults;
pub mod insight_data;
pub mod messages;
pub mod request;
pub mod rng;
pub mod server;
pub mod vocab;

pub use server::{router, serve, MockConfig};

/// Bind `addr` and return the listener with the address it really got (port 0 →
/// a free port), so callers can print/parse it.
pub async fn bind(addr: &str) -> std::io::Result<(tokio::net::TcpListener, std::net::SocketAddr)> {
    let l = tokio::net::TcpListener::bind(addr).await?;
    let a = l.local_addr()?;
    Ok((l, a))
}
