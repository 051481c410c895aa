#include <cstdio>
#include <iostream>

#include "cli/account_creation.h"
#include "cli/commands.h"
#include "cli/runtime.h"
#include "identity/password_policy.h"

namespace medvault::cli {

int RunInit(const std::string& data_dir, const std::string& database) {
  DataDir dir{data_dir};
  if (Status s = InitializeDataDir(dir, database); !s) {
    std::cerr << "medvault init: " << s.error().message << "\n";
    return 1;
  }
  auto rt = OpenRuntime(data_dir);
  if (!rt) {
    std::cerr << "medvault init: " << rt.error().message << "\n";
    return 1;
  }
  struct First {
    const char* username;
    identity::Role role;
  };
  std::cout << "medvault: initialized " << data_dir << " (mode 0700)\n"
            << "  master key   " << dir.master_key()
            << " (0600): back it up apart from the database; without it nothing can be read\n"
            << "  signing key  " << dir.signing_key() << " (public: " << dir.signing_public_key()
            << ")\n"
            << "  TLS          " << dir.certificate() << " (self-signed; replace for production)\n"
            << "  settings     " << dir.config() << "\n\n"
            << "First accounts. Passwords and TOTP secrets are shown once: the password\n"
            << "must be changed at first login; add the secret (or the otpauth URI) to an\n"
            << "authenticator app, and keep the recovery codes on paper.\n";
  for (First f : {First{"admin", identity::Role::kAdmin},
                  First{"security-officer", identity::Role::kSecurityOfficer}}) {
    identity::NewAccount account{f.username, f.role, "", "", identity::GeneratePassword()};
    auto row = CreateAccount(*(*rt)->store, *(*rt)->audit, (*rt)->clock, account, true);
    if (!row) {
      std::cerr << "medvault init: " << row.error().message << "\n";
      return 1;
    }
    auto totp = EnrollTotpNow(**rt, *row);
    if (!totp) {
      std::cerr << "medvault init: " << totp.error().message << "\n";
      return 1;
    }
    std::printf("\n  %-18s %-18s %s\n", f.username, std::string(identity::NameOf(f.role)).c_str(),
                account.password.c_str());
    std::printf("    TOTP secret     %s\n    otpauth URI     %s\n    recovery codes ",
                totp->secret_base32.c_str(), totp->otpauth_uri.c_str());
    for (const std::string& code : totp->recovery_codes) std::printf(" %s", code.c_str());
    std::printf("\n");
  }
  std::cout << "\nNext: medvault serve --data " << data_dir << "\n";
  return 0;
}

}  // namespace medvault::cli
