#include "api/auth_api.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "api/access_api.h"
#include "api/auth_bodies.h"
#include "api/json_fields.h"
#include "api/responses.h"
#include "crypto/password_hash.h"
#include "common/utf8.h"
#include "identity/login_throttle.h"
#include "identity/password_policy.h"

namespace medvault::api {
namespace {

std::unexpected<Error> ExpiredChallenge() {
  return Fail(ErrorCode::kUnauthenticated, "invalid or expired challenge: log in again");
}

std::string IsoTime(int64_t unix_ms) {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  size_t n = std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(out, n);
}

bool JsonRequest(const RequestContext& ctx) {
  return IsJsonContentType(ctx.request->HeaderValue("Content-Type"));
}

Outcome NotJson(AuditFacts facts) {
  return JsonErrorOutcome({ErrorCode::kUnsupportedMediaType, "send the body as JSON", {}},
                          std::move(facts));
}

std::string SessionCookie(std::string_view token, std::chrono::milliseconds lifetime) {
  return std::string(kSessionCookie) + "=" + std::string(token) +
         "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(lifetime).count());
}

// One code per step per account (RFC 6238 §5.2), decided in the writer so that two
// requests racing with the same code cannot both pass. A replay is logged: it means the
// code was seen by someone else, or the client is broken.
Status AcceptFreshStep(store::Transaction& txn, const std::string& account_id, int64_t step) {
  ASSIGN_OR_RETURN(bool fresh, txn.AcceptTotpStep(account_id, step));
  if (fresh) return Ok();
  spdlog::warn("account {}: a TOTP code was replayed", account_id);
  return Fail(ErrorCode::kUnauthenticated, "this code was already used: wait for the next one");
}

}  // namespace

struct AuthApi::Throttle {
  struct Subject {
    std::string name;
    bool locks = false;         // an account name (addresses are slowed, never locked)
    bool expired_lock = false;  // its lock ran out: forget its failures first
  };
  std::vector<Subject> subjects;
  std::chrono::milliseconds wait{0};
};

Outcome TooManyAttempts(std::chrono::milliseconds wait, AuditFacts facts) {
  Outcome out = JsonErrorOutcome(
      {ErrorCode::kTooManyRequests, "too many failed attempts: try again later", {}},
      std::move(facts));
  int64_t seconds = std::max<int64_t>(1, (wait.count() + 999) / 1000);
  out.response.headers.push_back({"Retry-After", std::to_string(seconds)});
  return out;
}

Result<AuthApi::Throttle> AuthApi::LoadThrottle(std::vector<std::string> subjects,
                                                int64_t now_ms) const {
  Throttle t;
  for (std::string& name : subjects) {
    Throttle::Subject subject;
    subject.locks = name.starts_with("account:");
    ASSIGN_OR_RETURN(auto row, s_.store.reader().LoginThrottle(name));
    if (row) {
      subject.expired_lock = identity::LockExpired(*row, now_ms);
      t.wait = std::max(t.wait, identity::RetryAfter(*row, now_ms, s_.options.throttle));
    }
    subject.name = std::move(name);
    t.subjects.push_back(std::move(subject));
  }
  return t;
}

store::WriteJob AuthApi::RecordFailure(const Throttle& throttle, int64_t now_ms) const {
  const identity::ThrottlePolicy& policy = s_.options.throttle;
  return [subjects = throttle.subjects, now_ms, lock_after = policy.lock_after,
          lock_until = now_ms + policy.lockout.count()](store::Transaction& txn) -> Status {
    for (const auto& subject : subjects) {
      if (subject.expired_lock) TRY(txn.ClearLoginFailures(subject.name));
      TRY(txn.RecordLoginFailure(subject.name, now_ms, subject.locks ? lock_after : 0, lock_until));
    }
    return Ok();
  };
}

Outcome AuthApi::Login(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "login";
  if (!JsonRequest(ctx)) return NotJson(facts);
  auto login = ParseLoginBody(ctx.request->body);
  if (!login) return JsonErrorOutcome(login.error(), facts);
  const std::string& username = login->username;
  const std::string& password = login->password;
  // Cut on a character boundary: the audit log cannot read back an entry whose text is
  // not UTF-8.
  facts.username = QuotableName(username, 64);
  int64_t now = ToUnixMillis(s_.clock.Now());

  auto throttle = LoadThrottle(
      {identity::AccountSubject(username), identity::AddressSubject(ctx.request->client_address)},
      now);
  if (!throttle) return JsonErrorOutcome(throttle.error(), facts);
  // While backing off, the password is not even checked: guesses cost the attacker
  // time whether or not they are right.
  if (throttle->wait.count() > 0) return TooManyAttempts(throttle->wait, facts);

  auto account = s_.authenticator.CheckPassword(username, password);
  if (!account) {
    Outcome out = JsonErrorOutcome(account.error(), facts);
    out.write = RecordFailure(*throttle, now);
    return out;
  }
  auto challenge = s_.mfa.NewChallenge(*account, ctx.request->client_address,
                                       ctx.request->HeaderValue("User-Agent"));
  if (!challenge) return JsonErrorOutcome(challenge.error(), facts);
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("challenge");
    Str(w, challenge->token);
    if (challenge->enrollment) {
      w.Key("enroll");
      w.StartObject();
      w.Key("otpauth_uri");
      Str(w, challenge->enrollment->otpauth_uri);
      w.Key("secret");
      Str(w, challenge->enrollment->secret_base32);
      w.Key("qr_svg");
      Str(w, challenge->enrollment->qr_svg);
      w.EndObject();
    } else {
      w.Key("mfa");
      w.String("totp");
    }
    w.Key("expires_in");
    w.Int64(std::chrono::duration_cast<std::chrono::seconds>(identity::kChallengeLifetime).count());
    w.EndObject();
  });
  facts.account_id = account->id;
  facts.detail = challenge->enrollment ? "password accepted; TOTP enrolment offered"
                                       : "password accepted; TOTP code requested";
  Outcome out{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
  out.write = [row = std::move(challenge->row)](store::Transaction& txn) {
    return txn.InsertChallenge(row);
  };
  return out;
}

