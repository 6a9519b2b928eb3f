-- Saved views and each user's default view (SQLite). The PostgreSQL twin in
-- ../postgres must stay equivalent: one test suite runs against both.
CREATE TABLE views (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    owner TEXT NOT NULL,
    owner_name TEXT,
    name TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('private', 'team')),
    -- '' for a private view, so the unique index below treats private names alike
    -- (NULLs would all be distinct).
    team TEXT NOT NULL DEFAULT '',
    view TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- 409 CONFLICT: one name per user, scope and team.
CREATE UNIQUE INDEX views_owner_name ON views (tenant, owner, scope, team, name);
-- The team views a list shows.
CREATE INDEX views_team ON views (tenant, team) WHERE scope = 'team';

-- One row per user who wrote something: the default view, and the row a create
-- locks so that the 500-view cap holds under concurrent creates.
CREATE TABLE view_users (
    tenant TEXT NOT NULL,
    sub TEXT NOT NULL,
    default_view TEXT REFERENCES views (id) ON DELETE SET NULL,
    PRIMARY KEY (tenant, sub)
);
