// PostgreSQL's schema, in the same versions as SQLite's (store/sqlite/schema.cc): a
// version number means the same change in both engines (store/migrations.h keeps the
// list), so that a database of either says what it holds by one number. A change that only one
// engine needs (SQLite's version 5, a storage layout) is recorded as an empty step in the other.
// Types follow SQLite's: INTEGER is bigint, BLOB is bytea; identifiers compare byte by byte
// (COLLATE "C", as in SQLite), whatever the database's locale, so that paging by id and
// ordering agree between engines.
#include "store/postgres/schema.h"

namespace medvault::store::postgres {
namespace {

// Version 1: the foundation. Columns in clear are identifiers, versions, times of
// writes and keyed hashes; every resource body is sealed (see crypto/keyring.h).
constexpr std::string_view kV1 = R"sql(
CREATE TABLE compartments (
  id              text COLLATE "C" PRIMARY KEY,
  kek_version     bigint NOT NULL,
  wrapped_dek     bytea NOT NULL,
  organization_id text COLLATE "C" NOT NULL DEFAULT '',
  confidentiality text NOT NULL DEFAULT '',
  created_at      bigint NOT NULL
);
CREATE INDEX compartments_by_organization ON compartments (organization_id);

CREATE TABLE resource_versions (
  type          text COLLATE "C" NOT NULL,
  id            text COLLATE "C" NOT NULL,
  version       bigint NOT NULL,
  compartment   text COLLATE "C" NOT NULL,
  last_updated  bigint NOT NULL,
  deleted       bigint NOT NULL,
  body          bytea NOT NULL,
  PRIMARY KEY (type, id, version)
);

CREATE TABLE current_resources (
  type          text COLLATE "C" NOT NULL,
  id            text COLLATE "C" NOT NULL,
  version       bigint NOT NULL,
  compartment   text COLLATE "C" NOT NULL,
  deleted       bigint NOT NULL,
  PRIMARY KEY (type, id)
);
CREATE INDEX current_by_compartment ON current_resources (compartment, type);

CREATE TABLE search_index (
  hash  bigint NOT NULL,
  type  text COLLATE "C" NOT NULL,
  id    text COLLATE "C" NOT NULL,
  PRIMARY KEY (hash, type, id)
);
CREATE INDEX search_index_by_resource ON search_index (type, id);

CREATE TABLE accounts (
  id              text COLLATE "C" PRIMARY KEY,
  username        text COLLATE "C" NOT NULL UNIQUE,
  role            text NOT NULL,
  organization_id text COLLATE "C" NOT NULL DEFAULT '',
  practitioner_id text COLLATE "C" NOT NULL DEFAULT '',
  password_hash   text NOT NULL,
  status          text NOT NULL,
  created_at      bigint NOT NULL
);

CREATE TABLE sessions (
  token_hash     bytea PRIMARY KEY,
  id             text COLLATE "C" NOT NULL UNIQUE,
  account_id     text COLLATE "C" NOT NULL REFERENCES accounts (id),
  created_at     bigint NOT NULL,
  last_seen_at   bigint NOT NULL,
  expires_at     bigint NOT NULL,
  revoked_at     bigint NOT NULL DEFAULT 0,
  client_address text NOT NULL,
  user_agent     text NOT NULL
);

CREATE TABLE audit_log (
  seq          bigint PRIMARY KEY,
  recorded_at  bigint NOT NULL,
  body         bytea NOT NULL
);
)sql";

// Version 2: identity. TOTP secrets are sealed; recovery codes, challenges and session
// tokens are stored only as keyed hashes.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE accounts ADD COLUMN totp_secret bytea NOT NULL DEFAULT '\x'::bytea;
ALTER TABLE accounts ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN must_change_password bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN stepped_up_at bigint NOT NULL DEFAULT 0;
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE recovery_codes (
  account_id  text COLLATE "C" NOT NULL REFERENCES accounts (id),
  code_hash   bytea NOT NULL,
  used_at     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, code_hash)
);

