// medvault: one binary, several subcommands. See `medvault --help`.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/incident_commands.h"
#include "cli/key_commands.h"
#include "cli/serve_command.h"
#include "detect/feature.h"

int main(int argc, char** argv) {
  using namespace medvault::cli;
  // Before any thread starts, so that only the serve loop receives these signals.
  BlockTerminationSignals();
  // Everything medvault creates (database, WAL, logs, exports) is for its owner only.
  ::umask(077);
  // A closed stdout (a supervisor that went away) must not kill the server.
  ::signal(SIGPIPE, SIG_IGN);
  // Logs go to stderr; stdout carries only what commands print for their callers.
  spdlog::set_default_logger(spdlog::stderr_color_mt("medvault"));

  CLI::App app{"medvault: medical records server (FHIR R4 over HTTPS, encrypted at rest)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "medvault 0.1.0");

  std::string init_dir;
  auto* init = app.add_subcommand("init",
                                  "Create a data directory: keys, TLS certificate, "
                                  "database, first admin and security officer accounts");
  init->add_option("--data", init_dir, "Data directory to create (must not exist or be empty)")
      ->required();
  std::string init_database;
  init->add_option("--database", init_database,
                   "PostgreSQL database to use instead of SQLite in the data directory "
                   "(postgresql://USER@HOST/DB?sslmode=verify-full; it must exist and be "
                   "empty)");

  ServeOptions serve_options;
  auto* serve = app.add_subcommand("serve", "Run the HTTPS server on a data directory");
  serve->add_option("--data", serve_options.data_dir, "Data directory")->required();
  serve->add_option("--listen", serve_options.listen,
                    "HOST:PORT to listen on (default from medvault.toml: 127.0.0.1:8443)");
  serve->add_option("--threads", serve_options.threads, "I/O threads")->check(CLI::Range(1, 64));

  DemoOptions demo_options;
  demo_options.serve.data_dir = "medvault-demo";
  auto* demo = app.add_subcommand(
      "demo",
      "Initialize a fresh data directory with a synthetic general-practice population (its "
      "staff accounts, patients and their history), then serve it");
  demo->add_option("--data", demo_options.serve.data_dir, "Data directory to create")
      ->capture_default_str();
  demo->add_option("--patients", demo_options.patients, "Synthetic patients")
      ->check(CLI::Range(int64_t{1}, int64_t{2'000'000}))
      ->capture_default_str();
  demo->add_option("--seed", demo_options.seed, "Seed of the population (same seed, same data)")
      ->capture_default_str();
  demo->add_option("--practices", demo_options.practices,
                   "Practices to spread the patients over (0: one per ~10,000 patients)")
      ->check(CLI::Range(int64_t{0}, int64_t{10'000}))
      ->capture_default_str();
  demo->add_option("--listen", demo_options.serve.listen, "HOST:PORT to listen on");
  demo->add_option("--threads", demo_options.serve.threads, "I/O threads")
      ->check(CLI::Range(1, 64));

  DrillCommandOptions drill_options;
  auto* drill = app.add_subcommand(
      "drill",
      "The breach drill: a synthetic population, simulated days of honest work with attacks "
      "mixed in, on a simulated clock (in process or over HTTPS); prints what each attack took "
      "before "
      "containment and what honest clinicians were asked");
  auto* drill_patients =
      drill
          ->add_option("--patients", drill_options.patients,
                       "Synthetic patients (default 5000; with --practices, 10,000 a practice)")
          ->check(CLI::Range(int64_t{100}, int64_t{2'000'000}));
  drill
      ->add_option("--practices", drill_options.practices,
                   "Practices of 1-6 physicians (about 3 on average; ~65 for 200 physicians), "
                   "sharing the patients; default one per ~10,000 patients")
      ->check(CLI::Range(int64_t{1}, int64_t{1000}));
  drill
      ->add_option("--history", drill_options.history,
                   "Clinical history volume per patient (1 = years of encounters, results and "
                   "notes; 0 = identity and care teams only, the fastest import)")
      ->check(CLI::Range(0.0, 4.0))
      ->capture_default_str();
  drill->add_option("--days", drill_options.days, "Simulated days (the first is a Monday)")
      ->check(CLI::Range(1, 365))
      ->capture_default_str();
  drill->add_option("--seed", drill_options.seed, "Seed (same seed, same figures)")
      ->capture_default_str();
  drill->add_option("--json", drill_options.json_file,
                    "Also write the result as JSON here (every strategy, honest figures, "
                    "targets with pass/fail)");
  drill->add_option("--data", drill_options.data_dir,
                    "Data directory to create and keep (default: a temporary one, removed)");
  drill
      ->add_option("--transport", drill_options.transport,
                   "in-process (fast) or https (every request through TLS and the HTTP server, "
                   "on the same simulated clock)")
      ->check(CLI::IsMember({"in-process", "https"}))
      ->capture_default_str();
  drill
      ->add_option("--features-off", drill_options.features_off,
                   "Risk-scorer features to switch off, comma-separated (names as in [detection] "
                   "features_off; bench/drill_ablation.sh runs one without each)")
      ->delimiter(',')
      ->check(CLI::Validator(
          [](std::string& name) {
            return medvault::detect::FeatureNamed(name)
                       ? std::string()
                       : "unknown feature " + name +
                             " (known: " + medvault::detect::FeatureNames() + ")";
          },
          "FEATURE"));
  drill->add_flag("--on-disk", drill_options.on_disk,
                  "Put the temporary data directory on disk even when /dev/shm exists (the "
                  "drill measures detection, not durability: memory is the default)");
  drill->add_flag("--full-password-cost", drill_options.full_password_cost,
                  "Hash the accounts' passwords at the OWASP Argon2id cost (19 MiB, 2 passes) "
                  "instead of the drill's cheapest one; logins then dominate the run");

  auto* user = app.add_subcommand("user", "Account administration");
  user->require_subcommand(1);
  UserAddOptions add_options;
  auto* add = user->add_subcommand("add", "Create an account; prints it as one JSON object");
  add->add_option("--data", add_options.data_dir, "Data directory")->required();
  add->add_option("--username", add_options.username, "Login name (a-z 0-9 . _ -)")->required();
  add->add_option("--role", add_options.role,
                  "physician, nurse, secretary, security_officer or admin")
      ->required();
  add->add_option("--organization", add_options.organization,
                  "Organization id (required for physician, nurse, secretary)");
  add->add_option("--practitioner", add_options.practitioner, "Practitioner id");
  add->add_flag("--password-stdin", add_options.password_stdin,
                "Read the password from standard input instead of generating one");
  add->add_flag("--enroll-totp", add_options.enroll_totp,
                "Enrol TOTP now and print the secret and recovery codes (otherwise the user "
                "enrols at first login)");
  std::string list_dir;
  auto* list = user->add_subcommand("list", "List accounts");
  list->add_option("--data", list_dir, "Data directory")->required();
  struct Action {
    const char* name;
    const char* help;
  };
  UserActionOptions action_options;
  std::vector<CLI::App*> actions;
  for (Action a : {Action{"suspend", "Suspend an account and revoke its sessions"},
                   Action{"reactivate", "Reactivate a suspended account"},
                   Action{"unlock", "Lift the lockout after failed logins"},
                   Action{"reset-mfa",
                          "Forget the account's TOTP secret and recovery codes; "
                          "the user enrols again at next login"},
                   Action{"reset-password",
                          "Set a new one-time password (printed as JSON) that "
                          "must be changed at next login"}}) {
    auto* cmd = user->add_subcommand(a.name, a.help);
    cmd->add_option("--data", action_options.data_dir, "Data directory")->required();
    cmd->add_option("--username", action_options.username, "The account's login name")->required();
    actions.push_back(cmd);
  }

  auto* audit = app.add_subcommand("audit", "Audit log verification and proofs");
  audit->require_subcommand(1);
  std::string verify_dir;
  auto* verify = audit->add_subcommand(
      "verify",
      "Recompute the audit log's Merkle tree from every entry and check it against every "
      "signed tree head; exit 1 naming the first bad entry or head");
  verify->add_option("--data", verify_dir, "Data directory")->required();
  auto* proof = audit->add_subcommand("proof", "Print Merkle proofs as JSON (hashes in hex)");
  proof->require_subcommand(1);
  AuditProofOptions proof_options;
  auto* inclusion = proof->add_subcommand(
      "inclusion",
      "Prove that leaf INDEX is in the tree of SIZE entries: {\"leaf_hash\",\"path\"}");
  inclusion->add_option("--data", proof_options.data_dir, "Data directory")->required();
  inclusion
      ->add_option("--index", proof_options.index,
                   "Leaf index, from 0 (the entry's sequence number - 1)")
      ->required();
  inclusion->add_option("--size", proof_options.size, "Tree size (entries)")->required();
  auto* consistency = proof->add_subcommand(
      "consistency",
      "Prove that the tree of FROM entries is a prefix of the tree of TO: {\"path\"}");
  consistency->add_option("--data", proof_options.data_dir, "Data directory")->required();
  consistency->add_option("--from", proof_options.from, "Older tree size")->required();
  consistency->add_option("--to", proof_options.to, "Newer tree size")->required();

  ImportOptions import_options;
  auto* import = app.add_subcommand(
      "import",
      "Import FHIR R4 resources from NDJSON files (one resource per line) or Bundles; each "
      "batch commits whole or not at all");
  import->add_option("--data", import_options.data_dir, "Data directory")->required();
  import
      ->add_option("--batch", import_options.batch_size,
                   "Resources per batch, which goes in whole or not at all")
      ->check(CLI::Range(1, 100'000));
  import
      ->add_option("--commit-every", import_options.group_resources,
                   "Resources per transaction, in whole batches (a crash loses at most the "
                   "transaction being committed and the one being prepared)")
      ->check(CLI::Range(1, 1'000'000));
  import->add_option("files", import_options.files, "NDJSON or Bundle files")->required();
  ExportOptions export_options;
  auto* export_ = app.add_subcommand(
      "export", "Write every current resource as FHIR NDJSON, one <Type>.ndjson file per type");
  export_->add_option("--data", export_options.data_dir, "Data directory")->required();
  export_->add_option("--out", export_options.out_dir, "New directory for the files")->required();

  IncidentCommands incident(app);           // report breach, report notify, contain
  auto key_commands = AddKeyCommands(app);  // keys, erase, selfcheck

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return e.get_exit_code() == 0 ? 0 : (code == 0 ? 0 : 2);
  }

  if (auto code = RunKeyCommands(*key_commands)) return *code;
  if (*init) return RunInit(init_dir, init_database);
  if (*serve) return RunServe(serve_options);
  if (*demo) return RunDemo(demo_options);
  if (*drill) {
    if (drill_options.practices > 0 && drill_patients->count() == 0)
      drill_options.patients = std::min<int64_t>(2'000'000, drill_options.practices * 10'000);
    return RunDrill(drill_options);
  }
  if (*add) return RunUserAdd(add_options);
  if (*list) return RunUserList(list_dir);
  if (*verify) return RunAuditVerify(verify_dir);
  if (*import) return RunImport(import_options);
  if (*export_) return RunExport(export_options);
  if (*inclusion) return RunAuditInclusionProof(proof_options);
  if (auto code = incident.Run()) return *code;
  if (*consistency) return RunAuditConsistencyProof(proof_options);
  for (CLI::App* cmd : actions) {
    if (!*cmd) continue;
    action_options.action = cmd->get_name();
    return RunUserAction(action_options);
  }
  return 2;
}
