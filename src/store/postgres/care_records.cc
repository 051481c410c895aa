// The authorization records: care links, break-the-glass grants and alerts, read by
// the Policy and written with the resources and audit entries that change them.
#include "store/postgres/reader.h"
#include "store/postgres/rows.h"
#include "store/postgres/transaction.h"
#include "store/row_reading.h"

namespace medvault::store::postgres {
namespace {

Result<std::vector<AlertRow>> StepAlerts(Statement& s) {
  std::vector<AlertRow> alerts;
  while (s.Step()) alerts.push_back(ReadAlertRow(s));
  TRY(s.status());
  return alerts;
}

}  // namespace

Result<CareStanding> PgReader::Standing(std::string_view practitioner_id,
                                        std::string_view account_id, std::string_view patient_id,
                                        int64_t now_ms) {
  // An account without a practitioner has no CareTeam membership: '' is never stored.
  ASSIGN_OR_RETURN(auto s,
                   conn_->Prepare("SELECT EXISTS (SELECT 1 FROM care_links WHERE patient_id = $1 "
                                  "AND practitioner_id = $2 AND start_ms <= $4 AND end_ms > $4), "
                                  "EXISTS (SELECT 1 FROM access_grants WHERE patient_id = $1 "
                                  "AND account_id = $3 AND created_at <= $4 AND expires_at > $4)"));
  s->Bind(1, patient_id).Bind(2, practitioner_id).Bind(3, account_id).Bind(4, now_ms);
  CareStanding standing;
  if (s->Step()) {
    standing.care_team = s->Int(0) != 0;
    standing.break_glass = s->Int(1) != 0;
  }
  TRY(s->status());
  return standing;
}

Result<std::vector<std::string>> PgReader::PatientsInCare(std::string_view practitioner_id,
                                                          std::string_view account_id,
                                                          int64_t now_ms, size_t limit) {
  ASSIGN_OR_RETURN(
      auto s, conn_->Prepare("SELECT p.id FROM (SELECT patient_id AS id FROM care_links "
                             "WHERE practitioner_id = $1 AND start_ms <= $3 AND end_ms > $3 "
                             "UNION SELECT patient_id FROM access_grants WHERE account_id = $2 "
                             "AND created_at <= $3 AND expires_at > $3) p "
                             "JOIN current_resources r ON r.type = 'Patient' AND r.id = p.id "
                             "AND r.deleted = 0 LIMIT $4"));
  s->Bind(1, practitioner_id).Bind(2, account_id).Bind(3, now_ms).Bind(4, SqlLimit(limit));
  std::vector<std::string> ids;
  while (s->Step()) ids.emplace_back(s->Text(0));
  TRY(s->status());
  return ids;
}

Result<std::vector<GrantRow>> PgReader::GrantsSince(std::string_view account_id, int64_t since_ms) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id, account_id, patient_id, purpose, reason, "
                                          "created_at, expires_at FROM access_grants "
                                          "WHERE account_id = $1 AND created_at >= $2 "
                                          "ORDER BY created_at DESC"));
  s->Bind(1, account_id).Bind(2, since_ms);
  std::vector<GrantRow> grants;
  while (s->Step()) grants.push_back(ReadGrantRow(*s));
  TRY(s->status());
  return grants;
}

Result<std::vector<AlertRow>> PgReader::Alerts(const AlertQuery& query) {
  ASSIGN_OR_RETURN(auto s,
                   conn_->Prepare("SELECT " MEDVAULT_ALERT_COLUMNS
                                  " FROM alerts WHERE ($1 = '' OR account_id = $1) "
                                  "AND ($2 = '' OR severity = $2) AND ($3 = '' OR state = $3) "
                                  "ORDER BY id DESC LIMIT $4"));
  s->Bind(1, query.account_id).Bind(2, query.severity).Bind(3, query.state).Bind(4, query.limit);
  return StepAlerts(*s);
}

Result<std::vector<AlertRow>> PgReader::AlertsAfter(int64_t id, int64_t limit) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT " MEDVAULT_ALERT_COLUMNS
                                          " FROM alerts WHERE id > $1 ORDER BY id LIMIT $2"));
  s->Bind(1, id).Bind(2, limit);
  return StepAlerts(*s);
}

