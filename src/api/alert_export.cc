#include "api/alert_export.h"

#include <fcntl.h>
#include <rapidjson/document.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace medvault::api {
namespace {

// Alerts read per query; a backlog goes out in as many queries as it takes.
constexpr int64_t kBatch = 500;
// How much of the file's end is read to find its last line (a line is well under 1 KiB).
constexpr off_t kTailBytes = 64 * 1024;
// RFC 5612: the private enterprise number set aside for documentation; medvault has
// none of its own yet.
constexpr std::string_view kSdId = "medvault@32473";

std::string SystemError(const std::string& what, const std::string& path) {
  return "cannot " + what + " " + path + ": " + std::strerror(errno);
}

// Where the file says the last run stopped: the id of its last complete line (0 for an
// empty file), and whether a torn line follows it.
struct Bookmark {
  int64_t last = 0;
  bool torn = false;
};

Result<Bookmark> ReadBookmark(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Fail(ErrorCode::kUnavailable, SystemError("stat", path));
  if ((st.st_mode & 077) != 0)
    spdlog::warn("the alert export file {} can be read by others than its owner", path);
  if (st.st_size == 0) return Bookmark{};
  off_t from = std::max<off_t>(0, st.st_size - kTailBytes);
  std::string tail(static_cast<size_t>(st.st_size - from), '\0');
  ssize_t n = ::pread(fd, tail.data(), tail.size(), from);
  if (n != static_cast<ssize_t>(tail.size()))
    return Fail(ErrorCode::kUnavailable, SystemError("read", path));
  Bookmark bookmark;
  bookmark.torn = tail.back() != '\n';
  // The last complete line that is not empty (an interrupted write may leave one).
  size_t complete = tail.rfind('\n');
  size_t last_char =
      complete == std::string::npos ? complete : tail.find_last_not_of('\n', complete);
  if (last_char == std::string::npos) {
    if (from == 0) return bookmark;  // no complete line at all
    return Fail(ErrorCode::kInvalid, "the last line of " + path + " is not an exported alert");
  }
  size_t end = last_char + 1;
  size_t begin = tail.rfind('\n', last_char);
  begin = begin == std::string::npos ? 0 : begin + 1;
  if (begin == 0 && from != 0)
    return Fail(ErrorCode::kInvalid, "the last line of " + path + " is not an exported alert");
  rapidjson::Document line;
  line.Parse(tail.data() + begin, end - begin);
  if (line.HasParseError() || !line.IsObject() || !line.HasMember("id") || !line["id"].IsInt64() ||
      line["id"].GetInt64() < 0)
    return Fail(ErrorCode::kInvalid, "the last line of " + path + " is not an exported alert");
  bookmark.last = line["id"].GetInt64();
  return bookmark;
}

// An SD-PARAM value (RFC 5424 6.3.3): '"', '\' and ']' escaped; control characters,
// which would break the line, replaced.
std::string ParamValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  }
  return out;
}

// MSGID (RFC 5424 6.2.7): 1 to 32 printable US-ASCII characters, or "-".
std::string MsgId(std::string_view kind) {
  std::string id;
  for (char c : kind.substr(0, 32)) id += c > 0x20 && c < 0x7f ? c : '_';
  return id.empty() ? "-" : id;
}

void SendToSyslog(int priority, const std::string& message) {
  ::syslog(priority, "%s", message.c_str());
}

}  // namespace

int SyslogSeverity(std::string_view alert_severity) {
  if (alert_severity == "high") return LOG_CRIT;
  if (alert_severity == "medium") return LOG_WARNING;
  return LOG_NOTICE;
}

