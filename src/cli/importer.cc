#include "cli/importer.h"

#include <future>
#include <set>

#include "api/access_helpers.h"
#include "api/route.h"
#include "api/search_terms.h"
#include "cli/import_validation.h"
#include "common/random.h"
#include "common/time_format.h"
#include "fhir/resource.h"

namespace medvault::cli {
namespace {

constexpr size_t kRecentPatients = 10'000;

}  // namespace

struct Importer::Prepared {
  std::optional<store::CompartmentRow> new_compartment;
  store::ResourceRow row;
  std::vector<int64_t> hashes;
  std::string patient;                         // the compartment's patient, "" for the directory
  std::vector<store::CareLinkRow> care_links;  // a CareTeam's members, for the Policy
};

Result<store::CompartmentRow> Importer::CompartmentOf(const std::string& patient_id) {
  if (auto it = unsettled_patients_.find(patient_id); it != unsettled_patients_.end())
    return it->second;
  if (auto it = recent_.find(patient_id); it != recent_.end()) return it->second;
  store::Reader& reader = rt_.store->reader();
  ASSIGN_OR_RETURN(auto patient, reader.Current("Patient", patient_id));
  ASSIGN_OR_RETURN(auto compartment, reader.Compartment(patient_id));
  if (!patient || patient->deleted || !compartment)
    return Fail(ErrorCode::kUnprocessable,
                "refers to a patient that is neither in the database nor earlier in the import");
  if (recent_.size() >= kRecentPatients) recent_.clear();
  recent_.emplace(patient_id, *compartment);
  return std::move(*compartment);
}

Result<store::CompartmentRow> Importer::Directory() {
  if (!directory_) {
    ASSIGN_OR_RETURN(directory_, rt_.store->reader().Compartment(store::kDirectoryCompartment));
    if (!directory_) return Fail(ErrorCode::kInternal, "the directory compartment is missing");
  }
  return *directory_;
}

Result<Importer::Prepared> Importer::Prepare(const ImportItem& item,
                                             CompartmentsById& batch_patients, int64_t now_ms) {
  auto resource = ValidateImportItem(item);
  if (!resource) return std::unexpected(resource.error());
  const fhir::ResourceType type = resource->type;
  std::string type_name(fhir::NameOf(type));
  std::string id = resource->id.empty() ? NewUuid() : resource->id;
  ASSIGN_OR_RETURN(auto existing, rt_.store->reader().Current(type_name, id));
  // Batch::seen files patients under their id, everything else under "Type/id".
  const std::string key = type == fhir::ResourceType::kPatient ? id : type_name + "/" + id;
  if (existing || batch_patients.contains(key) || unsettled_ids_.contains(key))
    return Fail(ErrorCode::kConflict, item.where + ": " + type_name + "/" + id +
                                          " already exists; import never overwrites");

  Prepared p;
  store::CompartmentRow compartment;
  if (type == fhir::ResourceType::kPatient) {
    std::string organization =
        api::IdFromReference(resource->facts.managing_organization, "Organization").value_or("");
    access::AccessTarget target{type, id, organization, resource->facts.confidentiality};
    ASSIGN_OR_RETURN(compartment,
                     rt_.vault->NewCompartment(rt_.policy->SystemImport(target), now_ms));
    p.new_compartment = compartment;
    batch_patients.emplace(id, compartment);
    p.patient = id;
  } else if (fhir::IsPatientData(type)) {
    p.patient = resource->facts.patient_reference;
    if (auto it = batch_patients.find(p.patient); it != batch_patients.end()) {
      compartment = it->second;
    } else {
      auto found = CompartmentOf(p.patient);
      if (!found)
        return Fail(ErrorCode::kUnprocessable, item.where + ": " + type_name + "." +
                                                   std::string(fhir::CompartmentElementOf(type)) +
                                                   " " + found.error().message);
      compartment = std::move(*found);
    }
  } else {
    ASSIGN_OR_RETURN(compartment, Directory());
  }
  // Ids of other types share the map under "Type/id", to catch a repeated id.
  if (type != fhir::ResourceType::kPatient) batch_patients.emplace(key, compartment);

  auto decision = rt_.policy->SystemImport(api::TargetOf(type, compartment));
  p.row = {type_name, id, 1, compartment.id, now_ms, false, {}};
  std::string body =
      fhir::StampResource(resource->canonical_json, id, 1, FormatInstant(FromUnixMillis(now_ms)));
  ASSIGN_OR_RETURN(p.row.body, rt_.vault->Seal(decision, compartment, p.row, body));
  p.hashes = api::IndexHashes(type, resource->search_values, *rt_.keyring);
  if (type == fhir::ResourceType::kCareTeam)
    p.care_links = api::CareLinksOf(resource->facts, id, compartment.id);
  return p;
}

struct Importer::Batch {
  std::vector<Prepared> resources;
  CompartmentsById seen;  // new patients by id, and the others' ids as "Type/id"
  audit::AuditEvent event;
};

Result<std::shared_ptr<Importer::Batch>> Importer::Prepare(std::span<const ImportItem> items) {
  auto batch = std::make_shared<Batch>();
  int64_t now = ToUnixMillis(rt_.clock.Now());
  batch->resources.reserve(items.size());
  {
    // One read snapshot for the batch's lookups, not a read transaction (and its file
    // locks) per lookup.
    auto snapshot = rt_.store->reader().BeginSnapshot();
    for (const ImportItem& item : items) {
      ASSIGN_OR_RETURN(Prepared p, Prepare(item, batch->seen, now));
      batch->resources.push_back(std::move(p));
    }
  }
  std::set<std::string> patients;
  for (const Prepared& p : batch->resources)
    if (!p.patient.empty()) patients.insert(p.patient);
  audit::AuditEvent& event = batch->event;
  event.time_ms = now;
  event.request_id = NewUuid();
  event.username = "(command line)";
  event.interaction = "import";
  event.patients.assign(patients.begin(), patients.end());
  event.outcome = "success";
  event.detail = std::to_string(batch->resources.size()) + " resources imported by the operator";

  for (const auto& [key, compartment] : batch->seen) {
    if (key.find('/') == std::string::npos) unsettled_patients_.insert_or_assign(key, compartment);
    unsettled_ids_.insert(key);
  }
  return batch;
}

void Importer::Commit(std::vector<std::shared_ptr<Batch>> group,
                      std::function<void(GroupOutcome)> done) {
  // The index of the batch being written, read after the job: the job's own status is
  // all the writer reports.
  auto failed_at = std::make_shared<size_t>(0);
  rt_.store->Submit(
      [this, group, failed_at](store::Transaction& txn) -> Status {
        for (size_t i = 0; i < group.size(); ++i) {
          *failed_at = i;
          for (const Prepared& p : group[i]->resources) {
            if (p.new_compartment) TRY(txn.InsertCompartment(*p.new_compartment));
            TRY(txn.PutResourceVersion(p.row));
            if (!p.hashes.empty()) TRY(txn.ReplaceIndex(p.row.type, p.row.id, p.hashes));
            if (!p.care_links.empty()) TRY(txn.ReplaceCareLinks(p.row.id, p.care_links));
          }
          TRY(rt_.audit->Append(txn, group[i]->event));
        }
        return Ok();
      },
      [failed_at, done = std::move(done)](Status s) {
        GroupOutcome outcome;
        // Unavailable: the storage refused the transaction (full, read-only, lost), not
        // the batch being written when it did.
        if (!s && s.error().code != ErrorCode::kUnavailable) outcome.failed_batch = *failed_at;
        outcome.status = std::move(s);
        done(std::move(outcome));
      });
}

void Importer::Committed(const Batch& batch) {
  if (recent_.size() + batch.seen.size() > kRecentPatients) recent_.clear();
  for (const auto& [key, compartment] : batch.seen) {
    if (key.find('/') == std::string::npos) recent_.insert_or_assign(key, compartment);
    unsettled_patients_.erase(key);
    unsettled_ids_.erase(key);
  }
}

void Importer::Forget(const Batch& batch) {
  for (const auto& [key, compartment] : batch.seen) {
    recent_.erase(key);
    unsettled_patients_.erase(key);
    unsettled_ids_.erase(key);
  }
}

Status Importer::ImportBatch(std::span<const ImportItem> items) {
  if (items.empty()) return Ok();
  ASSIGN_OR_RETURN(auto batch, Prepare(items));
  std::promise<GroupOutcome> committed;
  Commit({batch}, [&committed](GroupOutcome o) { committed.set_value(std::move(o)); });
  Status s = committed.get_future().get().status;
  if (s) {
    Committed(*batch);
  } else {
    Forget(*batch);
  }
  return s;
}

}  // namespace medvault::cli
