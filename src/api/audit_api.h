// /audit: the signed tree head of the audit log and the RFC 6962 proofs that let anyone
// holding two heads, or a head and an entry, check that the log only grew and that the
// entry is in it; /fhir/AuditEvent: the entries themselves as FHIR AuditEvents (IHE
// BALP). Security officer only.
#pragma once

#include "api/request_context.h"
#include "api/services.h"

namespace medvault::api {

class AuditApi {
 public:
  explicit AuditApi(Services& services) : s_(services) {}

  // GET /audit/tree-head → {"size","root","timestamp","signature","key_id","checkpoint"}.
  Outcome TreeHead(const RequestContext& ctx);
  // GET /audit/proof/inclusion?index=I&size=N → {"leaf_hash","path":[…]}.
  Outcome Inclusion(const RequestContext& ctx);
  // GET /audit/proof/consistency?from=M&to=N → {"path":[…]}.
  Outcome Consistency(const RequestContext& ctx);
  // GET /fhir/AuditEvent?… → a searchset Bundle, newest first (see api/audit_query.h).
  Outcome SearchEvents(const RequestContext& ctx);
  // GET /fhir/AuditEvent/{id}.
  Outcome ReadEvent(const RequestContext& ctx, std::string_view id);

 private:
  Services& s_;
};

}  // namespace medvault::api