Outcome AuthApi::Mfa(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "mfa";
  if (!JsonRequest(ctx)) return NotJson(facts);
  auto mfa = ParseMfaBody(ctx.request->body);
  if (!mfa) return JsonErrorOutcome(mfa.error(), facts);
  bool has_code = mfa->code.has_value();
  bool has_recovery = mfa->recovery_code.has_value();
  int64_t now = ToUnixMillis(s_.clock.Now());
  store::TokenHash challenge_hash = s_.mfa.HashChallenge(mfa->challenge);
  auto challenge = s_.store.reader().Challenge(challenge_hash);
  if (!challenge) return JsonErrorOutcome(challenge.error(), facts);
  if (!*challenge || (*challenge)->used_at_ms != 0 || now >= (*challenge)->expires_at_ms ||
      (*challenge)->attempts >= identity::kChallengeMaxAttempts)
    return JsonErrorOutcome(ExpiredChallenge().error(), facts);
  const store::LoginChallengeRow& row = **challenge;
  auto account = s_.store.reader().AccountById(row.account_id);
  if (!account) return JsonErrorOutcome(account.error(), facts);
  if (!*account || (*account)->status != "active")
    return JsonErrorOutcome(ExpiredChallenge().error(), facts);
  const store::AccountRow& acct = **account;
  facts.username = acct.username;
  facts.account_id = acct.id;

  auto throttle = LoadThrottle({identity::AccountSubject(acct.username),
                                identity::AddressSubject(ctx.request->client_address)},
                               now);
  if (!throttle) return JsonErrorOutcome(throttle.error(), facts);
  if (throttle->wait.count() > 0) return TooManyAttempts(throttle->wait, facts);
  store::WriteJob failure = [count = RecordFailure(*throttle, now),
                             challenge_hash](store::Transaction& txn) -> Status {
    TRY(txn.CountChallengeAttempt(challenge_hash));
    return count(txn);
  };
  auto refuse = [&](std::string_view message) {
    Outcome out = JsonErrorOutcome({ErrorCode::kUnauthenticated, std::string(message), {}}, facts);
    out.write = failure;
    return out;
  };

  bool enrolling = !row.pending_secret.empty();
  int64_t step = 0;
  store::TokenHash recovery_hash{};
  identity::RecoveryCodes recovery;
  if (has_code) {
    auto matched = s_.mfa.CheckCode(acct, &row, *mfa->code);
    if (!matched) return refuse(matched.error().message);
    step = *matched;
    if (enrolling) recovery = s_.mfa.NewRecoveryCodes(acct.id);
  } else {
    if (enrolling) return refuse("invalid code");  // nothing to recover before enrolment
    recovery_hash = s_.mfa.HashRecoveryCode(acct.id, *mfa->recovery_code);
  }

  identity::IssuedSession issued = s_.authenticator.NewSession(
      acct, ctx.request->client_address, ctx.request->HeaderValue("User-Agent"));
  const identity::SessionPolicy& policy = s_.authenticator.policy();
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("access_token");
    Str(w, issued.token);
    w.Key("token_type");
    w.String("Bearer");
    w.Key("expires_in");
    w.Int64(std::chrono::duration_cast<std::chrono::seconds>(policy.idle_timeout).count());
    w.Key("csrf_token");
    Str(w, s_.mfa.CsrfToken(issued.row.id));
    if (acct.must_change_password) {
      w.Key("password_change_required");
      w.Bool(true);
    }
    if (!recovery.codes.empty()) {
      w.Key("recovery_codes");
      w.StartArray();
      for (const std::string& code : recovery.codes) Str(w, code);
      w.EndArray();
    }
    w.EndObject();
  });
  http::Response response = JsonBody(200, std::move(body));
  response.headers.push_back({"Set-Cookie", SessionCookie(issued.token, policy.absolute_timeout)});
  facts.detail = "session " + issued.row.id +
                 (enrolling      ? " (TOTP enrolled)"
                  : has_recovery ? " (recovery code)"
                                 : "");
  Outcome out{std::move(response), facts, nullptr, nullptr, {}};
  out.refusal_write = failure;
  std::vector<std::string> clear;
  for (const auto& subject : throttle->subjects) clear.push_back(subject.name);
  out.write = [challenge_hash, now, enrolling, has_code, step, recovery_hash, account_id = acct.id,
               pending = row.pending_secret, recovery_hashes = std::move(recovery.hashes),
               clear = std::move(clear),
               session = std::move(issued.row)](store::Transaction& txn) -> Status {
    // Checked again here, in the writer: two requests racing with one challenge or one
    // code cannot both win.
    ASSIGN_OR_RETURN(bool first_use, txn.ConsumeChallenge(challenge_hash, now));
    if (!first_use) return ExpiredChallenge();
    if (enrolling) {
      TRY(txn.EnrollTotp(account_id, pending, step, recovery_hashes));
    } else if (has_code) {
      TRY(AcceptFreshStep(txn, account_id, step));
    } else {
      ASSIGN_OR_RETURN(bool unused, txn.UseRecoveryCode(account_id, recovery_hash, now));
      if (!unused) return Fail(ErrorCode::kUnauthenticated, "invalid code");
    }
    for (const std::string& subject : clear) TRY(txn.ClearLoginFailures(subject));
    return txn.InsertSession(session);
  };
  return out;
}

