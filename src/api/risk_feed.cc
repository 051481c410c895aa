#include "api/risk_feed.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "api/alerts.h"
#include "api/clinician_kin.h"
#include "common/random.h"

namespace medvault::api {
namespace {

std::string Figure(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  return buf;
}

// The features behind an escalation, in a line an auditor can read: names and figures,
// never a patient.
std::string FeatureSummary(const detect::Escalation& e) {
  std::string out;
  for (const detect::ExplanationLine& line : e.explanation) {
    if (!out.empty()) out += ", ";
    out += std::string(line.feature) + " " + Figure(line.value) + " (usual " + Figure(line.usual) +
           ", " + Figure(line.points) + " points)";
  }
  return out;
}

std::string AlertText(const detect::Escalation& e) {
  std::string text =
      "risk " + Figure(e.score) + " reached " + std::string(detect::NameOf(e.level)) + ".";
  for (const detect::ExplanationLine& line : e.explanation) text += " " + line.sentence;
  if (!e.audit_seqs.empty()) {
    text += " Triggered by audit entries";
    for (size_t i = 0; i < e.audit_seqs.size(); ++i)
      text += (i == 0 ? " " : ", ") + std::to_string(e.audit_seqs[i]);
    text += ".";
  }
  return text;
}

detect::DetectionEvent::Kind DetectionKindOf(std::string_view interaction, bool directory_search) {
  using Kind = detect::DetectionEvent::Kind;
  if (interaction == "read" || interaction == "vread" || interaction == "history")
    return Kind::kRead;
  if (interaction == "search") return directory_search ? Kind::kDirectorySearch : Kind::kSearch;
  if (interaction == "create" || interaction == "update" || interaction == "delete")
    return Kind::kWrite;
  if (interaction == "break-glass") return Kind::kBreakGlass;
  if (interaction == "start-care") return Kind::kStartCare;
  return Kind::kOther;
}

}  // namespace

detect::DetectionEvent DetectionEventOf(const audit::AuditEvent& who, identity::Role role,
                                        const AuditFacts& facts) {
  detect::DetectionEvent e;
  e.time_ms = who.time_ms;
  e.account_id = who.account_id;
  e.role = role;
  e.session_id = who.session_id;
  e.client_address = who.client_address;
  e.user_agent = who.user_agent;
  e.kind = DetectionKindOf(facts.interaction, facts.directory_search);
  e.patient_list =
      e.kind == detect::DetectionEvent::Kind::kSearch && facts.resource_type == "Patient";
  auto among = [](const std::vector<std::string>& list, const std::string& id) {
    return std::find(list.begin(), list.end(), id) != list.end();
  };
  e.patients.reserve(facts.patients.size());
  for (const std::string& id : facts.patients)
    e.patients.push_back(
        {id, !among(facts.patients_outside_care, id), among(facts.restricted_patients, id), false});
  return e;
}

RiskFeed::RiskFeed(store::Store& store, const audit::AuditLog& audit,
                   const crypto::Keyring& keyring, const Clock& clock, detect::RiskScorer& scorer,
                   ClinicianKin* kin, RiskFeedOptions options)
    : store_(store),
      audit_(audit),
      keyring_(keyring),
      clock_(clock),
      scorer_(scorer),
      kin_(kin),
      options_(options) {}

RiskFeed::~RiskFeed() { Stop(); }

void RiskFeed::Push(detect::DetectionEvent event) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= options_.max_queued) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(event));
    if (!idle_) return;  // the feed collects it at its next pass
  }
  wake_.notify_one();
}

void RiskFeed::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (true) {
      // Idle, the first event wakes the feed at once. Busy, it passes every kPace and
      // takes what has come: a wake-up per event would cost the request threads an
      // inter-processor interrupt each, which on a virtual machine is dear.
      idle_ = queue_.empty();
      if (idle_)
        wake_.wait_for(lock, std::chrono::seconds(1),
                       [this] { return stopping_ || !queue_.empty(); });
      idle_ = false;
      std::deque<detect::DetectionEvent> batch;
      batch.swap(queue_);
      bool stop = stopping_;
      lock.unlock();
      Weigh(batch);
      lock.lock();
      if (stop && queue_.empty()) return;
      if (!batch.empty()) wake_.wait_for(lock, kPace, [this] { return stopping_; });
    }
  });
}

void RiskFeed::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void RiskFeed::Drain() {
  std::deque<detect::DetectionEvent> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(queue_);
  }
  Weigh(batch);
}

int64_t RiskFeed::escalations() const {
  std::lock_guard lock(mu_);
  return escalations_;
}

int64_t RiskFeed::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void RiskFeed::Weigh(std::deque<detect::DetectionEvent>& batch) {
  std::lock_guard weighing(weigh_mu_);
  for (detect::DetectionEvent& event : batch) {
    if (kin_ != nullptr)
      if (Status marked = kin_->Mark(event); !marked)
        spdlog::warn(
            "the detector could not compare patients' names and homes with the clinician's ({})",
            marked.error().message);
    for (const detect::Escalation& e : scorer_.Observe(event)) Carry(e);
  }
  for (const detect::Escalation& e : scorer_.Advance(ToUnixMillis(clock_.Now()))) Carry(e);
}

void RiskFeed::Carry(const detect::Escalation& e) {
  const int64_t now = ToUnixMillis(clock_.Now());
  const std::string level(detect::NameOf(e.level));
  audit::AuditEvent event;
  event.time_ms = now;
  event.request_id = NewUuid();
  event.account_id = e.account_id;
  event.interaction = "detector-escalation";
  event.resource_type = "Account";
  event.resource_id = e.account_id;
  event.status = 200;
  event.outcome = "success";
  event.detail = "containment: " + level + "; risk " + Figure(e.score) + "; " + FeatureSummary(e);
  store::AlertRow alert =
      NewAlert(keyring_, e.account_id, e.severity, "risk-" + level, "", AlertText(e), now);
  const int64_t throttle_until = now + options_.throttle_duration_ms;
  Status carried = store_.Write([&](store::Transaction& txn) -> Status {
    using detect::Level;
    // Each rung keeps the demands of the ones below: a throttled or suspended account
    // still owes a fresh code.
    if (e.level >= Level::kStepUp) TRY(txn.SetContainment(e.account_id, {now, std::nullopt}));
    if (e.level >= Level::kThrottle)
      TRY(txn.SetContainment(e.account_id, {std::nullopt, throttle_until}));
    if (e.level == Level::kSuspendSession) {
      if (e.session_id.empty())
        TRY(txn.RevokeAccountSessions(e.account_id, now, ""));
      else
        TRY(txn.RevokeSession(e.session_id, now));
    }
    if (e.level == Level::kLockAccount) {
      TRY(txn.SetAccountStatus(e.account_id, "locked"));
      TRY(txn.RevokeAccountSessions(e.account_id, now, ""));
    }
    ASSIGN_OR_RETURN(audit::AuditReceipt receipt, audit_.Append(txn, event));
    alert.audit_seq = e.audit_seqs.empty() ? receipt.sequence() : e.audit_seqs.front();
    auto inserted = txn.InsertAlert(alert);
    if (!inserted) return std::unexpected(inserted.error());
    return Ok();
  });
  if (!carried) {
    // The account stays as it was; the next evidence raises it again.
    spdlog::error("detector escalation to {} not recorded: {}", level, carried.error().message);
    return;
  }
  std::lock_guard lock(mu_);
  ++escalations_;
}

}  // namespace medvault::api
