#pragma once

#include <span>

#include "store/migrations.h"

namespace medvault::store::sqlite {

// SQLite's migrations, oldest first; versions are consecutive from 1.
std::span<const Migration> Migrations();

}  // namespace medvault::store::sqlite