Outcome AuthApi::StepUp(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "step-up";
  if (!JsonRequest(ctx)) return NotJson(facts);
  auto code = ParseStepUpBody(ctx.request->body);
  if (!code) return JsonErrorOutcome(code.error(), facts);
  const identity::Principal& p = *ctx.principal;
  int64_t now = ToUnixMillis(s_.clock.Now());
  auto throttle = LoadThrottle({identity::AccountSubject(p.username())}, now);
  if (!throttle) return JsonErrorOutcome(throttle.error(), facts);
  if (throttle->wait.count() > 0) return TooManyAttempts(throttle->wait, facts);
  auto account = s_.store.reader().AccountById(p.account_id());
  if (!account) return JsonErrorOutcome(account.error(), facts);
  if (!*account) return JsonErrorOutcome({ErrorCode::kUnauthenticated, "no account", {}}, facts);
  auto step = s_.mfa.CheckCode(**account, nullptr, *code);
  if (!step) {
    Outcome out = JsonErrorOutcome(step.error(), facts);
    out.write = RecordFailure(*throttle, now);
    return out;
  }
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("step_up_expires_in");
    w.Int64(
        std::chrono::duration_cast<std::chrono::seconds>(s_.authenticator.policy().step_up_window)
            .count());
    w.EndObject();
  });
  Outcome out{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
  out.refusal_write = RecordFailure(*throttle, now);
  out.write = [account_id = p.account_id(), session = p.session_id(), step = *step,
               now](store::Transaction& txn) -> Status {
    TRY(AcceptFreshStep(txn, account_id, step));
    return txn.MarkSteppedUp(session, now);
  };
  return out;
}

