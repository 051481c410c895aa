#include "api/synchronous_detector.h"

#include <spdlog/spdlog.h>

#include <string>
#include <utility>
#include <vector>

#include "api/alerts.h"
#include "api/peer_traffic.h"
#include "api/responses.h"

namespace medvault::api {

SynchronousDetector::SynchronousDetector(Services& services)
    : s_(services), denials_(10 * 60 * 1000, services.detector.options().refusals_before_step_up) {}

void SynchronousDetector::ChargeBudget(const RequestContext& ctx, bool fhir, Outcome& outcome) {
  const AuditFacts& facts = outcome.audit;
  // What reaches the caller: reads and searches. A write's answer only echoes what the
  // caller sent.
  bool receives = facts.interaction == "read" || facts.interaction == "vread" ||
                  facts.interaction == "history" || facts.interaction == "search";
  if (!ctx.principal || !fhir || !receives || outcome.response.status / 100 != 2 ||
      (facts.patients.empty() && !facts.directory_search))
    return;
  // What the account received from the other nodes first: a request it sent there and
  // saw answered has committed its entry, so alternating nodes gains it nothing.
  if (s_.peer_traffic != nullptr) {
    if (Status caught = s_.peer_traffic->CatchUp(); !caught)
      spdlog::warn("budget charged without the other nodes' latest traffic: {}",
                   caught.error().message);
  }
  int64_t now = ToUnixMillis(ctx.received_at);
  const identity::Principal& who = *ctx.principal;
  detect::BudgetCheck check =
      s_.detector.budgets().Charge(who, facts.patients, facts.directory_search, now);
  std::string what =
      check.budget + " (" + std::to_string(check.used) + " of " + std::to_string(check.limit) + ")";
  if (check.newly_extended)
    outcome.alerts.push_back(NewAlert(s_.keyring, who.account_id(), "medium", "budget-extended", "",
                                      "budget extended after a step-up", now));
  if (check.verdict == detect::BudgetVerdict::kWithin) return;

  // Nothing of this response leaves, and nothing it would have written is written.
  AuditFacts refused = facts;
  refused.patients.clear();
  refused.patients_outside_care.clear();
  refused.restricted_patients.clear();
  refused.detail = "budget exhausted: " + what;
  std::vector<store::AlertRow> alerts = std::move(outcome.alerts);
  if (check.verdict == detect::BudgetVerdict::kStepUp) {
    Error e{ErrorCode::kUnauthenticated,
            "step-up required: this account has reached its budget of " + check.budget +
                "; confirm with a fresh code (POST /auth/step-up), then retry",
            {}};
    outcome = FhirErrorOutcome(e, std::move(refused));
    if (check.newly_exhausted) {
      alerts.push_back(NewAlert(s_.keyring, who.account_id(), "low", "budget-exhausted", "",
                                "asked to step up: " + what, now));
      // The demand holds until a fresh code comes: whoever cannot give one (a thief with
      // a stolen session) stays stopped when the window moves on.
      outcome.write = [account = who.account_id(), now](store::Transaction& txn) {
        return txn.SetContainment(account, store::ContainmentChange{now, std::nullopt});
      };
    }
  } else {
    Error e{ErrorCode::kTooManyRequests,
            "this account has used its budget of " + check.budget + ", extended once already",
            {}};
    outcome = FhirErrorOutcome(e, std::move(refused));
    outcome.response.headers.push_back(
        {"Retry-After", std::to_string((check.retry_after_ms + 999) / 1000)});
    if (check.newly_exhausted) {
      // Escalation: the account is throttled and the security officer told at once.
      alerts.push_back(NewAlert(s_.keyring, who.account_id(), "high", "budget-refused", "",
                                "refused after the extension: " + what + "; account throttled",
                                now));
      int64_t until = now + s_.detector.options().throttle_duration_ms;
      outcome.write = [account = who.account_id(), until](store::Transaction& txn) {
        return txn.SetContainment(account, store::ContainmentChange{std::nullopt, until});
      };
    }
  }
  outcome.alerts = std::move(alerts);
}

void SynchronousDetector::CountRefusal(const RequestContext& ctx, int status, int64_t now,
                                       Outcome& outcome) {
  if (!ctx.principal || status != 403) return;
  int64_t refused = denials_.Record(ctx.principal->account_id(), now);
  if (!denials_.ShouldAlert(refused)) return;
  outcome.alerts.push_back(NewAlert(
      s_.keyring, ctx.principal->account_id(), "medium", "repeated-denials", "",
      std::to_string(refused) + " requests refused in the last " +
          std::to_string(denials_.window_ms() / 60000) + " minutes; a fresh code is now required",
      now));
  // Escalation: an account walking through patients it may not see must prove, with the
  // phone a thief lacks, that its owner is at the keyboard.
  outcome.write = Then(std::move(outcome.write), [account = ctx.principal->account_id(),
                                                  now](store::Transaction& txn) {
    return txn.SetContainment(account, store::ContainmentChange{now, std::nullopt});
  });
}

}  // namespace medvault::api
