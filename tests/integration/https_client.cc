#include "https_client.h"

#include <algorithm>
#include <cctype>

namespace medvault::testing {
namespace {

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// Files one header line into `headers` (names lower-cased); other lines are ignored.
void AddHeaderLine(std::string line, std::multimap<std::string, std::string>& headers) {
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    headers.emplace(name, value);
  }
}

size_t WriteHeader(char* data, size_t size, size_t n, void* user) {
  AddHeaderLine(std::string(data, size * n),
                *static_cast<std::multimap<std::string, std::string>*>(user));
  return size * n;
}

}  // namespace

std::string HttpResponse::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpsClient::HttpsClient(std::string base_url, std::string ca_file)
    : base_url_(std::move(base_url)), ca_file_(std::move(ca_file)), curl_(curl_easy_init()) {}

HttpsClient::~HttpsClient() { curl_easy_cleanup(curl_); }

HttpResponse HttpsClient::Request(const std::string& method, const std::string& path,
                                  const std::string& body,
                                  const std::vector<std::string>& headers) {
  HttpResponse response;
  curl_easy_reset(curl_);
  std::string url = base_url_ + path;
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, WriteHeader);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 30L);
  if (method == "HEAD") curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
  if (!body.empty() || method == "POST" || method == "PUT") {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_slist* list = nullptr;
  bool has_content_type = false;
  for (const std::string& h : headers) {
    list = curl_slist_append(list, h.c_str());
    if (h.rfind("Content-Type:", 0) == 0) has_content_type = true;
  }
  if (!body.empty() && !has_content_type)
    list = curl_slist_append(list, "Content-Type: application/fhir+json");
  if (!bearer_.empty())
    list = curl_slist_append(list, ("Authorization: Bearer " + bearer_).c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
  CURLcode rc = curl_easy_perform(curl_);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    response.status = -1;
    response.body = curl_easy_strerror(rc);
    return response;
  }
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response.status);
  long n = 0;
  curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &n);
  connects_ += n;
  return response;
}

EventStream::EventStream(const HttpsClient& like, const std::string& path,
                         const std::vector<std::string>& headers) {
  std::string url = like.base_url() + path;
  std::string ca_file = like.ca_file();
  std::vector<std::string> lines = headers;
  if (!like.bearer().empty()) lines.push_back("Authorization: Bearer " + like.bearer());
  thread_ = std::thread([this, url, ca_file, lines] {
    CURL* curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &EventStream::OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &EventStream::OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &EventStream::OnProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
    curl_slist* list = nullptr;
    for (const std::string& h : lines) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_perform(curl);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    std::lock_guard lock(mutex_);
    ended_ = true;
    changed_.notify_all();
  });
}

EventStream::~EventStream() { Close(); }

void EventStream::Close() {
  hangup_ = true;
  if (thread_.joinable()) thread_.join();
}

size_t EventStream::OnBody(char* data, size_t size, size_t n, void* self) {
  auto* stream = static_cast<EventStream*>(self);
  std::lock_guard lock(stream->mutex_);
  stream->body_.append(data, size * n);
  stream->changed_.notify_all();
  return size * n;
}

size_t EventStream::OnHeader(char* data, size_t size, size_t n, void* self) {
  auto* stream = static_cast<EventStream*>(self);
  std::string line(data, size * n);
  std::lock_guard lock(stream->mutex_);
  if (line.starts_with("HTTP/") && line.size() >= 12) {
    stream->status_ = std::stol(line.substr(9, 3));
  } else if (line == "\r\n") {
    stream->head_done_ = true;
    stream->changed_.notify_all();
  } else {
    AddHeaderLine(line, stream->headers_);
  }
  return size * n;
}

int EventStream::OnProgress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<EventStream*>(self)->hangup_ ? 1 : 0;
}

template <typename Predicate>
bool EventStream::Wait(std::chrono::milliseconds timeout, Predicate done) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, done);
}

long EventStream::WaitForStatus(std::chrono::milliseconds timeout) {
  Wait(timeout, [this] { return ended_ || head_done_; });
  std::lock_guard lock(mutex_);
  return status_;
}

bool EventStream::WaitFor(const std::string& text, std::chrono::milliseconds timeout) {
  return Wait(timeout, [&] { return body_.find(text) != std::string::npos; });
}

bool EventStream::WaitForEnd(std::chrono::milliseconds timeout) {
  return Wait(timeout, [this] { return ended_; });
}

std::string EventStream::body() const {
  std::lock_guard lock(mutex_);
  return body_;
}

std::string EventStream::Header(const std::string& lower_name) const {
  std::lock_guard lock(mutex_);
  auto it = headers_.find(lower_name);
  return it == headers_.end() ? std::string() : it->second;
}

}  // namespace medvault::testing
