#include "practice_fixture.h"

#include <sstream>

namespace medvault::testing {

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << "not JSON: " << text.substr(0, 300);
  return doc;
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

std::unique_ptr<HttpsClient> Practice::LoginAs(const std::string& username) const {
  auto client = NewClient();
  auto r = client->Request(
      "POST", "/auth/login",
      R"({"username":")" + username + R"(","password":")" + passwords.at(username) + R"("})",
      {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 200) << r.body;
  auto doc = Json(r.body);
  if (doc.IsObject() && doc.HasMember("access_token"))
    client->set_bearer(doc["access_token"].GetString());
  return client;
}

namespace {

std::string AddUser(Practice& p, const std::string& username, const std::string& role,
                    const std::string& organization) {
  std::string password = "correct horse battery " + username;
  std::vector<std::string> args = {"user",   "add",    "--data", p.data_dir,        "--username",
                                   username, "--role", role,     "--password-stdin"};
  if (!organization.empty()) {
    args.push_back("--organization");
    args.push_back(organization);
  }
  auto r = RunMedvault(args, password + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  p.passwords[username] = password;
  return password;
}

std::string CreateOrganization(HttpsClient& admin, const std::string& name) {
  auto r = admin.Request("POST", "/fhir/Organization",
                         R"({"resourceType":"Organization","name":")" + name + R"("})");
  EXPECT_EQ(r.status, 201) << r.body;
  return IdFromLocation(r);
}

}  // namespace

std::unique_ptr<Practice> StartPractice() {
  auto p = std::make_unique<Practice>();
  p->dir = std::make_unique<TempDir>();
  p->data_dir = p->dir->path() + "/data";
  p->log_file = p->dir->path() + "/server.log";
  auto init = RunMedvault({"init", "--data", p->data_dir});
  EXPECT_EQ(init.exit_code, 0) << init.err;
  // init prints "  admin              admin              <password>".
  std::istringstream lines(init.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string username, role, password;
    if (words >> username >> role >> password && username == "admin" && role == "admin")
      p->passwords["admin"] = password;
  }
  EXPECT_FALSE(p->passwords["admin"].empty()) << init.out;

  p->server = std::make_unique<ServerProcess>(p->data_dir, p->log_file);
  auto admin = p->LoginAs("admin");
  p->organization_id = CreateOrganization(*admin, "Cabinet A");
  p->other_organization_id = CreateOrganization(*admin, "Cabinet B");
  AddUser(*p, "physician", "physician", p->organization_id);
  AddUser(*p, "nurse", "nurse", p->organization_id);
  AddUser(*p, "secretary", "secretary", p->organization_id);
  AddUser(*p, "secretary-b", "secretary", p->other_organization_id);
  AddUser(*p, "security_officer", "security_officer", "");
  p->clients["admin"] = std::move(admin);
  for (const char* u : {"physician", "nurse", "secretary", "secretary-b", "security_officer"})
    p->clients[u] = p->LoginAs(u);
  return p;
}

}  // namespace medvault::testing
