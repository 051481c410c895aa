// The breach drill's way in (docs/DETECTION.md): requests handed to the request Pipeline
// in process, one at a time, on the simulated clock, and the sessions of the people (or
// thieves) who send them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/pipeline.h"
#include "cli/population_loader.h"
#include "common/clock.h"

namespace medvault::cli {

struct DrillResponse {
  int status = 0;
  std::string body;

  bool ok() const { return status / 100 == 2; }
  // 401 asking for a fresh code (budget, containment or a sensitive operation), as
  // opposed to a session that is gone.
  bool step_up_required() const;
  // Refused by the detector or containment: a step-up demand, a throttle, a 403.
  bool refused() const { return status == 401 || status == 429 || status == 403; }
};

// The patients whose data a response body carries: every Patient resource's id and
// every "Patient/<id>" reference in it (a search page counts every patient on it).
std::set<std::string> PatientsIn(const std::string& body);

// The "next" paging link of a search Bundle as a request target ("/fhir/…"), or "".
std::string NextPage(const std::string& body);

// How the drill's requests reach the server: handed to the Pipeline in process (fast), or
// over HTTPS to a server on the same simulated clock (fidelity). The scenario sees only
// this.
class DrillClient {
 public:
  virtual ~DrillClient() = default;

  // Sends one request and waits for its response, then runs the after-each hook.
  // `token` "" sends no Authorization; `client_address` is the address the server sees
  // the request come from.
  DrillResponse Send(const std::string& method, const std::string& target, const std::string& token,
                     const std::string& body, const std::string& client_address);

  // Runs after every answered request. The drill weighs each request's detection event
  // there, before the next request is sent: in a server the feed's thread does it a
  // moment later; here it must happen at a fixed point for a seed to give one result.
  void set_after_each(std::function<void()> hook) { after_each_ = std::move(hook); }

  // A TOTP code of `account` for now. A code is good once: when this 30-second step was
  // used already, the person waits (the clock moves) for the next one.
  std::string FreshCode(const LoadedAccount& account);

  ManualClock& clock() { return clock_; }
  int64_t requests() const { return requests_; }

 protected:
  explicit DrillClient(ManualClock& clock) : clock_(clock) {}
  void CountRequest() { ++requests_; }
  virtual DrillResponse Transmit(const std::string& method, const std::string& target,
                                 const std::string& token, const std::string& body,
                                 const std::string& client_address) = 0;

 private:
  std::function<void()> after_each_;
  ManualClock& clock_;
  int64_t requests_ = 0;
  std::map<std::string, int64_t> last_step_;  // username → last TOTP step used
};

class InProcessClient : public DrillClient {
 public:
  InProcessClient(api::Pipeline& pipeline, ManualClock& clock)
      : DrillClient(clock), pipeline_(pipeline) {}

  DrillResponse Transmit(const std::string& method, const std::string& target,
                         const std::string& token, const std::string& body,
                         const std::string& client_address) override;

 private:
  api::Pipeline& pipeline_;
};

// One client's session of one account. Honest people log in with password and code and
// step up when asked; a thief holds a token and nothing else.
class DrillSession {
 public:
  DrillSession(DrillClient& client, const LoadedAccount& account, std::string address)
      : client_(client), account_(account), address_(std::move(address)) {}

  // POST /auth/login then POST /auth/mfa; false when either is refused.
  bool LogIn();
  // POST /auth/step-up with a fresh code.
  bool StepUp();
  DrillResponse Send(const std::string& method, const std::string& target,
                     const std::string& body = "");

  const LoadedAccount& account() const { return account_; }
  const std::string& token() const { return token_; }
  void set_token(std::string token) { token_ = std::move(token); }
  bool logged_in() const { return !token_.empty(); }

 private:
  DrillClient& client_;
  const LoadedAccount& account_;
  std::string address_;
  std::string token_;
};

}  // namespace medvault::cli
