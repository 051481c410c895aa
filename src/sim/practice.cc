#include "sim/practice.h"

#include <algorithm>
#include <string_view>

#include "sim/contact_details.h"
#include "sim/person_names.h"
#include "sim/resource_writer.h"

namespace medvault::sim {
namespace {

constexpr std::string_view kRppsSystem = "urn:oid:1.2.250.1.71.4.2.1";
constexpr std::string_view kFinessSystem = "urn:oid:1.2.250.1.71.4.2.2";
constexpr std::string_view kProfessionSystem = "urn:oid:1.2.250.1.213.1.6.1.4";

struct Role {
  std::string_view account_role;  // medvault's role name
  std::string_view username_prefix;
  std::string_view profession_code;  // "" for secretaries, who have no Practitioner
  std::string_view profession_label;
  std::string_view name_prefix;  // "Dr" for physicians
};

constexpr Role kPhysician{"physician", "dr", "SM54", "Médecin généraliste", "Dr"};
constexpr Role kNurse{"nurse", "ide", "60", "Infirmier", ""};
constexpr Role kSecretary{"secretary", "sec", "", "", ""};

constexpr std::string_view kPracticeNames[] = {
    "Cabinet médical",
    "Maison de santé pluriprofessionnelle",
    "Cabinet de médecine générale",
    "Centre médical",
    "Pôle santé",
};

// An RPPS number: 11 digits, the last a Luhn check digit.
std::string RppsNumber(SimRandom& rng) {
  std::string number = "10" + RandomDigits(rng, 8);
  int sum = 0;
  for (size_t i = 0; i < number.size(); ++i) {
    int digit = number[number.size() - 1 - i] - '0';
    if (i % 2 == 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return number + static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string UniqueUsername(UsernameRegistry& usernames, std::string_view prefix,
                           const PersonName& name) {
  const std::string base =
      std::string(prefix) + "." + AsciiFold(name.family) + "." + AsciiFold(name.given);
  std::string candidate = base;
  for (int suffix = 2; !usernames.insert(candidate).second; ++suffix) {
    candidate = base + "." + std::to_string(suffix);
  }
  return candidate;
}

void WriteWorkPhone(SimRandom& rng, ResourceWriter& json, const Town& town) {
  json.Key("telecom");
  json.StartArray();
  WriteContactPoint(json, "phone", FrenchPhoneNumber(rng, town.phone_area), "work");
  json.EndArray();
}

void EmitOrganization(SimRandom& rng, const Practice& practice, const std::string& line,
                      ResourceSink& sink) {
  ResourceWriter json("Organization", practice.organization_id);
  json.Key("identifier");
  json.StartArray();
  json.StartObject();
  json.Member("system", kFinessSystem);
  json.Member("value", std::string(practice.town->insee_code.substr(0, 2)) + RandomDigits(rng, 7));
  json.EndObject();
  json.EndArray();
  json.Key("active");
  json.Bool(true);
  json.Member("name", practice.name);
  WriteWorkPhone(rng, json, *practice.town);
  WriteAddressMember(json, "work", std::span<const std::string>(&line, 1), *practice.town);
  sink.Emit(fhir::ResourceType::kOrganization, practice.organization_id, json.Finish());
}

// Draws a person of `role`, emits their Practitioner (not for secretaries) and account,
// and returns them.
Clinician EmitStaffMember(SimRandom& rng, ResourceIds& ids, UsernameRegistry& usernames,
                          const Role& role, const Practice& practice, ResourceSink& sink) {
  const Sex sex =
      rng.Chance(role.account_role == "physician" ? 0.5 : 0.85) ? Sex::kFemale : Sex::kMale;
  const PersonName name = DrawPersonName(rng, sex, 0.0);
  Clinician person;
  person.display_name = std::string(name.given) + " " + std::string(name.family);
  if (!role.name_prefix.empty()) {
    person.display_name = std::string(role.name_prefix) + " " + person.display_name;
  }
  if (!role.profession_code.empty()) {
    person.practitioner_id = ids.Next();
    ResourceWriter json("Practitioner", person.practitioner_id);
    json.Key("identifier");
    json.StartArray();
    json.StartObject();
    json.Member("system", kRppsSystem);
    json.Member("value", RppsNumber(rng));
    json.EndObject();
    json.EndArray();
    json.Key("active");
    json.Bool(true);
    json.Key("name");
    json.StartArray();
    json.StartObject();
    json.Member("family", name.family);
    json.Key("given");
    json.StartArray();
    json.String(name.given);
    json.EndArray();
    if (!role.name_prefix.empty()) {
      json.Key("prefix");
      json.StartArray();
      json.String(role.name_prefix);
      json.EndArray();
    }
    json.EndObject();
    json.EndArray();
    WriteWorkPhone(rng, json, *practice.town);
    json.Member("gender", sex == Sex::kFemale ? "female" : "male");
    json.Key("qualification");
    json.StartArray();
    json.StartObject();
    json.CodeableConceptMember("code", kProfessionSystem, role.profession_code,
                               role.profession_label);
    json.ReferenceMember("issuer", "Organization", practice.organization_id);
    json.EndObject();
    json.EndArray();
    sink.Emit(fhir::ResourceType::kPractitioner, person.practitioner_id, json.Finish());
  }
  SimAccount account;
  account.username = UniqueUsername(usernames, role.username_prefix, name);
  account.role = role.account_role;
  account.organization_id = practice.organization_id;
  account.practitioner_id = person.practitioner_id;
  account.display_name = person.display_name;
  sink.Account(account);
  return person;
}

}  // namespace

Practice EmitPractice(SimRandom& rng, ResourceIds& ids, UsernameRegistry& usernames,
                      int physician_count, bool with_nurse, ResourceSink& sink) {
  Practice practice;
  practice.organization_id = ids.Next();
  practice.town = &rng.Pick(Towns());
  const std::string_view street = rng.Pick(StreetNames());
  practice.name = std::string(rng.Pick(std::span<const std::string_view>(kPracticeNames))) + " – " +
                  std::string(practice.town->name);
  const std::string line = std::to_string(rng.Between(1, 120)) + " " + std::string(street);
  EmitOrganization(rng, practice, line, sink);

  for (int i = 0; i < physician_count; ++i) {
    practice.physicians.push_back(EmitStaffMember(rng, ids, usernames, kPhysician, practice, sink));
  }
  const int drawn_nurses = rng.Chance(0.4) ? (physician_count >= 4 ? 2 : 1) : 0;
  const int nurse_count = with_nurse ? std::max(drawn_nurses, 1) : drawn_nurses;
  for (int i = 0; i < nurse_count; ++i) {
    practice.nurses.push_back(EmitStaffMember(rng, ids, usernames, kNurse, practice, sink));
  }
  const int secretary_count = physician_count >= 3 || rng.Chance(0.3) ? 2 : 1;
  for (int i = 0; i < secretary_count; ++i) {
    EmitStaffMember(rng, ids, usernames, kSecretary, practice, sink);
  }
  return practice;
}

}  // namespace medvault::sim
