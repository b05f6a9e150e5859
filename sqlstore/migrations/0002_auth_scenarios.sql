-- API tokens (stored hashed), web sessions and saved scenarios.
CREATE TABLE tokens (
    id          TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    role        TEXT NOT NULL,
    cluster_id  TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    revoked_at  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    token_id   TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE scenarios (
    id         TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    changes    TEXT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX scenarios_cluster ON scenarios (cluster_id);
