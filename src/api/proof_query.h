// The queries of the audit log's proof endpoints, GET /audit/proof/inclusion?index=&size=
// and GET /audit/proof/consistency?from=&to=: each parameter exactly once, a
// non-negative decimal integer, nothing else. Whether the sizes exist is the tree's
// question (audit/merkle.h), not the parser's.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace medvault::api {

struct InclusionQuery {
  uint64_t index = 0;
  uint64_t size = 0;
};
Result<InclusionQuery> ParseInclusionQuery(std::string_view query);

struct ConsistencyQuery {
  uint64_t from = 0;
  uint64_t to = 0;
};
Result<ConsistencyQuery> ParseConsistencyQuery(std::string_view query);

}  // namespace medvault::api
