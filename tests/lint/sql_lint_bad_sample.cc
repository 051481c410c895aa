// Not compiled: the sample that tests/lint/sql_lint.py must catch (`sql_lint.py
// --self-test`, CTest lint.SqlLintCatchesStringBuiltSql). Lines ending in a BAD marker
// are SQL built from strings; every other line must pass. SELECT x + y in a comment is
// not code.
#include <sqlite3.h>

#include <format>
#include <sstream>
#include <string>

#include "store/sqlite/connection.h"

#define SAMPLE_COLUMNS(p) p "id, " p "name"
#define SAMPLE_TABLE " FROM patients"

namespace sample {

using medvault::store::sqlite::Connection;

void Good(Connection& conn, sqlite3* db, const std::string& name) {
  (void)conn.Prepare("SELECT id FROM patients WHERE name = ?1");
  (void)conn.Prepare(
      "SELECT id, name FROM patients "
      "WHERE name = ?1 ORDER BY id");
  (void)conn.Exec(R"(CREATE TABLE t (
    id INTEGER PRIMARY KEY))");
  (void)conn.Prepare("SELECT " SAMPLE_COLUMNS("") SAMPLE_TABLE " WHERE id = ?1");
  sqlite3_exec(db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  std::string message = "no patient named " + name;  // a message, not SQL
  std::string method = "DELETE";
  (void)name;
  (void)message;
  (void)method;
}

void Bad(Connection& conn, sqlite3* db, const std::string& name, int limit) {
  std::string sql = "SELECT id FROM patients WHERE name = '" + name + "'";  // BAD
  (void)conn.Prepare(sql.c_str());                                          // BAD
  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);                 // BAD
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql.data(), -1, &stmt, nullptr);                             // BAD
  (void)conn.Exec(std::format("DELETE FROM patients WHERE id = {}", limit).c_str());  // BAD
  std::ostringstream query;
  query << "UPDATE patients SET name = '" << name << "'";  // BAD
  std::string more;
  more += "INSERT INTO t VALUES (";                                          // BAD
  more.append("DROP TABLE patients; ");                                      // BAD
  (void)conn.Run(("PRAGMA cache_size = " + std::to_string(limit)).c_str());  // BAD
  (void)conn.Prepare(SAMPLE_TABLE);                            // a literal macro: fine
  (void)conn.Prepare(name.empty() ? "SELECT 1" : "SELECT 2");  // BAD
}

}  // namespace sample
