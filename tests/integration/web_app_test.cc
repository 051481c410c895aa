// The web application served by the real binary: a built app in a directory named by
// `[web] root` (relative to the data directory) is served at / with the app's
// Content-Security-Policy, its screens get index.html, and the API keeps its paths.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "https_client.h"
#include "medvault_process.h"
#include "practice_fixture.h"

namespace medvault::testing {
namespace {

constexpr const char* kIndex = "<!doctype html><script type=\"module\" src=\"/assets/app-1.js\">";

TEST(WebAppTest, ServesTheBuiltAppBesideTheApi) {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  ASSERT_EQ(RunMedvault(InitArgs(data)).exit_code, 0);
  std::filesystem::create_directories(data + "/site/assets");
  std::ofstream(data + "/site/index.html") << kIndex;
  std::ofstream(data + "/site/assets/app-1.js") << "export {};";
  {
    std::string path = data + "/medvault.toml";
    std::ifstream in(path);
    std::string config((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t at = config.find("root = \"\"");
    ASSERT_NE(at, std::string::npos);
    config.replace(at, 9, "root = \"site\"");
    std::ofstream(path, std::ios::trunc) << config;
  }
  ServerProcess server(data, dir.path() + "/server.log");
  HttpsClient client(server.url(), data + "/tls/server.crt");

  auto index = client.Get("/");
  ASSERT_EQ(index.status, 200) << index.body;
  EXPECT_EQ(index.body, kIndex);
  EXPECT_EQ(index.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.Header("cache-control"), "no-cache");
  const std::string policy = index.Header("content-security-policy");
  EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe"), std::string::npos) << policy;
  EXPECT_EQ(index.Header("x-frame-options"), "DENY");

  EXPECT_EQ(client.Get("/today").body, kIndex);  // a screen of the app
  auto script = client.Get("/assets/app-1.js");
  EXPECT_EQ(script.body, "export {};");
  EXPECT_EQ(script.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(client.Get("/assets/app-0.js").status, 404);
  EXPECT_EQ(client.Get("/medvault.toml").status, 404);  // the data directory is not the root

  // The API's paths stay the API's, with its own policy.
  auto me = client.Get("/auth/me");
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.Header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(me.Header("content-security-policy").find("script-src"), std::string::npos);
  EXPECT_EQ(client.Get("/admin/accounts").status, 401);
  EXPECT_EQ(client.Get("/healthz").status, 200);
  EXPECT_EQ(client.Request("POST", "/today", "{}").status, 404);  // not a file's method
}

}  // namespace
}  // namespace medvault::testing
