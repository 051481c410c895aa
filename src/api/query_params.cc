#include "api/query_params.h"

#include <algorithm>

#include "fhir/search.h"

namespace medvault::api {

Result<std::map<std::string, std::string, std::less<>>> ParseQueryParams(
    std::string_view raw, std::initializer_list<std::string_view> allowed) {
  constexpr size_t kMaxQueryBytes = 2048;
  if (raw.size() > kMaxQueryBytes) return Fail(ErrorCode::kInvalid, "the query is too long");
  std::string names;
  for (std::string_view a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
  std::map<std::string, std::string, std::less<>> params;
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      return Fail(ErrorCode::kInvalid, "unknown parameter; this endpoint accepts " +
                                           (names.empty() ? std::string("none") : names));
    if (eq == std::string_view::npos || eq + 1 == pair.size())
      return Fail(ErrorCode::kInvalid, "every parameter needs a value (name=value)");
    ASSIGN_OR_RETURN(std::string value, fhir::PercentDecode(pair.substr(eq + 1), true));
    if (!params.emplace(std::string(name), std::move(value)).second)
      return Fail(ErrorCode::kInvalid, "a parameter is repeated");
  }
  return params;
}

}  // namespace medvault::api
