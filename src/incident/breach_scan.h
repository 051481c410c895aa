// Inside the breach report: the aggregation of audit entries (BreachTally, fed one
// entry at a time, which the unit tests drive directly) and the verifier's visitor that
// feeds it (BreachScanner: a quick text check on each entry's canonical JSON, a full
// parse only for the few entries of interest, one tally per worker thread).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "audit/audit_event.h"
#include "audit/log_verifier.h"
#include "incident/breach_report.h"

namespace medvault::incident {

class BreachTally {
 public:
  explicit BreachTally(const BreachScope& scope) : scope_(&scope) {}

  // Adds entry `seq`. Entries outside the scope count only as containment measures
  // (an action on an Account at or after the window's start).
  void Add(int64_t seq, const audit::AuditEvent& event);
  // Adds another tally of the same scope (entries in any order).
  void Merge(BreachTally&& other);
  // Fills the report's accounts, patients, totals, changes, measures and counts. The
  // measures kept are those on the scope's accounts, or on any account seen in scope.
  void Fill(BreachReport& report) &&;

 private:
  bool InScope(const audit::AuditEvent& event) const;
  void AddMeasure(int64_t seq, const audit::AuditEvent& event);

  const BreachScope* scope_;
  int64_t entries_ = 0;
  int64_t disclosures_ = 0;
  std::unordered_map<std::string, PatientExposure> patients_;
  std::unordered_map<std::string, ScopeAccount> accounts_;
  std::unordered_map<std::string, ChangedRecords> changed_;
  std::vector<ContainmentMeasure> measures_;
};

class BreachScanner final : public audit::EntryVisitor {
 public:
  explicit BreachScanner(const BreachScope& scope);

  void Begin(unsigned workers) override;
  void Visit(unsigned worker, int64_t seq, std::string_view canonical_json,
             const audit::EntryHead& head) override;

  // Every worker's tally merged; or the first entry that would not parse.
  Result<BreachTally> Take() &&;

 private:
  // Whether the entry may matter, from its head alone: never false for one that does.
  bool MayMatter(const audit::EntryHead& head) const;

  const BreachScope& scope_;
  const std::unordered_set<std::string_view> accounts_;  // views of scope_.accounts
  std::vector<std::unique_ptr<BreachTally>> tallies_;    // one per worker
  std::mutex mu_;
  std::optional<Error> failure_;  // under mu_
};

}  // namespace medvault::incident
