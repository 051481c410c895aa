#include "api/peer_traffic.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <string>
#include <vector>

#include "access/policy.h"
#include "api/risk_feed.h"
#include "identity/role.h"

namespace medvault::api {
namespace {

// Stop is noticed within one slice of the wait.
constexpr int kSliceMs = 200;
// A confidentiality label changed on a patient reaches the follower's scoring within
// this long; the serving node scores with the label of the moment.
constexpr int64_t kLabelCacheMs = 60'000;
constexpr size_t kMaxLabels = 100'000;

}  // namespace

bool DirectorySearch(const audit::AuditEvent& entry) {
  // The entry keeps whose minimal identity was sent, not the search's mode: a directory
  // search that found nobody is not recognized (nothing was delivered either).
  return entry.interaction == "search" && entry.resource_type == "Patient" &&
         !entry.minimal_identity.empty();
}

bool DeliveredPatientData(const audit::AuditEvent& entry) {
  const std::string& i = entry.interaction;
  bool receives = i == "read" || i == "vread" || i == "history" || i == "search";
  return receives && entry.status / 100 == 2 && !entry.account_id.empty() &&
         (!entry.patients.empty() || DirectorySearch(entry));
}

std::optional<detect::DetectionEvent> PeerDetectionEvent(
    const audit::AuditEvent& entry, int64_t seq,
    const std::function<bool(const std::string& patient)>& restricted) {
  std::optional<identity::Role> role = identity::ParseRole(entry.role);
  if (entry.account_id.empty() || !role) return std::nullopt;
  AuditFacts facts;
  facts.interaction = entry.interaction;
  facts.resource_type = entry.resource_type;
  facts.patients = entry.patients;
  facts.directory_search = DirectorySearch(entry);
  facts.patients_outside_care = entry.outside_care.value_or(entry.patients);
  for (const std::string& patient : entry.patients)
    if (restricted(patient)) facts.restricted_patients.push_back(patient);
  detect::DetectionEvent event = DetectionEventOf(entry, *role, facts);
  event.audit_seq = seq;
  event.status = entry.status;
  return event;
}

PeerTraffic::PeerTraffic(store::Store& store, const audit::AuditLog& audit,
                         detect::BudgetLedger& budgets, detect::EventSink* scorer,
                         const Clock& clock, PeerTrafficOptions options)
    : store_(store),
      audit_(audit),
      budgets_(budgets),
      scorer_(scorer),
      clock_(clock),
      options_(options) {}

PeerTraffic::~PeerTraffic() { Stop(); }

Status PeerTraffic::Start() {
  if (audit_.node().empty())
    return Fail(ErrorCode::kInternal, "following other nodes needs this node's id in its entries");
  ASSIGN_OR_RETURN(int64_t last, store_.reader().AuditLastSequence());
  last_seq_ = last;
  thread_ = std::thread([this] { Follow(); });
  return Ok();
}

void PeerTraffic::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

Status PeerTraffic::CatchUp() {
  std::lock_guard lock(read_mu_);
  store::Reader& reader = store_.reader();
  while (true) {
    ASSIGN_OR_RETURN(std::vector<store::AuditRow> rows,
                     reader.AuditEntries(last_seq_ + 1, options_.page));
    for (const store::AuditRow& row : rows) {
      // The writers' lock makes entries visible in sequence order; a gap would be an
      // entry not yet visible, read next time rather than skipped.
      if (row.seq != last_seq_ + 1) return Ok();
      last_seq_ = row.seq;
      Result<std::string> plain = audit_.OpenEntry(row);
      Result<audit::AuditEvent> entry =
          plain ? audit::ParseCanonicalJson(*plain) : std::unexpected(plain.error());
      if (!entry) {
        // Damage is `audit verify`'s to report; following goes on past it.
        spdlog::warn("peer traffic: audit entry {} does not open; skipped", row.seq);
        continue;
      }
      if (entry->node != audit_.node()) Take(*entry, row.seq, reader);
    }
    if (static_cast<int64_t>(rows.size()) < options_.page) return Ok();
  }
}

void PeerTraffic::Take(const audit::AuditEvent& entry, int64_t seq, store::Reader& reader) {
  ++peer_entries_;
  if (DeliveredPatientData(entry))
    budgets_.Count(entry.account_id, entry.patients, DirectorySearch(entry), entry.time_ms,
                   ToUnixMillis(clock_.Now()));
  if (scorer_ == nullptr) return;
  auto restricted = [&](const std::string& patient) { return Restricted(patient, reader); };
  if (auto event = PeerDetectionEvent(entry, seq, restricted)) scorer_->Push(std::move(*event));
}

bool PeerTraffic::Restricted(const std::string& patient, store::Reader& reader) {
  const int64_t now = ToUnixMillis(clock_.Now());
  auto cached = labels_.find(patient);
  if (cached != labels_.end() && now - cached->second.read_at_ms < kLabelCacheMs)
    return cached->second.restricted;
  // Bounded: a full cache starts again (a minute of lookups at most).
  if (labels_.size() >= kMaxLabels) labels_.clear();
  auto compartment = reader.Compartment(patient);
  // A failed lookup counts as unlabelled and is not kept.
  if (!compartment) return false;
  bool restricted = *compartment && access::IsRestricted((*compartment)->confidentiality);
  labels_[patient] = Label{restricted, now};
  return restricted;
}

void PeerTraffic::Follow() {
  std::unique_ptr<store::AuditAppendListener> listener;
  bool listen_failed = false;
  bool read_failed = false;
  while (!stopping_) {
    if (!listener) {
      auto opened = store_.ListenForAuditAppends();
      if (opened && *opened) {
        listener = std::move(*opened);
        if (listen_failed) spdlog::info("peer traffic: listening for other nodes' entries again");
        listen_failed = false;
      } else if (!listen_failed) {
        spdlog::warn(
            "peer traffic: cannot listen for other nodes' audit entries ({}); reading "
            "the log every {} ms until it can",
            opened ? "no listener" : opened.error().message, options_.quiet_poll_ms);
        listen_failed = true;
      }
    }
    // Listening first, then reading: whatever was appended while not listening is read
    // now, and what comes after wakes the wait below.
    Status read = Ok();
    try {
      read = CatchUp();
    } catch (const std::exception& e) {  // a read connection that cannot be opened
      read = Fail(ErrorCode::kUnavailable, e.what());
    }
    if (!read && !read_failed) {
      spdlog::warn("peer traffic: cannot read the audit log ({}); retrying", read.error().message);
    } else if (read && read_failed) {
      spdlog::info("peer traffic: reading the audit log again");
    }
    read_failed = !read;
    for (int waited = 0; waited < options_.quiet_poll_ms && !stopping_; waited += kSliceMs) {
      if (!listener) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kSliceMs));
        continue;
      }
      Result<bool> woke = listener->Wait(kSliceMs);
      if (!woke) {
        listener.reset();  // listened again at the top, then the log is read
        break;
      }
      if (*woke) break;
    }
  }
}

}  // namespace medvault::api