CREATE TABLE login_challenges (
  challenge_hash  bytea PRIMARY KEY,
  account_id      text COLLATE "C" NOT NULL REFERENCES accounts (id),
  created_at      bigint NOT NULL,
  expires_at      bigint NOT NULL,
  pending_secret  bytea NOT NULL,
  attempts        bigint NOT NULL DEFAULT 0,
  used_at         bigint NOT NULL DEFAULT 0,
  client_address  text NOT NULL,
  user_agent      text NOT NULL
);
CREATE INDEX login_challenges_by_expiry ON login_challenges (expires_at);

CREATE TABLE login_throttle (
  subject          text COLLATE "C" PRIMARY KEY,
  failures         bigint NOT NULL,
  last_failure_at  bigint NOT NULL,
  locked_until     bigint NOT NULL DEFAULT 0
);
)sql";

// Version 3: the audit log's Merkle tree: complete subtrees' hashes and signed heads.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE audit_subtrees (
  level  bigint NOT NULL,
  idx    bigint NOT NULL,
  hash   bytea NOT NULL,
  PRIMARY KEY (level, idx)
);

CREATE TABLE audit_tree_heads (
  size       bigint PRIMARY KEY,
  root       bytea NOT NULL,
  timestamp  bigint NOT NULL,
  signature  bytea NOT NULL
);
)sql";

// Version 4: audit entries filed under blind-index terms, and by time.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE audit_index (
  term  bigint NOT NULL,
  seq   bigint NOT NULL,
  PRIMARY KEY (term, seq)
);

CREATE INDEX audit_log_recorded_at ON audit_log (recorded_at);
)sql";

// Version 5: SQLite moved resource versions to a rowid table (its bodies had spilled
// into overflow pages). PostgreSQL's heap keeps large bodies in TOAST already: nothing
// to change, the version is recorded so that the numbers stay in step.
constexpr std::string_view kV5 = R"sql(
SELECT 1;
)sql";

// Version 6: authorization. Care links, break-the-glass grants, alerts.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE care_links (
  patient_id       text COLLATE "C" NOT NULL,
  practitioner_id  text COLLATE "C" NOT NULL,
  careteam_id      text COLLATE "C" NOT NULL,
  start_ms         bigint NOT NULL,
  end_ms           bigint NOT NULL,
  PRIMARY KEY (patient_id, practitioner_id, careteam_id, start_ms)
);
CREATE INDEX care_links_by_practitioner ON care_links (practitioner_id, patient_id);
CREATE INDEX care_links_by_careteam ON care_links (careteam_id);

CREATE TABLE access_grants (
  id          text COLLATE "C" PRIMARY KEY,
  account_id  text COLLATE "C" NOT NULL,
  patient_id  text COLLATE "C" NOT NULL,
  purpose     text NOT NULL,
  reason      bytea NOT NULL,
  created_at  bigint NOT NULL,
  expires_at  bigint NOT NULL
);
CREATE INDEX access_grants_by_account ON access_grants (account_id, created_at);
CREATE INDEX access_grants_by_patient ON access_grants (patient_id, account_id);

CREATE TABLE alerts (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  created_at  bigint NOT NULL,
  account_id  text COLLATE "C" NOT NULL,
  severity    text NOT NULL,
  kind        text NOT NULL,
  patient_id  text COLLATE "C" NOT NULL DEFAULT '',
  state       text NOT NULL DEFAULT 'open',
  detail      bytea NOT NULL
);
CREATE INDEX alerts_by_account ON alerts (account_id, id);
)sql";

// Version 7: detection and containment on the account row; alerts tied to audit
// entries and resolvable with a sealed note.
constexpr std::string_view kV7 = R"sql(
ALTER TABLE accounts ADD COLUMN step_up_after bigint NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN throttle_until bigint NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN audit_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN resolved_at bigint NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN resolved_by text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN resolution bytea NOT NULL DEFAULT '\x'::bytea;
)sql";

// Version 8: key versions and erased patients, with the same refusals as SQLite's
// triggers: no compartment under an erased id, no data key wrapped under a retired KEK.
constexpr std::string_view kV8 = R"sql(
CREATE TABLE key_versions (
  purpose      text COLLATE "C" NOT NULL,
  version      bigint NOT NULL,
  origin       text NOT NULL,
  fingerprint  bytea NOT NULL DEFAULT '\x'::bytea,
  created_at   bigint NOT NULL,
  state        text NOT NULL DEFAULT 'active',
  retired_at   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (purpose, version)
);
INSERT INTO key_versions (purpose, version, origin, created_at)
  SELECT 'kek', 1, 'derived', coalesce(min(applied_at), 0) FROM schema_migrations;
