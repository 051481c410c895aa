#include "api/patient_erasure.h"

#include "crypto/encoding.h"

namespace medvault::api {
namespace {

// The purposes these notes are sealed under: alerts.cc (the detail), security_api.cc
// (the resolution) and access_api.cc (a grant's reason).
std::string AlertResolutionPurpose(int64_t alert_id) {
  return "alert-resolution:" + std::to_string(alert_id);
}
std::string GrantReasonPurpose(std::string_view grant_id) {
  return "grant-reason:" + std::string(grant_id);
}

}  // namespace

store::WriteJob ErasePatientJob(const crypto::Keyring& keyring, std::string patient_id,
                                int64_t now_ms, std::shared_ptr<store::ErasureCounts> counts) {
  return [&keyring, patient_id = std::move(patient_id), now_ms,
          counts = std::move(counts)](store::Transaction& txn) -> Status {
    ASSIGN_OR_RETURN(store::PatientNotes notes, txn.NotesAboutPatient(patient_id));
    store::PatientNoteRewrites rewrites;
    const auto erased = crypto::AsBytes(kErasedNote);
    for (const auto& alert : notes.alerts) {
      store::PatientNoteRewrites::Alert a;
      a.id = alert.id;
      a.detail = keyring.SealAccountSecret(alert.account_id, "alert-detail", erased);
      if (!alert.resolved_by.empty())
        a.resolution =
            keyring.SealAccountSecret(alert.resolved_by, AlertResolutionPurpose(alert.id), erased);
      rewrites.alerts.push_back(std::move(a));
    }
    for (const auto& grant : notes.grants)
      rewrites.grants.push_back(
          {grant.id,
           keyring.SealAccountSecret(grant.account_id, GrantReasonPurpose(grant.id), erased)});
    ASSIGN_OR_RETURN(*counts, txn.ErasePatient(patient_id, now_ms, rewrites));
    return Ok();
  };
}

std::string DescribeErasure(const store::ErasureCounts& c) {
  return std::string("crypto-erasure: data key ") +
         (c.data_key_destroyed ? "destroyed" : "already gone") + ", " +
         std::to_string(c.resources) + " resources (" + std::to_string(c.versions) +
         " stored versions), " + std::to_string(c.index_entries) + " index entries, " +
         std::to_string(c.care_links) + " care links removed; " + std::to_string(c.notes_blanked) +
         " notes replaced";
}

}  // namespace medvault::api
