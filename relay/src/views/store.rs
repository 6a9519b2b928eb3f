//! Where views live: the [`ViewStore`] interface and its one SQL implementation,
//! [`SqlViewStore`], on SQLite (`sqlite://PATH`, the default) or PostgreSQL
//! (`postgres://…`, for several relays sharing one database).
//!
//! Both backends run the same SQL text (`$N` placeholders work in both) through
//! [`on_pool!`], which writes each body once and type-checks it per backend.
//! What must hold under concurrency is done by the database, not by this process
//! (several relays may share it):
//! - an update is one `UPDATE … WHERE version = $expected`: of twelve writers of
//!   one version exactly one wins, the others get `VersionMismatch`;
//! - a create first upserts the user's `view_users` row, which locks it (a row
//!   lock in PostgreSQL, the write lock in SQLite), so the 500-view count and the
//!   insert are one step per user;
//! - one name per user, scope and team is a unique index (`Conflict`).
//!
//! Durability: SQLite runs in WAL mode with `synchronous = FULL` (each commit is
//! fsynced before the 2xx); PostgreSQL commits are durable by default.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Map, Value};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use super::model::{View, ViewInput, ViewScope, MAX_VIEWS_PER_USER};
use crate::principal::Principal;

/// Why a store call did not do what was asked.
#[derive(Debug)]
pub enum StoreError {
    /// No such view visible to the caller (another tenant's, another user's private
    /// one, or none at all): the same answer for all, so ids reveal nothing.
    NotFound,
    /// Visible (a team member's view) but not the caller's to change.
    Forbidden,
    /// The caller already has a view of that name in that scope/team.
    Conflict,
    /// The stored version is not the one the caller read.
    VersionMismatch { current: i64 },
    /// The caller owns [`MAX_VIEWS_PER_USER`] views already.
    TooMany,
    /// The database failed.
    Db(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if e.as_database_error().is_some_and(|d| d.is_unique_violation()) {
            StoreError::Conflict
        } else {
            StoreError::Db(e)
        }
    }
}

/// The saved-views storage interface. Every call is scoped to the caller's tenant
/// and user; the tenant comes from the verified token alone.
#[async_trait]
pub trait ViewStore: Send + Sync {
    /// `"sqlite"` or `"postgres"` (logs, benchmarks).
    fn backend(&self) -> &'static str;
    /// The caller's views and the team views of the caller's teams.
    async fn list(&self, who: &Principal) -> Result<Vec<View>, StoreError>;
    /// A new view, version 1, owned by the caller.
    async fn create(&self, who: &Principal, input: &ViewInput) -> Result<View, StoreError>;
    /// Replace the caller's view `id` if it is still at version `expected`.
    async fn update(&self, who: &Principal, id: &str, expected: i64, input: &ViewInput) -> Result<View, StoreError>;
    /// Delete the caller's view `id` (at version `expected`, when given).
    async fn delete(&self, who: &Principal, id: &str, expected: Option<i64>) -> Result<(), StoreError>;
    /// The caller's default view, if set and still visible to the caller.
    async fn default_view(&self, who: &Principal) -> Result<Option<String>, StoreError>;
    /// Set (or clear) the caller's default view; it must be visible to the caller.
    async fn set_default_view(&self, who: &Principal, id: Option<&str>) -> Result<(), StoreError>;
}

enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// [`ViewStore`] on SQLite or PostgreSQL, migrated at [`SqlViewStore::open`].
pub struct SqlViewStore {
    pool: Pool,
}

/// Run `$body` with `$p` bound to whichever pool this store has: one text, checked
/// by the compiler once per backend.
macro_rules! on_pool {
    ($store:expr, $p:ident => $body:expr) => {
        match &$store.pool {
            Pool::Sqlite($p) => $body,
            Pool::Postgres($p) => $body,
        }
    };
}

