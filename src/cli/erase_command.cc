// `medvault erase --patient ID`: crypto-erasure from the server's shell (the same write
// as POST /admin/patients/{id}/erase, see api/patient_erasure.h), with its audit entry in
// the same commit. Runs beside a serving server.
#include <iostream>

#include "api/patient_erasure.h"
#include "api/route.h"
#include "cli/key_command_options.h"
#include "cli/operator_audit.h"
#include "cli/runtime.h"
#include "common/time_format.h"

namespace medvault::cli {

int RunErase(const EraseOptions& options) {
  const std::string command = "medvault erase";
  if (!api::IsFhirId(options.patient)) {
    std::cerr << command << ": --patient must be a Patient id\n";
    return 2;
  }
  auto opened = OpenRuntime(options.data_dir);
  if (!opened) {
    std::cerr << command << ": " << opened.error().message << "\n";
    return 1;
  }
  Runtime& rt = **opened;
  store::Reader& reader = rt.store->reader();
  auto erased_at = reader.ErasedAt(options.patient);
  auto patient = reader.Current("Patient", options.patient);
  if (!erased_at || !patient) {
    std::cerr << command << ": "
              << (!erased_at ? erased_at.error().message : patient.error().message) << "\n";
    return 1;
  }
  if (*erased_at) {
    std::cerr << command << ": patient " << options.patient << " was erased already, on "
              << FormatInstant(FromUnixMillis(**erased_at)) << "\n";
    return 1;
  }
  if (!*patient) {
    std::cerr << command << ": there is no patient " << options.patient << "; nothing changed\n";
    return 1;
  }
  if (!options.yes) {
    std::cerr << "This destroys every record of patient " << options.patient
              << " for ever (backups become unreadable once the key version that wrapped its "
                 "data key is retired).\nType the patient id again to confirm: "
              << std::flush;
    std::string typed;
    std::getline(std::cin, typed);
    if (typed != options.patient) {
      std::cerr << command << ": not confirmed; nothing changed\n";
      return 1;
    }
  }
  auto counts = std::make_shared<store::ErasureCounts>();
  store::WriteJob erase =
      api::ErasePatientJob(*rt.keyring, options.patient, ToUnixMillis(rt.clock.Now()), counts);
  Status done = rt.store->Write([&](store::Transaction& txn) -> Status {
    TRY(erase(txn));
    return AppendOperatorEvent(rt, txn, "patient-erase", api::DescribeErasure(*counts),
                               {options.patient});
  });
  if (!done) {
    std::cerr << command << ": " << done.error().message << "; nothing changed\n";
    return 1;
  }
  std::cout << "patient " << options.patient << " erased: " << api::DescribeErasure(*counts)
            << "\n";
  return 0;
}

}  // namespace medvault::cli
