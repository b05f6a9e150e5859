-- Annual data collection: participant tokens, campaigns, submissions,
-- one-time invitation links, and the accepted figures that are not graph
-- records (statutory indicators, problems, purchases from outside the
-- cluster) with the provenance of every accepted figure.
ALTER TABLE tokens ADD COLUMN participant_id TEXT NOT NULL DEFAULT '';

CREATE TABLE campaigns (
    id         TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    year       INTEGER NOT NULL,
    deadline   TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX campaigns_cluster ON campaigns (cluster_id, year);
CREATE UNIQUE INDEX campaigns_open ON campaigns (cluster_id, year) WHERE status = 'open';

CREATE TABLE submissions (
    campaign_id    TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    cluster_id     TEXT NOT NULL,
    status         TEXT NOT NULL,
    body           TEXT NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL DEFAULT '',
    submitted_at   TEXT NOT NULL DEFAULT '',
    submitted_by   TEXT NOT NULL DEFAULT '',
    returned_at    TEXT NOT NULL DEFAULT '',
    returned_by    TEXT NOT NULL DEFAULT '',
    accepted_at    TEXT NOT NULL DEFAULT '',
    accepted_by    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, participant_id)
);

CREATE TABLE invitations (
    code_hash      TEXT PRIMARY KEY,
    token_id       TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    cluster_id     TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    campaign_id    TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL,
    used_at        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX invitations_campaign ON invitations (campaign_id);

CREATE TABLE reported_indicators (
    cluster_id                  TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    participant_id              TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    year                        INTEGER NOT NULL,
    shipped_rub                 DOUBLE PRECISION,
    shipped_to_participants_rub DOUBLE PRECISION,
    sme_shipped_rub             DOUBLE PRECISION,
    value_added_rub             DOUBLE PRECISION,
    materials_rub               DOUBLE PRECISION,
    investment_rub              DOUBLE PRECISION,
    taxes_rub                   DOUBLE PRECISION,
    export_rub                  DOUBLE PRECISION,
    employees                   DOUBLE PRECISION,
    PRIMARY KEY (cluster_id, participant_id, year)
);

CREATE TABLE reported_problems (
    cluster_id     TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    year           INTEGER NOT NULL,
    pos            INTEGER NOT NULL,
    category       TEXT NOT NULL,
    text           TEXT NOT NULL,
    support_needed TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (cluster_id, participant_id, year, pos)
);

CREATE TABLE outside_purchases (
    cluster_id     TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    year           INTEGER NOT NULL,
    pos            INTEGER NOT NULL,
    supplier_name  TEXT NOT NULL,
    product_code   TEXT NOT NULL DEFAULT '',
    value_rub      DOUBLE PRECISION,
    quantity       DOUBLE PRECISION,
    unit           TEXT NOT NULL DEFAULT '',
    documented     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cluster_id, participant_id, year, pos)
);

-- Who submitted and who accepted every accepted figure, keyed by its record
-- (kind: link, import, capacity, indicators, problem, outside_purchase).
CREATE TABLE provenance (
    kind           TEXT NOT NULL,
    record_key     TEXT NOT NULL,
    cluster_id     TEXT NOT NULL,
    year           INTEGER NOT NULL,
    participant_id TEXT NOT NULL,
    campaign_id    TEXT NOT NULL,
    figure         TEXT NOT NULL DEFAULT '',
    value_rub      DOUBLE PRECISION,
    submitted_by   TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    accepted_by    TEXT NOT NULL,
    accepted_at    TEXT NOT NULL,
    PRIMARY KEY (kind, record_key)
);
CREATE INDEX provenance_cluster ON provenance (cluster_id, year);
