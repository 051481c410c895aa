// /admin/accounts: account administration for the admin role — create, list, suspend,
// reactivate, unlock, force a password reset, reset MFA. Administrators see and manage
// accounts, never patient data. Every change is a sensitive operation (step-up).
#pragma once

#include <string>

#include "api/request_context.h"
#include "api/services.h"

namespace medvault::api {

class AdminApi {
 public:
  explicit AdminApi(Services& services) : s_(services) {}

  // GET /admin/accounts.
  Outcome List(const RequestContext& ctx);
  // POST /admin/accounts {"username","role","organization"?,"practitioner"?}: a one-time
  // password, to be changed at first login. Runs Argon2id: call on a worker thread.
  Outcome Create(const RequestContext& ctx);
  // POST /admin/accounts/{id}/{action}. reset-password runs Argon2id (worker thread).
  Outcome Act(const RequestContext& ctx, const std::string& account_id, const std::string& action);

 private:
  Services& s_;
};

}  // namespace medvault::api
