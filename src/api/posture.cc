#include "api/posture.h"

#include <algorithm>

#include "api/json_fields.h"
#include "common/time_format.h"

namespace medvault::api {

std::string_view NameOf(Severity severity) {
  switch (severity) {
    case Severity::kInfo: return "info";
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
  }
  return "info";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (Severity s : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh})
    if (NameOf(s) == name) return s;
  return std::nullopt;
}

Severity PostureReport::Highest() const {
  Severity highest = Severity::kInfo;
  for (const Finding& f : findings) highest = std::max(highest, f.severity);
  return highest;
}

size_t PostureReport::CountAtLeast(Severity floor) const {
  return static_cast<size_t>(
      std::ranges::count_if(findings, [&](const Finding& f) { return f.severity >= floor; }));
}

std::string PostureJson(const PostureReport& report) {
  return WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("generated_at");
    Str(w, FormatInstant(FromUnixMillis(report.generated_at_ms)));
    w.Key("highest");
    Str(w, NameOf(report.Highest()));
    w.Key("counts");
    w.StartObject();
    for (Severity s : {Severity::kHigh, Severity::kMedium, Severity::kLow, Severity::kInfo}) {
      w.Key(NameOf(s).data(), static_cast<rapidjson::SizeType>(NameOf(s).size()));
      w.Int64(static_cast<int64_t>(std::ranges::count_if(
          report.findings, [&](const Finding& f) { return f.severity == s; })));
    }
    w.EndObject();
    w.Key("findings");
    w.StartArray();
    for (const Finding& f : report.findings) {
      w.StartObject();
      w.Key("severity");
      Str(w, NameOf(f.severity));
      w.Key("check");
      Str(w, f.check);
      w.Key("subject");
      Str(w, f.subject);
      w.Key("message");
      Str(w, f.message);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

}  // namespace medvault::api
