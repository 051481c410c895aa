// /auth: password login issuing a bearer session, logout, and who-am-I.
#pragma once

#include "api/request_context.h"
#include "api/services.h"

namespace medvault::api {

class AuthApi {
 public:
  explicit AuthApi(Services& services) : s_(services) {}

  // POST /auth/login {"username","password"}. Runs Argon2id: call on a worker thread.
  Outcome Login(const RequestContext& ctx);
  // POST /auth/logout: revokes the caller's session.
  Outcome Logout(const RequestContext& ctx);
  // GET /auth/me: the principal.
  Outcome Me(const RequestContext& ctx);

 private:
  Services& s_;
};

}  // namespace medvault::api
