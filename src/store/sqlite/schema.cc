#include "store/sqlite/schema.h"

namespace medvault::store::sqlite {
namespace {

// Version 1: the foundation. Columns in clear are identifiers, versions, times of
// writes and keyed hashes; every resource body is sealed (see crypto/keyring.h).
// Tables looked up by a text or blob key on every request are WITHOUT ROWID: one b-tree
// descent instead of an index and a table.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE compartments (
  id              TEXT PRIMARY KEY,
  kek_version     INTEGER NOT NULL,
  wrapped_dek     BLOB NOT NULL,
  organization_id TEXT NOT NULL DEFAULT '',
  confidentiality TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX compartments_by_organization ON compartments (organization_id);

CREATE TABLE resource_versions (
  type          TEXT NOT NULL,
  id            TEXT NOT NULL,
  version       INTEGER NOT NULL,
  compartment   TEXT NOT NULL,
  last_updated  INTEGER NOT NULL,
  deleted       INTEGER NOT NULL,
  body          BLOB NOT NULL,
  PRIMARY KEY (type, id, version)
) WITHOUT ROWID;

CREATE TABLE current_resources (
  type          TEXT NOT NULL,
  id            TEXT NOT NULL,
  version       INTEGER NOT NULL,
  compartment   TEXT NOT NULL,
  deleted       INTEGER NOT NULL,
  PRIMARY KEY (type, id)
) WITHOUT ROWID;
CREATE INDEX current_by_compartment ON current_resources (compartment, type);

CREATE TABLE search_index (
  hash  INTEGER NOT NULL,
  type  TEXT NOT NULL,
  id    TEXT NOT NULL,
  PRIMARY KEY (hash, type, id)
) WITHOUT ROWID;
CREATE INDEX search_index_by_resource ON search_index (type, id);

CREATE TABLE accounts (
  id              TEXT PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE,
  role            TEXT NOT NULL,
  organization_id TEXT NOT NULL DEFAULT '',
  practitioner_id TEXT NOT NULL DEFAULT '',
  password_hash   TEXT NOT NULL,
  status          TEXT NOT NULL,
  created_at      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE sessions (
  token_hash     BLOB PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  account_id     TEXT NOT NULL REFERENCES accounts (id),
  created_at     INTEGER NOT NULL,
  last_seen_at   INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  revoked_at     INTEGER NOT NULL DEFAULT 0,
  client_address TEXT NOT NULL,
  user_agent     TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_log (
  seq          INTEGER PRIMARY KEY,
  recorded_at  INTEGER NOT NULL,
  body         BLOB NOT NULL
);
)sql";

// Version 2: identity. TOTP secrets are sealed under a key derived from the master key
// and bound to their account; recovery codes, challenges and session tokens are stored
// only as keyed hashes.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE accounts ADD COLUMN totp_secret BLOB NOT NULL DEFAULT x'';
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN stepped_up_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE recovery_codes (
  account_id  TEXT NOT NULL REFERENCES accounts (id),
  code_hash   BLOB NOT NULL,
  used_at     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, code_hash)
) WITHOUT ROWID;

CREATE TABLE login_challenges (
  challenge_hash  BLOB PRIMARY KEY,
  account_id      TEXT NOT NULL REFERENCES accounts (id),
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  pending_secret  BLOB NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  used_at         INTEGER NOT NULL DEFAULT 0,
  client_address  TEXT NOT NULL,
  user_agent      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_challenges_by_expiry ON login_challenges (expires_at);

CREATE TABLE login_throttle (
  subject          TEXT PRIMARY KEY,
  failures         INTEGER NOT NULL,
  last_failure_at  INTEGER NOT NULL,
  locked_until     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
)sql";

// Version 3: the audit log's Merkle tree. Every complete subtree's hash (leaves at level
// 0) is stored as the entries arrive, so roots and proofs cost O(log n) lookups; signed
// tree heads are kept so that any two can be proven consistent.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE audit_subtrees (
  level  INTEGER NOT NULL,
  idx    INTEGER NOT NULL,
  hash   BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE audit_tree_heads (
  size       INTEGER PRIMARY KEY,
  root       BLOB NOT NULL,
  timestamp  INTEGER NOT NULL,
  signature  BLOB NOT NULL
);
)sql";

// Version 4: finding entries without opening every one. Each entry is filed under keyed
// hashes of the patients it names and of the account that acted (the same blind-index
// key as resource search: the table says neither who nor whom), and by time.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE audit_index (
  term  INTEGER NOT NULL,
  seq   INTEGER NOT NULL,
  PRIMARY KEY (term, seq)
) WITHOUT ROWID;

CREATE INDEX audit_log_recorded_at ON audit_log (recorded_at);
)sql";

