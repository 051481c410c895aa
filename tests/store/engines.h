// The store tests run against every engine: a test written once as TEST_P over
// StoreEngine opens its store with OpenTestStore. SQLite gets a file in the test's
// temporary directory; PostgreSQL a new database in the throwaway cluster the test
// process shares (tests/support/throwaway_postgres.h). Without PostgreSQL installed the
// PostgreSQL cases fail, saying what to install: they do not skip.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>

#include "store/store.h"
#include "support/throwaway_postgres.h"

namespace medvault::store {

enum class StoreEngine { kSqlite, kPostgres };

inline std::string EngineName(const ::testing::TestParamInfo<StoreEngine>& info) {
  return info.param == StoreEngine::kSqlite ? "Sqlite" : "Postgres";
}

// Opens a fresh store of `engine` (dir: the test's temporary directory).
inline Result<std::unique_ptr<Store>> OpenTestStore(StoreEngine engine, const std::string& dir,
                                                    const StoreOptions& options = {}) {
  if (engine == StoreEngine::kSqlite) return OpenSqliteStore(dir + "/medvault.db", true, options);
  std::string error;
  const testing::ThrowawayPostgres* server = testing::SharedPostgres(error);
  if (server == nullptr) return Fail(ErrorCode::kUnavailable, error);
  static std::atomic<int> next{0};
  std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(next++);
  std::string uri = server->CreateDatabase(name, error);
  if (uri.empty()) return Fail(ErrorCode::kUnavailable, error);
  return OpenPostgresStore(uri, true, options);
}

#define MEDVAULT_ON_EVERY_ENGINE(suite) \
  INSTANTIATE_TEST_SUITE_P(             \
      Engines, suite, ::testing::Values(StoreEngine::kSqlite, StoreEngine::kPostgres), EngineName)

}  // namespace medvault::store
