// Crypto-erasure of a patient in SQLite. The writer's connection runs with
// secure_delete on (sqlite_store.cc), so every deleted row is overwritten in its page;
// the WAL, which still holds earlier images of those pages, is checkpointed and
// truncated once the erasure has committed (group_commit.cc).
#include "store/sqlite/transaction.h"

namespace medvault::store::sqlite {
namespace {

Result<int64_t> Count(Connection& conn, const char* sql, std::string_view patient_id) {
  ASSIGN_OR_RETURN(auto s, conn.Prepare(sql));
  s->Bind(1, patient_id);
  int64_t n = s->Step() ? s->Int(0) : 0;
  TRY(s->status());
  return n;
}

// Runs a statement about the patient; returns how many rows it changed.
Result<int64_t> Change(Connection& conn, const char* sql, std::string_view patient_id) {
  ASSIGN_OR_RETURN(auto s, conn.Prepare(sql));
  s->Bind(1, patient_id);
  TRY(s->Run());
  return sqlite3_changes64(conn.handle());
}

}  // namespace

Result<PatientNotes> SqliteTransaction::NotesAboutPatient(std::string_view patient_id) {
  PatientNotes notes;
  ASSIGN_OR_RETURN(auto alerts, conn_.Prepare("SELECT id, account_id, resolved_by FROM alerts "
                                              "WHERE patient_id = ?1 ORDER BY id"));
  alerts->Bind(1, patient_id);
  while (alerts->Step())
    notes.alerts.push_back(
        {alerts->Int(0), std::string(alerts->Text(1)), std::string(alerts->Text(2))});
  TRY(alerts->status());
  ASSIGN_OR_RETURN(auto grants, conn_.Prepare("SELECT id, account_id FROM access_grants "
                                              "WHERE patient_id = ?1 ORDER BY id"));
  grants->Bind(1, patient_id);
  while (grants->Step())
    notes.grants.push_back({std::string(grants->Text(0)), std::string(grants->Text(1))});
  TRY(grants->status());
  return notes;
}

Result<ErasureCounts> SqliteTransaction::ErasePatient(std::string_view patient_id, int64_t at_ms,
                                                      const PatientNoteRewrites& rewrites) {
  ErasureCounts counts;
  ASSIGN_OR_RETURN(int64_t keys,
                   Count(conn_, "SELECT count(*) FROM compartments WHERE id = ?1", patient_id));
  ASSIGN_OR_RETURN(counts.resources, Count(conn_,
                                           "SELECT count(*) FROM current_resources "
                                           "WHERE compartment = ?1",
                                           patient_id));
  if (keys == 0 && counts.resources == 0) return Fail(ErrorCode::kNotFound, "no such patient");
  // Every version of a resource lives in its compartment (an update cannot move it), so
  // the compartment's current_resources rows name every version to remove.
  ASSIGN_OR_RETURN(counts.index_entries,
                   Change(conn_,
                          "DELETE FROM search_index WHERE (type, id) IN (SELECT type, id FROM "
                          "current_resources WHERE compartment = ?1)",
                          patient_id));
  ASSIGN_OR_RETURN(counts.versions,
                   Change(conn_,
                          "DELETE FROM resource_versions WHERE (type, id) IN (SELECT type, id "
                          "FROM current_resources WHERE compartment = ?1)",
                          patient_id));
  TRY(Change(conn_, "DELETE FROM current_resources WHERE compartment = ?1", patient_id));
  ASSIGN_OR_RETURN(counts.care_links,
                   Change(conn_, "DELETE FROM care_links WHERE patient_id = ?1", patient_id));
  ASSIGN_OR_RETURN(int64_t destroyed,
                   Change(conn_, "DELETE FROM compartments WHERE id = ?1", patient_id));
  counts.data_key_destroyed = destroyed == 1;
  ASSIGN_OR_RETURN(auto erased, conn_.Prepare("INSERT INTO erased_patients (id, erased_at) "
                                              "VALUES (?1, ?2)"));
  erased->Bind(1, patient_id).Bind(2, at_ms);
  TRY(erased->Run());

  ASSIGN_OR_RETURN(auto alert, conn_.Prepare("UPDATE alerts SET detail = ?2, resolution = "
                                             "CASE WHEN length(resolution) = 0 THEN resolution "
                                             "ELSE ?3 END WHERE id = ?1 AND patient_id = ?4"));
  for (const PatientNoteRewrites::Alert& a : rewrites.alerts) {
    alert->Bind(1, a.id)
        .Bind(2, std::span<const uint8_t>(a.detail))
        .Bind(3, std::span<const uint8_t>(a.resolution))
        .Bind(4, patient_id);
    TRY(alert->Run());
    counts.notes_blanked += sqlite3_changes64(conn_.handle());
  }
  ASSIGN_OR_RETURN(auto grant, conn_.Prepare("UPDATE access_grants SET reason = ?2 "
                                             "WHERE id = ?1 AND patient_id = ?3"));
  for (const PatientNoteRewrites::Grant& g : rewrites.grants) {
    grant->Bind(1, g.id).Bind(2, std::span<const uint8_t>(g.reason)).Bind(3, patient_id);
    TRY(grant->Run());
    counts.notes_blanked += sqlite3_changes64(conn_.handle());
  }
  wal_truncate_requested_ = true;
  return counts;
}

}  // namespace medvault::store::sqlite
