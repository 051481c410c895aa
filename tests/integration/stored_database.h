// The database behind a data directory, whichever engine holds it: SQLite's file in the
// directory, or the PostgreSQL database its medvault.toml names (MEDVAULT_TEST_ENGINE=
// postgres). For the tests that look at what the server stored, or tamper with it,
// through the engine's own command-line client (sqlite3, psql, pg_dump).
#pragma once

#include <string>

namespace medvault::testing {

// The PostgreSQL URI in `data_dir`'s medvault.toml, or "" when it uses SQLite.
std::string PostgresUriOf(const std::string& data_dir);

// Runs SQL on the database of `data_dir` and returns what it printed: a line per row,
// columns separated by '|' (both clients' unaligned output), the last newline removed.
// `postgres_sql` is used on PostgreSQL when the dialects differ ("" = the same text).
// Fails the test when the client fails; TrySql only reports it.
std::string Sql(const std::string& data_dir, const std::string& sqlite_sql,
                const std::string& postgres_sql = "");
bool TrySql(const std::string& data_dir, const std::string& sqlite_sql,
            const std::string& postgres_sql = "");

// On PostgreSQL: the name of `data_dir`'s database, and SQL run from the cluster's
// maintenance database `postgres` (to act on the server's database as a whole: ALTER
// DATABASE, ending its connections). Fails the test when psql fails.
std::string PostgresDatabaseOf(const std::string& data_dir);
std::string ClusterSql(const std::string& data_dir, const std::string& sql);

// Copies the data directory `data_dir` to `copy_dir` (which must not exist), with a
// consistent copy of its database, even while a server writes to it: SQLite's backup of
// the file, or a new database of the same PostgreSQL cluster restored from pg_dump and
// named in the copy's medvault.toml. False (with the test failed) when it could not.
bool CopyDataDirectory(const std::string& data_dir, const std::string& copy_dir);

// Whether the database of `data_dir` stores `bytes` anywhere: in SQLite's files (the
// database and its WAL, free pages included); on PostgreSQL, in a pg_dump of the database
// (its rows as they read; bytea is dumped as hex, which is searched too). PostgreSQL's own
// files are not searched: dead rows stay there until vacuumed (docs/OPERATIONS.md).
bool StoredAnywhere(const std::string& data_dir, const std::string& bytes);

// Lowercase hex of `bytes`, and bytes of hex text (either case).
std::string Hex(const std::string& bytes);
std::string Unhex(const std::string& hex);

}  // namespace medvault::testing
