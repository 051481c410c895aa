#include "cli/drill_https_client.h"

namespace medvault::cli {
namespace {

size_t AppendBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

}  // namespace

HttpsDrillClient::HttpsDrillClient(std::string base_url, std::string ca_file, ManualClock& clock)
    : DrillClient(clock), base_url_(std::move(base_url)), ca_file_(std::move(ca_file)) {}

HttpsDrillClient::~HttpsDrillClient() {
  for (auto& [address, connection] : connections_by_address_) curl_easy_cleanup(connection.curl);
}

HttpsDrillClient::Connection& HttpsDrillClient::ConnectionFor(const std::string& client_address) {
  auto [it, inserted] = connections_by_address_.try_emplace(client_address);
  if (inserted) {
    // 127.0.0.1 is the server; clients take 127.0.0.2 onwards, one per drill address.
    size_t n = connections_by_address_.size() + 1;
    it->second.interface = "host!127.0." + std::to_string(n / 256) + "." + std::to_string(n % 256);
    it->second.curl = curl_easy_init();
  }
  return it->second;
}

DrillResponse HttpsDrillClient::Transmit(const std::string& method, const std::string& target,
                                         const std::string& token, const std::string& body,
                                         const std::string& client_address) {
  Connection& connection = ConnectionFor(client_address);
  CURL* curl = connection.curl;
  if (curl == nullptr) return {0, "cannot create a curl handle"};
  DrillResponse response;
  // Reset keeps the handle's open connection: the next request reuses it.
  curl_easy_reset(curl);
  std::string url = base_url_ + target;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_INTERFACE, connection.interface.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "medvault-drill");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  if (method == "POST" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_slist* headers = nullptr;
  if (!token.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  if (!body.empty())
    headers = curl_slist_append(headers, target.starts_with("/fhir")
                                             ? "Content-Type: application/fhir+json"
                                             : "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) return {0, curl_easy_strerror(rc)};
  // Only answered requests: the audit log must hold exactly these.
  CountRequest();
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  long opened = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &opened);
  connections_ += opened;
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace medvault::cli
