// The subcommands. Each returns the process exit code: 0 success, 1 failure (with a
// message on stderr), 2 usage error.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace medvault::cli {

struct ServeOptions {
  std::string data_dir;
  std::optional<std::string> listen;
  std::optional<int> threads;
};

int RunInit(const std::string& data_dir);
int RunServe(const ServeOptions& options);
int RunDemo(const ServeOptions& options);

struct UserAddOptions {
  std::string data_dir;
  std::string username;
  std::string role;
  std::string organization;
  std::string practitioner;
  bool password_stdin = false;
  bool enroll_totp = false;
};

int RunUserAdd(const UserAddOptions& options);
int RunUserList(const std::string& data_dir);

// `medvault user suspend|reactivate|unlock|reset-mfa|reset-password`.
struct UserActionOptions {
  std::string action;
  std::string data_dir;
  std::string username;
};
int RunUserAction(const UserActionOptions& options);

}  // namespace medvault::cli