Result<std::optional<AlertRow>> PgReader::Alert(int64_t id) {
  ASSIGN_OR_RETURN(auto s,
                   conn_->Prepare("SELECT " MEDVAULT_ALERT_COLUMNS " FROM alerts WHERE id = $1"));
  s->Bind(1, id);
  std::optional<AlertRow> alert;
  if (s->Step()) alert = ReadAlertRow(*s);
  TRY(s->status());
  return alert;
}

Status PgTransaction::ReplaceCareLinks(std::string_view careteam_id,
                                       std::span<const CareLinkRow> links) {
  ASSIGN_OR_RETURN(auto drop, conn_.Prepare("DELETE FROM care_links WHERE careteam_id = $1"));
  drop->Bind(1, careteam_id);
  TRY(drop->Run());
  // DO NOTHING: a team may list the same practitioner twice over the same period.
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO care_links (patient_id, "
                                         "practitioner_id, careteam_id, start_ms, end_ms) "
                                         "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"));
  for (const CareLinkRow& link : links) {
    if (link.careteam_id != careteam_id || link.practitioner_id.empty())
      return Fail(ErrorCode::kInternal, "a care link does not belong to its CareTeam");
    s->Bind(1, link.patient_id)
        .Bind(2, link.practitioner_id)
        .Bind(3, link.careteam_id)
        .Bind(4, link.start_ms)
        .Bind(5, link.end_ms);
    TRY(s->Run());
  }
  return Ok();
}

Status PgTransaction::InsertGrant(const GrantRow& row) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO access_grants (id, account_id, patient_id, "
                                         "purpose, reason, created_at, expires_at) "
                                         "VALUES ($1, $2, $3, $4, $5, $6, $7)"));
  s->Bind(1, row.id)
      .Bind(2, row.account_id)
      .Bind(3, row.patient_id)
      .Bind(4, row.purpose)
      .Bind(5, std::span<const uint8_t>(row.reason))
      .Bind(6, row.created_at_ms)
      .Bind(7, row.expires_at_ms);
  return s->Run();
}

Result<int64_t> PgTransaction::CountGrantsSince(std::string_view account_id, int64_t since_ms) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("SELECT count(*) FROM access_grants "
                                         "WHERE account_id = $1 AND created_at >= $2"));
  s->Bind(1, account_id).Bind(2, since_ms);
  return SingleInt(*s);
}

Result<int64_t> PgTransaction::InsertAlert(const AlertRow& row) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO alerts (created_at, account_id, severity, "
                                         "kind, patient_id, state, detail, audit_seq) "
                                         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"));
  s->Bind(1, row.created_at_ms)
      .Bind(2, row.account_id)
      .Bind(3, row.severity)
      .Bind(4, row.kind)
      .Bind(5, row.patient_id)
      .Bind(6, row.state)
      .Bind(7, std::span<const uint8_t>(row.detail))
      .Bind(8, row.audit_seq);
  return SingleInt(*s);
}

Result<bool> PgTransaction::ResolveAlert(int64_t id, int64_t at_ms, std::string_view resolved_by,
                                         std::span<const uint8_t> resolution) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE alerts SET state = 'resolved', resolved_at = $2, "
                                         "resolved_by = $3, resolution = $4 "
                                         "WHERE id = $1 AND state = 'open'"));
  s->Bind(1, id).Bind(2, at_ms).Bind(3, resolved_by).Bind(4, resolution);
  TRY(s->Run());
  return s->changes() == 1;
}

Status PgTransaction::SetContainment(std::string_view account_id, const ContainmentChange& change) {
  // -1 keeps a field as it is.
  ASSIGN_OR_RETURN(
      auto s, conn_.Prepare("UPDATE accounts SET "
                            "step_up_after = CASE WHEN $2 < 0 THEN step_up_after ELSE $2 END, "
                            "throttle_until = CASE WHEN $3 < 0 THEN throttle_until ELSE $3 END "
                            "WHERE id = $1"));
  s->Bind(1, account_id)
      .Bind(2, change.step_up_after_ms.value_or(-1))
      .Bind(3, change.throttle_until_ms.value_or(-1));
  TRY(s->Run());
  if (s->changes() != 1) return Fail(ErrorCode::kNotFound, "no such account");
  return Ok();
}

}  // namespace medvault::store::postgres
