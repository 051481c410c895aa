// The patients to notify under GDPR art. 34, with the contact details of their current
// Patient resource.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "fhir/resource.h"
#include "incident/notification.h"
#include "incident/render_text.h"

namespace medvault::incident {
namespace {

std::string Member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return "";
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return "";
  return {it->value.GetString(), it->value.GetStringLength()};
}

// The strings of an array member, joined by `separator`.
std::string Joined(const rapidjson::Value& object, const char* name, std::string_view separator) {
  std::string out;
  if (!object.IsObject()) return out;
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsArray()) return out;
  for (const auto& v : it->value.GetArray()) {
    if (!v.IsString() || v.GetStringLength() == 0) continue;
    if (!out.empty()) out += separator;
    out.append(v.GetString(), v.GetStringLength());
  }
  return out;
}

// "Given Family", from the first name that has either (an official one first).
std::string NameOf(const rapidjson::Value& patient) {
  auto it = patient.FindMember("name");
  if (it == patient.MemberEnd() || !it->value.IsArray()) return "";
  std::string fallback;
  for (const auto& name : it->value.GetArray()) {
    std::string text = Member(name, "text");
    std::string built = Joined(name, "given", " ");
    std::string family = Member(name, "family");
    if (!family.empty()) built += (built.empty() ? "" : " ") + family;
    if (built.empty()) built = text;
    if (built.empty()) continue;
    if (Member(name, "use") == "official") return built;
    if (fallback.empty()) fallback = built;
  }
  return fallback;
}

std::string AddressLine(const rapidjson::Value& address) {
  std::string text = Member(address, "text");
  if (!text.empty()) return text;
  std::string line = Joined(address, "line", ", ");
  std::string city = Member(address, "postalCode");
  std::string name = Member(address, "city");
  if (!name.empty()) city += (city.empty() ? "" : " ") + name;
  for (const std::string& part : {city, Member(address, "country")})
    if (!part.empty()) line += (line.empty() ? "" : ", ") + part;
  return line;
}

void FillFrom(std::string_view contact_json, PatientContact& out) {
  rapidjson::Document doc;
  doc.Parse(contact_json.data(), contact_json.size());
  if (doc.HasParseError() || !doc.IsObject()) return;
  out.name = NameOf(doc);
  out.birth_date = Member(doc, "birthDate");
  if (auto it = doc.FindMember("telecom"); it != doc.MemberEnd() && it->value.IsArray()) {
    for (const auto& t : it->value.GetArray()) {
      std::string system = Member(t, "system"), value = Member(t, "value");
      if (value.empty()) continue;
      (system == "email" ? out.emails : out.phones).push_back(value);
    }
  }
  if (auto it = doc.FindMember("address"); it != doc.MemberEnd() && it->value.IsArray()) {
    for (const auto& a : it->value.GetArray()) {
      std::string line = AddressLine(a);
      if (!line.empty()) out.addresses.push_back(line);
    }
  }
}

std::string JoinedList(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : " | ") + v;
  return out;
}

}  // namespace

Result<std::vector<PatientContact>> ContactsToNotify(const BreachReport& report,
                                                     store::Reader& reader,
                                                     const access::RecordVault& vault,
                                                     const ContactDecision& decide) {
  std::vector<PatientContact> contacts;
  auto snapshot = reader.BeginSnapshot();
  for (const PatientExposure& p : report.patients) {
    PatientContact& c = contacts.emplace_back();
    c.patient = p.patient;
    c.categories = p.categories;
    c.first_ms = p.first_ms;
    c.last_ms = p.last_ms;
    ASSIGN_OR_RETURN(auto stored, reader.CurrentWithCompartment("Patient", p.patient));
    if (!stored || stored->row.deleted) continue;
    const store::CompartmentRow& compartment = stored->compartment;
    access::AccessDecision decision =
        decide(access::AccessTarget{fhir::ResourceType::kPatient, compartment.id,
                                    compartment.organization_id, compartment.confidentiality});
    if (!decision.allowed())
      return Fail(ErrorCode::kForbidden, "access denied: " + decision.reason());
    ASSIGN_OR_RETURN(std::string json, vault.Open(decision, compartment, stored->row));
    ASSIGN_OR_RETURN(std::string contact, fhir::PatientContactDetails(json));
    c.found = true;
    FillFrom(contact, c);
  }
  return contacts;
}

std::string ContactsCsv(const std::vector<PatientContact>& contacts) {
  std::string out =
      "patient,name,birth_date,phones,emails,addresses,categories,first_access,last_access\r\n";
  for (const PatientContact& c : contacts) {
    std::string categories;
    for (const CategoryInfo& info : AllCategories())
      if (c.categories.Has(info.category))
        categories += (categories.empty() ? "" : ";") + std::string(info.key);
    out += CsvCell(c.patient) + ',' + CsvCell(c.name) + ',' + CsvCell(c.birth_date) + ',' +
           CsvCell(JoinedList(c.phones)) + ',' + CsvCell(JoinedList(c.emails)) + ',' +
           CsvCell(JoinedList(c.addresses)) + ',' + categories + ',' + InstantText(c.first_ms) +
           ',' + InstantText(c.last_ms) + "\r\n";
  }
  return out;
}

std::string ContactsJson(const std::vector<PatientContact>& contacts) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  auto list = [&](const char* key, const std::vector<std::string>& values) {
    w.Key(key);
    w.StartArray();
    for (const std::string& v : values)
      w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
    w.EndArray();
  };
  w.StartObject();
  w.Key("patients");
  w.StartArray();
  for (const PatientContact& c : contacts) {
    w.StartObject();
    str("patient", c.patient);
    w.Key("found");
    w.Bool(c.found);
    str("name", c.name);
    str("birth_date", c.birth_date);
    list("phones", c.phones);
    list("emails", c.emails);
    list("addresses", c.addresses);
    std::vector<std::string> categories;
    for (const CategoryInfo& info : AllCategories())
      if (c.categories.Has(info.category)) categories.emplace_back(info.key);
    list("categories", categories);
    str("first_access", InstantText(c.first_ms));
    str("last_access", InstantText(c.last_ms));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace medvault::incident
