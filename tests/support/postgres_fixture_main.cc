// The CTest fixture around the tests that need PostgreSQL: `start DIRFILE` makes a
// throwaway cluster (tests/support/throwaway_postgres.h) and writes its directory to
// DIRFILE; `stop DIRFILE` stops it and removes it. The tests find the cluster through
// MEDVAULT_TEST_POSTGRES_DIRFILE=DIRFILE, so that one cluster serves a whole `ctest` run
// instead of one per test process.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "throwaway_postgres.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s start|stop DIRFILE\n", argv[0]);
    return 2;
  }
  std::string action = argv[1], dirfile = argv[2];
  medvault::testing::ThrowawayPostgres server;
  if (action == "start") {
    auto begin = std::chrono::steady_clock::now();
    std::string error;
    if (!server.Start(error)) {
      std::fprintf(stderr, "FAILED: %s\n", error.c_str());
      server.Stop();
      return 1;
    }
    std::ofstream(dirfile) << server.dir();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - begin)
                  .count();
    std::printf("PostgreSQL test cluster in %s, started in %lld ms\n", server.dir().c_str(),
                static_cast<long long>(ms));
    return 0;
  }
  if (action == "stop") {
    std::string dir;
    std::ifstream(dirfile) >> dir;
    if (dir.empty()) return 0;
    server.Adopt(dir);
    server.Stop();
    std::remove(dirfile.c_str());
    return 0;
  }
  std::fprintf(stderr, "unknown action %s\n", action.c_str());
  return 2;
}
