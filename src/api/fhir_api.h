// The FHIR REST interactions (read, vread, history, search, create, update, delete).
// Each one asks the Policy before touching patient data and goes through the
// RecordVault for every decryption and encryption; each returns an Outcome for the
// pipeline's audit stage, never a response of its own.
#pragma once

#include <string>
#include <string_view>

#include "api/request_context.h"
#include "api/services.h"
#include "fhir/resource_type.h"

namespace medvault::api {

class FhirApi {
 public:
  explicit FhirApi(Services& services) : s_(services) {}

  Outcome Read(const RequestContext& ctx, fhir::ResourceType type, std::string_view id);
  Outcome VRead(const RequestContext& ctx, fhir::ResourceType type, std::string_view id,
                std::string_view version);
  Outcome History(const RequestContext& ctx, fhir::ResourceType type, std::string_view id);
  Outcome Search(const RequestContext& ctx, fhir::ResourceType type);
  Outcome Create(const RequestContext& ctx, fhir::ResourceType type);
  Outcome Update(const RequestContext& ctx, fhir::ResourceType type, std::string_view id);
  Outcome Delete(const RequestContext& ctx, fhir::ResourceType type, std::string_view id);

 private:
  Services& s_;
};

}  // namespace medvault::api
