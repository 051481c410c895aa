#include "medvault_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace medvault::testing {
namespace {

std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(MedvaultBinary()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

}  // namespace

const char* MedvaultBinary() { return MEDVAULT_BINARY; }

CommandResult RunMedvault(const std::vector<std::string>& args, const std::string& input,
                          unsigned kill_after_s) {
  int in[2], out[2], err[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0 || ::pipe(err) != 0) throw std::runtime_error("pipe");
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
    if (kill_after_s > 0) ::alarm(kill_after_s);  // survives exec
    auto argv = Argv(args);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (!input.empty()) (void)!::write(in[1], input.data(), input.size());
  ::close(in[1]);
  CommandResult result;
  // Drain stderr after stdout; outputs here are small enough not to fill a pipe.
  result.out = ReadAll(out[0]);
  result.err = ReadAll(err[0]);
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/medvault-it-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp");
  path_ = tmpl;
}

TempDir::~TempDir() {
  // MEDVAULT_KEEP_TEST_DIRS=1 keeps data directories and server logs for debugging.
  if (const char* keep = std::getenv("MEDVAULT_KEEP_TEST_DIRS"); keep && *keep == '1') return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

namespace {

std::vector<std::string> ServeArgs(const std::string& data_dir,
                                   const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {"serve", "--data", data_dir, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return args;
}

}  // namespace

ServerProcess::ServerProcess(const std::string& data_dir, const std::string& log_file,
                             const std::vector<std::string>& extra_args)
    : ServerProcess(ServeArgs(data_dir, extra_args), log_file, 60) {}

ServerProcess::ServerProcess(const std::vector<std::string>& args, const std::string& log_file,
                             int timeout_s, const std::string& until) {
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe");
  pid_ = ::fork();
  if (pid_ == 0) {
    int log = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(out[1], 1);
    ::dup2(log, 2);
    ::close(out[0]);
    ::close(out[1]);
    ::close(log);
    auto argv = Argv(args);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  const std::string marker = "serving ";
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<size_t>(n));
    auto at = seen.find(marker);
    if (at != std::string::npos) {
      auto end = seen.find_first_of(" \n", at + marker.size());
      if (end != std::string::npos) {
        url_ = seen.substr(at + marker.size(), end - at - marker.size());
        if (until.empty() || seen.find(until, at) != std::string::npos) break;
      }
    }
  }
  ::close(out[0]);
  output_ = seen;
  if (url_.empty()) {
    Stop();
    throw std::runtime_error("medvault " + args[0] + " did not start; its output: " + seen);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop();
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

long long AuditEntriesVerified(const std::string& data_dir) {
  CommandResult r = RunMedvault({"audit", "verify", "--data", data_dir});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string text = r.out + r.err;
  const std::string marker = "verified: ";
  size_t at = text.find(marker);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no entry count in: " << text;
    return -1;
  }
  return std::atoll(text.c_str() + at + marker.size());
}

}  // namespace medvault::testing