// Version 5: resource versions in a rowid table. A WITHOUT ROWID table keeps at most
// about a quarter of a page of each row in the B-tree and spills the rest of a sealed
// body into an overflow page of its own: with bodies of ~1 KB that tripled the database
// (2.8 KB per resource) and cost a second page read per version. A rowid table keeps
// bodies up to nearly a page inline; (type, id, version) stays unique through an index.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE resource_versions_v5 (
  type          TEXT NOT NULL,
  id            TEXT NOT NULL,
  version       INTEGER NOT NULL,
  compartment   TEXT NOT NULL,
  last_updated  INTEGER NOT NULL,
  deleted       INTEGER NOT NULL,
  body          BLOB NOT NULL,
  UNIQUE (type, id, version)
);
INSERT INTO resource_versions_v5 (type, id, version, compartment, last_updated, deleted, body)
  SELECT type, id, version, compartment, last_updated, deleted, body FROM resource_versions;
DROP TABLE resource_versions;
ALTER TABLE resource_versions_v5 RENAME TO resource_versions;
)sql";

// Version 6: authorization. Care relationships derived from CareTeam resources, the
// break-the-glass grants and the security officer's alerts. Identifiers and times are
// in clear (the Policy needs them before any decryption); free text is sealed.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE care_links (
  patient_id       TEXT NOT NULL,
  practitioner_id  TEXT NOT NULL,
  careteam_id      TEXT NOT NULL,
  start_ms         INTEGER NOT NULL,
  end_ms           INTEGER NOT NULL,
  PRIMARY KEY (patient_id, practitioner_id, careteam_id, start_ms)
) WITHOUT ROWID;
CREATE INDEX care_links_by_practitioner ON care_links (practitioner_id, patient_id);
CREATE INDEX care_links_by_careteam ON care_links (careteam_id);

CREATE TABLE access_grants (
  id          TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL,
  patient_id  TEXT NOT NULL,
  purpose     TEXT NOT NULL,
  reason      BLOB NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX access_grants_by_account ON access_grants (account_id, created_at);
CREATE INDEX access_grants_by_patient ON access_grants (patient_id, account_id);

CREATE TABLE alerts (
  id          INTEGER PRIMARY KEY,
  created_at  INTEGER NOT NULL,
  account_id  TEXT NOT NULL,
  severity    TEXT NOT NULL,
  kind        TEXT NOT NULL,
  patient_id  TEXT NOT NULL DEFAULT '',
  state       TEXT NOT NULL DEFAULT 'open',
  detail      BLOB NOT NULL
);
CREATE INDEX alerts_by_account ON alerts (account_id, id);
)sql";

// Version 7: detection and containment. An account's containment rides on its row
// (read with the session on every request, at no extra query): sessions that last
// proved a code before `step_up_after` must step up again; until `throttle_until` the
// account is slowed down. Alerts name the audit entry that raised them and can be
// resolved with a (sealed) note.
constexpr std::string_view kV7 = R"sql(
ALTER TABLE accounts ADD COLUMN step_up_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN throttle_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN audit_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN resolved_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN resolved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN resolution BLOB NOT NULL DEFAULT x'';
)sql";

// Version 8: key rotation and crypto-erasure. Each version of the key-encryption and
// blind-index keys is a row: where its key comes from (derived from the master key, or a
// random key in a key file of its own, recognized by its fingerprint), and whether it is
// still in use; every wrapped data key already names its KEK version. The versions in use
// so far are derived ones: KEK 1 and every version a compartment names, blind-index 1.
// An erased patient leaves its id and the time, so that no import or write reuses it.
// Triggers refuse a data key wrapped under a retired version (a server that had not yet
// seen the rotation fails that one write rather than store a key nobody can unwrap).
constexpr std::string_view kV8 = R"sql(
CREATE TABLE key_versions (
  purpose      TEXT NOT NULL,
  version      INTEGER NOT NULL,
  origin       TEXT NOT NULL,
  fingerprint  BLOB NOT NULL DEFAULT x'',
  created_at   INTEGER NOT NULL,
  state        TEXT NOT NULL DEFAULT 'active',
  retired_at   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (purpose, version)
) WITHOUT ROWID;
INSERT INTO key_versions (purpose, version, origin, created_at)
  SELECT 'kek', 1, 'derived', coalesce(min(applied_at), 0) FROM schema_migrations;
