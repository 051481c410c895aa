// A data directory opened for use: settings, keys, database and the services built
// on them. `serve`, `demo` and `user` all start here.
#pragma once

#include <memory>

#include "access/policy.h"
#include "access/record_vault.h"
#include "api/clinician_kin.h"
#include "api/risk_feed.h"
#include "api/services.h"
#include "api/worker_pool.h"
#include "audit/audit_log.h"
#include "cli/config.h"
#include "cli/data_dir.h"
#include "cli/key_files.h"
#include "common/clock.h"
#include "crypto/keyring.h"
#include "crypto/signing_key.h"
#include "identity/authenticator.h"
#include "identity/mfa.h"
#include "store/store.h"

namespace medvault::cli {

struct Runtime {
  // On the system clock held back from running backward, as every command but the
  // drill runs.
  Runtime() : clock(held_clock) {}
  // On `clock`, which must outlive the runtime (the drill's simulated time).
  explicit Runtime(const Clock& injected) : clock(injected), code_clock(injected) {}
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  DataDir dir;
  Config config;
  SystemClock system_clock;
  // The system clock, never earlier than the latest time it returned or the database
  // recorded: a clock set back revives no expired session, grant or lockout.
  NonDecreasingClock held_clock{system_clock};
  const Clock& clock;
  const Clock& code_clock = system_clock;  // TOTP codes: the wall clock as it is
  std::unique_ptr<crypto::Keyring> keyring;
  std::unique_ptr<store::Store> store;
  // Where the keyring finds key versions another process adds (keys rotate).
  std::unique_ptr<KeyFiles> key_files;
  std::unique_ptr<access::StoredCareRelationships> care;
  std::unique_ptr<access::Policy> policy;
  std::unique_ptr<access::RecordVault> vault;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<crypto::SigningKey> signing_key;  // signs audit tree heads
  std::unique_ptr<identity::Authenticator> authenticator;
  std::unique_ptr<identity::Mfa> mfa;
  std::unique_ptr<api::WorkerPool> workers;
  std::unique_ptr<detect::Detector> detector;
  // The detector's asynchronous half: `serve` starts the feed's thread; the drill drains
  // it after every request.
  std::unique_ptr<detect::RiskScorer> risk_scorer;
  std::unique_ptr<api::ClinicianKin> clinician_kin;
  std::unique_ptr<api::RiskFeed> risk_feed;

  // The services handed to the request pipeline.
  api::Services services();
};

// Opens DIR (config, master key, database). Errors are clear sentences for stderr.
// Every service reads time from `clock` when given (it must outlive the runtime), from
// the system clock otherwise. `store_options` tune the store (StoreOptions::bulk_load).
Result<std::unique_ptr<Runtime>> OpenRuntime(const std::string& dir, const Clock* clock = nullptr,
                                             const store::StoreOptions& store_options = {});

}  // namespace medvault::cli
