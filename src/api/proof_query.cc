#include "api/proof_query.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <map>
#include <string>

namespace medvault::api {
namespace {

// The query's parameters, each a non-negative integer, all required, nothing else.
Result<std::map<std::string, uint64_t, std::less<>>> ParseCounts(
    std::string_view query, std::initializer_list<std::string_view> names) {
  std::map<std::string, uint64_t, std::less<>> out;
  std::string expected;
  for (std::string_view n : names) expected += (expected.empty() ? "" : " and ") + std::string(n);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    if (std::find(names.begin(), names.end(), name) == names.end() || out.contains(name))
      return Fail(ErrorCode::kInvalid, "expected exactly the parameters " + expected);
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size())
      return Fail(ErrorCode::kInvalid, std::string(name) + " must be a non-negative integer");
    out.emplace(std::string(name), n);
  }
  if (out.size() != names.size())
    return Fail(ErrorCode::kInvalid, "expected exactly the parameters " + expected);
  return out;
}

}  // namespace

Result<InclusionQuery> ParseInclusionQuery(std::string_view query) {
  ASSIGN_OR_RETURN(auto counts, ParseCounts(query, {"index", "size"}));
  return InclusionQuery{counts.at("index"), counts.at("size")};
}

Result<ConsistencyQuery> ParseConsistencyQuery(std::string_view query) {
  ASSIGN_OR_RETURN(auto counts, ParseCounts(query, {"from", "to"}));
  return ConsistencyQuery{counts.at("from"), counts.at("to")};
}

}  // namespace medvault::api
