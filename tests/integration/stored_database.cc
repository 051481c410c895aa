#include "stored_database.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "support/throwaway_postgres.h"

namespace medvault::testing {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Output {
  bool ok = false;
  std::string text;  // stdout and stderr
};

Output Shell(const std::string& command) {
  Output out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.text.append(buf, n);
  out.ok = ::pclose(pipe) == 0;
  return out;
}

// Single quotes for the shell (URIs and paths here hold none, but a test should not
// depend on it).
std::string Quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string PgBin(const char* name) { return std::string(ThrowawayPostgres::kBinDir) + "/" + name; }

// `uri` with another database of the same cluster (the name is its last path segment).
std::string SameClusterUri(const std::string& uri, const std::string& database) {
  return uri.substr(0, uri.rfind('/') + 1) + database;
}

std::string Psql(const std::string& uri) {
  return PgBin("psql") + " -X -q -A -t -v ON_ERROR_STOP=1 -d " + Quoted(uri);
}

Output RunSql(const std::string& data_dir, const std::string& sql) {
  const std::string script = data_dir + ".test.sql";
  std::ofstream(script) << sql << "\n";
  const std::string uri = PostgresUriOf(data_dir);
  Output out = Shell(uri.empty() ? "sqlite3 -batch -bail " + Quoted(data_dir + "/medvault.db") +
                                       " < " + Quoted(script)
                                 : Psql(uri) + " -f " + Quoted(script));
  fs::remove(script);
  if (!out.text.empty() && out.text.back() == '\n') out.text.pop_back();
  return out;
}

}  // namespace

std::string PostgresUriOf(const std::string& data_dir) {
  const std::string toml = Slurp(data_dir + "/medvault.toml");
  const std::string key = "\ndatabase = \"postgresql://";
  size_t at = toml.find(key);
  if (at == std::string::npos) return "";
  at += key.size() - std::string_view("postgresql://").size();
  return toml.substr(at, toml.find('"', at) - at);
}

std::string Sql(const std::string& data_dir, const std::string& sqlite_sql,
                const std::string& postgres_sql) {
  const bool pg = !PostgresUriOf(data_dir).empty();
  const std::string& sql = pg && !postgres_sql.empty() ? postgres_sql : sqlite_sql;
  Output out = RunSql(data_dir, sql);
  EXPECT_TRUE(out.ok) << (pg ? "psql: " : "sqlite3: ") << sql << ": " << out.text;
  return out.text;
}

bool TrySql(const std::string& data_dir, const std::string& sqlite_sql,
            const std::string& postgres_sql) {
  const bool pg = !PostgresUriOf(data_dir).empty();
  return RunSql(data_dir, pg && !postgres_sql.empty() ? postgres_sql : sqlite_sql).ok;
}

std::string PostgresDatabaseOf(const std::string& data_dir) {
  const std::string uri = PostgresUriOf(data_dir);
  return uri.substr(uri.rfind('/') + 1);
}

std::string ClusterSql(const std::string& data_dir, const std::string& sql) {
  const std::string uri = PostgresUriOf(data_dir);
  EXPECT_FALSE(uri.empty()) << data_dir << " does not use PostgreSQL";
  Output out = Shell(Psql(SameClusterUri(uri, "postgres")) + " -c " + Quoted(sql));
  EXPECT_TRUE(out.ok) << "psql: " << sql << ": " << out.text;
  if (!out.text.empty() && out.text.back() == '\n') out.text.pop_back();
  return out.text;
}

bool CopyDataDirectory(const std::string& data_dir, const std::string& copy_dir) {
  std::error_code ec;
  fs::copy(data_dir, copy_dir, fs::copy_options::recursive, ec);
  // The runtime refuses a directory others can read (and key files that are not 0600,
  // which the copy keeps).
  if (ec || ::chmod(copy_dir.c_str(), 0700) != 0) {
    ADD_FAILURE() << "cannot copy " << data_dir << ": " << ec.message();
    return false;
  }
  const std::string uri = PostgresUriOf(data_dir);
  if (uri.empty()) {
    for (const char* f : {"/medvault.db", "/medvault.db-wal", "/medvault.db-shm"})
      fs::remove(copy_dir + f);
    Output backup = Shell("sqlite3 -batch -bail " + Quoted(data_dir + "/medvault.db") + " " +
                          Quoted(".backup " + Quoted(copy_dir + "/medvault.db")));
    EXPECT_TRUE(backup.ok) << "sqlite3 .backup: " << backup.text;
    return backup.ok;
  }
  // A new database of the same cluster.
  static std::atomic<int> copies{0};
  const std::string name = "copy" + std::to_string(::getpid()) + "_" + std::to_string(copies++);
  const std::string copy_uri = SameClusterUri(uri, name);
  Output created = Shell(Psql(uri) + " -c " + Quoted("CREATE DATABASE " + name));
  const std::string dump = copy_dir + ".sql";
  Output dumped =
      created.ok ? Shell(PgBin("pg_dump") + " --no-owner -d " + Quoted(uri) + " -f " + Quoted(dump))
                 : Output{};
  Output restored =
      dumped.ok ? Shell(Psql(copy_uri) + " -o /dev/null -f " + Quoted(dump)) : Output{};
  fs::remove(dump);
  EXPECT_TRUE(restored.ok) << created.text << dumped.text << restored.text;
  if (!restored.ok) return false;
  std::string toml = Slurp(copy_dir + "/medvault.toml");
  const std::string from = "database = \"" + uri + "\"";
  size_t at = toml.find(from);
  EXPECT_NE(at, std::string::npos) << "no database line in the copy's medvault.toml";
  if (at == std::string::npos) return false;
  toml.replace(at, from.size(), "database = \"" + copy_uri + "\"");
  std::ofstream(copy_dir + "/medvault.toml", std::ios::trunc) << toml;
  return true;
}

bool StoredAnywhere(const std::string& data_dir, const std::string& bytes) {
  const std::string uri = PostgresUriOf(data_dir);
  if (uri.empty()) {
    for (const auto& entry : fs::directory_iterator(data_dir))
      if (entry.path().filename().string().starts_with("medvault.db") &&
          Slurp(entry.path().string()).find(bytes) != std::string::npos)
        return true;
    return false;
  }
  Output dump = Shell(PgBin("pg_dump") + " --no-owner -d " + Quoted(uri));
  EXPECT_TRUE(dump.ok) << "pg_dump: " << dump.text.substr(0, 500);
  return dump.text.find(bytes) != std::string::npos ||
         dump.text.find(Hex(bytes)) != std::string::npos;
}

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string Unhex(const std::string& hex) {
  auto value = [](char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;  // digits, then either case
  };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(value(hex[i]) << 4 | value(hex[i + 1]));
  return out;
}

}  // namespace medvault::testing