std::string SyslogMessage(const ShownAlert& alert) {
  const store::AlertRow& a = alert.row;
  std::string id = std::to_string(a.id);
  std::string sd = "[" + std::string(kSdId) + " id=\"" + id + "\" kind=\"" + ParamValue(a.kind) +
                   "\" severity=\"" + ParamValue(a.severity) + "\" account=\"" +
                   ParamValue(a.account_id) + "\" username=\"" + ParamValue(alert.username) + "\"";
  if (!a.patient_id.empty()) sd += " patient=\"" + ParamValue(a.patient_id) + "\"";
  sd += "]";
  return MsgId(a.kind) + " " + sd + " security alert " + id + ": " + ParamValue(a.kind);
}

Result<std::unique_ptr<AlertExporter>> AlertExporter::Open(store::Store& store,
                                                           AlertExportOptions options,
                                                           SyslogSink syslog_sink) {
  int fd = -1;
  Bookmark bookmark;
  if (!options.file.empty()) {
    fd = ::open(options.file.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return Fail(ErrorCode::kUnavailable, SystemError("open", options.file));
    Result<Bookmark> read = ReadBookmark(fd, options.file);
    if (!read) {
      ::close(fd);
      return Fail(read.error());
    }
    bookmark = *read;
  } else {
    // Nothing remembers where syslog stopped: it gets what is raised from now on.
    ASSIGN_OR_RETURN(bookmark.last, NewestAlertId(store.reader()));
  }
  if (options.syslog && !syslog_sink) {
    ::openlog("medvault", LOG_PID | LOG_NDELAY, LOG_AUTH);
    syslog_sink = SendToSyslog;
  }
  if (!options.syslog) syslog_sink = nullptr;
  return std::unique_ptr<AlertExporter>(new AlertExporter(
      store, std::move(options), std::move(syslog_sink), fd, bookmark.last, bookmark.torn));
}

AlertExporter::AlertExporter(store::Store& store, AlertExportOptions options, SyslogSink sink,
                             int fd, int64_t last, bool torn)
    : store_(store),
      options_(std::move(options)),
      syslog_(std::move(sink)),
      fd_(fd),
      last_(last),
      torn_(torn) {}

AlertExporter::~AlertExporter() {
  Stop();
  if (fd_ >= 0) ::close(fd_);
}

void AlertExporter::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void AlertExporter::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (Status last = ExportNow(); !last)
    spdlog::error("alert export: the last pass failed: {}", last.error().message);
}

int64_t AlertExporter::last_exported() const {
  std::lock_guard lock(export_mu_);
  return last_;
}

void AlertExporter::Run() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) {
    lock.unlock();
    Status exported = ExportNow();
    lock.lock();
    // One log line when exporting starts failing and one when it recovers, not one a round.
    if (!exported && !failing_)
      spdlog::error("alert export failing (retrying): {}", exported.error().message);
    if (exported && failing_) spdlog::info("alert export: recovered");
    failing_ = !exported;
  }
}

Status AlertExporter::ExportNow() {
  std::lock_guard lock(export_mu_);
  store::Reader& reader = store_.reader();
  for (;;) {
    ASSIGN_OR_RETURN(auto rows, reader.AlertsAfter(last_, kBatch));
    size_t count = rows.size();
    ASSIGN_OR_RETURN(auto shown, ShowAlerts(reader, std::move(rows), nullptr));
    for (const ShownAlert& alert : shown) {
      if (fd_ >= 0) TRY(Append(AlertJson(alert) + "\n"));
      if (syslog_) syslog_(LOG_AUTH | SyslogSeverity(alert.row.severity), SyslogMessage(alert));
      last_ = alert.row.id;
    }
    if (count < static_cast<size_t>(kBatch)) return Ok();
  }
}

// Under export_mu_. A line that fails part-way leaves the file torn: the next one
// starts with the line break that ends the torn part.
Status AlertExporter::Append(std::string line) {
  if (torn_) line.insert(line.begin(), '\n');
  std::string_view rest = line;
  while (!rest.empty()) {
    ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      torn_ = torn_ || rest.size() < line.size();
      return Fail(ErrorCode::kUnavailable, SystemError("write", options_.file));
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  torn_ = false;
  return Ok();
}

}  // namespace medvault::api
