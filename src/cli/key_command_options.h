// Options and entry points of `keys …`, `erase` and `selfcheck`. Each returns the exit
// code: 0 success, 1 failure (with a message on stderr; for selfcheck, a finding at or
// above --fail-on).
#pragma once

#include <cstddef>
#include <string>

namespace medvault::cli {

struct KeysOptions {
  std::string data_dir;
  bool json = false;    // status
  bool resume = false;  // rotate
  size_t batch = 500;   // rotate
  int pause_ms = 5;     // rotate
  int version = 0;      // retire
};
int RunKeysStatus(const KeysOptions& options);
int RunKeysRotate(const KeysOptions& options);
int RunKeysRetire(const KeysOptions& options);
int RunKeysRotateIndex(const KeysOptions& options);
int RunKeysRotateSigning(const KeysOptions& options);

struct EraseOptions {
  std::string data_dir;
  std::string patient;
  bool yes = false;
};
int RunErase(const EraseOptions& options);

struct SelfCheckCommandOptions {
  std::string data_dir;
  bool json = false;
  std::string fail_on = "high";
  int dormant_days = 90;
  bool quick = false;
};
int RunSelfCheck(const SelfCheckCommandOptions& options);

}  // namespace medvault::cli
