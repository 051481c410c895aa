// Identity over HTTPS against the real binary: the two-step login (password, then a
// TOTP code computed here without liboath), enrolment, recovery codes, replay refusal,
// browser cookies and CSRF, sessions, password changes, step-up and account
// administration. Lockout and backoff have their own suite (login_throttle_test.cc).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "practice_fixture.h"
#include "support/reference_totp.h"

namespace medvault::testing {
namespace {

class AuthTest : public ::testing::Test {
 protected:
  // Step-up lasts 2 seconds here, so that a test can watch it run out.
  static void SetUpTestSuite() {
    practice_ = StartPractice({{"step_up_seconds = 600", "step_up_seconds = 2"}}).release();
  }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;
};
Practice* AuthTest::practice_ = nullptr;

const std::vector<std::string> kJson = {"Content-Type: application/json"};

HttpResponse Post(HttpsClient& c, const std::string& path, const std::string& body,
                  std::vector<std::string> headers = kJson) {
  return c.Request("POST", path, body, headers);
}

std::string Challenge(HttpsClient& c, const std::string& username, const std::string& password) {
  auto r = Post(c, "/auth/login",
                R"({"username":")" + username + R"(","password":")" + password + R"("})");
  EXPECT_EQ(r.status, 200) << r.body;
  auto doc = Json(r.body);
  return doc.IsObject() && doc.HasMember("challenge") ? doc["challenge"].GetString() : "";
}

HttpResponse SendCode(HttpsClient& c, const std::string& challenge, const std::string& code) {
  return Post(c, "/auth/mfa", R"({"challenge":")" + challenge + R"(","code":")" + code + R"("})");
}

// An account made with `medvault user add`, as an administrator would.
struct NewUser {
  std::string username;
  std::string password;
  std::string secret;  // "" when not enrolled
  std::vector<std::string> recovery_codes;
};

// A new Practitioner, made by the admin (each physician account needs its own).
std::string NewPractitioner(Practice& p) {
  auto r = p.as("admin").Request("POST", "/fhir/Practitioner",
                                 R"({"resourceType":"Practitioner","name":[{"family":"Test"}]})");
  EXPECT_EQ(r.status, 201) << r.body;
  return IdFromLocation(r);
}

NewUser AddUser(Practice& p, const std::string& username, bool enroll) {
  NewUser u{username, "correct horse battery " + username, "", {}};
  std::vector<std::string> args = {"user",
                                   "add",
                                   "--data",
                                   p.data_dir,
                                   "--username",
                                   username,
                                   "--role",
                                   "physician",
                                   "--organization",
                                   p.organization_id,
                                   "--practitioner",
                                   NewPractitioner(p),
                                   "--password-stdin"};
  if (enroll) args.push_back("--enroll-totp");
  auto r = RunMedvault(args, u.password + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto doc = Json(r.out);
  if (enroll && doc.IsObject() && doc.HasMember("totp_secret")) {
    u.secret = doc["totp_secret"].GetString();
    for (auto& code : doc["recovery_codes"].GetArray())
      u.recovery_codes.push_back(code.GetString());
    p.totp_secrets[username] = u.secret;
  }
  p.passwords[username] = u.password;
  return u;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(AuthTest, LoginNeedsThePasswordThenACode) {
  auto c = practice_->NewClient();
  auto first = Post(*c, "/auth/login",
                    R"({"username":"physician","password":"correct horse battery physician"})");
  ASSERT_EQ(first.status, 200) << first.body;
  auto step1 = Json(first.body);
  EXPECT_EQ(std::string(step1["mfa"].GetString()), "totp");
  EXPECT_FALSE(step1.HasMember("access_token")) << "a password alone must not open a session";
  EXPECT_FALSE(step1.HasMember("enroll"));

  auto second = SendCode(*c, step1["challenge"].GetString(), practice_->NextCode("physician"));
  ASSERT_EQ(second.status, 200) << second.body;
  auto doc = Json(second.body);
  EXPECT_EQ(std::string(doc["token_type"].GetString()), "Bearer");
  EXPECT_EQ(std::string(doc["access_token"].GetString()).size(), 43u);
  EXPECT_GT(doc["expires_in"].GetInt(), 0);
  EXPECT_FALSE(std::string(doc["csrf_token"].GetString()).empty());
  std::string cookie = second.Header("set-cookie");
  EXPECT_EQ(cookie.rfind("__Host-medvault_session=", 0), 0u) << cookie;
  for (const char* attribute : {"; Path=/", "; Secure", "; HttpOnly", "; SameSite=Strict"})
    EXPECT_NE(cookie.find(attribute), std::string::npos) << attribute << " in " << cookie;

  c->set_bearer(doc["access_token"].GetString());
  auto me = c->Get("/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;
  auto who = Json(me.body);
  EXPECT_EQ(std::string(who["username"].GetString()), "physician");
  EXPECT_EQ(std::string(who["organization"].GetString()), practice_->organization_id);
  EXPECT_EQ(who["recovery_codes_left"].GetInt(), 10);
}

TEST_F(AuthTest, AWrongCodeFailsAndAChallengeAllowsFewTries) {
  auto c = practice_->NewClient();
  std::string challenge = Challenge(*c, "nurse", practice_->passwords.at("nurse"));
  std::string right = practice_->CodeAt("nurse", UnixNow() / 30);
  std::string wrong = right == "000000" ? "111111" : "000000";
  EXPECT_EQ(SendCode(*c, challenge, wrong).status, 401);
  EXPECT_EQ(SendCode(*c, challenge, "abcdef").status, 401);
  EXPECT_EQ(SendCode(*c, challenge, "12345").status, 401);
  // Three failures: the next attempt must wait, whatever it carries.
  auto waiting = SendCode(*c, challenge, right);
  EXPECT_EQ(waiting.status, 429) << waiting.body;
  EXPECT_FALSE(waiting.Header("retry-after").empty());
  EXPECT_EQ(SendCode(*c, "not-a-challenge", right).status, 401);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  // Each challenge allows five codes; this one has used three.
  EXPECT_EQ(SendCode(*c, challenge, wrong).status, 401);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(SendCode(*c, challenge, wrong).status, 401);
  std::this_thread::sleep_for(std::chrono::milliseconds(4500));
  auto spent = SendCode(*c, challenge, practice_->NextCode("nurse"));
  EXPECT_EQ(spent.status, 401) << "a challenge is spent after five codes: " << spent.body;
  EXPECT_NE(spent.body.find("log in again"), std::string::npos) << spent.body;
  auto ok = practice_->LoginAs("nurse");
  EXPECT_EQ(ok->Get("/auth/me").status, 200);
}

TEST_F(AuthTest, AReplayedCodeIsRefusedAndLogged) {
  NewUser u = AddUser(*practice_, "replay.target", true);
  auto c = practice_->NewClient();
  std::string code = practice_->NextCode(u.username);
  auto first = SendCode(*c, Challenge(*c, u.username, u.password), code);
  ASSERT_EQ(first.status, 200) << first.body;
  auto replay = SendCode(*c, Challenge(*c, u.username, u.password), code);
  EXPECT_EQ(replay.status, 401) << replay.body;
  EXPECT_NE(replay.body.find("already used"), std::string::npos) << replay.body;
  // The server's log says so (the audit entry records it too).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_NE(Slurp(practice_->log_file).find("a TOTP code was replayed"), std::string::npos);
  // A code of a later step still works.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto later = SendCode(*c, Challenge(*c, u.username, u.password), practice_->NextCode(u.username));
  EXPECT_EQ(later.status, 200) << later.body;
}

TEST_F(AuthTest, RecoveryCodesWorkOnceEach) {
  NewUser u = AddUser(*practice_, "recovery.user", true);
  ASSERT_EQ(u.recovery_codes.size(), 10u);
  auto c = practice_->NewClient();
  auto used = Post(*c, "/auth/mfa",
                   R"({"challenge":")" + Challenge(*c, u.username, u.password) +
                       R"(","recovery_code":")" + u.recovery_codes[0] + R"("})");
  ASSERT_EQ(used.status, 200) << used.body;
  c->set_bearer(Json(used.body)["access_token"].GetString());
  EXPECT_EQ(Json(c->Get("/auth/me").body)["recovery_codes_left"].GetInt(), 9);
  auto again = Post(*c, "/auth/mfa",
                    R"({"challenge":")" + Challenge(*c, u.username, u.password) +
                        R"(","recovery_code":")" + u.recovery_codes[0] + R"("})");
  EXPECT_EQ(again.status, 401) << again.body;
  std::this_thread::sleep_for(std::chrono::seconds(2));  // let the failure's backoff pass
  auto ok = practice_->LoginAs(u.username);
  EXPECT_EQ(ok->Get("/auth/me").status, 200);
}

TEST_F(AuthTest, FirstLoginEnrolsTotpAndShowsRecoveryCodesOnce) {
  NewUser u = AddUser(*practice_, "new.doctor", false);
  auto c = practice_->NewClient();
  auto first =
      Post(*c, "/auth/login", R"({"username":"new.doctor","password":")" + u.password + R"("})");
  ASSERT_EQ(first.status, 200) << first.body;
  auto doc = Json(first.body);
  ASSERT_TRUE(doc.HasMember("enroll")) << first.body;
  std::string secret = doc["enroll"]["secret"].GetString();
  std::string uri = doc["enroll"]["otpauth_uri"].GetString();
  std::string svg = doc["enroll"]["qr_svg"].GetString();
  EXPECT_EQ(uri.rfind("otpauth://totp/medvault:new.doctor?", 0), 0u) << uri;
  EXPECT_NE(uri.find("secret=" + secret), std::string::npos) << uri;
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(svg.find("<script"), std::string::npos);

  practice_->totp_secrets[u.username] = secret;
  auto enrolled = SendCode(*c, doc["challenge"].GetString(), practice_->NextCode(u.username));
  ASSERT_EQ(enrolled.status, 200) << enrolled.body;
  auto session = Json(enrolled.body);
  ASSERT_TRUE(session.HasMember("recovery_codes"));
  EXPECT_EQ(session["recovery_codes"].Size(), 10u);

  auto next =
      Post(*c, "/auth/login", R"({"username":"new.doctor","password":")" + u.password + R"("})");
  auto after = Json(next.body);
  EXPECT_FALSE(after.HasMember("enroll")) << "enrolment is offered once";
  EXPECT_EQ(std::string(after["mfa"].GetString()), "totp");
  auto logged = SendCode(*c, after["challenge"].GetString(), practice_->NextCode(u.username));
  ASSERT_EQ(logged.status, 200);
  EXPECT_FALSE(Json(logged.body).HasMember("recovery_codes")) << "shown once";
}

TEST_F(AuthTest, UnknownUserAndWrongPasswordGetTheSameAnswer) {
  auto c = practice_->NewClient();
  using Clock = std::chrono::steady_clock;
  auto timed = [&](const std::string& body) {
    auto start = Clock::now();
    auto r = Post(*c, "/auth/login", body);
    return std::pair(r, Clock::now() - start);
  };
  auto [wrong, wrong_time] =
      timed(R"({"username":"physician","password":"not the right password"})");
  auto [unknown, unknown_time] =
      timed(R"({"username":"nobody-here","password":"not the right password"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.Header("www-authenticate"), unknown.Header("www-authenticate"));
  // Both pay for one Argon2id verification (the unknown name against a dummy hash): an
  // unknown name must not answer in a fraction of the time.
  EXPECT_GT(unknown_time * 3, wrong_time);
  EXPECT_GT(wrong_time * 3, unknown_time);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto ok = practice_->LoginAs("physician");  // clears the address's failures
  EXPECT_EQ(ok->Get("/auth/me").status, 200);
}

TEST_F(AuthTest, MalformedBodiesAreRefused) {
  auto c = practice_->NewClient();
  for (const char* path : {"/auth/login", "/auth/mfa"}) {
    for (const char* body : {"", "{", "[]", R"({"username":1,"password":"x"})",
                             R"({"username":"a","password":"b","x":"1"})"}) {
      auto r = Post(*c, path, body);
      EXPECT_EQ(r.status, 400) << path << " " << body << " → " << r.body;
      auto doc = Json(r.body);
      EXPECT_TRUE(doc.HasMember("error") && doc.HasMember("message")) << r.body;
    }
  }
  auto wrong_type = Post(*c, "/auth/login", "username=a&password=b",
                         {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(wrong_type.status, 415);
  EXPECT_EQ(c->Get("/auth/login").status, 405);
  EXPECT_EQ(c->Get("/auth/mfa").status, 405);
}

TEST_F(AuthTest, FhirWithoutOrWithABadTokenIs401WithAnOperationOutcome) {
  auto c = practice_->NewClient();
  for (const std::string& token : {std::string(), std::string("garbage"), std::string(43, 'A')}) {
    c->set_bearer(token);
    auto r = c->Get("/fhir/Patient?family=martin");
    EXPECT_EQ(r.status, 401) << token;
    EXPECT_EQ(r.Header("www-authenticate"), "Bearer realm=\"medvault\"");
    auto doc = Json(r.body);
    EXPECT_EQ(std::string(doc["resourceType"].GetString()), "OperationOutcome");
    EXPECT_EQ(std::string(doc["issue"][0]["code"].GetString()), "login");
  }
}

TEST_F(AuthTest, BrowserSessionsNeedTheCsrfTokenForChanges) {
  auto api = practice_->NewClient();
  auto [first, second] = practice_->Login(*api, "physician", practice_->passwords.at("physician"));
  ASSERT_EQ(second.status, 200) << second.body;
  std::string cookie = second.Header("set-cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  std::string csrf = Json(second.body)["csrf_token"].GetString();

  auto browser = practice_->NewClient();  // no bearer: the cookie only
  auto me = browser->Request("GET", "/auth/me", "", {"Cookie: " + cookie});
  EXPECT_EQ(me.status, 200);
  // A reloaded page gets its token back from /auth/me; bearer clients need none.
  EXPECT_EQ(std::string(Json(me.body)["csrf_token"].GetString()), csrf);
  api->set_bearer(Json(second.body)["access_token"].GetString());
  EXPECT_FALSE(Json(api->Get("/auth/me").body).HasMember("csrf_token"));
  std::string patient = R"({"resourceType":"Patient","name":[{"family":"Csrf"}],)"
                        R"("managingOrganization":{"reference":"Organization/)" +
                        practice_->organization_id + R"("}})";
  std::vector<std::string> fhir = {"Content-Type: application/fhir+json", "Cookie: " + cookie};
  auto forged = browser->Request("POST", "/fhir/Patient", patient, fhir);
  EXPECT_EQ(forged.status, 403) << forged.body;
  auto wrong = fhir;
  wrong.push_back("X-CSRF-Token: " + std::string(csrf.size(), 'A'));
  EXPECT_EQ(browser->Request("POST", "/fhir/Patient", patient, wrong).status, 403);
  auto right = fhir;
  right.push_back("X-CSRF-Token: " + csrf);
  auto created = browser->Request("POST", "/fhir/Patient", patient, right);
  EXPECT_EQ(created.status, 201) << created.body;
  // The bearer of the same session needs no CSRF token: a header is not sent by a
  // browser on its own.
  EXPECT_EQ(api->Request("POST", "/fhir/Patient", patient).status, 201);
}

TEST_F(AuthTest, UsersListAndRevokeTheirOwnSessions) {
  auto one = practice_->LoginAs("secretary");
  auto two = practice_->LoginAs("secretary");
  auto listed = one->Get("/auth/sessions");
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto doc = Json(listed.body);
  std::string other_id;
  int current = 0;
  for (auto& s : doc["sessions"].GetArray()) {
    EXPECT_EQ(std::string(s["client_address"].GetString()), "127.0.0.1");
    EXPECT_TRUE(s.HasMember("user_agent") && s.HasMember("last_seen_at"));
    if (s["current"].GetBool())
      ++current;
    else
      other_id = s["id"].GetString();
  }
  EXPECT_EQ(current, 1);
  ASSERT_FALSE(other_id.empty());
  std::string two_id = Json(two->Get("/auth/me").body)["session"].GetString();
  EXPECT_EQ(one->Request("DELETE", "/auth/sessions/" + two_id).status, 204);
  EXPECT_EQ(two->Get("/auth/me").status, 401);
  EXPECT_EQ(one->Get("/auth/me").status, 200);
  // Someone else's session is not found.
  std::string nurse_session =
      Json(practice_->as("nurse").Get("/auth/me").body)["session"].GetString();
  EXPECT_EQ(one->Request("DELETE", "/auth/sessions/" + nurse_session).status, 404);
  EXPECT_EQ(practice_->as("nurse").Get("/auth/me").status, 200);
}

TEST_F(AuthTest, LogoutRevokesTheSession) {
  auto c = practice_->LoginAs("nurse");
  ASSERT_EQ(c->Get("/auth/me").status, 200);
  EXPECT_EQ(c->Request("POST", "/auth/logout").status, 204);
  EXPECT_EQ(c->Get("/auth/me").status, 401);
}

TEST_F(AuthTest, PasswordChangeChecksStrengthAndRevokesOtherSessions) {
  NewUser u = AddUser(*practice_, "changes.password", true);
  auto c = practice_->LoginAs(u.username);
  auto other = practice_->LoginAs(u.username);
  auto change = [&](const std::string& current, const std::string& next) {
    return Post(*c, "/auth/password",
                R"({"current":")" + current + R"(","new":")" + next + R"("})");
  };
  EXPECT_EQ(change(u.password, "short").status, 400);
  EXPECT_EQ(change(u.password, "motdepasse2024").status, 400);     // on the common list
  EXPECT_EQ(change(u.password, "changes.password1").status, 400);  // the username
  auto weak = change(u.password, "aaaaaaaaaaaaaaaa");
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.body.find("aaaaaaaaaaaaaaaa"), std::string::npos) << "never echo a password";
  EXPECT_EQ(change("not the password", "a brand new passphrase here").status, 401);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(change(u.password, "a brand new passphrase here").status, 204);
  EXPECT_EQ(c->Get("/auth/me").status, 200);
  EXPECT_EQ(other->Get("/auth/me").status, 401) << "other sessions end with the old password";
  auto fresh = practice_->NewClient();
  auto old_password = Post(*fresh, "/auth/login",
                           R"({"username":"changes.password","password":")" + u.password + R"("})");
  EXPECT_EQ(old_password.status, 401);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  practice_->passwords[u.username] = "a brand new passphrase here";
  EXPECT_EQ(practice_->LoginAs(u.username)->Get("/auth/me").status, 200);
}