Outcome AuthApi::ChangePassword(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "password-change";
  if (!JsonRequest(ctx)) return NotJson(facts);
  auto change = ParsePasswordChangeBody(ctx.request->body);
  if (!change) return JsonErrorOutcome(change.error(), facts);
  const identity::Principal& p = *ctx.principal;
  int64_t now = ToUnixMillis(s_.clock.Now());
  auto throttle = LoadThrottle({identity::AccountSubject(p.username())}, now);
  if (!throttle) return JsonErrorOutcome(throttle.error(), facts);
  if (throttle->wait.count() > 0) return TooManyAttempts(throttle->wait, facts);
  auto account = s_.store.reader().AccountById(p.account_id());
  if (!account) return JsonErrorOutcome(account.error(), facts);
  if (!*account || !crypto::VerifyPassword((*account)->password_hash, change->current)) {
    Outcome out = JsonErrorOutcome(
        {ErrorCode::kUnauthenticated, "the current password is not right", {}}, facts);
    out.write = RecordFailure(*throttle, now);
    return out;
  }
  const std::string& next = change->next;
  if (next == change->current)
    return JsonErrorOutcome(
        {ErrorCode::kInvalid, "the new password must differ from the current one", {}}, facts);
  std::string_view context[] = {p.username()};
  if (Status ok = identity::CheckPasswordPolicy(next, context); !ok)
    return JsonErrorOutcome(ok.error(), facts);
  auto hash = crypto::HashPassword(next);
  if (!hash) return JsonErrorOutcome(hash.error(), facts);
  facts.detail = "password changed; the account's other sessions revoked";
  http::Response r;
  r.status = 204;
  Outcome out{std::move(r), std::move(facts), nullptr, nullptr, {}};
  out.write = [account_id = p.account_id(), session = p.session_id(), hash = std::move(*hash),
               now](store::Transaction& txn) -> Status {
    TRY(txn.SetPassword(account_id, hash, false));
    return txn.RevokeAccountSessions(account_id, now, session);
  };
  return out;
}

