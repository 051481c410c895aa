#include "api/erasure_api.h"

#include "api/json_fields.h"
#include "api/patient_erasure.h"
#include "api/responses.h"
#include "common/time_format.h"
#include "identity/role.h"

namespace medvault::api {

Outcome ErasureApi::Erase(const RequestContext& ctx, const std::string& patient_id) {
  AuditFacts facts;
  facts.interaction = "patient-erase";
  facts.resource_type = "Patient";
  facts.resource_id = patient_id;
  if (ctx.principal->role() != identity::Role::kAdmin)
    return JsonErrorOutcome({ErrorCode::kForbidden, "erasing a patient is for administrators", {}},
                            facts);
  // Irreversible: a fresh second factor, whatever the session's age.
  if (!s_.authenticator.SteppedUp(*ctx.principal)) {
    facts.detail = "step-up required";
    return StepUpRequired({ErrorCode::kUnauthenticated,
                           "step-up required: confirm with a fresh code (POST /auth/step-up), "
                           "then retry",
                           {}},
                          facts);
  }
  if (!IsJsonContentType(ctx.request->HeaderValue("Content-Type")))
    return JsonErrorOutcome({ErrorCode::kUnsupportedMediaType, "send application/json", {}}, facts);
  auto fields = ParseStringFields(ctx.request->body, {"confirm"});
  if (!fields) return JsonErrorOutcome(fields.error(), facts);
  if ((*fields)["confirm"] != patient_id)
    return JsonErrorOutcome({ErrorCode::kInvalid,
                             "erasure cannot be undone: send {\"confirm\":\"<the patient id>\"}",
                             {}},
                            facts);
  store::Reader& reader = s_.store.reader();
  auto erased_at = reader.ErasedAt(patient_id);
  if (!erased_at) return JsonErrorOutcome(erased_at.error(), facts);
  if (*erased_at)
    return JsonErrorOutcome(
        {ErrorCode::kGone,
         "this patient's records were erased on " + FormatInstant(FromUnixMillis(**erased_at)),
         {}},
        facts);
  auto patient = reader.Current("Patient", patient_id);
  if (!patient) return JsonErrorOutcome(patient.error(), facts);
  if (!*patient) return JsonErrorOutcome({ErrorCode::kNotFound, "no such patient", {}}, facts);
  facts.patients.push_back(patient_id);
  facts.detail =
      "crypto-erasure by an administrator: data key destroyed; records, index entries and care "
      "links removed";
  const int64_t now = ToUnixMillis(s_.clock.Now());
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("patient");
    Str(w, patient_id);
    w.Key("erased_at");
    Str(w, FormatInstant(FromUnixMillis(now)));
    w.Key("status");
    Str(w, "erased");
    w.EndObject();
  });
  Outcome out{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
  out.write =
      ErasePatientJob(s_.keyring, patient_id, now, std::make_shared<store::ErasureCounts>());
  return out;
}

}  // namespace medvault::api
