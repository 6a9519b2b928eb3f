//! The relay, as a library so that the binaries stay thin and tests can start it
//! in-process on port 0. The mock vendor API it is tested against is the separate
//! `mock-de` crate.
//!
//! - [`relay`]: the CORS relay that sits between the browser and the vendor and
//!   adds the API key, which the browser must never hold.
//! - [`api`]: wire facts (endpoint names, the JSON error body).
//! - [`principal`]: the verified caller (tenant, user, teams, scopes) handlers get.

pub mod api;
pub mod principal;
pub mod relay;

/// Bind `addr` and return the listener with the address it really got (port 0 →
/// a free port), so callers can print/parse it.
pub async fn bind(addr: &str) -> std::io::Result<(tokio::net::TcpListener, std::net::SocketAddr)> {
    let l = tokio::net::TcpListener::bind(addr).await?;
    let a = l.local_addr()?;
    Ok((l, a))
}
