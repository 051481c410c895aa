#include "cli/runtime.h"

#include "cli/selfcheck.h"
#include "cli/signing_keys.h"
#include "common/random.h"
#include "crypto/key_file.h"

namespace medvault::cli {

api::Services Runtime::services() {
  api::ApiOptions options;
  options.public_base_url = config.public_url;
  options.audit_public_key = signing_key->public_key();
  // Without a readable history (it is checked by `audit verify` and the self-check), the
  // current key alone: heads signed before a rotation then fail to verify, loudly.
  options.audit_trusted_keys = LoadSigningKeys(dir, options.audit_public_key)
                                   .value_or(std::vector{options.audit_public_key});
  options.throttle.lock_after = config.login_lockout_after;
  options.throttle.lockout = std::chrono::minutes(config.login_lockout_minutes);
  options.throttle.free_failures = config.login_free_failures;
  options.throttle.max_delay = std::chrono::seconds(config.login_max_backoff_seconds);
  options.bind_sessions_to_client = config.bind_sessions_to_client;
  options.break_glass_duration = std::chrono::minutes(config.break_glass_minutes);
  options.break_glass_per_day = config.break_glass_per_day;
  options.max_alert_streams = static_cast<size_t>(config.alerts_max_streams);
  options.posture = [this](bool thorough) {
    SelfCheckOptions checks;
    checks.thorough = thorough;
    return CheckPosture(*this, checks);
  };
  api::Services services{*store, *keyring, clock,    *authenticator, *mfa,   *policy,
                         *vault, *audit,   *workers, *detector,      options};
  if (config.risk_scoring) services.detection_events = risk_feed.get();
  services.risk_scorer = risk_scorer.get();
  return services;
}

Result<std::unique_ptr<Runtime>> OpenRuntime(const std::string& dir, const Clock* clock,
                                             const store::StoreOptions& store_options) {
  auto rt = clock ? std::make_unique<Runtime>(*clock) : std::make_unique<Runtime>();
  rt->dir = DataDir{dir};
  TRY(CheckDataDir(rt->dir));
  ASSIGN_OR_RETURN(rt->config, LoadConfig(rt->dir.config()));
  ASSIGN_OR_RETURN(crypto::SecretKey master, crypto::LoadMasterKey(rt->dir.master_key()));
  ASSIGN_OR_RETURN(rt->store,
                   OpenConfiguredStore(rt->dir, rt->config.database, false, store_options));
  // The key versions the database records (rotations), loaded from their key files; then
  // the keyring follows versions added while it runs.
  rt->keyring = std::make_unique<crypto::Keyring>(std::move(master), 0);
  TRY(LoadKeyVersions(rt->dir, *rt->store, rt->config.kek_version, *rt->keyring));
  rt->key_files = std::make_unique<KeyFiles>(rt->dir, *rt->store, rt->config.kek_version);
  rt->keyring->Follow(rt->key_files.get());
  if (clock == nullptr) {
    // A clock set back while the server was down must not revive what had expired.
    ASSIGN_OR_RETURN(Time recorded, audit::LatestRecordedTime(rt->store->reader()));
    rt->held_clock.Raise(recorded);
  }
  rt->care = std::make_unique<access::StoredCareRelationships>(*rt->store, rt->clock);
  rt->policy = std::make_unique<access::Policy>(*rt->care);
  rt->vault = std::make_unique<access::RecordVault>(*rt->keyring);
  // Where several servers share the database, each names itself in the entries it
  // appends, so that the others can tell its traffic from theirs (api/peer_traffic.h).
  rt->audit =
      std::make_unique<audit::AuditLog>(*rt->keyring, rt->store->SharedByNodes() ? NewUuid() : "");
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
  rt->risk_scorer = std::make_unique<detect::RiskScorer>(rt->config.scoring);
  api::RiskFeedOptions feed;
  feed.throttle_duration_ms = rt->config.detection.throttle_duration_ms;
  rt->clinician_kin =
      std::make_unique<api::ClinicianKin>(*rt->store, *rt->policy, *rt->vault, *rt->keyring);
  rt->risk_feed = std::make_unique<api::RiskFeed>(*rt->store, *rt->audit, *rt->keyring, rt->clock,
                                                  *rt->risk_scorer, rt->clinician_kin.get(), feed);
  return rt;
}

}  // namespace medvault::cli