INSERT OR IGNORE INTO key_versions (purpose, version, origin, created_at)
  SELECT 'kek', kek_version, 'derived', min(created_at) FROM compartments GROUP BY kek_version;
INSERT INTO key_versions (purpose, version, origin, created_at)
  SELECT 'blind-index', 1, 'derived', coalesce(min(applied_at), 0) FROM schema_migrations;

CREATE TABLE erased_patients (
  id         TEXT PRIMARY KEY,
  erased_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER compartments_never_reuse_an_erased_id BEFORE INSERT ON compartments
  WHEN EXISTS (SELECT 1 FROM erased_patients WHERE id = NEW.id)
  BEGIN SELECT RAISE(ABORT, 'this patient was erased'); END;
CREATE TRIGGER compartments_never_wrap_under_a_retired_kek BEFORE INSERT ON compartments
  WHEN (SELECT state FROM key_versions WHERE purpose = 'kek' AND version = NEW.kek_version)
       = 'retired'
  BEGIN SELECT RAISE(ABORT, 'a retired key version'); END;
CREATE TRIGGER compartments_never_rewrap_under_a_retired_kek
  BEFORE UPDATE OF kek_version ON compartments
  WHEN (SELECT state FROM key_versions WHERE purpose = 'kek' AND version = NEW.kek_version)
       = 'retired'
  BEGIN SELECT RAISE(ABORT, 'a retired key version'); END;
)sql";

// Version 9: one row the server rewrites to learn whether the disk takes writes again,
// when /healthz is asked while commits are failing and no request is writing.
constexpr std::string_view kV9 = R"sql(
CREATE TABLE write_probe (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  at_ms  INTEGER NOT NULL
);
INSERT INTO write_probe (id, at_ms) VALUES (1, 0);
)sql";

// Version 10: the Merkle subtrees in the order appends complete them. Keyed by (level,
// index), each level filled its own B-tree page, so a commit of a dozen entries dirtied
// about ten pages of this table alone; every dirty page is a 4 KiB WAL frame written and
// synced before the answers leave. The key is now the subtree's last leaf, then its
// level, `pos = (last leaf << 6) | level`: one append's subtrees sit side by side at the
// end of the table. `level` and `idx` remain, computed from `pos`.
constexpr std::string_view kV10 = R"sql(
CREATE TABLE audit_subtrees_v10 (
  pos    INTEGER PRIMARY KEY,
  hash   BLOB NOT NULL,
  level  INTEGER GENERATED ALWAYS AS (pos & 63) VIRTUAL,
  idx    INTEGER GENERATED ALWAYS AS ((((pos >> 6) + 1) >> (pos & 63)) - 1) VIRTUAL
);
INSERT INTO audit_subtrees_v10 (pos, hash)
  SELECT ((((idx + 1) << level) - 1) << 6) | level, hash FROM audit_subtrees ORDER BY 1;
DROP TABLE audit_subtrees;
ALTER TABLE audit_subtrees_v10 RENAME TO audit_subtrees;
)sql";

// Version 11: the audit index keyed by (bucket, term, seq), bucket = seq >> 13, so that
// new entries' rows land among the current bucket's pages instead of anywhere in the
// index (store/audit_index_buckets.h).
constexpr std::string_view kV11 = R"sql(
CREATE TABLE audit_index_v11 (
  bucket  INTEGER NOT NULL,
  term    INTEGER NOT NULL,
  seq     INTEGER NOT NULL,
  PRIMARY KEY (bucket, term, seq)
) WITHOUT ROWID;
INSERT INTO audit_index_v11 (bucket, term, seq)
  SELECT seq >> 13, term, seq FROM audit_index ORDER BY 1, 2, 3;
DROP TABLE audit_index;
ALTER TABLE audit_index_v11 RENAME TO audit_index;
)sql";

constexpr auto kMigrations = MigrationsOf(
    std::array<std::string_view, 11>{kV1, kV2, kV3, kV4, kV5, kV6, kV7, kV8, kV9, kV10, kV11});

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace medvault::store::sqlite
