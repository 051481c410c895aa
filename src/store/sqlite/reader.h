#pragma once

#include <memory>

#include "store/sqlite/connection.h"
#include "store/store.h"

namespace medvault::store::sqlite {

class SqliteReader final : public Reader {
 public:
  explicit SqliteReader(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}

  std::unique_ptr<Snapshot> BeginSnapshot() override;

  Result<std::optional<ResourceRow>> Current(std::string_view type, std::string_view id) override;
  Result<std::optional<StoredResource>> CurrentWithCompartment(std::string_view type,
                                                               std::string_view id) override;
  Result<std::optional<ResourceRow>> Version(std::string_view type, std::string_view id,
                                             int64_t version) override;
  Result<std::vector<ResourceRow>> History(std::string_view type, std::string_view id) override;
  Result<std::vector<std::string>> IdsWithIndex(std::string_view type, int64_t hash,
                                                int64_t limit = -1) override;
  Result<bool> IsFiledUnder(std::string_view type, std::string_view id, int64_t hash) override;
  Result<std::vector<int64_t>> IndexHashesOf(std::string_view type, std::string_view id) override;
  Result<std::vector<std::string>> IdsInCompartment(std::string_view type,
                                                    std::string_view compartment) override;
  Result<std::vector<std::string>> IdsOfType(std::string_view type, size_t limit) override;
  Result<std::vector<std::string>> PatientsOfOrganization(std::string_view organization_id,
                                                          size_t limit) override;
  Result<std::optional<CompartmentRow>> Compartment(std::string_view id) override;
  Result<CareStanding> Standing(std::string_view practitioner_id, std::string_view account_id,
                                std::string_view patient_id, int64_t now_ms) override;
  Result<std::vector<std::string>> PatientsInCare(std::string_view practitioner_id,
                                                  std::string_view account_id, int64_t now_ms,
                                                  size_t limit) override;
  Result<std::vector<GrantRow>> GrantsSince(std::string_view account_id, int64_t since_ms) override;
  Result<std::vector<AlertRow>> Alerts(const AlertQuery& query) override;
  Result<std::optional<AlertRow>> Alert(int64_t id) override;
  Result<std::vector<AlertRow>> AlertsAfter(int64_t id, int64_t limit) override;
  Result<std::optional<AccountRow>> AccountByUsername(std::string_view username) override;
  Result<std::optional<AccountRow>> AccountById(std::string_view id) override;
  Result<std::vector<AccountRow>> Accounts() override;
  Result<std::vector<SessionRow>> SessionsOfAccount(std::string_view account_id,
                                                    int64_t now_ms) override;
  Result<std::optional<LoginChallengeRow>> Challenge(const TokenHash& challenge_hash) override;
  Result<std::optional<LoginThrottleRow>> LoginThrottle(std::string_view subject) override;
  Result<int64_t> UnusedRecoveryCodes(std::string_view account_id) override;
  Result<std::optional<SessionRow>> SessionByTokenHash(const TokenHash& hash) override;
  Result<std::optional<SessionAccount>> SessionWithAccount(const TokenHash& hash) override;
  Result<int64_t> AuditCount() override;
  Result<int64_t> AuditLastSequence() override;
  Result<std::optional<AuditSubtreeRow>> AuditSubtree(uint32_t level, uint64_t index) override;
  Result<std::vector<AuditSubtreeRow>> AuditSubtreesCompletedBy(uint64_t begin,
                                                                uint64_t end) override;
  Result<std::optional<TreeHeadRow>> LatestTreeHead() override;
  Result<std::vector<TreeHeadRow>> TreeHeads() override;
  Result<std::vector<AuditRow>> AuditEntries(int64_t first, int64_t count) override;
  Status VisitAuditEntries(int64_t first, int64_t count,
                           const std::function<bool(const AuditRowView&)>& visit) override;
  Result<std::vector<AuditRow>> AuditEntriesBefore(const AuditScan& scan) override;

  // Keys and erasures (key_tables.cc).
  Result<std::vector<KeyVersionRow>> KeyVersions() override;
  Result<std::vector<std::pair<int, int64_t>>> DataKeysPerKekVersion() override;
  Result<std::vector<WrappedKeyRow>> DataKeysNotUnder(int version, std::string_view after,
                                                      size_t limit) override;
  Result<std::optional<int64_t>> ErasedAt(std::string_view patient_id) override;
  Result<std::vector<std::string>> IdsOfTypeAfter(std::string_view type, std::string_view after,
                                                  size_t limit) override;
  Result<std::vector<std::pair<std::string, int64_t>>> LastLogins() override;

 private:
  // The highest bucket of the audit index at or below `at_most`, if any
  // (store/audit_index_buckets.h).
  Result<std::optional<int64_t>> HighestAuditBucket(int64_t at_most);

  std::unique_ptr<Connection> conn_;
};

}  // namespace medvault::store::sqlite
