#include "api/posture_api.h"

#include "api/responses.h"
#include "identity/role.h"

namespace medvault::api {

Outcome PostureApi::SelfCheck(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "selfcheck";
  if (ctx.principal->role() != identity::Role::kSecurityOfficer)
    return JsonErrorOutcome(
        {ErrorCode::kForbidden, "the security self-check is for the security officer", {}}, facts);
  if (!ctx.request->query.empty())
    return JsonErrorOutcome({ErrorCode::kInvalid, "the self-check takes no parameters", {}}, facts);
  if (!s_.options.posture)
    return JsonErrorOutcome({ErrorCode::kUnavailable, "the self-check is not available", {}},
                            facts);
  auto report = s_.options.posture(/*thorough=*/false);
  if (!report) return JsonErrorOutcome(report.error(), facts);
  facts.detail = std::to_string(report->findings.size()) + " findings, highest " +
                 std::string(NameOf(report->Highest()));
  return Outcome{JsonBody(200, PostureJson(*report)), std::move(facts), nullptr, nullptr, {}};
}

}  // namespace medvault::api