TEST_F(AuthTest, SensitiveOperationsNeedARecentCode) {
  auto c = practice_->LoginAs("physician");
  std::string patient = R"({"resourceType":"Patient","name":[{"family":"Stepup"}],)"
                        R"("managingOrganization":{"reference":"Organization/)" +
                        practice_->organization_id + R"("}})";
  std::string id = IdFromLocation(c->Request("POST", "/fhir/Patient", patient));
  ASSERT_FALSE(id.empty());
  std::this_thread::sleep_for(std::chrono::seconds(3));  // the 2-second window runs out
  auto refused = c->Request("DELETE", "/fhir/Patient/" + id);
  EXPECT_EQ(refused.status, 401) << refused.body;
  auto outcome = Json(refused.body);
  EXPECT_EQ(std::string(outcome["resourceType"].GetString()), "OperationOutcome");
  EXPECT_NE(refused.body.find("step-up required"), std::string::npos) << refused.body;
  EXPECT_EQ(c->Get("/fhir/Patient/" + id).status, 200) << "the session itself is fine";

  auto stepped =
      Post(*c, "/auth/step-up", R"({"code":")" + practice_->NextCode("physician") + R"("})");
  ASSERT_EQ(stepped.status, 200) << stepped.body;
  EXPECT_EQ(c->Request("DELETE", "/fhir/Patient/" + id).status, 204);
  auto bad = Post(*c, "/auth/step-up", R"({"code":"000000x"})");
  EXPECT_EQ(bad.status, 401);
}

