// The audit trail as the security officer reads it: GET /fhir/AuditEvent (IHE BALP),
// every page, reduced to what tests check.
#pragma once

#include <string>
#include <vector>

#include "https_client.h"

namespace medvault::testing {

struct Event {
  std::string id;
  std::string request_id;  // the X-Request-Id of the request the entry records
  std::string patient;     // "Patient/<id>" or empty
  std::string outcome;
  std::string interaction;  // medvault's code
  std::string username;
  std::string observer;  // source.observer.display: "medvault", or "medvault node <id>"
};

// Every AuditEvent `GET /fhir/AuditEvent?<query>` returns, following next links (at most
// 200 pages). Fails the test on any answer but 200.
std::vector<Event> SearchAuditEvents(HttpsClient& officer, const std::string& query);

}  // namespace medvault::testing
