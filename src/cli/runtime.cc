#include "cli/runtime.h"

#include "crypto/key_file.h"

namespace medvault::cli {

api::Services Runtime::services() {
  api::ApiOptions options;
  options.public_base_url = config.public_url;
  options.audit_public_key = signing_key->public_key();
  options.throttle.lock_after = config.login_lockout_after;
  options.throttle.lockout = std::chrono::minutes(config.login_lockout_minutes);
  options.throttle.free_failures = config.login_free_failures;
  options.throttle.max_delay = std::chrono::seconds(config.login_max_backoff_seconds);
  options.bind_sessions_to_client = config.bind_sessions_to_client;
  options.break_glass_duration = std::chrono::minutes(config.break_glass_minutes);
  options.break_glass_per_day = config.break_glass_per_day;
  options.max_alert_streams = static_cast<size_t>(config.alerts_max_streams);
  return api::Services{*store, *keyring, clock,    *authenticator, *mfa,   *policy,
                       *vault, *audit,   *workers, *detector,      options};
}

Result<std::unique_ptr<Runtime>> OpenRuntime(const std::string& dir, const Clock* clock) {
  auto rt = clock ? std::make_unique<Runtime>(*clock) : std::make_unique<Runtime>();
  rt->dir = DataDir{dir};
  TRY(CheckDataDir(rt->dir));
  ASSIGN_OR_RETURN(rt->config, LoadConfig(rt->dir.config()));
  ASSIGN_OR_RETURN(crypto::SecretKey master, crypto::LoadMasterKey(rt->dir.master_key()));
  rt->keyring = std::make_unique<crypto::Keyring>(std::move(master), rt->config.kek_version);
  ASSIGN_OR_RETURN(rt->store, store::OpenSqliteStore(rt->dir.database(rt->config.database), false));
  if (clock == nullptr) {
    // A clock set back while the server was down must not revive what had expired.
    ASSIGN_OR_RETURN(Time recorded, audit::LatestRecordedTime(rt->store->reader()));
    rt->held_clock.Raise(recorded);
  }
  rt->care = std::make_unique<access::StoredCareRelationships>(*rt->store, rt->clock);
  rt->policy = std::make_unique<access::Policy>(*rt->care);
  rt->vault = std::make_unique<access::RecordVault>(*rt->keyring);
  rt->audit = std::make_unique<audit::AuditLog>(*rt->keyring);
  ASSIGN_OR_RETURN(crypto::SigningKey signing, crypto::ReadSigningKey(rt->dir.signing_key()));
  rt->signing_key = std::make_unique<crypto::SigningKey>(std::move(signing));
  identity::SessionPolicy sessions;
  sessions.idle_timeout = std::chrono::minutes(rt->config.session_idle_minutes);
  sessions.absolute_timeout = std::chrono::hours(rt->config.session_absolute_hours);
  sessions.step_up_window = std::chrono::seconds(rt->config.step_up_seconds);
  rt->authenticator =
      std::make_unique<identity::Authenticator>(*rt->store, *rt->keyring, rt->clock, sessions);
  rt->mfa = std::make_unique<identity::Mfa>(*rt->keyring, rt->clock, rt->code_clock);
  rt->workers = std::make_unique<api::WorkerPool>(2);
  rt->detector = std::make_unique<detect::Detector>(rt->config.detection);
  return rt;
}

}  // namespace medvault::cli
