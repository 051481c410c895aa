// The query of GET /fhir/AuditEvent: which audit entries the security officer wants.
//
//   patient=[Patient/]<id>     entries naming that patient (one AuditEvent each)
//   agent=<account id>         entries of that account
//   agent-name=<username>      the same, by username
//   date=<prefix><date>        recorded at; eq gt lt ge le sa eb; repeat to bound
//   outcome=<code>[,<code>…]   0 success, 4 invalid, 8 refused, 12 server failure
//   _count=1..100              AuditEvents per page (default 20)
//   _cursor=<n>                paging, as the next link writes it
//
// Strict like every medvault search: an unknown parameter or a malformed value is an
// error, never ignored.
#pragma once

#include <string>

#include "audit/audit_search.h"
#include "common/result.h"

namespace medvault::api {

struct AuditQuery {
  audit::AuditCriteria criteria;
  std::string agent_name;  // resolved to criteria.account_id by the caller
  // The query re-encoded without _count and _cursor, for self and next links. Every part
  // of it is bounded (two ids, a 64-byte name, four dates, four outcome codes), so it
  // stays far below the query cap and a next link always parses.
  std::string canonical_query;
  size_t count = 20;
};

Result<AuditQuery> ParseAuditQuery(std::string_view raw_query);

}  // namespace medvault::api
