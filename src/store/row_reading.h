// Reading store records out of a statement's columns, for every engine: `S` is an
// engine's statement with Text(i), Int(i) and Blob(i) (store/sqlite/connection.h,
// store/postgres/connection.h). The column lists are macros, so that queries stay
// string literals (the engines' statement caches are keyed by the literal's address).
#pragma once

#include <algorithm>
#include <array>
#include <span>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/key_records.h"
#include "store/records.h"

namespace medvault::store {

template <typename S>
crypto::Bytes BlobColumn(const S& s, int column) {
  auto blob = s.Blob(column);
  return {blob.begin(), blob.end()};
}

template <size_t N, typename S>
std::array<uint8_t, N> FixedColumn(const S& s, int column) {
  std::array<uint8_t, N> out{};
  auto bytes = s.Blob(column);
  std::copy_n(bytes.begin(), std::min(bytes.size(), out.size()), out.begin());
  return out;
}

// Columns: type, id, version, compartment, last_updated, deleted, body.
template <typename S>
ResourceRow ReadResourceRow(const S& s) {
  ResourceRow row;
  row.type = s.Text(0);
  row.id = s.Text(1);
  row.version = s.Int(2);
  row.compartment = s.Text(3);
  row.last_updated_ms = s.Int(4);
  row.deleted = s.Int(5) != 0;
  row.body = BlobColumn(s, 6);
  return row;
}

// Columns: id, kek_version, wrapped_dek, organization_id, confidentiality, created_at.
// `first` is the index of the first column (for rows read from a join).
template <typename S>
CompartmentRow ReadCompartmentRow(const S& s, int first = 0) {
  CompartmentRow row;
  row.id = s.Text(first);
  row.kek_version = static_cast<int>(s.Int(first + 1));
  row.wrapped_dek = BlobColumn(s, first + 2);
  row.organization_id = s.Text(first + 3);
  row.confidentiality = s.Text(first + 4);
  row.created_at_ms = s.Int(first + 5);
  return row;
}

#define MEDVAULT_ACCOUNT_COLUMNS(p)                                                          \
  p "id, " p "username, " p "role, " p "organization_id, " p "practitioner_id, " p           \
    "password_hash, " p "status, " p "created_at, " p "totp_secret, " p "totp_last_step, " p \
    "must_change_password, " p "step_up_after, " p "throttle_until"
inline constexpr int kAccountColumnCount = 13;
template <typename S>
AccountRow ReadAccountRow(const S& s, int first = 0) {
  AccountRow row;
  row.id = s.Text(first);
  row.username = s.Text(first + 1);
  row.role = s.Text(first + 2);
  row.organization_id = s.Text(first + 3);
  row.practitioner_id = s.Text(first + 4);
  row.password_hash = s.Text(first + 5);
  row.status = s.Text(first + 6);
  row.created_at_ms = s.Int(first + 7);
  row.totp_secret = BlobColumn(s, first + 8);
  row.totp_last_step = s.Int(first + 9);
  row.must_change_password = s.Int(first + 10) != 0;
  row.step_up_after_ms = s.Int(first + 11);
  row.throttle_until_ms = s.Int(first + 12);
  return row;
}

#define MEDVAULT_SESSION_COLUMNS(p)                                                \
  p "id, " p "token_hash, " p "account_id, " p "created_at, " p "last_seen_at, " p \
    "expires_at, " p "revoked_at, " p "client_address, " p "user_agent, " p "stepped_up_at"
inline constexpr int kSessionColumnCount = 10;
template <typename S>
SessionRow ReadSessionRow(const S& s, int first = 0) {
  SessionRow row;
  row.id = s.Text(first);
  row.token_hash = FixedColumn<32>(s, first + 1);
  row.account_id = s.Text(first + 2);
  row.created_at_ms = s.Int(first + 3);
  row.last_seen_ms = s.Int(first + 4);
  row.expires_at_ms = s.Int(first + 5);
  row.revoked_at_ms = s.Int(first + 6);
  row.client_address = s.Text(first + 7);
  row.user_agent = s.Text(first + 8);
  row.stepped_up_at_ms = s.Int(first + 9);
  return row;
}

#define MEDVAULT_CHALLENGE_COLUMNS                                                          \
  "challenge_hash, account_id, created_at, expires_at, pending_secret, attempts, used_at, " \
  "client_address, user_agent"
template <typename S>
LoginChallengeRow ReadChallengeRow(const S& s) {
  LoginChallengeRow row;
  row.challenge_hash = FixedColumn<32>(s, 0);
  row.account_id = s.Text(1);
  row.created_at_ms = s.Int(2);
  row.expires_at_ms = s.Int(3);
  row.pending_secret = BlobColumn(s, 4);
  row.attempts = s.Int(5);
  row.used_at_ms = s.Int(6);
  row.client_address = s.Text(7);
  row.user_agent = s.Text(8);
  return row;
}

// Columns: level, idx, hash.
template <typename S>
AuditSubtreeRow ReadAuditSubtreeRow(const S& s) {
  return AuditSubtreeRow{static_cast<uint32_t>(s.Int(0)), static_cast<uint64_t>(s.Int(1)),
                         FixedColumn<32>(s, 2)};
}

// Columns: size, root, timestamp, signature.
template <typename S>
TreeHeadRow ReadTreeHeadRow(const S& s) {
  return TreeHeadRow{s.Int(0), FixedColumn<32>(s, 1), s.Int(2), FixedColumn<64>(s, 3)};
}

// Columns: id, account_id, patient_id, purpose, reason, created_at, expires_at.
template <typename S>
GrantRow ReadGrantRow(const S& s) {
  GrantRow g;
  g.id = s.Text(0);
  g.account_id = s.Text(1);
  g.patient_id = s.Text(2);
  g.purpose = s.Text(3);
  g.reason = BlobColumn(s, 4);
  g.created_at_ms = s.Int(5);
  g.expires_at_ms = s.Int(6);
  return g;
}

#define MEDVAULT_ALERT_COLUMNS                                                         \
  "id, created_at, account_id, severity, kind, patient_id, state, detail, audit_seq, " \
  "resolved_at, resolved_by, resolution"
template <typename S>
AlertRow ReadAlertRow(const S& s) {
  AlertRow a;
  a.id = s.Int(0);
  a.created_at_ms = s.Int(1);
  a.account_id = s.Text(2);
  a.severity = s.Text(3);
  a.kind = s.Text(4);
  a.patient_id = s.Text(5);
  a.state = s.Text(6);
  a.detail = BlobColumn(s, 7);
  a.audit_seq = s.Int(8);
  a.resolved_at_ms = s.Int(9);
  a.resolved_by = s.Text(10);
  a.resolution = BlobColumn(s, 11);
  return a;
}

// Columns: purpose, version, origin, fingerprint, created_at, state, retired_at.
template <typename S>
KeyVersionRow ReadKeyVersionRow(const S& s) {
  KeyVersionRow row;
  row.purpose = s.Text(0);
  row.version = static_cast<int>(s.Int(1));
  row.origin = s.Text(2);
  row.fingerprint = BlobColumn(s, 3);
  row.created_at_ms = s.Int(4);
  row.state = s.Text(5);
  row.retired_at_ms = s.Int(6);
  return row;
}

// Runs a statement and collects column 0 of every row as text.
template <typename S>
Result<std::vector<std::string>> CollectIds(S& s) {
  std::vector<std::string> ids;
  while (s.Step()) ids.emplace_back(s.Text(0));
  TRY(s.status());
  return ids;
}

// Every row of a statement, read by `read`.
template <typename Row, typename S, typename ReadFn>
Result<std::vector<Row>> CollectRows(S& s, ReadFn read) {
  std::vector<Row> rows;
  while (s.Step()) rows.push_back(read(s));
  TRY(s.status());
  return rows;
}

// The first row of a statement, read by `read`, or nullopt.
template <typename Row, typename S, typename ReadFn>
Result<std::optional<Row>> OptionalRow(S& s, ReadFn read) {
  std::optional<Row> row;
  if (s.Step()) row = read(s);
  TRY(s.status());
  return row;
}

// The first column of the first row as an integer (0 when there is no row).
template <typename S>
Result<int64_t> SingleInt(S& s) {
  int64_t n = s.Step() ? s.Int(0) : 0;
  TRY(s.status());
  return n;
}

}  // namespace medvault::store
