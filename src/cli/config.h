// medvault.toml: the server's settings, kept in the data directory. Every key has a
// default; unknown keys are refused so that a typo cannot silently change nothing.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"
#include "detect/detector.h"
#include "detect/risk_scorer.h"

namespace medvault::cli {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8443";
  int threads = 2;
  size_t max_body_bytes = 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;
  size_t max_connections = 1024;
  size_t max_connections_per_address = 256;  // an IPv4 address or an IPv6 /64
  int keep_alive_seconds = 60;
  std::string public_url;  // "" → from the Host header
  // [sessions]
  int session_idle_minutes = 15;
  int session_absolute_hours = 12;
  int step_up_seconds = 600;
  bool bind_sessions_to_client = true;  // a session token works only from its client
  int login_lockout_after = 10;         // failures of one account name before it is locked
  int login_lockout_minutes = 30;       // the timed unlock
  int login_free_failures = 2;          // failures before the backoff starts (1 s, 2 s, 4 s, …)
  int login_max_backoff_seconds = 900;
  // [access]
  int break_glass_minutes = 60;  // how long a break-the-glass grant lasts
  int break_glass_per_day = 3;   // grants per account in any 24 hours
  // [detection]
  detect::DetectionOptions detection;
  bool risk_scoring = true;  // the asynchronous half: features, risk scores, escalation
  detect::ScoringOptions scoring;
  // [alerts]
  std::string alerts_export_file;  // "" → no export; relative to the data directory
  bool alerts_syslog = false;
  int alerts_max_streams = 16;  // GET /security/events open at once
  // [storage]
  std::string database = "medvault.db";  // relative to DIR, or a postgresql:// URI
  bool check_database_at_start = true;   // serve: SQLite quick_check before listening
  // [keys]
  int kek_version = 1;
  // [log]
  std::string log_level = "info";
  // [web]
  // The built web application (web/dist). "" → the source tree's web/dist, where `make
  // demo` builds it (kDefaultWebRoot); relative → to the data directory.
  std::string web_root;
  bool web_enabled = true;
};

// The web root of a build: <source tree>/web/dist.
extern const char* const kDefaultWebRoot;

Result<Config> LoadConfig(const std::string& path);

// The config file `medvault init` writes: every key with its default and a comment.
std::string DefaultConfigText();

// Splits "host:port" ("[::1]:8443" for IPv6). Port 0 asks for an ephemeral port.
Result<std::pair<std::string, uint16_t>> ParseListen(std::string_view listen);

}  // namespace medvault::cli