impl SqlViewStore {
    /// Connect (creating a SQLite file on first start) and run the migrations.
    /// Errors name the backend, never the URL (it may hold a password).
    pub async fn open(database_url: &str) -> Result<Self, String> {
        let pool = if database_url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(database_url)
                .map_err(|e| format!("database: not a SQLite URL like sqlite://relay-views.db: {e}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await
                .map_err(|e| format!("database: cannot open the SQLite file: {e}"))?;
            sqlx::migrate!("migrations/sqlite")
                .run(&pool)
                .await
                .map_err(|e| format!("database: SQLite migration failed: {e}"))?;
            Pool::Sqlite(pool)
        } else if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(database_url)
                .map_err(|e| format!("database: not a PostgreSQL URL like postgres://user@host/db: {e}"))?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await
                .map_err(|e| format!("database: cannot connect to PostgreSQL: {e}"))?;
            // Migrations hold an advisory lock: relays starting together take turns.
            sqlx::migrate!("migrations/postgres")
                .run(&pool)
                .await
                .map_err(|e| format!("database: PostgreSQL migration failed: {e}"))?;
            Pool::Postgres(pool)
        } else {
            return Err("database: use sqlite://PATH or postgres://USER@HOST/DB".into());
        };
        Ok(SqlViewStore { pool })
    }

    /// Close the pool (tests that restart a store on the same file).
    pub async fn close(&self) {
        on_pool!(self, p => p.close().await)
    }
}

/// A row of `views`, as both backends return it.
#[derive(sqlx::FromRow)]
struct ViewRow {
    id: String,
    name: String,
    scope: String,
    team: String,
    owner: String,
    owner_name: Option<String>,
    view: String,
    version: i64,
    updated_at: i64,
}

impl ViewRow {
    fn into_view(self) -> View {
        let scope = ViewScope::parse(&self.scope).unwrap_or(ViewScope::Private);
        let view: Map<String, Value> = serde_json::from_str(&self.view).unwrap_or_default();
        View {
            id: self.id,
            name: self.name,
            scope: scope.as_str(),
            team: (scope == ViewScope::Team).then_some(self.team),
            owner: self.owner,
            owner_name: self.owner_name,
            view,
            version: self.version,
            updated_at: self.updated_at,
        }
    }
}

const COLUMNS: &str = "id, name, scope, team, owner, owner_name, view, version, updated_at";

