// Registration and dispatch of `keys`, `erase` and `selfcheck` (their work is in
// keys_command.cc, erase_command.cc and selfcheck_command.cc).
#include "cli/key_commands.h"

#include "cli/key_command_options.h"

namespace medvault::cli {

struct KeyCommands {
  CLI::App* status = nullptr;
  CLI::App* rotate = nullptr;
  CLI::App* retire = nullptr;
  CLI::App* rotate_index = nullptr;
  CLI::App* rotate_signing = nullptr;
  CLI::App* erase = nullptr;
  CLI::App* selfcheck = nullptr;
  KeysOptions keys;
  EraseOptions erase_options;
  SelfCheckCommandOptions selfcheck_options;
};

std::shared_ptr<KeyCommands> AddKeyCommands(CLI::App& app) {
  auto c = std::make_shared<KeyCommands>();
  auto* keys = app.add_subcommand(
      "keys", "Key versions: status, rotation without downtime, retirement (docs/OPERATIONS.md)");
  keys->require_subcommand(1);
  c->status = keys->add_subcommand(
      "status",
      "Key-encryption key versions and how many data keys each wraps; the blind-index "
      "and signing keys");
  c->status->add_flag("--json", c->keys.json, "Print JSON");
  c->rotate = keys->add_subcommand(
      "rotate",
      "Create a new key-encryption key version and re-wrap every data key under it, in short "
      "batches, while the server keeps serving");
  c->rotate->add_flag("--resume", c->keys.resume,
                      "Finish re-wrapping under the newest version instead of creating one");
  c->rotate->add_option("--batch", c->keys.batch, "Data keys per transaction")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  c->rotate->add_option("--pause-ms", c->keys.pause_ms, "Pause between batches")
      ->check(CLI::Range(0, 10'000))
      ->capture_default_str();
  c->retire = keys->add_subcommand(
      "retire",
      "Retire a key-encryption key version that no data key uses any more, destroying its key "
      "file");
  c->retire->add_option("--version", c->keys.version, "The version to retire")
      ->required()
      ->check(CLI::Range(1, 1'000'000));
  c->rotate_index = keys->add_subcommand(
      "rotate-index",
      "Replace the blind-index key and rebuild the search and audit indexes under it (the "
      "server must be stopped)");
  c->rotate_signing = keys->add_subcommand(
      "rotate-signing",
      "Replace the Ed25519 key that signs audit tree heads, keeping the old public key for "
      "verifying old heads (restart the server to sign with the new one)");
  for (CLI::App* cmd : {c->status, c->rotate, c->retire, c->rotate_index, c->rotate_signing})
    cmd->add_option("--data", c->keys.data_dir, "Data directory")->required();

  c->erase = app.add_subcommand(
      "erase",
      "Crypto-erasure of a patient: destroy its data key, records, index entries and care "
      "links for ever; the audit trail keeps verifying");
  c->erase->add_option("--data", c->erase_options.data_dir, "Data directory")->required();
  c->erase->add_option("--patient", c->erase_options.patient, "The Patient's id")->required();
  c->erase->add_flag("--yes", c->erase_options.yes,
                     "Do not ask to type the id again (for scripts)");

  c->selfcheck = app.add_subcommand(
      "selfcheck",
      "Report the security posture (accounts, alerts, keys, TLS, file permissions, audit "
      "log), each finding with a severity; exit 1 when one reaches --fail-on");
  c->selfcheck->add_option("--data", c->selfcheck_options.data_dir, "Data directory")->required();
  c->selfcheck->add_flag("--json", c->selfcheck_options.json, "Print JSON");
  c->selfcheck->add_option("--fail-on", c->selfcheck_options.fail_on, "low, medium or high")
      ->check(CLI::IsMember({"low", "medium", "high"}))
      ->capture_default_str();
  c->selfcheck
      ->add_option("--dormant-days", c->selfcheck_options.dormant_days,
                   "Days without login after which an account is dormant")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  c->selfcheck->add_flag("--quick", c->selfcheck_options.quick,
                         "Check the audit log from its last signed head instead of recomputing "
                         "it");
  return c;
}

std::optional<int> RunKeyCommands(const KeyCommands& c) {
  if (*c.status) return RunKeysStatus(c.keys);
  if (*c.rotate) return RunKeysRotate(c.keys);
  if (*c.retire) return RunKeysRetire(c.keys);
  if (*c.rotate_index) return RunKeysRotateIndex(c.keys);
  if (*c.rotate_signing) return RunKeysRotateSigning(c.keys);
  if (*c.erase) return RunErase(c.erase_options);
  if (*c.selfcheck) return RunSelfCheck(c.selfcheck_options);
  return std::nullopt;
}

}  // namespace medvault::cli
