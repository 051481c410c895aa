#include "practice_fixture.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string_view>
#include <thread>

#include "sample_resources.h"
#include "support/reference_totp.h"
#include "support/throwaway_postgres.h"

namespace medvault::testing {

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << "not JSON: " << text.substr(0, 300);
  return doc;
}

std::string Str(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject() || !object.HasMember(key)) return "";
  const rapidjson::Value& v = object[key];
  if (v.IsString()) return v.GetString();
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  return "";
}

std::string NextPage(const rapidjson::Value& bundle, const std::string& base_url) {
  if (!bundle.IsObject() || !bundle.HasMember("link")) return "";
  for (const auto& link : bundle["link"].GetArray())
    if (std::string(link["relation"].GetString()) == "next")
      return std::string(link["url"].GetString()).substr(base_url.size());
  return "";
}

std::string IdFromLocation(const HttpResponse& response) {
  // ".../fhir/Type/<id>/_history/<n>"
  std::string location = response.Header("location");
  auto history = location.rfind("/_history/");
  if (history == std::string::npos) return "";
  auto slash = location.rfind('/', history - 1);
  if (slash == std::string::npos) return "";
  return location.substr(slash + 1, history - slash - 1);
}

std::unique_ptr<HttpsClient> Practice::NewClient() const {
  return std::make_unique<HttpsClient>(server->url(), data_dir + "/tls/server.crt");
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Practice::CodeAt(const std::string& username, int64_t step) const {
  auto secret = ReferenceBase32Decode(totp_secrets.at(username));
  return ReferenceTotp(secret, step * 30);
}

std::string Practice::NextCode(const std::string& username) const {
  static std::mutex mu;  // tests may log in from several threads
  std::lock_guard lock(mu);
  int64_t now_step = UnixNow() / 30;
  int64_t& last = last_step[username];
  int64_t step = std::max(now_step - 1, last + 1);
  while (step > UnixNow() / 30 + 1) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  last = step;
  return CodeAt(username, step);
}

std::pair<HttpResponse, HttpResponse> Practice::Login(HttpsClient& client,
                                                      const std::string& username,
                                                      const std::string& password) const {
  auto first =
      client.Request("POST", "/auth/login",
                     R"({"username":")" + username + R"(","password":")" + password + R"("})",
                     {"Content-Type: application/json"});
  if (first.status != 200) return {first, {}};
  auto doc = Json(first.body);
  std::string challenge =
      doc.IsObject() && doc.HasMember("challenge") ? doc["challenge"].GetString() : std::string();
  auto second = client.Request(
      "POST", "/auth/mfa",
      R"({"challenge":")" + challenge + R"(","code":")" + NextCode(username) + R"("})",
      {"Content-Type: application/json"});
  return {first, second};
}

std::unique_ptr<HttpsClient> Practice::LoginAs(const std::string& username) const {
  auto client = NewClient();
  auto [first, second] = Login(*client, username, passwords.at(username));
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(second.status, 200) << second.body;
  auto doc = Json(second.body);
  if (doc.IsObject() && doc.HasMember("access_token"))
    client->set_bearer(doc["access_token"].GetString());
  return client;
}

std::string Practice::PatientOfB(const std::string& family) {
  auto r = as("physician-b")
               .Request("POST", "/fhir/Patient",
                        PatientJson(family, "Hugo", "1955-05-05", other_organization_id));
  EXPECT_EQ(r.status, 201) << r.body;
  return IdFromLocation(r);
}

HttpResponse Practice::StepUp(const std::string& username) {
  return as(username).Request("POST", "/auth/step-up",
                              R"({"code":")" + NextCode(username) + R"("})",
                              {"Content-Type: application/json"});
}

HttpResponse Practice::BreakGlass(const std::string& username, const std::string& patient) {
  auto stepped = StepUp(username);
  EXPECT_EQ(stepped.status, 200) << username << ": " << stepped.body;
  return as(username).Request("POST", "/access/break-glass",
                              R"({"patient":")" + patient +
                                  R"(","reason":{"code":"ETREAT","text":")" + kBreakGlassText +
                                  R"("}})",
                              {"Content-Type: application/json"});
}

std::string Practice::AccountId(const std::string& username) {
  auto me = Json(as(username).Get("/auth/me").body);
  return me.IsObject() && me.HasMember("id") ? me["id"].GetString() : "";
}

HttpResponse Practice::Contain(const std::string& account, const std::string& action) {
  auto send = [&] {
    return as("security_officer")
        .Request("POST", "/security/accounts/" + account + "/contain",
                 R"({"action":")" + action + R"("})", {"Content-Type: application/json"});
  };
  HttpResponse r = send();
  if (r.status == 401 && r.body.find("step_up_required") != std::string::npos) {
    StepUp("security_officer");
    r = send();
  }
  return r;
}

PatientRecord RegisterPatient(Practice& p, const std::string& owner,
                              const std::string& patient_json) {
  PatientRecord record;
  HttpsClient& doctor = p.as(owner);
  auto created = doctor.Request("POST", "/fhir/Patient", patient_json);
  EXPECT_EQ(created.status, 201) << owner << ": " << created.body;
  record.patient = IdFromLocation(created);
  for (const char* type : kClinicalTypes) {
    auto r =
        doctor.Request("POST", std::string("/fhir/") + type, ClinicalJson(type, record.patient));
    EXPECT_EQ(r.status, 201) << owner << " " << type << ": " << r.body;
    record.ids[type] = IdFromLocation(r);
  }
  return record;
}

