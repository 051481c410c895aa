#pragma once

#include <span>

#include "store/migrations.h"

namespace medvault::store::postgres {

// PostgreSQL's migrations, oldest first; versions are consecutive from 1 and mean the
// same change as SQLite's of the same number (store/sqlite/schema.cc).
std::span<const Migration> Migrations();

}  // namespace medvault::store::postgres
