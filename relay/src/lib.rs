//! The project's two native servers, as a library so that the binaries stay thin
//! and tests can start both in-process on port 0.
//!
//! - [`mock`]: `mock-de`, a deterministic stand-in for the Digital Engagement
//!   Dashboard API that implements `api-contract.md` (buckets, limits, errors,
//!   faults) over synthetic events, plus a truth path for tests.
//! - [`relay`]: the CORS relay that sits between the browser and the vendor and
//!   adds the API key, which the browser must never hold.
//! - [`api`]: the bits both share (endpoint names, the JSON error body).

pub mod api;
pub mod mock;
pub mod relay;

/// Bind `addr` and return the listener with the address it really got (port 0 →
/// a free port), so callers can print/parse it.
pub async fn bind(addr: &str) -> std::io::Result<(tokio::net::TcpListener, std::net::SocketAddr)> {
    let l = tokio::net::TcpListener::bind(addr).await?;
    let a = l.local_addr()?;
    Ok((l, a))
}
