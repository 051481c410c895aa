// The audit trail as FHIR R4 AuditEvent resources, following IHE Basic Audit Log
// Patterns (BALP): a RESTful interaction on patient data becomes a PatientRead,
// PatientQuery, PatientCreate, PatientUpdate or PatientDelete event, one per patient
// the entry names (BALP asks for one AuditEvent per patient of a query); logins and
// logouts become DICOM "User Authentication" events, account administration a DICOM
// "Security Alert". Every event also carries medvault's own interaction code.
//
// Ids: "<seq>" for an entry naming at most one patient, "<seq>.<k>" for the k-th
// (from 1) patient of an entry naming several.
//
// One deviation from BALP: a query's entity carries no query string. medvault never
// keeps search terms (they are names and birth dates), only who searched what type and
// which patients the answer held.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_event.h"

namespace medvault::audit {

// FHIR AuditEvent.outcome for an entry's outcome: "0" success, "4" minor failure
// (invalid request), "8" serious failure (refused: unauthenticated or denied), "12"
// major failure (the server failed).
std::string_view FhirOutcomeCode(std::string_view outcome);

// Which event of an entry an id names.
struct FhirAuditEventId {
  int64_t seq = 0;
  size_t patient_index = 0;  // 0: the entry names at most one patient
};
std::optional<FhirAuditEventId> ParseFhirAuditEventId(std::string_view id);

// The AuditEvents of entry `seq`: one per patient named (only `patient`'s when it is
// set), or one when the entry names no patient.
struct FhirAuditEvent {
  std::string id;
  std::string json;
};
std::vector<FhirAuditEvent> ToFhirAuditEvents(int64_t seq, const AuditEvent& event,
                                              std::optional<std::string_view> patient = {});

// The one event an id names, or nullopt when the entry has no such patient index.
std::optional<FhirAuditEvent> ToFhirAuditEvent(const FhirAuditEventId& id, const AuditEvent& event);

}  // namespace medvault::audit