/// `WHERE` text for "visible to the caller": tenant `$1`, user `$2`, the caller's
/// teams from `$first` on. Own views always; team views of the caller's teams.
fn visible(first: usize, teams: usize) -> String {
    if teams == 0 {
        return "tenant = $1 AND owner = $2".into();
    }
    let list: Vec<String> = (first..first + teams).map(|i| format!("${i}")).collect();
    format!("tenant = $1 AND (owner = $2 OR (scope = 'team' AND team IN ({})))", list.join(", "))
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Binds `$1` tenant, `$2` user, then whatever `$extra` adds, then the teams.
macro_rules! bind_caller {
    ($q:expr, $who:expr $(, $extra:expr)*) => {{
        let mut q = $q.bind(&$who.tenant).bind(&$who.sub)$(.bind($extra))*;
        for t in &$who.teams {
            q = q.bind(t);
        }
        q
    }};
}

#[async_trait]
impl ViewStore for SqlViewStore {
    fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    async fn list(&self, who: &Principal) -> Result<Vec<View>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM views WHERE {}", visible(3, who.teams.len()));
        let rows: Vec<ViewRow> = on_pool!(self, p => bind_caller!(sqlx::query_as(&sql), who).fetch_all(p).await?);
        let mut views: Vec<View> = rows.into_iter().map(ViewRow::into_view).collect();
        // By name, the same on both backends whatever the database's collation.
        views.sort_by(|a, b| (a.name.to_lowercase(), &a.name, &a.id).cmp(&(b.name.to_lowercase(), &b.name, &b.id)));
        Ok(views)
    }

    async fn create(&self, who: &Principal, input: &ViewInput) -> Result<View, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let insert = format!(
            "INSERT INTO views ({COLUMNS}, tenant) VALUES ($3, $4, $5, $6, $2, $7, $8, 1, $9, $1) RETURNING {COLUMNS}"
        );
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO view_users (tenant, sub) VALUES ($1, $2) \
                 ON CONFLICT (tenant, sub) DO UPDATE SET sub = excluded.sub",
            )
            .bind(&who.tenant)
            .bind(&who.sub)
            .execute(&mut *tx)
            .await?;
            let (owned,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM views WHERE tenant = $1 AND owner = $2")
                .bind(&who.tenant)
                .bind(&who.sub)
                .fetch_one(&mut *tx)
                .await?;
            if owned >= MAX_VIEWS_PER_USER {
                return Err(StoreError::TooMany);
            }
            let row: ViewRow = sqlx::query_as(&insert)
                .bind(&who.tenant)
                .bind(&who.sub)
                .bind(&id)
                .bind(&input.name)
                .bind(input.scope.as_str())
                .bind(input.team.as_deref().unwrap_or(""))
                .bind(&who.name)
                .bind(&input.view_json)
                .bind(now_ms())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(row.into_view())
        })
    }

    async fn update(&self, who: &Principal, id: &str, expected: i64, input: &ViewInput) -> Result<View, StoreError> {
        // The compare-and-set: the version check and the write are one statement.
        let sql = format!(
            "UPDATE views SET name = $5, scope = $6, team = $7, owner_name = $8, view = $9, \
             version = version + 1, updated_at = $10 \
             WHERE id = $3 AND tenant = $1 AND owner = $2 AND version = $4 RETURNING {COLUMNS}"
        );
        let row: Option<ViewRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(&who.tenant)
            .bind(&who.sub)
            .bind(id)
            .bind(expected)
            .bind(&input.name)
            .bind(input.scope.as_str())
            .bind(input.team.as_deref().unwrap_or(""))
            .bind(&who.name)
            .bind(&input.view_json)
            .bind(now_ms())
            .fetch_optional(p)
            .await?);
        match row {
            Some(r) => Ok(r.into_view()),
            None => Err(self.why_not(who, id, Some(expected)).await),
        }
    }

    async fn delete(&self, who: &Principal, id: &str, expected: Option<i64>) -> Result<(), StoreError> {
        let sql = "DELETE FROM views WHERE id = $3 AND tenant = $1 AND owner = $2 AND ($4 < 0 OR version = $4)";
        let done = on_pool!(self, p => sqlx::query(sql)
            .bind(&who.tenant)
            .bind(&who.sub)
            .bind(id)
            .bind(expected.unwrap_or(-1))
            .execute(p)
            .await?
            .rows_affected());
        if done == 1 {
            Ok(())
        } else {
            Err(self.why_not(who, id, expected).await)
        }
    }

    async fn default_view(&self, who: &Principal) -> Result<Option<String>, StoreError> {
        let sql = format!(
            "SELECT id FROM views WHERE {} AND id = \
             (SELECT default_view FROM view_users WHERE tenant = $1 AND sub = $2)",
            visible(3, who.teams.len())
        );
        let row: Option<(String,)> =
            on_pool!(self, p => bind_caller!(sqlx::query_as(&sql), who).fetch_optional(p).await?);
        Ok(row.map(|r| r.0))
    }

    async fn set_default_view(&self, who: &Principal, id: Option<&str>) -> Result<(), StoreError> {
        if let Some(id) = id {
            if self.peek(who, id).await?.is_none() {
                return Err(StoreError::NotFound);
            }
        }
        let sql = "INSERT INTO view_users (tenant, sub, default_view) VALUES ($1, $2, $3) \
                   ON CONFLICT (tenant, sub) DO UPDATE SET default_view = excluded.default_view";
        let r = on_pool!(self, p => sqlx::query(sql).bind(&who.tenant).bind(&who.sub).bind(id).execute(p).await.map(|_| ()));
        match r {
            Ok(_) => Ok(()),
            // Deleted between the check and the write.
            Err(e) if e.as_database_error().is_some_and(|d| d.is_foreign_key_violation()) => Err(StoreError::NotFound),
            Err(e) => Err(e.into()),
        }
    }
}

impl SqlViewStore {
    /// Owner and version of view `id`, if the caller may see it.
    async fn peek(&self, who: &Principal, id: &str) -> Result<Option<(String, i64)>, StoreError> {
        let sql = format!("SELECT owner, version FROM views WHERE id = $3 AND {}", visible(4, who.teams.len()));
        let row: Option<(String, i64)> =
            on_pool!(self, p => bind_caller!(sqlx::query_as(&sql), who, id).fetch_optional(p).await?);
        Ok(row)
    }

    /// Why an update or delete touched no row.
    async fn why_not(&self, who: &Principal, id: &str, expected: Option<i64>) -> StoreError {
        match self.peek(who, id).await {
            Err(e) => e,
            Ok(None) => StoreError::NotFound,
            Ok(Some((owner, _))) if owner != who.sub => StoreError::Forbidden,
            Ok(Some((_, current))) if expected.is_some() => StoreError::VersionMismatch { current },
            // Our own view at any version, yet nothing deleted: it went meanwhile.
            Ok(Some(_)) => StoreError::NotFound,
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let Some((userinfo, host)) = rest.split_once('@') else { return url.to_string() };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}
