#pragma once

#include "store/postgres/connection.h"
#include "store/store.h"

namespace medvault::store::postgres {

// The writes of one job, on the writer's connection, inside its open transaction.
class PgTransaction final : public Transaction {
 public:
  explicit PgTransaction(Connection& conn) : conn_(conn), epoch_(NextEpoch()) {}

  // The writer calls this after rolling a failed job back.
  void WritesUndone() { epoch_ = NextEpoch(); }

  Result<std::optional<ResourceHead>> Head(std::string_view type, std::string_view id) override;
  Status PutResourceVersion(const ResourceRow& row) override;
  Status ReplaceIndex(std::string_view type, std::string_view id,
                      std::span<const int64_t> hashes) override;
  Result<std::optional<CompartmentRow>> Compartment(std::string_view id) override;
  Status InsertCompartment(const CompartmentRow& row) override;
  Status UpdateCompartmentAttributes(std::string_view id, std::string_view organization_id,
                                     std::string_view confidentiality) override;
  Status ReplaceCareLinks(std::string_view careteam_id,
                          std::span<const CareLinkRow> links) override;
  Status InsertGrant(const GrantRow& row) override;
  Result<int64_t> CountGrantsSince(std::string_view account_id, int64_t since_ms) override;
  Result<int64_t> InsertAlert(const AlertRow& row) override;
  Result<bool> ResolveAlert(int64_t id, int64_t at_ms, std::string_view resolved_by,
                            std::span<const uint8_t> resolution) override;
  Status SetContainment(std::string_view account_id, const ContainmentChange& change) override;
  Status InsertAccount(const AccountRow& row) override;
  Status InsertSession(const SessionRow& row) override;
  Status TouchSession(std::string_view session_id, int64_t last_seen_ms) override;
  Status RevokeSession(std::string_view session_id, int64_t revoked_at_ms) override;
  Status RevokeAccountSessions(std::string_view account_id, int64_t revoked_at_ms,
                               std::string_view except_session_id) override;
  Status MarkSteppedUp(std::string_view session_id, int64_t at_ms) override;
  Status RevokeAllSessions(int64_t revoked_at_ms) override;
  Status SetAccountStatus(std::string_view account_id, std::string_view status) override;
  Status SetPassword(std::string_view account_id, std::string_view password_hash,
                     bool must_change) override;
  Result<bool> AcceptTotpStep(std::string_view account_id, int64_t step) override;
  Status EnrollTotp(std::string_view account_id, std::span<const uint8_t> sealed_secret,
                    int64_t step, std::span<const TokenHash> recovery_code_hashes) override;
  Status ResetMfa(std::string_view account_id) override;
  Result<bool> UseRecoveryCode(std::string_view account_id, const TokenHash& code_hash,
                               int64_t at_ms) override;
  Status InsertChallenge(const LoginChallengeRow& row) override;
  Result<bool> ConsumeChallenge(const TokenHash& challenge_hash, int64_t at_ms) override;
  Status CountChallengeAttempt(const TokenHash& challenge_hash) override;
  Status RecordLoginFailure(std::string_view subject, int64_t at_ms, int64_t lock_after,
                            int64_t lock_until_ms) override;
  Status ClearLoginFailures(std::string_view subject) override;
  Status TouchWriteProbe(int64_t at_ms) override;
  Status RunIsolated(const std::function<Status(Transaction&)>& job) override;
  Result<int64_t> AppendAudit(int64_t recorded_at_ms, std::span<const uint8_t> body) override;
  Result<int64_t> AuditSize() override;
  Status PutAuditSubtrees(std::span<const AuditSubtreeRow> subtrees) override;
  Status PutAuditIndex(int64_t seq, std::span<const int64_t> terms) override;
  Result<std::optional<AuditSubtreeRow>> AuditSubtree(uint32_t level, uint64_t index) override;
  Result<std::optional<TreeHeadRow>> LatestTreeHead() override;
  Status InsertTreeHead(const TreeHeadRow& head) override;
  uint64_t epoch() const override { return epoch_; }

  // Keys and erasure (key_tables.cc, erasure.cc).
  Status InsertKeyVersion(const KeyVersionRow& row) override;
  Status SetKeyVersionState(std::string_view purpose, int version, std::string_view state,
                            int64_t at_ms) override;
  Result<int64_t> CountDataKeysUnder(int version) override;
  Result<bool> RewrapDataKey(const WrappedKeyRow& from, const WrappedKeyRow& to) override;
  Status BeginIndexRebuild() override;
  Status PutRebuiltIndex(std::string_view type, std::string_view id,
                         std::span<const int64_t> hashes) override;
  Status PutRebuiltAuditIndex(int64_t seq, std::span<const int64_t> terms) override;
  Status SwapInRebuiltIndexes() override;
  Result<PatientNotes> NotesAboutPatient(std::string_view patient_id) override;
  Result<ErasureCounts> ErasePatient(std::string_view patient_id, int64_t at_ms,
                                     const PatientNoteRewrites& rewrites) override;

  // Whether a job erased a patient: the writer then vacuums the tables it deleted from
  // after the commit, so that the dead rows are pruned as soon as no snapshot needs them.
  bool vacuum_requested() const { return vacuum_requested_; }
  // Whether a job appended an audit entry: the writer then tells the listening nodes at
  // the commit (NOTIFY).
  bool audit_appended() const { return audit_appended_; }

 private:
  static uint64_t NextEpoch();

  Connection& conn_;
  uint64_t epoch_;
  bool vacuum_requested_ = false;
  bool audit_appended_ = false;
};

}  // namespace medvault::store::postgres