Outcome AuthApi::Logout(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "logout";
  http::Response r;
  r.status = 204;
  r.headers.push_back(
      {"Set-Cookie",
       std::string(kSessionCookie) + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"});
  Outcome out{std::move(r), std::move(facts), nullptr, nullptr, {}};
  out.write = [session = ctx.principal->session_id(), now = ToUnixMillis(s_.clock.Now())](
                  store::Transaction& txn) { return txn.RevokeSession(session, now); };
  return out;
}

Outcome AuthApi::Me(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "me";
  const identity::Principal& p = *ctx.principal;
  auto recovery_left = s_.store.reader().UnusedRecoveryCodes(p.account_id());
  if (!recovery_left) return JsonErrorOutcome(recovery_left.error(), facts);
  auto break_glass_left = BreakGlassLeft(s_, p);
  if (!break_glass_left) return JsonErrorOutcome(break_glass_left.error(), facts);
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("id");
    Str(w, p.account_id());
    w.Key("username");
    Str(w, p.username());
    w.Key("role");
    Str(w, identity::NameOf(p.role()));
    w.Key("organization");
    Str(w, p.organization_id());
    w.Key("practitioner");
    Str(w, p.practitioner_id());
    w.Key("session");
    Str(w, p.session_id());
    w.Key("stepped_up");
    w.Bool(s_.authenticator.SteppedUp(p));
    w.Key("password_change_required");
    w.Bool(p.must_change_password());
    w.Key("recovery_codes_left");
    w.Int64(*recovery_left);
    w.Key("break_glass_left");
    w.Int64(*break_glass_left);
    w.Key("expires_in");  // the idle timeout, as /auth/mfa says it
    w.Int64(std::chrono::duration_cast<std::chrono::seconds>(s_.authenticator.policy().idle_timeout)
                .count());
    if (ctx.session_from_cookie) {
      // A reloaded page has the cookie but lost the token it kept in memory. Only a page
      // of this origin can read this answer (no CORS, SameSite=Strict cookie).
      w.Key("csrf_token");
      Str(w, s_.mfa.CsrfToken(p.session_id()));
    }
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

Outcome AuthApi::Sessions(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "sessions-list";
  const identity::Principal& p = *ctx.principal;
  int64_t now = ToUnixMillis(s_.clock.Now());
  auto sessions = s_.store.reader().SessionsOfAccount(p.account_id(), now);
  if (!sessions) return JsonErrorOutcome(sessions.error(), facts);
  int64_t idle = s_.authenticator.policy().idle_timeout.count();
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("sessions");
    w.StartArray();
    for (const store::SessionRow& s : *sessions) {
      if (now - s.last_seen_ms >= idle) continue;  // idle-expired: no longer a session
      w.StartObject();
      w.Key("id");
      Str(w, s.id);
      w.Key("created_at");
      Str(w, IsoTime(s.created_at_ms));
      w.Key("last_seen_at");
      Str(w, IsoTime(s.last_seen_ms));
      w.Key("expires_at");
      Str(w, IsoTime(std::min(s.expires_at_ms, s.last_seen_ms + idle)));
      w.Key("client_address");
      Str(w, s.client_address);
      w.Key("user_agent");
      Str(w, s.user_agent);
      w.Key("current");
      w.Bool(s.id == p.session_id());
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

Outcome AuthApi::RevokeSession(const RequestContext& ctx, const std::string& session_id) {
  AuditFacts facts;
  facts.interaction = "session-revoke";
  facts.detail = "session " + session_id;
  const identity::Principal& p = *ctx.principal;
  int64_t now = ToUnixMillis(s_.clock.Now());
  auto sessions = s_.store.reader().SessionsOfAccount(p.account_id(), now);
  if (!sessions) return JsonErrorOutcome(sessions.error(), facts);
  bool own = std::any_of(sessions->begin(), sessions->end(),
                         [&](const store::SessionRow& s) { return s.id == session_id; });
  // Another account's session is "not found" too: ids of others' sessions are not
  // something a user may probe.
  if (!own) return JsonErrorOutcome({ErrorCode::kNotFound, "no such session of yours", {}}, facts);
  http::Response r;
  r.status = 204;
  Outcome out{std::move(r), std::move(facts), nullptr, nullptr, {}};
  out.write = [session_id, now](store::Transaction& txn) {
    return txn.RevokeSession(session_id, now);
  };
  return out;
}

}  // namespace medvault::api
