// Versioned schema migrations. Each engine keeps its own list beside the others
// (sqlite/schema.cc, later postgres/schema.cc); versions mean the same change in each.
#pragma once

#include <span>
#include <string_view>

namespace medvault::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;  // one or more statements
};

}  // namespace medvault::store
