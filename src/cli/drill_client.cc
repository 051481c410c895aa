#include "cli/drill_client.h"

#include <rapidjson/document.h>

#include <future>

#include "identity/totp.h"

namespace medvault::cli {
namespace {

void CollectPatients(const rapidjson::Value& v, std::set<std::string>& out) {
  if (v.IsObject()) {
    if (v.HasMember("resourceType") && v["resourceType"].IsString() &&
        std::string_view(v["resourceType"].GetString()) == "Patient" && v.HasMember("id") &&
        v["id"].IsString())
      out.insert(v["id"].GetString());
    for (const auto& m : v.GetObject()) CollectPatients(m.value, out);
  } else if (v.IsArray()) {
    for (const auto& item : v.GetArray()) CollectPatients(item, out);
  } else if (v.IsString()) {
    std::string_view s(v.GetString(), v.GetStringLength());
    size_t at = s.rfind("Patient/");
    if (at == std::string_view::npos) return;
    std::string_view id = s.substr(at + 8);
    // A search link's "patient=Patient/<id>&_count=…" names the patient too.
    id = id.substr(0, id.find_first_of("/?#&"));
    if (!id.empty()) out.insert(std::string(id));
  }
}

}  // namespace

bool DrillResponse::step_up_required() const {
  return status == 401 && (body.find("step_up_required") != std::string::npos ||
                           body.find("step-up required") != std::string::npos);
}

std::set<std::string> PatientsIn(const std::string& body) {
  std::set<std::string> out;
  rapidjson::Document doc;
  if (doc.Parse(body.data(), body.size()).HasParseError()) return out;
  CollectPatients(doc, out);
  return out;
}

std::string NextPage(const std::string& body) {
  rapidjson::Document doc;
  if (doc.Parse(body.data(), body.size()).HasParseError() || !doc.IsObject() ||
      !doc.HasMember("link") || !doc["link"].IsArray())
    return "";
  for (const auto& link : doc["link"].GetArray()) {
    if (!link.IsObject() || !link.HasMember("relation") || !link.HasMember("url")) continue;
    if (std::string_view(link["relation"].GetString()) != "next") continue;
    std::string url = link["url"].GetString();
    size_t at = url.find("/fhir/");
    return at == std::string::npos ? "" : url.substr(at);
  }
  return "";
}

DrillResponse DrillClient::Send(const std::string& method, const std::string& target,
                                const std::string& token, const std::string& body,
                                const std::string& client_address) {
  DrillResponse response = Transmit(method, target, token, body, client_address);
  if (after_each_ && response.status != 0) after_each_();
  return response;
}

DrillResponse InProcessClient::Transmit(const std::string& method, const std::string& target,
                                        const std::string& token, const std::string& body,
                                        const std::string& client_address) {
  http::Request request;
  request.method = method;
  request.target = target;
  size_t q = target.find('?');
  request.path = target.substr(0, q);
  request.query = q == std::string::npos ? "" : target.substr(q + 1);
  request.host = "medvault.drill";
  request.client_address = client_address;
  request.headers.push_back({"Host", request.host});
  request.headers.push_back({"User-Agent", "medvault-drill"});
  if (!token.empty()) request.headers.push_back({"Authorization", "Bearer " + token});
  if (!body.empty()) {
    bool fhir = target.starts_with("/fhir");
    request.headers.push_back(
        {"Content-Type", fhir ? "application/fhir+json" : "application/json"});
  }
  request.body = body;
  std::promise<http::Response> promise;
  auto future = promise.get_future();
  CountRequest();
  pipeline_.Handle(std::move(request), http::Responder([&promise](http::Response response) {
                     promise.set_value(std::move(response));
                   }));
  http::Response response = future.get();
  return {response.status, std::move(response.body)};
}

std::string DrillClient::FreshCode(const LoadedAccount& account) {
  constexpr int64_t kStepMs = identity::kTotpStepSeconds * 1000;
  int64_t now = ToUnixMillis(clock_.Now());
  int64_t& last = last_step_[account.username];
  if (now / kStepMs <= last) clock_.Set(FromUnixMillis((last + 1) * kStepMs));
  now = ToUnixMillis(clock_.Now());
  last = now / kStepMs;
  auto secret = identity::FromBase32(account.totp_secret);
  if (!secret) return "";
  auto code = identity::TotpCode(*secret, now / 1000);
  return code ? *code : "";
}

bool DrillSession::LogIn() {
  token_.clear();
  std::string login =
      R"({"username":")" + account_.username + R"(","password":")" + account_.password + R"("})";
  DrillResponse challenge = client_.Send("POST", "/auth/login", "", login, address_);
  if (!challenge.ok()) return false;
  rapidjson::Document doc;
  doc.Parse(challenge.body.c_str());
  if (!doc.IsObject() || !doc.HasMember("challenge") || !doc["challenge"].IsString()) return false;
  std::string mfa = R"({"challenge":")" + std::string(doc["challenge"].GetString()) +
                    R"(","code":")" + client_.FreshCode(account_) + R"("})";
  DrillResponse session = client_.Send("POST", "/auth/mfa", "", mfa, address_);
  if (!session.ok()) return false;
  doc.Parse(session.body.c_str());
  if (!doc.IsObject() || !doc.HasMember("access_token") || !doc["access_token"].IsString())
    return false;
  token_ = doc["access_token"].GetString();
  return true;
}

bool DrillSession::StepUp() {
  std::string body = R"({"code":")" + client_.FreshCode(account_) + R"("})";
  return client_.Send("POST", "/auth/step-up", token_, body, address_).ok();
}

DrillResponse DrillSession::Send(const std::string& method, const std::string& target,
                                 const std::string& body) {
  return client_.Send(method, target, token_, body, address_);
}

}  // namespace medvault::cli