INSERT INTO key_versions (purpose, version, origin, created_at)
  SELECT 'kek', kek_version, 'derived', min(created_at) FROM compartments GROUP BY kek_version
  ON CONFLICT DO NOTHING;
INSERT INTO key_versions (purpose, version, origin, created_at)
  SELECT 'blind-index', 1, 'derived', coalesce(min(applied_at), 0) FROM schema_migrations;

CREATE TABLE erased_patients (
  id         text COLLATE "C" PRIMARY KEY,
  erased_at  bigint NOT NULL
);

-- SQLSTATE 23000 (integrity constraint violation): the writer reports a conflict, as
-- SQLite's RAISE(ABORT) in a trigger is reported.
CREATE FUNCTION medvault_compartment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM erased_patients WHERE id = NEW.id) THEN
    RAISE EXCEPTION 'this patient was erased' USING ERRCODE = '23000';
  END IF;
  IF (TG_OP = 'INSERT' OR NEW.kek_version IS DISTINCT FROM OLD.kek_version) AND
     (SELECT state FROM key_versions WHERE purpose = 'kek' AND version = NEW.kek_version)
       = 'retired' THEN
    RAISE EXCEPTION 'a retired key version' USING ERRCODE = '23000';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER compartments_guard BEFORE INSERT OR UPDATE OF kek_version ON compartments
  FOR EACH ROW EXECUTE FUNCTION medvault_compartment_guard();
)sql";

// Version 9: one row the server rewrites to learn whether the database takes writes.
constexpr std::string_view kV9 = R"sql(
CREATE TABLE write_probe (
  id     bigint PRIMARY KEY CHECK (id = 1),
  at_ms  bigint NOT NULL
);
INSERT INTO write_probe (id, at_ms) VALUES (1, 0);
)sql";

// Version 10: the Merkle subtrees keyed by the append that completes them, `pos = (last
// leaf << 6) | level` (sqlite/schema.cc says why); `level` and `idx` are kept, computed.
constexpr std::string_view kV10 = R"sql(
CREATE TABLE audit_subtrees_v10 (
  pos    bigint PRIMARY KEY,
  hash   bytea NOT NULL,
  level  bigint GENERATED ALWAYS AS (pos & 63) STORED,
  idx    bigint GENERATED ALWAYS AS ((((pos >> 6) + 1) >> (pos & 63)::integer) - 1) STORED
);
INSERT INTO audit_subtrees_v10 (pos, hash)
  SELECT ((((idx + 1) << level::integer) - 1) << 6) | level, hash FROM audit_subtrees
  ORDER BY 1;
DROP TABLE audit_subtrees;
ALTER TABLE audit_subtrees_v10 RENAME TO audit_subtrees;
ALTER INDEX audit_subtrees_v10_pkey RENAME TO audit_subtrees_pkey;
)sql";

// Version 11: the audit index keyed by (bucket, term, seq), bucket = seq >> 13
// (store/audit_index_buckets.h says why).
constexpr std::string_view kV11 = R"sql(
CREATE TABLE audit_index_v11 (
  bucket  bigint NOT NULL,
  term    bigint NOT NULL,
  seq     bigint NOT NULL,
  PRIMARY KEY (bucket, term, seq)
);
INSERT INTO audit_index_v11 (bucket, term, seq)
  SELECT seq >> 13, term, seq FROM audit_index ORDER BY 1, 2, 3;
DROP TABLE audit_index;
ALTER TABLE audit_index_v11 RENAME TO audit_index;
ALTER INDEX audit_index_v11_pkey RENAME TO audit_index_pkey;
)sql";

constexpr auto kMigrations = MigrationsOf(
    std::array<std::string_view, 11>{kV1, kV2, kV3, kV4, kV5, kV6, kV7, kV8, kV9, kV10, kV11});

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace medvault::store::postgres
