// Everything a request handler may use, wired once at start-up by `medvault serve`.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "access/policy.h"
#include "access/record_vault.h"
#include "api/posture.h"
#include "api/worker_pool.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "crypto/keyring.h"
#include "crypto/signing_key.h"
#include "detect/detector.h"
#include "detect/event_sink.h"
#include "detect/risk_scorer.h"
#include "identity/authenticator.h"
#include "identity/login_throttle.h"
#include "identity/mfa.h"
#include "store/store.h"

namespace medvault::api {

struct ApiOptions {
  // Base URL used in Location headers, fullUrl and paging links, e.g.
  // "https://records.example.org". Empty: built from the request's Host header.
  std::string public_base_url;
  std::string software_version = "0.1.0";
  // Searches that would have to decrypt more candidates than this are refused as too
  // broad: they are never what a clinician means, and always what a scraper wants.
  size_t max_search_candidates = 10'000;
  identity::ThrottlePolicy throttle;
  // A session works only from the client (address and user agent) that opened it.
  bool bind_sessions_to_client = true;
  // Break-the-glass: how long a grant lasts, and how many one account may take in any
  // 24 hours.
  std::chrono::minutes break_glass_duration{60};
  int break_glass_per_day = 3;
  // GET /security/events: streams open at once; the next one is refused with 503.
  size_t max_alert_streams = 16;
  // The key that signs audit tree heads (published as GET /audit/tree-head's key_id).
  crypto::PublicKey audit_public_key{};
  // Every key trusted to have signed tree heads, oldest first: the ones a signing key
  // rotation replaced, then audit_public_key.
  std::vector<crypto::PublicKey> audit_trusted_keys;
  // GET /security/selfcheck: the posture checks of the data directory (none: 503).
  PostureCheck posture;
};

class PeerTraffic;

struct Services {
  store::Store& store;
  const crypto::Keyring& keyring;
  const Clock& clock;
  const identity::Authenticator& authenticator;
  const identity::Mfa& mfa;
  const access::Policy& policy;
  const access::RecordVault& vault;
  const audit::AuditLog& audit;
  WorkerPool& workers;
  detect::Detector& detector;
  ApiOptions options;
  // The detector's asynchronous half (api::RiskFeed), fed one event per committed
  // authenticated request; none when absent.
  detect::EventSink* detection_events = nullptr;
  // The same half's scores, for the security officer's view of an account.
  const detect::RiskScorer* risk_scorer = nullptr;
  // Several nodes on one database: the other nodes' traffic, caught up with before a
  // budget is charged (api/peer_traffic.h); none on a database of one server.
  PeerTraffic* peer_traffic = nullptr;
};

}  // namespace medvault::api
