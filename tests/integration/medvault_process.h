// Runs the real `medvault` binary: one-shot commands (init, user add …) and a server
// on an ephemeral port over TLS, for integration tests.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace medvault::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Path of the medvault binary under test (set at build time).
const char* MedvaultBinary();

// Runs `medvault args…` to completion, feeding `input` on stdin. With `kill_after_s`,
// the command gets SIGALRM (exit code 142) if still running then: for a `serve` that
// is expected to refuse to start.
CommandResult RunMedvault(const std::vector<std::string>& args, const std::string& input = "",
                          unsigned kill_after_s = 0);

// The entry count of `medvault audit verify --data DIR` on DIR (failing the test when the
// log does not verify), or -1.
long long AuditEntriesVerified(const std::string& data_dir);

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class ServerProcess {
 public:
  // Starts `medvault serve --data dir --listen 127.0.0.1:0` and waits until it listens.
  // The server's stderr (its log) goes to `log_file`.
  ServerProcess(const std::string& data_dir, const std::string& log_file,
                const std::vector<std::string>& extra_args = {});
  // Runs `medvault args…` (a command that ends up serving, e.g. demo) and waits, up to
  // `timeout_s`, until it says where it listens and, if `until` is not empty, until its
  // stdout shows `until`. Its stdout up to then is in output().
  ServerProcess(const std::vector<std::string>& args, const std::string& log_file, int timeout_s,
                const std::string& until = "");
  const std::string& output() const { return output_; }
  ~ServerProcess();  // stops the server if still running

  const std::string& url() const { return url_; }
  bool running() const { return pid_ > 0; }
  // Sends SIGTERM and returns the exit code.
  int Stop();
  // Sends SIGKILL (a crash: nothing is drained, nothing flushed) and reaps the process.
  void Kill();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
  std::string output_;
};

}  // namespace medvault::testing
