#include "cli/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <set>

namespace medvault::cli {
namespace {

template <typename T>
Status Read(const toml::table& table, std::string_view section, std::string_view key, T& out, T min,
            T max) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return Ok();
  auto value = node->value<int64_t>();
  if (!value || *value < static_cast<int64_t>(min) || *value > static_cast<int64_t>(max))
    return Fail(ErrorCode::kInvalid, "[" + std::string(section) + "] " + std::string(key) +
                                         " must be an integer from " + std::to_string(min) +
                                         " to " + std::to_string(max));
  out = static_cast<T>(*value);
  return Ok();
}

Status ReadString(const toml::table& table, std::string_view section, std::string_view key,
                  std::string& out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return Ok();
  auto value = node->value<std::string>();
  if (!value)
    return Fail(ErrorCode::kInvalid,
                "[" + std::string(section) + "] " + std::string(key) + " must be a string");
  out = *value;
  return Ok();
}

Status ReadBool(const toml::table& table, std::string_view section, std::string_view key,
                bool& out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return Ok();
  auto value = node->value<bool>();
  if (!value)
    return Fail(ErrorCode::kInvalid,
                "[" + std::string(section) + "] " + std::string(key) + " must be true or false");
  out = *value;
  return Ok();
}

Status OnlyKnownKeys(const toml::table& table, std::string_view section,
                     std::set<std::string_view> known) {
  for (const auto& [key, value] : table)
    if (!known.contains(key.str()))
      return Fail(ErrorCode::kInvalid,
                  "unknown setting [" + std::string(section) + "] " + std::string(key.str()));
  return Ok();
}

const toml::table* Section(const toml::table& root, std::string_view name) {
  return root.get_as<toml::table>(name);
}

// The risk scoring settings of [detection]: on or off, the practices' local time, the
// escalation ladder's rungs, and features switched off (the drill measures what each
// one contributes by running without it).
Status ReadScoring(const toml::table& s, Config& c) {
  TRY(ReadBool(s, "detection", "risk_scoring", c.risk_scoring));
  int64_t offset_minutes = c.scoring.features.local_time_offset_ms / 60'000;
  TRY(Read<int64_t>(s, "detection", "local_time_offset_minutes", offset_minutes, -14 * 60,
                    14 * 60));
  c.scoring.features.local_time_offset_ms = offset_minutes * 60'000;
  c.scoring.platform.local_time_offset_ms = offset_minutes * 60'000;
  detect::LadderOptions& ladder = c.scoring.ladder;
  for (auto [key, rung] :
       {std::pair{"risk_alert", &ladder.alert}, std::pair{"risk_step_up", &ladder.step_up},
        std::pair{"risk_throttle", &ladder.throttle},
        std::pair{"risk_suspend_session", &ladder.suspend_session},
        std::pair{"risk_lock_account", &ladder.lock_account}}) {
    auto points = static_cast<int64_t>(*rung);
    TRY(Read<int64_t>(s, "detection", key, points, 1, 100'000));
    *rung = static_cast<double>(points);
  }
  if (!(ladder.alert <= ladder.step_up && ladder.step_up <= ladder.throttle &&
        ladder.throttle <= ladder.suspend_session && ladder.suspend_session <= ladder.lock_account))
    return Fail(ErrorCode::kInvalid,
                "[detection] risk_alert <= risk_step_up <= risk_throttle <= "
                "risk_suspend_session <= risk_lock_account must hold");
  if (const toml::node* node = s.get("features_off")) {
    const toml::array* names = node->as_array();
    if (names == nullptr)
      return Fail(ErrorCode::kInvalid, "[detection] features_off must be a list of feature names");
    for (const toml::node& name : *names) {
      auto text = name.value<std::string>();
      auto feature = text ? detect::FeatureNamed(*text) : std::nullopt;
      if (!feature)
        return Fail(ErrorCode::kInvalid, "[detection] features_off: unknown feature (known: " +
                                             detect::FeatureNames() + ")");
      c.scoring.weights[static_cast<size_t>(*feature)].points_per_unit = 0;
    }
  }
  return Ok();
}

}  // namespace

const char* const kDefaultWebRoot = MEDVAULT_WEB_ROOT;

Result<Config> LoadConfig(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Fail(ErrorCode::kInvalid, "cannot read " + path + ": " + std::string(e.description()) +
                                         " (line " + std::to_string(e.source().begin.line) + ")");
  }
  Config c;
  TRY(OnlyKnownKeys(root, "",
                    {"server", "sessions", "login", "access", "detection", "alerts", "storage",
                     "keys", "log", "web"}));
  if (const auto* s = Section(root, "server")) {
    TRY(OnlyKnownKeys(*s, "server",
                      {"listen", "threads", "max_body_bytes", "max_header_bytes", "max_connections",
                       "max_connections_per_address", "keep_alive_seconds", "public_url"}));
    TRY(ReadString(*s, "server", "listen", c.listen));
    TRY(ParseListen(c.listen));
    TRY(Read(*s, "server", "threads", c.threads, 1, 64));
    TRY(Read<size_t>(*s, "server", "max_body_bytes", c.max_body_bytes, 1024, 64 << 20));
    TRY(Read<size_t>(*s, "server", "max_header_bytes", c.max_header_bytes, 1024, 1 << 20));
    TRY(Read<size_t>(*s, "server", "max_connections", c.max_connections, 1, 100'000));
    TRY(Read<size_t>(*s, "server", "max_connections_per_address", c.max_connections_per_address, 1,
                     100'000));
    TRY(Read(*s, "server", "keep_alive_seconds", c.keep_alive_seconds, 1, 3600));
    TRY(ReadString(*s, "server", "public_url", c.public_url));
  }
  if (const auto* s = Section(root, "sessions")) {
    TRY(OnlyKnownKeys(
        *s, "sessions",
        {"idle_timeout_minutes", "absolute_timeout_hours", "step_up_seconds", "bind_to_client"}));
    TRY(Read(*s, "sessions", "idle_timeout_minutes", c.session_idle_minutes, 1, 24 * 60));
    TRY(Read(*s, "sessions", "absolute_timeout_hours", c.session_absolute_hours, 1, 24 * 7));
    TRY(Read(*s, "sessions", "step_up_seconds", c.step_up_seconds, 1, 12 * 3600));
    TRY(ReadBool(*s, "sessions", "bind_to_client", c.bind_sessions_to_client));
  }
  if (const auto* s = Section(root, "login")) {
    TRY(OnlyKnownKeys(
        *s, "login",
        {"lockout_after_failures", "lockout_minutes", "free_failures", "max_backoff_seconds"}));
    TRY(Read(*s, "login", "lockout_after_failures", c.login_lockout_after, 1, 1000));
    TRY(Read(*s, "login", "lockout_minutes", c.login_lockout_minutes, 1, 7 * 24 * 60));
    TRY(Read(*s, "login", "free_failures", c.login_free_failures, 0, 1000));
    TRY(Read(*s, "login", "max_backoff_seconds", c.login_max_backoff_seconds, 1, 24 * 3600));
  }
  if (const auto* s = Section(root, "access")) {
    TRY(OnlyKnownKeys(*s, "access", {"break_glass_minutes", "break_glass_per_day"}));
    TRY(Read(*s, "access", "break_glass_minutes", c.break_glass_minutes, 1, 24 * 60));
    TRY(Read(*s, "access", "break_glass_per_day", c.break_glass_per_day, 0, 100));
  }
  if (const auto* s = Section(root, "detection")) {
    TRY(OnlyKnownKeys(*s, "detection",
                      {"physician_patients_per_10_minutes",
                       "nurse_patients_per_10_minutes",
                       "secretary_patients_per_10_minutes",
                       "physician_patients_per_hour",
                       "physician_patients_per_day",
                       "physician_directory_searches_per_hour",
                       "nurse_patients_per_hour",
                       "nurse_patients_per_day",
                       "nurse_directory_searches_per_hour",
                       "secretary_patients_per_hour",
                       "secretary_patients_per_day",
                       "secretary_directory_searches_per_hour",
                       "throttle_seconds",
                       "refusals_before_step_up",
                       "risk_scoring",
                       "local_time_offset_minutes",
                       "risk_alert",
                       "risk_step_up",
                       "risk_throttle",
                       "risk_suspend_session",
                       "risk_lock_account",
                       "features_off"}));
    detect::BudgetOptions& b = c.detection.budgets;
    for (auto [name, budget] : {std::pair{"physician", &b.physician}, std::pair{"nurse", &b.nurse},
                                std::pair{"secretary", &b.secretary}}) {
      std::string n(name);
      TRY(Read<int64_t>(*s, "detection", n + "_patients_per_10_minutes",
                        budget->patients_per_10_minutes, 1, 100'000));
      TRY(Read<int64_t>(*s, "detection", n + "_patients_per_hour", budget->patients_per_hour, 1,
                        100'000));
      TRY(Read<int64_t>(*s, "detection", n + "_patients_per_day", budget->patients_per_day, 1,
                        1'000'000));
      TRY(Read<int64_t>(*s, "detection", n + "_directory_searches_per_hour",
                        budget->directory_searches_per_hour, 1, 100'000));
    }
    int64_t throttle_seconds = c.detection.throttle_interval_ms / 1000;
    TRY(Read<int64_t>(*s, "detection", "throttle_seconds", throttle_seconds, 1, 3600));
    c.detection.throttle_interval_ms = throttle_seconds * 1000;
    TRY(Read<int64_t>(*s, "detection", "refusals_before_step_up",
                      c.detection.refusals_before_step_up, 1, 1'000'000));
    TRY(ReadScoring(*s, c));
  }
  if (const auto* s = Section(root, "alerts")) {
    TRY(OnlyKnownKeys(*s, "alerts", {"export_file", "syslog", "max_streams"}));
    TRY(ReadString(*s, "alerts", "export_file", c.alerts_export_file));
    TRY(ReadBool(*s, "alerts", "syslog", c.alerts_syslog));
    TRY(Read(*s, "alerts", "max_streams", c.alerts_max_streams, 1, 1024));
  }
  if (const auto* s = Section(root, "storage")) {
    TRY(OnlyKnownKeys(*s, "storage", {"database", "check_at_start"}));
    TRY(ReadString(*s, "storage", "database", c.database));
    TRY(ReadBool(*s, "storage", "check_at_start", c.check_database_at_start));
  }
  if (const auto* s = Section(root, "keys")) {
    TRY(OnlyKnownKeys(*s, "keys", {"kek_version"}));
    TRY(Read(*s, "keys", "kek_version", c.kek_version, 1, 1'000'000));
  }
  if (const auto* s = Section(root, "log")) {
    TRY(OnlyKnownKeys(*s, "log", {"level"}));
    TRY(ReadString(*s, "log", "level", c.log_level));
    static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
    if (!kLevels.contains(c.log_level))
      return Fail(ErrorCode::kInvalid,
                  "[log] level must be trace, debug, info, warn, error or off");
  }
  if (const auto* s = Section(root, "web")) {
    TRY(OnlyKnownKeys(*s, "web", {"enabled", "root"}));
    TRY(ReadBool(*s, "web", "enabled", c.web_enabled));
    TRY(ReadString(*s, "web", "root", c.web_root));
  }
  return c;
}

std::string DefaultConfigText() {
  return R"(# medvault configuration. Command-line options override these settings.

[server]
# Address and port of the HTTPS listener (there is no plaintext listener).
listen = "127.0.0.1:8443"
# I/O threads. On a 2-core machine 2 is best (see docs/PERFORMANCE.md).
threads = 2
max_body_bytes = 1048576
max_header_bytes = 16384
max_connections = 1024
# Of those, how many one client address (IPv6: one /64) may hold. A practice behind one
# NAT address needs a few per browser; a host opening slow connections gets no more.
max_connections_per_address = 256
# How long an idle keep-alive connection stays open.
keep_alive_seconds = 60
# Base URL for links in responses (Location, Bundle links), e.g.
# "https://records.example.org". Empty: taken from the request's Host header.
public_url = ""

[sessions]
idle_timeout_minutes = 15
absolute_timeout_hours = 12
# How long a fresh TOTP code (login or POST /auth/step-up) covers sensitive operations.
step_up_seconds = 600
# A session token works only from the client that opened it (same address and user
# agent): a token stolen from a browser and replayed elsewhere ends the session and
# alerts the security officer. Turn off only where clients roam between addresses.
bind_to_client = true

[login]
# Failed logins (wrong password or code) of one account name before it is locked; an
# administrator unlocks it, or the lock runs out after lockout_minutes.
lockout_after_failures = 10
lockout_minutes = 30
# Failures allowed before the backoff starts; each further one doubles the wait (1 s,
# 2 s, 4 s, …) up to max_backoff_seconds. Applies per account name and per address.
free_failures = 2
max_backoff_seconds = 900

[access]
# Break-the-glass: a physician or nurse opens a patient outside their care, with a
# reason and a fresh step-up. The grant lasts break_glass_minutes; one account may take
# at most break_glass_per_day grants in any 24 hours. Every grant alerts the security
# officer.
break_glass_minutes = 60
break_glass_per_day = 3

[detection]
# Budgets: distinct patients whose data one account may receive in any 10 minutes, any
# hour and any 24 hours, and directory searches (outside the care scope) per hour. Past a budget the
# user must step up (a fresh code); the budget is then extended once (x2) and the
# security officer alerted; past that the account is refused and throttled.
physician_patients_per_10_minutes = 15
physician_patients_per_hour = 40
physician_patients_per_day = 150
physician_directory_searches_per_hour = 40
nurse_patients_per_10_minutes = 12
nurse_patients_per_hour = 30
nurse_patients_per_day = 100
nurse_directory_searches_per_hour = 20
secretary_patients_per_10_minutes = 25
secretary_patients_per_hour = 80
secretary_patients_per_day = 250
secretary_directory_searches_per_hour = 120
# A throttled account gets one request every throttle_seconds.
throttle_seconds = 10
# Refused requests (403) of one account within 10 minutes that alert the security officer
# and make the account confirm with a fresh code (again at every multiple).
refusals_before_step_up = 20
# Risk scoring, behind the budgets: streaming features of every account's requests and
# of the whole platform (docs/DETECTION.md) add points to a risk score; each rung of the
# ladder below is reached at that many points: an alert, a fresh code, a throttle, the
# session ended, the account locked (only a security officer unlocks it).
risk_scoring = true
# The practices' local time against UTC, in minutes (habits and nights are local).
local_time_offset_minutes = 60
risk_alert = 15
risk_step_up = 30
risk_throttle = 45
risk_suspend_session = 60
risk_lock_account = 80
# Features to ignore, by name (e.g. ["out-of-hours"]); all count when empty.
features_off = []

[alerts]
# The security officer's alerts also go, without their free-text detail, to a SIEM:
# export_file appends each new alert as one JSON line to this file (created 0600,
# relative to the data directory; "" = off; a restart resumes after its last line), and
# syslog = true sends each as an RFC 5424 message to the local syslog (facility auth).
export_file = ""
syslog = false
# GET /security/events: live streams open at once; one more is refused with 503.
max_streams = 16

[storage]
# SQLite database file, relative to the data directory; or a PostgreSQL database as a
# libpq URI, e.g. "postgresql://medvault@db.example/medvault?sslmode=verify-full"
# (password in ~/.pgpass rather than here; docs/OPERATIONS.md).
database = "medvault.db"
# serve checks the database before it listens (SQLite quick_check, about 3 s per GB when
# cached, longer from a cold disk; PostgreSQL: the schema version, and every index with
# amcheck when that extension is installed): a damaged database stops start-up instead of
# failing requests later.
check_at_start = true

[keys]
# Key-encryption key versions derived from the master key (1 to N). `medvault keys
# rotate` adds random versions of its own, recorded in the database: leave this at 1.
kek_version = 1

[log]
# trace, debug, info, warn, error or off. Logs never contain patient data.
level = "info"

[web]
# The web application, served at / beside the API. root is the folder of the built app
# (web/dist after `npm run build`); "" = the web/dist of the source tree this binary was
# built from; a relative path is relative to the data directory. The files are read at
# start-up: restart after rebuilding. enabled = false serves the API only.
enabled = true
root = ""
)";
}

Result<std::pair<std::string, uint16_t>> ParseListen(std::string_view listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == listen.size())
    return Fail(ErrorCode::kInvalid, "listen address must be HOST:PORT, e.g. 127.0.0.1:8443");
  std::string_view host = listen.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string_view port_text = listen.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535)
    return Fail(ErrorCode::kInvalid, "listen port must be a number from 0 to 65535");
  return std::pair<std::string, uint16_t>(std::string(host), static_cast<uint16_t>(port));
}

}  // namespace medvault::cli
