#include "incident/breach_scan.h"

#include <algorithm>

namespace medvault::incident {
namespace {

bool Receives(std::string_view interaction) {
  return interaction == "read" || interaction == "vread" || interaction == "history" ||
         interaction == "search";
}

// Writes to a patient's record; starting care writes a CareTeam into it.
bool Writes(std::string_view interaction) {
  return interaction == "create" || interaction == "update" || interaction == "delete" ||
         interaction == "start-care";
}

bool Succeeded(int status) { return status >= 200 && status < 300; }

bool Refused(int status) { return status == 401 || status == 403 || status == 429; }

bool Contains(const std::vector<std::string>& sorted_or_not, std::string_view value) {
  return std::ranges::find(sorted_or_not, value) != sorted_or_not.end();
}

void Widen(int64_t time_ms, int64_t& first_ms, int64_t& last_ms, bool first_time) {
  if (first_time || time_ms < first_ms) first_ms = time_ms;
  if (first_time || time_ms > last_ms) last_ms = time_ms;
}

// The action an entry about an Account took on it, or "" when it is no measure:
// "account-contain" with detail "containment: lock", or an administrator's
// "account-suspend", "account-reset-password" … (listing and creating are none).
std::string MeasureOf(const audit::AuditEvent& e) {
  constexpr std::string_view kContain = "containment: ";
  if (e.interaction == "account-contain")
    return e.detail.starts_with(kContain) ? e.detail.substr(kContain.size()) : "contain";
  for (std::string_view action :
       {"suspend", "reactivate", "unlock", "reset-password", "reset-mfa"}) {
    if (e.interaction.size() == 8 + action.size() && e.interaction.starts_with("account-") &&
        e.interaction.ends_with(action))
      return std::string(action);
  }
  return "";
}

void InsertSorted(std::vector<std::string>& values, const std::string& value) {
  auto at = std::ranges::lower_bound(values, value);
  if (at == values.end() || *at != value) values.insert(at, value);
}

}  // namespace

bool BreachTally::InScope(const audit::AuditEvent& e) const {
  const BreachScope& s = *scope_;
  if (e.time_ms < s.since_ms || e.time_ms >= s.until_ms) return false;
  if (!s.client_address.empty() && e.client_address != s.client_address) return false;
  if (s.accounts.empty()) return true;
  return !e.account_id.empty() && Contains(s.accounts, e.account_id);
}

void BreachTally::AddMeasure(int64_t seq, const audit::AuditEvent& e) {
  if (e.resource_type != "Account" || e.resource_id.empty() || e.time_ms < scope_->since_ms) return;
  std::string action = MeasureOf(e);
  if (action.empty()) return;
  measures_.push_back({e.time_ms, seq, e.resource_id, std::move(action),
                       e.username.empty() ? "(unknown)" : e.username, e.status});
}

void BreachTally::Add(int64_t seq, const audit::AuditEvent& e) {
  AddMeasure(seq, e);
  if (!InScope(e)) return;
  ++entries_;
  if (!e.account_id.empty()) {
    auto [it, fresh] = accounts_.try_emplace(e.account_id);
    ScopeAccount& a = it->second;
    if (fresh) a.id = e.account_id;
    if (!e.username.empty()) a.username = e.username;
    if (!e.role.empty()) a.role = e.role;
    Widen(e.time_ms, a.first_ms, a.last_ms, fresh);
    ++a.requests;
    if (Refused(e.status)) ++a.refused;
    if (!e.client_address.empty()) InsertSorted(a.addresses, e.client_address);
  }
  if (!Succeeded(e.status) || e.patients.empty()) return;
  if (Writes(e.interaction)) {
    for (const std::string& patient : e.patients) {
      auto [it, fresh] = changed_.try_emplace(patient);
      ChangedRecords& c = it->second;
      if (fresh) c.patient = patient;
      Widen(e.time_ms, c.first_ms, c.last_ms, fresh);
      ++c.changes;
    }
    return;
  }
  if (!Receives(e.interaction)) return;
  ++disclosures_;
  for (const std::string& patient : e.patients) {
    CategorySet sent = CategoriesOf(e.resource_type, Contains(e.minimal_identity, patient));
    auto [it, fresh] = patients_.try_emplace(patient);
    PatientExposure& p = it->second;
    if (fresh) p.patient = patient;
    Widen(e.time_ms, p.first_ms, p.last_ms, fresh);
    ++p.accesses;
    p.categories.Add(sent);
    for (const CategoryInfo& c : AllCategories())
      if (sent.Has(c.category)) ++p.accesses_by_category[static_cast<size_t>(c.category)];
    if (!e.outside_care)
      ++p.basis_unknown;
    else if (Contains(*e.outside_care, patient))
      ++p.outside_care;
    if (!e.account_id.empty()) InsertSorted(p.accounts, e.account_id);
  }
}

void BreachTally::Merge(BreachTally&& other) {
  entries_ += other.entries_;
  disclosures_ += other.disclosures_;
  for (auto& [id, theirs] : other.patients_) {
    auto [it, fresh] = patients_.try_emplace(id, std::move(theirs));
    if (fresh) continue;
    PatientExposure& p = it->second;
    Widen(theirs.first_ms, p.first_ms, p.last_ms, false);
    Widen(theirs.last_ms, p.first_ms, p.last_ms, false);
    p.categories.Add(theirs.categories);
    for (size_t c = 0; c < kCategoryCount; ++c)
      p.accesses_by_category[c] += theirs.accesses_by_category[c];
    p.accesses += theirs.accesses;
    p.outside_care += theirs.outside_care;
    p.basis_unknown += theirs.basis_unknown;
    for (const std::string& account : theirs.accounts) InsertSorted(p.accounts, account);
  }
  for (auto& [id, theirs] : other.accounts_) {
    auto [it, fresh] = accounts_.try_emplace(id, std::move(theirs));
    if (fresh) continue;
    ScopeAccount& a = it->second;
    Widen(theirs.first_ms, a.first_ms, a.last_ms, false);
    Widen(theirs.last_ms, a.first_ms, a.last_ms, false);
    if (a.username.empty()) a.username = theirs.username;
    if (a.role.empty()) a.role = theirs.role;
    a.requests += theirs.requests;
    a.refused += theirs.refused;
    for (const std::string& address : theirs.addresses) InsertSorted(a.addresses, address);
  }
  for (auto& [id, theirs] : other.changed_) {
    auto [it, fresh] = changed_.try_emplace(id, std::move(theirs));
    if (fresh) continue;
    Widen(theirs.first_ms, it->second.first_ms, it->second.last_ms, false);
    Widen(theirs.last_ms, it->second.first_ms, it->second.last_ms, false);
    it->second.changes += theirs.changes;
  }
  std::ranges::move(other.measures_, std::back_inserter(measures_));
}

void BreachTally::Fill(BreachReport& report) && {
  report.entries_in_scope = entries_;
  report.disclosures = disclosures_;
  for (auto& [id, a] : accounts_) report.accounts.push_back(std::move(a));
  std::ranges::sort(report.accounts, {}, &ScopeAccount::id);
  for (auto& [id, p] : patients_) report.patients.push_back(std::move(p));
  std::ranges::sort(report.patients, [](const PatientExposure& a, const PatientExposure& b) {
    return std::tie(a.first_ms, a.patient) < std::tie(b.first_ms, b.patient);
  });
  report.totals.clear();
  for (const CategoryInfo& info : AllCategories()) {
    CategoryTotal total{info.category};
    for (const PatientExposure& p : report.patients) {
      int64_t n = p.accesses_by_category[static_cast<size_t>(info.category)];
      total.patients += n > 0 ? 1 : 0;
      total.accesses += n;
    }
    report.totals.push_back(total);
  }
  for (auto& [id, c] : changed_) report.changed.push_back(std::move(c));
  std::ranges::sort(report.changed, [](const ChangedRecords& a, const ChangedRecords& b) {
    return std::tie(a.first_ms, a.patient) < std::tie(b.first_ms, b.patient);
  });
  for (ContainmentMeasure& m : measures_) {
    if (Contains(scope_->accounts, m.account) || accounts_.contains(m.account))
      report.measures.push_back(std::move(m));
  }
  std::ranges::sort(report.measures, {}, &ContainmentMeasure::audit_seq);
}

BreachScanner::BreachScanner(const BreachScope& scope)
    : scope_(scope), accounts_(scope.accounts.begin(), scope.accounts.end()) {}

void BreachScanner::Begin(unsigned workers) {
  tallies_.clear();
  for (unsigned w = 0; w < workers; ++w) tallies_.push_back(std::make_unique<BreachTally>(scope_));
}

bool BreachScanner::MayMatter(const audit::EntryHead& head) const {
  // What BreachTally::Add takes, a measure on an Account or an entry in scope, decided
  // on the fields it reads; a head the verifier could not read fully goes to the full
  // parse, which then says what is wrong with it.
  if (head.odd) return true;
  if (head.time_ms < scope_.since_ms) return false;
  if (head.resource_type == "Account") return true;
  if (head.time_ms >= scope_.until_ms) return false;
  if (!scope_.client_address.empty() && head.client_address != scope_.client_address) return false;
  return accounts_.empty() || accounts_.contains(head.account_id);
}

void BreachScanner::Visit(unsigned worker, int64_t seq, std::string_view canonical_json,
                          const audit::EntryHead& head) {
  if (!MayMatter(head)) return;
  auto event = audit::ParseCanonicalJson(canonical_json);
  if (!event) {
    std::lock_guard lock(mu_);
    if (!failure_) failure_ = event.error();
    return;
  }
  tallies_.at(worker)->Add(seq, *event);
}

Result<BreachTally> BreachScanner::Take() && {
  if (failure_) return std::unexpected(*failure_);
  BreachTally all(scope_);
  for (auto& tally : tallies_) all.Merge(std::move(*tally));
  return all;
}

}  // namespace medvault::incident