namespace {

std::string CreateOrganization(HttpsClient& admin, const std::string& name) {
  auto r = admin.Request("POST", "/fhir/Organization",
                         R"({"resourceType":"Organization","name":")" + name + R"("})");
  EXPECT_EQ(r.status, 201) << r.body;
  return IdFromLocation(r);
}

std::string CreatePractitioner(HttpsClient& admin, const std::string& family) {
  auto r = admin.Request("POST", "/fhir/Practitioner",
                         R"({"resourceType":"Practitioner","name":[{"family":")" + family +
                             R"(","given":["Test"]}]})");
  EXPECT_EQ(r.status, 201) << r.body;
  return IdFromLocation(r);
}

}  // namespace

void Practice::AddAccount(const std::string& username, const std::string& role,
                          const std::string& organization) {
  std::string password = "correct horse battery " + username;
  std::vector<std::string> args = {
      "user",   "add",    "--data", data_dir,           "--username",
      username, "--role", role,     "--password-stdin", "--enroll-totp"};
  if (!organization.empty()) {
    args.push_back("--organization");
    args.push_back(organization);
  }
  if (role == "physician" || role == "nurse") {
    std::string practitioner = CreatePractitioner(as("admin"), username);
    practitioners[username] = practitioner;
    args.push_back("--practitioner");
    args.push_back(practitioner);
  }
  auto r = RunMedvault(args, password + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto doc = Json(r.out);
  if (doc.IsObject() && doc.HasMember("totp_secret"))
    totp_secrets[username] = doc["totp_secret"].GetString();
  passwords[username] = password;
  clients[username] = LoginAs(username);
}

bool OnPostgres() {
  const char* engine = std::getenv("MEDVAULT_TEST_ENGINE");
  return engine != nullptr && std::string_view(engine) == "postgres";
}

std::vector<std::string> InitArgs(const std::string& data_dir, std::string* database_uri) {
  std::vector<std::string> args{"init", "--data", data_dir};
  if (!OnPostgres()) return args;
  // The server keeps its records in a new database of the throwaway PostgreSQL
  // (tests/support/throwaway_postgres.h) instead of SQLite in the data directory.
  std::string error;
  const ThrowawayPostgres* server = SharedPostgres(error);
  EXPECT_NE(server, nullptr) << error;
  static std::atomic<int> next{0};
  std::string uri =
      server == nullptr
          ? ""
          : server->CreateDatabase("it" + std::to_string(::getpid()) + "_" + std::to_string(next++),
                                   error);
  EXPECT_FALSE(uri.empty()) << error;
  args.insert(args.end(), {"--database", uri});
  if (database_uri != nullptr) *database_uri = uri;
  return args;
}

std::unique_ptr<Practice> StartPractice(
    const std::vector<std::pair<std::string, std::string>>& config_edits,
    const std::function<void(const std::string& data_dir)>& prepare) {
  auto p = std::make_unique<Practice>();
  p->dir = std::make_unique<TempDir>();
  p->data_dir = p->dir->path() + "/data";
  p->log_file = p->dir->path() + "/server.log";
  if (prepare) prepare(p->data_dir);
  auto init_args = InitArgs(p->data_dir, &p->database_uri);
  auto init = RunMedvault(init_args);
  EXPECT_EQ(init.exit_code, 0) << init.err;
  // init prints "  admin              admin              <password>", then
  // "    TOTP secret     <base32>".
  std::istringstream lines(init.out);
  std::string current;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string first, second, third;
    words >> first >> second >> third;
    if (first == "admin" && second == "admin") {
      current = "admin";
      p->passwords["admin"] = third;
    } else if (first != "TOTP") {
      if (!first.empty()) current.clear();
    } else if (current == "admin" && second == "secret") {
      p->totp_secrets["admin"] = third;
    }
  }
  EXPECT_FALSE(p->passwords["admin"].empty()) << init.out;
  EXPECT_FALSE(p->totp_secrets["admin"].empty()) << init.out;

  {
    std::vector<std::pair<std::string, std::string>> edits = config_edits;
    bool web_root_set = std::any_of(edits.begin(), edits.end(), [](const auto& edit) {
      return edit.first.starts_with("root = ");
    });
    if (!web_root_set) edits.emplace_back("enabled = true", "enabled = false");
    std::string path = p->data_dir + "/medvault.toml";
    std::ifstream in(path);
    std::string config((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& [from, to] : edits) {
      size_t at = config.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      if (at != std::string::npos) config.replace(at, from.size(), to);
    }
    std::ofstream(path, std::ios::trunc) << config;
  }
  p->server = std::make_unique<ServerProcess>(p->data_dir, p->log_file);
  auto admin = p->LoginAs("admin");
  // init's passwords are one-time: the admin must choose its own before anything else.
  std::string chosen = "correct horse battery admin";
  auto changed =
      admin->Request("POST", "/auth/password",
                     R"({"current":")" + p->passwords["admin"] + R"(","new":")" + chosen + R"("})",
                     {"Content-Type: application/json"});
  EXPECT_EQ(changed.status, 204) << changed.body;
  p->passwords["admin"] = chosen;
  p->organization_id = CreateOrganization(*admin, "Cabinet A");
  p->other_organization_id = CreateOrganization(*admin, "Cabinet B");
  p->clients["admin"] = std::move(admin);
  const std::string& a = p->organization_id;
  const std::string& b = p->other_organization_id;
  p->AddAccount("physician", "physician", a);
  p->AddAccount("physician-2", "physician", a);  // a colleague in the same practice
  p->AddAccount("nurse", "nurse", a);
  p->AddAccount("secretary", "secretary", a);
  p->AddAccount("physician-b", "physician", b);
  p->AddAccount("nurse-b", "nurse", b);
  p->AddAccount("secretary-b", "secretary", b);
  p->AddAccount("security_officer", "security_officer", "");
  return p;
}

}  // namespace medvault::testing
