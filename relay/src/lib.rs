//! The relay, as a library so that the binary stays thin and tests can start it
//! in-process on port 0. The mock vendor API it is tested against is the separate
//! `mock-de` crate.
//!
//! - [`relay`]: the server: routes, layers, config, the proxy to the vendor.
//! - [`auth`]: embed-token verification (and minting, for tests and the dev portal).
//! - [`api`]: wire facts (endpoint names, the JSON error body).
//! - [`principal`]: the verified caller (tenant, user, teams, scopes) handlers get.
//! - [`views`]: the saved-views API and its SQLite/PostgreSQL store.

pub mod api;
pub mod auth;
pub mod principal;
pub mod relay;
pub mod views;

/// Bind `addr` and return the listener with the address it really got (port 0 →
/// a free port), so callers can print/parse it.
pub async fn bind(addr: &str) -> std::io::Result<(tokio::net::TcpListener, std::net::SocketAddr)> {
    let l = tokio::net::TcpListener::bind(addr).await?;
    let a = l.local_addr()?;
    Ok((l, a))
}
