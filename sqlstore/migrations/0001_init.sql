-- coopchain schema, version 1. Written in the SQL that SQLite and PostgreSQL share.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE clusters (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    registry_no           INTEGER NOT NULL DEFAULT 0,
    specialization        TEXT NOT NULL DEFAULT '',
    kind                  TEXT NOT NULL,
    country               TEXT NOT NULL DEFAULT '',
    participants_count    INTEGER NOT NULL DEFAULT 0,
    development_programme INTEGER,
    source                TEXT NOT NULL DEFAULT '',
    version               BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX clusters_registry_no ON clusters (registry_no);

CREATE TABLE cluster_regions (
    cluster_id TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    region     TEXT NOT NULL,
    PRIMARY KEY (cluster_id, pos)
);
CREATE INDEX cluster_regions_region ON cluster_regions (region);

CREATE TABLE region_rating (
    rank   INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    s1     DOUBLE PRECISION NOT NULL,
    s2     DOUBLE PRECISION NOT NULL,
    s3     DOUBLE PRECISION NOT NULL,
    s4     DOUBLE PRECISION NOT NULL,
    s5     DOUBLE PRECISION NOT NULL,
    total  DOUBLE PRECISION NOT NULL,
    source TEXT NOT NULL DEFAULT ''
);

CREATE TABLE participants (
    id              TEXT PRIMARY KEY,
    inn             TEXT UNIQUE,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    final_producer  INTEGER NOT NULL DEFAULT 0,
    region          TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT '',
    okved           TEXT NOT NULL DEFAULT '',
    sme             INTEGER,
    employees       BIGINT,
    revenue_rub     DOUBLE PRECISION,
    final_sales_rub DOUBLE PRECISION,
    year            INTEGER NOT NULL DEFAULT 0,
    illustrative    INTEGER NOT NULL DEFAULT 0,
    source          TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE memberships (
    cluster_id     TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    PRIMARY KEY (cluster_id, participant_id)
);
CREATE INDEX memberships_participant ON memberships (participant_id);

CREATE TABLE products (
    code                TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    unit                TEXT NOT NULL DEFAULT '',
    import_substitution INTEGER NOT NULL DEFAULT 0,
    inputs              TEXT NOT NULL DEFAULT '',
    source              TEXT NOT NULL DEFAULT ''
);

CREATE TABLE links (
    supplier_id  TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    buyer_id     TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    product_code TEXT NOT NULL DEFAULT '',
    year         INTEGER NOT NULL DEFAULT 0,
    value_rub    DOUBLE PRECISION,
    quantity     DOUBLE PRECISION,
    unit         TEXT NOT NULL DEFAULT '',
    documented   INTEGER NOT NULL DEFAULT 0,
    illustrative INTEGER NOT NULL DEFAULT 0,
    source       TEXT NOT NULL DEFAULT '',
    version      BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (supplier_id, buyer_id, product_code, year),
    CHECK (supplier_id <> buyer_id),
    CHECK (value_rub IS NULL OR value_rub >= 0)
);
CREATE INDEX links_buyer ON links (buyer_id);

CREATE TABLE imports (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    product_code   TEXT NOT NULL,
    year           INTEGER NOT NULL DEFAULT 0,
    country        TEXT NOT NULL DEFAULT '',
    value_rub      DOUBLE PRECISION NOT NULL CHECK (value_rub >= 0),
    quantity       DOUBLE PRECISION,
    unit           TEXT NOT NULL DEFAULT '',
    illustrative   INTEGER NOT NULL DEFAULT 0,
    source         TEXT NOT NULL DEFAULT '',
    version        BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (participant_id, product_code, year, country)
);

CREATE TABLE capacities (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    product_code   TEXT NOT NULL,
    year           INTEGER NOT NULL DEFAULT 0,
    value_rub      DOUBLE PRECISION NOT NULL CHECK (value_rub >= 0),
    quantity       DOUBLE PRECISION,
    unit           TEXT NOT NULL DEFAULT '',
    illustrative   INTEGER NOT NULL DEFAULT 0,
    source         TEXT NOT NULL DEFAULT '',
    version        BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (participant_id, product_code, year)
);

CREATE TABLE projects (
    id                  TEXT PRIMARY KEY,
    participant_id      TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    product_code        TEXT NOT NULL DEFAULT '',
    name                TEXT NOT NULL,
    import_substitution INTEGER NOT NULL DEFAULT 0,
    year                INTEGER NOT NULL DEFAULT 0,
    investment_rub      DOUBLE PRECISION,
    status              TEXT NOT NULL DEFAULT '',
    illustrative        INTEGER NOT NULL DEFAULT 0,
    source              TEXT NOT NULL DEFAULT ''
);

CREATE TABLE employment (
    region    TEXT NOT NULL,
    industry  TEXT NOT NULL,
    grp       TEXT NOT NULL DEFAULT '',
    year      INTEGER NOT NULL DEFAULT 0,
    employees DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (region, industry, grp, year)
);

CREATE TABLE data_version (
    id INTEGER PRIMARY KEY,
    v  BIGINT NOT NULL
);
INSERT INTO data_version (id, v) VALUES (1, 0);
