// What the store keeps. Everything here is ciphertext, wrapped keys, keyed hashes or
// identifiers: the store never sees patient plaintext.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "crypto/encoding.h"

namespace medvault::store {

// The compartment of practitioners and organizations (not patient data, but sealed all
// the same so that the database holds no readable record at all).
inline constexpr std::string_view kDirectoryCompartment = "@directory";

struct ResourceRow {
  std::string type;
  std::string id;
  int64_t version = 0;
  std::string compartment;  // the patient's id, or kDirectoryCompartment
  int64_t last_updated_ms = 0;
  bool deleted = false;
  crypto::Bytes body;  // sealed with the compartment's data key; empty when deleted
};

// A compartment's wrapped data key and the attributes the Policy needs before
// anything is decrypted.
struct CompartmentRow {
  std::string id;
  int kek_version = 0;
  crypto::Bytes wrapped_dek;
  std::string organization_id;  // the patient's managing organization ("" if none)
  std::string confidentiality;  // "", "N", "R" or "V"
  int64_t created_at_ms = 0;
};

struct AccountRow {
  std::string id;
  std::string username;
  std::string role;
  std::string organization_id;
  std::string practitioner_id;
  std::string password_hash;      // Argon2id, encoded
  std::string status = "active";  // "active" | "suspended"
  int64_t created_at_ms = 0;
  crypto::Bytes totp_secret;          // sealed (Keyring::SealAccountSecret); empty: not enrolled
  int64_t totp_last_step = 0;         // the last TOTP step accepted: codes of older steps fail
  bool must_change_password = false;  // set by an administrator's reset
  // Containment (set by the security officer or the detector): sessions whose last
  // fresh code is older than step_up_after_ms must step up again; until
  // throttle_until_ms the account is slowed down.
  int64_t step_up_after_ms = 0;
  int64_t throttle_until_ms = 0;
};

// A practitioner's membership of a patient's active CareTeam over [start_ms, end_ms):
// the care relationship the Policy checks, kept in clear (identifiers and times only)
// so that it is known before anything is decrypted. Derived from the CareTeam resource
// on every write of it.
struct CareLinkRow {
  std::string patient_id;
  std::string practitioner_id;
  std::string careteam_id;
  int64_t start_ms = INT64_MIN;
  int64_t end_ms = INT64_MAX;
};

// What links an account to one patient at one moment.
struct CareStanding {
  bool care_team = false;    // an active CareTeam membership of the account's practitioner
  bool break_glass = false;  // an unexpired break-the-glass grant of the account
};

// A break-the-glass grant: `account_id` may reach `patient_id` until `expires_at_ms`.
struct GrantRow {
  std::string id;
  std::string account_id;
  std::string patient_id;
  std::string purpose;   // an HL7 v3 PurposeOfUse code, e.g. "ETREAT"
  crypto::Bytes reason;  // the free-text reason, sealed to the account
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

// Something the security officer must look at.
struct AlertRow {
  int64_t id = 0;  // assigned on insert
  int64_t created_at_ms = 0;
  std::string account_id;  // the account whose behaviour raised it
  std::string severity;    // "low" | "medium" | "high"
  std::string kind;        // e.g. "break-glass", "confidential-access"
  std::string patient_id;  // "" when no patient is concerned
  std::string state = "open";
  crypto::Bytes detail;   // sealed to the account (may quote a clinician's free text)
  int64_t audit_seq = 0;  // the audit entry of the request that raised it (0: none)
  int64_t resolved_at_ms = 0;
  std::string resolved_by;   // the security officer's account id
  crypto::Bytes resolution;  // the resolution note, sealed to the resolver
};

// A containment change on an account (fields left unset are kept).
struct ContainmentChange {
  std::optional<int64_t> step_up_after_ms;
  std::optional<int64_t> throttle_until_ms;
};

struct AlertQuery {
  std::string account_id;  // "" for all
  std::string severity;
  std::string state;
  int64_t limit = 100;
};

using TokenHash = std::array<uint8_t, 32>;

struct SessionRow {
  std::string id;  // public session id (audit, listing); not the token
  TokenHash token_hash{};
  std::string account_id;
  int64_t created_at_ms = 0;
  int64_t last_seen_ms = 0;
  int64_t expires_at_ms = 0;  // absolute expiry
  int64_t revoked_at_ms = 0;  // 0: not revoked
  std::string client_address;
  std::string user_agent;
  int64_t stepped_up_at_ms = 0;  // the last fresh TOTP code (login or step-up)
};

// The second step of a login, pending: the password was right, the code is awaited.
struct LoginChallengeRow {
  TokenHash challenge_hash{};
  std::string account_id;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  crypto::Bytes pending_secret;  // enrolment: the sealed TOTP secret offered; empty otherwise
  int64_t attempts = 0;
  int64_t used_at_ms = 0;  // 0: not used
  std::string client_address;
  std::string user_agent;
};

// Failed logins of one subject ("account:<username>" or "address:<ip>").
struct LoginThrottleRow {
  std::string subject;
  int64_t failures = 0;
  int64_t last_failure_ms = 0;
  int64_t locked_until_ms = 0;  // 0: not locked
};

// A complete subtree of the audit log's Merkle tree: 2^level leaves from leaf
// index * 2^level.
struct AuditSubtreeRow {
  uint32_t level = 0;
  uint64_t index = 0;
  std::array<uint8_t, 32> hash{};
};

// Where a subtree is stored: its last leaf, then its level. Appending a leaf completes
// the leaf and the subtrees that end with it, so one append's rows are neighbours and
// the table grows at its end. Exact while leaves stay below 2^57.
inline constexpr int64_t AuditSubtreePosition(uint32_t level, uint64_t index) {
  return static_cast<int64_t>(((((index + 1) << level) - 1) << 6) | level);
}
// The first position of the subtrees completed by appending the leaf at `position`.
inline constexpr int64_t AuditSubtreesOfLeaf(uint64_t position) {
  return static_cast<int64_t>(position << 6);
}

// A signed tree head: the log had `size` entries with Merkle root `root` at `timestamp`.
struct TreeHeadRow {
  int64_t size = 0;
  std::array<uint8_t, 32> root{};
  int64_t timestamp_ms = 0;
  std::array<uint8_t, 64> signature{};
};

struct AuditRow {
  int64_t seq = 0;
  int64_t recorded_at_ms = 0;
  crypto::Bytes body;  // sealed with the audit key
};

// An audit entry as a read hands it over: the body stays valid only during the call.
struct AuditRowView {
  int64_t seq = 0;
  int64_t recorded_at_ms = 0;
  std::span<const uint8_t> body;
};

// A backwards walk through the audit log (see Reader::AuditEntriesBefore).
struct AuditScan {
  std::optional<int64_t> term;  // a blind-index term, or every entry
  int64_t before_seq = INT64_MAX;
  int64_t from_ms = INT64_MIN;
  int64_t until_ms = INT64_MAX;  // exclusive
  int64_t limit = 1000;
};

}  // namespace medvault::store
