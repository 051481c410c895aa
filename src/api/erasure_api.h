// POST /admin/patients/{id}/erase {"confirm":"<the id again>"}: crypto-erasure of a
// patient by an administrator who has stepped up (see api/patient_erasure.h). The
// administrator never sees the patient's data; they destroy it, and the act is audited.
#pragma once

#include <string>

#include "api/request_context.h"
#include "api/services.h"

namespace medvault::api {

class ErasureApi {
 public:
  explicit ErasureApi(Services& services) : s_(services) {}

  // 200 {"patient","erased_at","status":"erased"}; 404 for an unknown patient, 410 for
  // one erased already, 400 when the confirmation does not repeat the id.
  Outcome Erase(const RequestContext& ctx, const std::string& patient_id);

 private:
  Services& s_;
};

}  // namespace medvault::api
