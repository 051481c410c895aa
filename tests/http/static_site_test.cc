// The web application's files: what is served, with which headers, and what never is
// (paths out of the root, hidden files, links, API paths).
#include "http/static_site.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_server.h"

namespace medvault::http {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

void Write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const Header& h : r.headers)
    if (h.name == name) return h.value;
  return "";
}

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write(dir_.File("site/index.html"), "<!doctype html><title>app</title>");
    Write(dir_.File("site/assets/index-abc123.js"), "console.log(1)");
    Write(dir_.File("site/assets/index-abc123.css"), "body{}");
    Write(dir_.File("site/.env"), "SECRET=1");
    Write(dir_.File("site/notes.unknown"), "no type");
    Write(dir_.File("outside.txt"), "outside the root");
    fs::create_symlink(dir_.File("outside.txt"), dir_.File("site/linked.txt"));
    auto files = StaticFiles::Load(dir_.File("site"));
    ASSERT_TRUE(files) << files.error().message;
    files_ = std::make_shared<const StaticFiles>(std::move(*files));
  }

  TempDir dir_;
  std::shared_ptr<const StaticFiles> files_;
};

TEST_F(StaticSiteTest, ServesTheAppsFilesWithTheirTypesAndCachePolicies) {
  Response index = files_->Serve("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>app</title>");
  EXPECT_EQ(HeaderOf(index, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(index, "Cache-Control"), "no-cache");
  EXPECT_TRUE(index.app_page);
  EXPECT_FALSE(index.no_store);

  Response script = files_->Serve("/assets/index-abc123.js");
  EXPECT_EQ(script.body, "console.log(1)");
  EXPECT_EQ(HeaderOf(script, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(script, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(files_->Serve("/assets/index-abc123.css"), "Content-Type"),
            "text/css; charset=utf-8");
  EXPECT_EQ(files_->size(), 3u);  // index.html and the two assets, nothing else
}

TEST_F(StaticSiteTest, AScreenOfTheAppGetsIndexHtmlAndAMissingFileGets404) {
  for (const char* path : {"/today", "/patients/123", "/console/alerts"}) {
    Response r = files_->Serve(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><title>app</title>") << path;
  }
  for (const char* path : {"/assets/index-old.js", "/favicon.ico", "/assets/"}) {
    Response r = files_->Serve(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_FALSE(r.app_page) << path;
  }
}

TEST_F(StaticSiteTest, NothingOutsideTheBuiltFilesIsEverServed) {
  for (const char* path :
       {"/.env", "/linked.txt", "/notes.unknown", "/../outside.txt", "/assets/../../outside.txt",
        "/%2e%2e/outside.txt", "/assets/%2e%2e/%2e%2e/outside.txt", "//outside.txt"}) {
    Response r = files_->Serve(path);
    EXPECT_EQ(r.body.find("outside the root"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("no type"), std::string::npos) << path;
  }
}

TEST(StaticFilesLoad, RefusesARootWithoutIndexHtml) {
  TempDir dir;
  Write(dir.File("site/app.js"), "x");
  auto files = StaticFiles::Load(dir.File("site"));
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(StaticFiles::Load(dir.File("absent")));
}

// Records what reaches the API handler.
class ApiStub : public Handler {
 public:
  void Handle(Request request, Responder respond) override {
    seen.push_back(request.method + " " + request.path);
    Response r;
    r.status = 401;
    r.body = "api";
    respond(std::move(r));
  }
  Response ProtocolError(int status, std::string_view, std::string_view) override {
    Response r;
    r.status = status;
    r.body = "api protocol error";
    return r;
  }
  std::vector<std::string> seen;
};

Response Send(Handler& handler, std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = path;
  request.target = std::move(path);
  Response answer;
  handler.Handle(std::move(request), Responder([&](Response r) { answer = std::move(r); }));
  return answer;
}

TEST_F(StaticSiteTest, ApiPathsAndWritesGoToTheApiWhateverTheFiles) {
  ApiStub api;
  StaticSite site(api, files_, {"fhir", "auth", "admin", "security", "healthz"});
  EXPECT_EQ(Send(site, "GET", "/fhir/Patient").body, "api");
  EXPECT_EQ(Send(site, "GET", "/admin/accounts").body, "api");
  EXPECT_EQ(Send(site, "GET", "/healthz").body, "api");
  EXPECT_EQ(Send(site, "POST", "/today").body, "api");
  EXPECT_EQ(Send(site, "GET", "/today").body, "<!doctype html><title>app</title>");
  EXPECT_EQ(Send(site, "HEAD", "/").status, 200);
  // A prefix is a whole first segment: /fhirst is the app's, not the API's.
  EXPECT_EQ(Send(site, "GET", "/fhirst").status, 200);
  EXPECT_EQ(api.seen, (std::vector<std::string>{"GET /fhir/Patient", "GET /admin/accounts",
                                                "GET /healthz", "POST /today"}));
  EXPECT_EQ(site.ProtocolError(400, "bad", "/").body, "api protocol error");
}

TEST(StaticSiteWithoutApp, AnswersTheAppsPathsWith404AndAHint) {
  ApiStub api;
  StaticSite site(api, nullptr, {"fhir"});
  Response r = Send(site, "GET", "/");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("npm run build"), std::string::npos);
  EXPECT_EQ(Send(site, "GET", "/fhir/metadata").body, "api");
}

}  // namespace
}  // namespace medvault::http
