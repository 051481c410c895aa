// The feed for a SIEM: a thread that tails the alerts table by id and hands each new
// alert on, oldest first, to a file of JSON lines, to the local syslog, or to both.
// Neither carries an alert's detail: it may quote a clinician's free text (a
// break-the-glass reason), which stays sealed in the database; the security officer
// reads it in GET /security/alerts.
//
// The file is opened for appending (created 0600, never truncated or rewritten) and is
// its own bookmark: at start the exporter resumes after the id of its last complete
// line, so a restart neither loses nor repeats an alert. A torn last line (a crash in
// the middle of a write) is ended with a line break and its alert written again. An
// empty file starts from the first alert. Without a file, syslog gets the alerts
// raised from start-up on.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "api/alerts.h"
#include "common/result.h"
#include "store/store.h"

namespace medvault::api {

struct AlertExportOptions {
  std::string file;     // the JSON-lines file, an absolute path; "" for none
  bool syslog = false;  // also to syslog(3), facility LOG_AUTH
  std::chrono::milliseconds interval{500};
};

class AlertExporter {
 public:
  // Where syslog messages go: syslog(3) unless a test passes its own. `priority` is
  // LOG_AUTH with the severity (SyslogSeverity).
  using SyslogSink = std::function<void(int priority, const std::string& message)>;

  // Opens the file and finds where the last run stopped. Errors: kUnavailable when the
  // file cannot be opened or read, kInvalid when its last line is not an exported alert
  // (someone else writes to it: export elsewhere, or move it away).
  static Result<std::unique_ptr<AlertExporter>> Open(store::Store& store,
                                                     AlertExportOptions options,
                                                     SyslogSink syslog_sink = nullptr);
  ~AlertExporter();  // Stop()
  AlertExporter(const AlertExporter&) = delete;
  AlertExporter& operator=(const AlertExporter&) = delete;

  // Exports every `interval` on a thread of its own.
  void Start();
  // Stops the thread, then exports what is committed by now. Idempotent.
  void Stop();
  // Exports every alert above the last one exported. On an error (a full disk, say)
  // the alert that failed is tried again at the next call.
  Status ExportNow();
  // The id of the last alert exported (where a restart resumes).
  int64_t last_exported() const;

 private:
  AlertExporter(store::Store& store, AlertExportOptions options, SyslogSink sink, int fd,
                int64_t last, bool torn);
  void Run();
  Status Append(std::string line);

  store::Store& store_;
  const AlertExportOptions options_;
  SyslogSink syslog_;
  const int fd_;  // -1 without a file

  mutable std::mutex export_mu_;  // one export at a time; guards what follows
  int64_t last_ = 0;
  bool torn_ = false;  // the file does not end with a line break

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool failing_ = false;  // the last round failed (logged once)
  std::thread thread_;
};

// LOG_NOTICE, LOG_WARNING or LOG_CRIT for an alert's low, medium or high severity.
int SyslogSeverity(std::string_view alert_severity);

// The RFC 5424 part of an alert's syslog message that syslog(3) leaves to the caller:
// MSGID (the alert kind), STRUCTURED-DATA and MSG, e.g.
//   break-glass [medvault@32473 id="12" kind="break-glass" severity="medium"
//   account="…" username="dr-martin" patient="…"] security alert 12: break-glass
// (one line). syslog(3) adds the priority, time, host, "medvault" and the process id.
std::string SyslogMessage(const ShownAlert& alert);

}  // namespace medvault::api
