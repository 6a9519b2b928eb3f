//! Shared by the views test files: the backends every store test runs against
//! and callers (principals) to act as.
//!
//! SQLite always runs (a fresh file per test). PostgreSQL runs when
//! `VIEWS_TEST_POSTGRES_URL` names a database (`cargo xtask test` starts a
//! throwaway cluster and sets it); each test then works in its own tenant names,
//! so tests sharing that database never see each other's rows.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use relay::principal::{Principal, Scope};
use relay::views::{self, ViewStore};

pub const PG_ENV: &str = "VIEWS_TEST_POSTGRES_URL";

/// One database to test on.
pub struct Backend {
    pub name: &'static str,
    pub url: String,
    /// Prefix for tenant ids: unique per test run, so a shared PostgreSQL is clean.
    pub ns: String,
    _dir: Option<TempDir>,
}

impl Backend {
    pub async fn open(&self) -> Arc<dyn ViewStore> {
        views::open(&self.url).await.unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }
    /// A tenant id of this test.
    pub fn tenant(&self, t: &str) -> String {
        format!("{}-{t}", self.ns)
    }
    pub fn user(&self, tenant: &str, sub: &str, teams: &[&str]) -> Principal {
        Principal {
            tenant: self.tenant(tenant),
            sub: sub.into(),
            name: Some(format!("User {sub}")),
            teams: teams.iter().map(|t| t.to_string()).collect(),
            scopes: vec![Scope::Counts, Scope::Views],
        }
    }
}

/// A directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("relay-{label}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// SQLite in a fresh file, plus PostgreSQL when configured.
pub fn backends(label: &str) -> Vec<Backend> {
    let ns = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
    let dir = TempDir::new(label);
    let url = format!("sqlite://{}", dir.0.join("views.db").display());
    let mut v = vec![Backend { name: "sqlite", url, ns: ns.clone(), _dir: Some(dir) }];
    match std::env::var(PG_ENV) {
        Ok(url) if !url.is_empty() => v.push(Backend { name: "postgres", url, ns, _dir: None }),
        _ => eprintln!("{label}: PostgreSQL half skipped ({PG_ENV} not set; `cargo xtask test` sets it)"),
    }
    v
}
