//! Saved views that follow the user and the team: the relay's own API (scope
//! `views`), stored through sqlx in SQLite (default) or PostgreSQL.
//!
//! | call | answer |
//! |---|---|
//! | `GET /v1/views` | 200 `{"views":[…]}`: own views and the team views of the caller's teams, by name |
//! | `POST /v1/views` `{name, scope, team?, view}` | 201 the view (version 1); 409 `CONFLICT` on a duplicate name in that scope/team |
//! | `PUT /v1/views/{id}` + `If-Match: "<v>"` | 200 the view (version + 1); 412 `VERSION_MISMATCH`; 428 without If-Match |
//! | `DELETE /v1/views/{id}` | 204; only the owner changes or deletes (403), team members read |
//! | `GET /v1/me/default-view` | 200 `{"viewId": id or null}` |
//! | `PUT /v1/me/default-view` `{"viewId": id or null}` | 200; the view must be visible to the caller (404) |
//!
//! What is not the caller's to see is 404 whatever its id. Bad input is 400
//! `INVALID_PARAMETER` naming the field ([`model`]).
//!
//! - [`model`]: the view, the input rules, the allowed URL parameters.
//! - [`store`]: the storage interface and its SQLite/PostgreSQL implementation.
//! - [`http`]: the axum routes.

pub mod http;
pub mod model;
pub mod store;

use std::sync::Arc;

pub use http::routes;
pub use model::{View, ViewInput, ViewScope, VIEW_KEYS};
pub use store::{redact_url, SqlViewStore, StoreError, ViewStore};

/// The default database: a SQLite file beside the relay, created on first start.
pub const DEFAULT_DATABASE: &str = "sqlite://relay-views.db";

/// Open the store named by `database_url` (`sqlite://PATH` or `postgres://…`),
/// creating and migrating it as needed.
pub async fn open(database_url: &str) -> Result<Arc<dyn ViewStore>, String> {
    Ok(Arc::new(SqlViewStore::open(database_url).await?))
}