TEST_F(AuthTest, AdministratorsManageAccounts) {
  auto admin = practice_->LoginAs("admin");  // a fresh code: stepped up for 2 seconds

  std::string practitioner = NewPractitioner(*practice_);
  // A clinician needs a Practitioner of their own: not missing, not someone else's.
  EXPECT_EQ(Post(*admin, "/admin/accounts",
                 R"({"username":"dr.new","role":"physician","organization":")" +
                     practice_->organization_id + R"("})")
                .status,
            400);
  EXPECT_EQ(Post(*admin, "/admin/accounts",
                 R"({"username":"dr.new","role":"physician","organization":")" +
                     practice_->organization_id + R"(","practitioner":")" +
                     practice_->practitioners.at("physician") + R"("})")
                .status,
            409);
  auto created =
      Post(*admin, "/admin/accounts",
           R"({"username":"dr.new","role":"physician","organization":")" +
               practice_->organization_id + R"(","practitioner":")" + practitioner + R"("})");
  ASSERT_EQ(created.status, 201) << created.body;
  // Separation of duties: the security officer hears of every clinician account made.
  auto alerts = practice_->as("security_officer").Get("/security/alerts");
  EXPECT_NE(alerts.body.find("clinician-account-created"), std::string::npos) << alerts.body;
  auto account = Json(created.body);
  std::string id = account["id"].GetString();
  std::string one_time = account["password"].GetString();
  EXPECT_EQ(Post(*admin, "/admin/accounts",
                 R"({"username":"dr.new","role":"physician",)"
                 R"("organization":")" +
                     practice_->organization_id + R"(","practitioner":")" +
                     NewPractitioner(*practice_) + R"("})")
                .status,
            409);
  EXPECT_EQ(Post(*admin, "/admin/accounts", R"({"username":"x.y","role":"king"})").status, 400);
  // Only administrators.
  EXPECT_EQ(practice_->as("physician").Get("/admin/accounts").status, 403);
  EXPECT_EQ(practice_->as("security_officer").Get("/admin/accounts").status, 403);

  // First login: enrolment, then only a password change is allowed.
  auto user = practice_->NewClient();
  auto login = Json(
      Post(*user, "/auth/login", R"({"username":"dr.new","password":")" + one_time + R"("})").body);
  ASSERT_TRUE(login.HasMember("enroll"));
  practice_->totp_secrets["dr.new"] = login["enroll"]["secret"].GetString();
  auto session =
      Json(SendCode(*user, login["challenge"].GetString(), practice_->NextCode("dr.new")).body);
  ASSERT_TRUE(session.HasMember("access_token"));
  EXPECT_TRUE(session["password_change_required"].GetBool());
  user->set_bearer(session["access_token"].GetString());
  auto blocked = user->Get("/fhir/Patient?family=x");
  EXPECT_EQ(blocked.status, 403) << blocked.body;
  EXPECT_EQ(Post(*user, "/auth/password",
                 R"({"current":")" + one_time + R"(","new":"dr new chooses a passphrase"})")
                .status,
            204);
  EXPECT_EQ(user->Get("/fhir/Patient?family=x").status, 200);

  // Listed, then suspended (its sessions end), reactivated, MFA reset.
  auto list = Json(admin->Get("/admin/accounts").body);
  bool found = false;
  for (auto& a : list["accounts"].GetArray()) {
    if (std::string(a["id"].GetString()) != id) continue;
    found = true;
    EXPECT_TRUE(a["mfa_enrolled"].GetBool());
    EXPECT_FALSE(a["password_change_required"].GetBool());
    EXPECT_FALSE(a["locked"].GetBool());
  }
  EXPECT_TRUE(found);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // admin's step-up runs out
  auto needs_code = Post(*admin, "/admin/accounts/" + id + "/suspend", "");
  EXPECT_EQ(needs_code.status, 401);
  EXPECT_EQ(std::string(Json(needs_code.body)["error"].GetString()), "step_up_required");
  ASSERT_EQ(
      Post(*admin, "/auth/step-up", R"({"code":")" + practice_->NextCode("admin") + R"("})").status,
      200);
  EXPECT_EQ(Post(*admin, "/admin/accounts/" + id + "/suspend", "").status, 204);
  EXPECT_EQ(user->Get("/auth/me").status, 401);
  auto suspended = practice_->NewClient();
  EXPECT_EQ(Post(*suspended, "/auth/login",
                 R"({"username":"dr.new","password":"dr new chooses a passphrase"})")
                .status,
            401);
  EXPECT_EQ(Post(*admin, "/admin/accounts/" + id + "/reactivate", "").status, 204);
  EXPECT_EQ(Post(*admin, "/admin/accounts/" + id + "/reset-mfa", "").status, 204);
  auto again = Json(Post(*suspended, "/auth/login",
                         R"({"username":"dr.new","password":"dr new chooses a passphrase"})")
                        .body);
  EXPECT_TRUE(again.HasMember("enroll")) << "after a reset the user enrols again";
  auto reset = Post(*admin, "/admin/accounts/" + id + "/reset-password", "");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_TRUE(Json(reset.body)["password_change_required"].GetBool());
  EXPECT_EQ(Post(*admin, "/admin/accounts/" + id + "/unlock", "").status, 204);
  EXPECT_EQ(Post(*admin, "/admin/accounts/" + id + "/promote", "").status, 404);
  std::string own = Json(admin->Get("/auth/me").body)["id"].GetString();
  EXPECT_EQ(Post(*admin, "/admin/accounts/" + own + "/suspend", "").status, 409);
}

TEST_F(AuthTest, PublicEndpointsNeedNoSession) {
  auto c = practice_->NewClient();
  EXPECT_EQ(c->Get("/healthz").status, 200);
  auto metadata = c->Get("/fhir/metadata");
  ASSERT_EQ(metadata.status, 200);
  auto doc = Json(metadata.body);
  EXPECT_EQ(std::string(doc["resourceType"].GetString()), "CapabilityStatement");
  EXPECT_EQ(doc["rest"][0]["resource"].Size(), 11u);  // ten served types and AuditEvent
}

}  // namespace
}  // namespace medvault::testing
