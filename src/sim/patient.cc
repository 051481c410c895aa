#include "sim/patient.h"

#include <algorithm>
#include <span>
#include <string_view>
#include <vector>

#include "sim/civil_time.h"
#include "sim/contact_details.h"
#include "sim/nir.h"
#include "sim/resource_writer.h"

namespace medvault::sim {
namespace {

using fhir::ResourceType;

constexpr std::string_view kConfidentialitySystem =
    "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
constexpr std::string_view kSnomed = "http://snomed.info/sct";

// Share of the French population in each five-year age band (0-4 … 100-104), per
// mille, rounded; over-65s about a fifth.
constexpr int kAgeBands[] = {52, 57, 61, 62, 58, 56, 60, 63, 63, 64, 67,
                             66, 63, 58, 54, 41, 29, 19, 9,  3,  1};

constexpr std::string_view kEmailDomains[] = {"example.fr", "example.com", "example.org",
                                              "example.net"};

// What puts a record under a restricted label.
constexpr std::string_view kRestrictedComments[] = {
    "Personnalité publique : accès au dossier restreint.",
    "Membre du personnel du cabinet : dossier confidentiel.",
    "Élu local, demande de confidentialité renforcée.",
};

int DrawAgeBand(SimRandom& rng) {
  static constexpr int kTotal = [] {
    int total = 0;
    for (int share : kAgeBands) total += share;
    return total;
  }();
  auto draw = static_cast<int>(rng.Below(kTotal));
  int band = 0;
  while (draw >= kAgeBands[band]) draw -= kAgeBands[band++];
  return band;
}

int64_t YearsToDays(double years) { return static_cast<int64_t>(years * kDaysPerYear); }

void WriteName(ResourceWriter& json, std::string_view use, std::string_view family,
               const PersonName& name) {
  json.StartObject();
  json.Member("use", use);
  json.Member("family", family);
  json.Key("given");
  json.StartArray();
  json.String(name.given);
  if (!name.second_given.empty()) json.String(name.second_given);
  json.EndArray();
  json.EndObject();
}

std::string Nir(SimRandom& rng, NirOrders& orders, const PatientProfile& patient) {
  const CivilDate birth = CivilFromDays(patient.birth_days);
  NirParts parts;
  parts.sex = patient.sex == Sex::kMale ? 1 : 2;
  parts.birth_year = birth.year;
  parts.birth_month = birth.month;
  parts.birth_place =
      rng.Chance(0.08) ? rng.Pick(ForeignBirthPlaces()) : rng.Pick(Towns()).insee_code;
  parts.order = orders.Next(parts);
  return FormatNir(parts);
}

void WriteRole(ResourceWriter& json, std::string_view code, std::string_view display,
               std::string_view text) {
  json.Key("role");
  json.StartArray();
  json.CodeableConcept(kSnomed, code, display, text);
  json.EndArray();
}

}  // namespace

PatientProfile DrawPatient(SimRandom& rng, ResourceIds& ids, const Practice& practice,
                           CareAssignment care, int64_t today_days) {
  PatientProfile patient;
  patient.id = ids.Next();
  patient.care = care;
  patient.sex = rng.Chance(0.515) ? Sex::kFemale : Sex::kMale;
  patient.name = DrawPersonName(rng, patient.sex, 0.3);
  const int band = DrawAgeBand(rng);
  patient.birth_days = today_days - YearsToDays(5.0 * band + rng.Uniform(0.0, 5.0)) - 1;
  patient.age = YearsBetween(patient.birth_days, today_days);

  const int64_t days_alive = today_days - patient.birth_days;
  if (care.active) {
    patient.care_end_days = today_days;
    patient.care_start_days =
        today_days - std::min(days_alive - 1, YearsToDays(rng.Uniform(0.2, 25.0)));
    if (!practice.nurses.empty() && patient.age >= 70 && rng.Chance(0.3)) {
      patient.nurse = static_cast<int>(rng.Below(practice.nurses.size()));
    }
  } else {
    patient.care_end_days =
        today_days - std::min(days_alive / 2, YearsToDays(rng.Uniform(0.3, 15.0)));
    patient.care_start_days =
        patient.care_end_days -
        std::min(patient.care_end_days - patient.birth_days, YearsToDays(rng.Uniform(0.1, 12.0)));
    const int age_at_end = YearsBetween(patient.birth_days, patient.care_end_days);
    if (rng.Chance(age_at_end >= 80 ? 0.45 : age_at_end >= 65 ? 0.12 : 0.01)) {
      patient.deceased_days = patient.care_end_days;
    }
  }
  if (rng.Chance(0.003)) patient.confidentiality = rng.Chance(0.8) ? 'R' : 'V';
  return patient;
}

void EmitPatient(SimRandom& rng, NirOrders& nir_orders, const PatientProfile& patient,
                 const Practice& practice, ResourceSink& sink) {
  ResourceWriter json("Patient", patient.id);
  if (patient.confidentiality != 0) {
    json.Key("meta");
    json.StartObject();
    json.Key("security");
    json.StartArray();
    json.Coding(kConfidentialitySystem, std::string_view(&patient.confidentiality, 1),
                patient.confidentiality == 'R' ? "restricted" : "very restricted");
    json.EndArray();
    json.EndObject();
  }
  std::string comment;
  if (rng.Chance(0.6)) comment = rng.Pick(AdministrativeComments());
  if (patient.confidentiality != 0) {
    if (!comment.empty()) comment += ' ';
    comment += rng.Pick(std::span<const std::string_view>(kRestrictedComments));
  }
  if (!comment.empty()) {
    json.Key("extension");
    json.StartArray();
    json.StartObject();
    json.Member("url", kAdministrativeCommentExtension);
    json.Member("valueString", comment);
    json.EndObject();
    json.EndArray();
  }

  json.Key("identifier");
  json.StartArray();
  json.StartObject();
  json.Member("use", "official");
  json.Member("system", kNirSystem);
  json.Member("value", Nir(rng, nir_orders, patient));
  json.EndObject();
  json.EndArray();
  json.Key("active");
  json.Bool(patient.deceased_days < 0);

  json.Key("name");
  json.StartArray();
  WriteName(json, "official", patient.name.family, patient.name);
  if (patient.sex == Sex::kFemale && patient.age >= 25 && rng.Chance(0.4)) {
    WriteName(json, "usual", rng.Pick(FamilyNames()), patient.name);
  }
  json.EndArray();

  json.Key("telecom");
  json.StartArray();
  const Town& town = rng.Chance(0.85) ? *practice.town : rng.Pick(Towns());
  // Children's numbers are their parents'; everyone has at least one.
  const bool mobile = patient.age >= 12 || rng.Chance(0.5);
  if (!mobile || rng.Chance(0.45)) {
    WriteContactPoint(json, "phone", FrenchPhoneNumber(rng, town.phone_area), "home");
  }
  if (mobile) {
    WriteContactPoint(json, "phone", FrenchPhoneNumber(rng, rng.Chance(0.7) ? '6' : '7'), "mobile");
  }
  if (patient.age >= 15 && patient.age <= 85 && rng.Chance(0.4)) {
    const std::string email =
        AsciiFold(patient.name.given) + "." + AsciiFold(patient.name.family) +
        (rng.Chance(0.4) ? std::to_string(rng.Between(1, 99)) : "") + "@" +
        std::string(rng.Pick(std::span<const std::string_view>(kEmailDomains)));
    WriteContactPoint(json, "email", email, "");
  }
  json.EndArray();

  json.Member("gender", patient.sex == Sex::kFemale ? "female" : "male");
  json.Member("birthDate", TimeText::Date(patient.birth_days).view());
  if (patient.deceased_days >= 0) {
    json.Member("deceasedDateTime", TimeText::Date(patient.deceased_days).view());
  }

  std::vector<std::string> lines{std::to_string(rng.Between(1, 180)) + " " +
                                 std::string(rng.Pick(StreetNames()))};
  if (rng.Chance(0.12)) {
    lines.push_back("Bâtiment " + std::string(1, static_cast<char>('A' + rng.Below(6))) +
                    ", appartement " + std::to_string(rng.Between(1, 60)));
  }
  WriteAddressMember(json, "home", lines, town);

  if (patient.care.active) {
    json.Key("generalPractitioner");
    json.StartArray();
    json.Reference("Practitioner", practice.physicians[patient.care.physician].practitioner_id);
    json.EndArray();
  }
  json.ReferenceMember("managingOrganization", "Organization", practice.organization_id);
  sink.Emit(ResourceType::kPatient, patient.id, json.Finish());
}

void EmitCareTeam(ResourceIds& ids, const PatientProfile& patient, const Practice& practice,
                  ResourceSink& sink) {
  const std::string id = ids.Next();
  const TimeText start = TimeText::Date(patient.care_start_days);
  const TimeText end = TimeText::Date(patient.care_end_days);
  const std::string_view end_text = patient.care.active ? std::string_view() : end.view();
  ResourceWriter json("CareTeam", id);
  json.Member("status", patient.care.active ? "active" : "inactive");
  json.Member("name", "Médecin traitant et cabinet");
  json.ReferenceMember("subject", "Patient", patient.id);
  json.Key("period");
  json.Period(start.view(), end_text);
  json.Key("participant");
  json.StartArray();
  json.StartObject();
  WriteRole(json, "446050000", "Primary care physician", "Médecin traitant");
  json.ReferenceMember("member", "Practitioner",
                       practice.physicians[patient.care.physician].practitioner_id);
  json.ReferenceMember("onBehalfOf", "Organization", practice.organization_id);
  json.EndObject();
  json.StartObject();
  json.Key("role");
  json.StartArray();
  json.TextConcept("Cabinet");
  json.EndArray();
  json.ReferenceMember("member", "Organization", practice.organization_id);
  json.EndObject();
  if (patient.nurse >= 0) {
    json.StartObject();
    WriteRole(json, "224535009", "Registered nurse", "Infirmier(e)");
    json.ReferenceMember("member", "Practitioner", practice.nurses[patient.nurse].practitioner_id);
    json.ReferenceMember("onBehalfOf", "Organization", practice.organization_id);
    json.EndObject();
  }
  json.EndArray();
  json.Key("managingOrganization");
  json.StartArray();
  json.Reference("Organization", practice.organization_id);
  json.EndArray();
  sink.Emit(ResourceType::kCareTeam, id, json.Finish());
}

}  // namespace medvault::sim
