#include "api/admin_api.h"

#include "api/alerts.h"
#include "api/json_fields.h"
#include "api/responses.h"
#include "crypto/password_hash.h"
#include "identity/account_actions.h"
#include "identity/accounts.h"
#include "identity/login_throttle.h"
#include "identity/password_policy.h"

namespace medvault::api {
namespace {

void WriteAccount(JsonWriter& w, const store::AccountRow& a, bool locked) {
  w.StartObject();
  w.Key("id");
  Str(w, a.id);
  w.Key("username");
  Str(w, a.username);
  w.Key("role");
  Str(w, a.role);
  w.Key("organization");
  Str(w, a.organization_id);
  w.Key("practitioner");
  Str(w, a.practitioner_id);
  w.Key("status");
  Str(w, a.status);
  w.Key("locked");
  w.Bool(locked);
  w.Key("mfa_enrolled");
  w.Bool(!a.totp_secret.empty());
  w.Key("password_change_required");
  w.Bool(a.must_change_password);
  w.EndObject();
}

}  // namespace

Outcome AdminApi::List(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "account-list";
  (void)ctx;
  int64_t now = ToUnixMillis(s_.clock.Now());
  auto accounts = s_.store.reader().Accounts();
  if (!accounts) return JsonErrorOutcome(accounts.error(), facts);
  std::vector<bool> locked;
  for (const auto& a : *accounts) {
    auto row = s_.store.reader().LoginThrottle(identity::AccountSubject(a.username));
    if (!row) return JsonErrorOutcome(row.error(), facts);
    locked.push_back(*row && (*row)->locked_until_ms > now);
  }
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("accounts");
    w.StartArray();
    for (size_t i = 0; i < accounts->size(); ++i) WriteAccount(w, (*accounts)[i], locked[i]);
    w.EndArray();
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

Outcome AdminApi::Create(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "account-create";
  facts.resource_type = "Account";
  if (!IsJsonContentType(ctx.request->HeaderValue("Content-Type")))
    return JsonErrorOutcome({ErrorCode::kUnsupportedMediaType, "send the body as JSON", {}}, facts);
  auto fields =
      ParseStringFields(ctx.request->body, {"username", "role", "organization", "practitioner"});
  if (!fields) return JsonErrorOutcome(fields.error(), facts);
  auto role = identity::ParseRole((*fields)["role"]);
  if (!role)
    return JsonErrorOutcome({ErrorCode::kInvalid,
                             "role must be one of physician, nurse, secretary, "
                             "security_officer, admin",
                             {}},
                            facts);
  identity::NewAccount account{(*fields)["username"], *role, (*fields)["organization"],
                               (*fields)["practitioner"], identity::GeneratePassword()};
  if (auto refs = identity::CheckReferences(s_.store.reader(), account); !refs)
    return JsonErrorOutcome(refs.error(), facts);
  auto row = identity::PrepareAccount(account, s_.clock);
  if (!row) return JsonErrorOutcome(row.error(), facts);
  row->must_change_password = true;  // the password below is seen by the administrator
  facts.resource_id = row->id;
  facts.detail = "role " + row->role;
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("id");
    Str(w, row->id);
    w.Key("username");
    Str(w, row->username);
    w.Key("role");
    Str(w, row->role);
    w.Key("password");
    Str(w, account.password);
    w.EndObject();
  });
  Outcome out{JsonBody(201, std::move(body)), std::move(facts), nullptr, nullptr, {}};
  // Separation of duties: an administrator who creates a clinician's account could log
  // in as that clinician, so the security officer hears of every such account.
  if (*role == identity::Role::kPhysician || *role == identity::Role::kNurse)
    out.alerts.push_back(NewAlert(s_.keyring, ctx.principal->account_id(), "low",
                                  "clinician-account-created", "",
                                  "administrator " + ctx.principal->username() + " created the " +
                                      row->role + " account " + row->username,
                                  ToUnixMillis(s_.clock.Now())));
  out.write = [row = std::move(*row)](store::Transaction& txn) { return txn.InsertAccount(row); };
  return out;
}

Outcome AdminApi::Act(const RequestContext& ctx, const std::string& account_id,
                      const std::string& action) {
  AuditFacts facts;
  facts.interaction = "account-" + action;
  facts.resource_type = "Account";
  facts.resource_id = account_id;
  auto found = s_.store.reader().AccountById(account_id);
  if (!found) return JsonErrorOutcome(found.error(), facts);
  if (!*found) return JsonErrorOutcome({ErrorCode::kNotFound, "no such account", {}}, facts);
  const store::AccountRow& account = **found;
  bool self = account.id == ctx.principal->account_id();
  if (self && (action == "suspend" || action == "reset-mfa" || action == "reset-password"))
    return JsonErrorOutcome({ErrorCode::kConflict,
                             "administrators cannot do this to their own account: ask another "
                             "administrator",
                             {}},
                            facts);
  int64_t now = ToUnixMillis(s_.clock.Now());
  http::Response r;
  r.status = 204;
  if (!identity::IsAccountAction(action))
    return JsonErrorOutcome({ErrorCode::kNotFound, "no such account action", {}}, facts);
  std::string hash;
  if (action == "reset-password") {
    std::string password = identity::GeneratePassword();
    auto hashed = crypto::HashPassword(password);
    if (!hashed) return JsonErrorOutcome(hashed.error(), facts);
    hash = std::move(*hashed);
    r = JsonBody(200, WriteJson([&](JsonWriter& w) {
                   w.StartObject();
                   w.Key("password");
                   Str(w, password);
                   w.Key("password_change_required");
                   w.Bool(true);
                   w.EndObject();
                 }));
  }
  auto write = identity::AccountActionWrite(action, account, now, std::move(hash));
  if (!write) return JsonErrorOutcome(write.error(), facts);
  Outcome out{std::move(r), std::move(facts), nullptr, nullptr, {}};
  out.write = std::move(*write);
  return out;
}

}  // namespace medvault::api
