#include "api/responses.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <chrono>
#include <cstdio>

#include "fhir/bundle.h"

namespace medvault::api {

http::Response FhirBody(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.push_back({"Content-Type", std::string(kFhirJson)});
  return r;
}

http::Response FhirResource(int status, std::string body, int64_t version,
                            int64_t last_updated_ms) {
  http::Response r = FhirBody(status, std::move(body));
  r.headers.push_back({"ETag", "W/\"" + std::to_string(version) + "\""});
  r.headers.push_back({"Last-Modified", HttpDate(last_updated_ms)});
  return r;
}

http::Response FhirError(const Error& error) {
  http::Response r = FhirBody(HttpStatusOf(error.code), fhir::OperationOutcomeJson(error));
  if (error.code == ErrorCode::kUnauthenticated)
    r.headers.push_back({"WWW-Authenticate", "Bearer realm=\"medvault\""});
  return r;
}

http::Response JsonBody(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.push_back({"Content-Type", "application/json; charset=utf-8"});
  return r;
}

http::Response JsonError(const Error& error) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("error");
  std::string_view code = NameOf(error.code);
  w.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  w.Key("message");
  w.String(error.message.data(), static_cast<rapidjson::SizeType>(error.message.size()));
  w.EndObject();
  http::Response r = JsonBody(HttpStatusOf(error.code), {buffer.GetString(), buffer.GetSize()});
  if (error.code == ErrorCode::kUnauthenticated)
    r.headers.push_back({"WWW-Authenticate", "Bearer realm=\"medvault\""});
  return r;
}

Outcome FhirErrorOutcome(const Error& error, AuditFacts facts) {
  if (facts.detail.empty()) facts.detail = error.message;
  return Outcome{FhirError(error), std::move(facts), nullptr, nullptr, {}};
}

Outcome JsonErrorOutcome(const Error& error, AuditFacts facts) {
  if (facts.detail.empty()) facts.detail = error.message;
  return Outcome{JsonError(error), std::move(facts), nullptr, nullptr, {}};
}

Outcome StepUpRequired(const Error& error, AuditFacts facts) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("error");
  w.String("step_up_required");
  w.Key("message");
  w.String(error.message.data(), static_cast<rapidjson::SizeType>(error.message.size()));
  w.EndObject();
  if (facts.detail.empty()) facts.detail = error.message;
  return Outcome{JsonBody(401, {buffer.GetString(), buffer.GetSize()}),
                 std::move(facts),
                 nullptr,
                 nullptr,
                 {}};
}

std::string HttpDate(int64_t unix_ms) {
  using namespace std::chrono;
  sys_seconds t{seconds(unix_ms / 1000)};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kDays[weekday{day}.c_encoding()], unsigned(ymd.day()),
                kMonths[unsigned(ymd.month()) - 1], int(ymd.year()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return buf;
}

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.back())))
    media.remove_suffix(1);
  auto equals = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
    return true;
  };
  return equals(media, "application/fhir+json") || equals(media, "application/json");
}

}  // namespace medvault::api
