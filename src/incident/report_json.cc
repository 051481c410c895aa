// The breach report as JSON (the whole report) and as CSV (one row per patient).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "crypto/encoding.h"
#include "incident/breach_report.h"
#include "incident/render_text.h"

namespace medvault::incident {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void Int(Writer& w, std::string_view key, int64_t value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.Int64(value);
}

// An instant, or null for an open end.
void Time(Writer& w, std::string_view key, int64_t ms) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  std::string text = InstantText(ms);
  if (text.empty()) {
    w.Null();
  } else {
    w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
  }
}

void Strings(Writer& w, std::string_view key, const std::vector<std::string>& values) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartArray();
  for (const std::string& v : values)
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  w.EndArray();
}

// key: [ {fields(item)}, … ]
template <typename T, typename Fields>
void Objects(Writer& w, std::string_view key, const std::vector<T>& items, Fields fields) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartArray();
  for (const T& item : items) {
    w.StartObject();
    fields(item);
    w.EndObject();
  }
  w.EndArray();
}

void Categories(Writer& w, CategorySet set) {
  w.Key("categories");
  w.StartArray();
  for (const CategoryInfo& c : AllCategories())
    if (set.Has(c.category)) w.String(c.key.data(), static_cast<rapidjson::SizeType>(c.key.size()));
  w.EndArray();
}

void WriteSummary(Writer& w, const BreachReport& r) {
  int64_t outside = 0, health = 0;
  for (const PatientExposure& p : r.patients) {
    outside += p.outside_care > 0 ? 1 : 0;
    bool any_health = false;
    for (const CategoryInfo& c : AllCategories())
      any_health = any_health || (c.health_data && p.categories.Has(c.category));
    health += any_health ? 1 : 0;
  }
  w.Key("summary");
  w.StartObject();
  Int(w, "requests_in_scope", r.entries_in_scope);
  Int(w, "disclosures", r.disclosures);
  Int(w, "patients", static_cast<int64_t>(r.patients.size()));
  Int(w, "patients_reached_outside_care", outside);
  Int(w, "patients_with_health_data", health);
  Int(w, "patients_with_changed_records", static_cast<int64_t>(r.changed.size()));
  w.EndObject();
}

void WriteAccounts(Writer& w, const BreachReport& r) {
  Objects(w, "accounts", r.accounts, [&](const ScopeAccount& a) {
    Str(w, "id", a.id);
    Str(w, "username", a.username);
    Str(w, "role", a.role);
    Str(w, "status", a.status);
    Int(w, "requests", a.requests);
    Int(w, "refused", a.refused);
    Time(w, "first", a.first_ms);
    Time(w, "last", a.last_ms);
    Strings(w, "client_addresses", a.addresses);
  });
}

void WritePatients(Writer& w, const BreachReport& r) {
  Objects(w, "patients", r.patients, [&](const PatientExposure& p) {
    Str(w, "patient", p.patient);
    Categories(w, p.categories);
    Time(w, "first_access", p.first_ms);
    Time(w, "last_access", p.last_ms);
    Int(w, "accesses", p.accesses);
    Int(w, "accesses_outside_care", p.outside_care);
    Int(w, "accesses_basis_unknown", p.basis_unknown);
    Str(w, "care", CareOf(p));
    Strings(w, "accounts", p.accounts);
  });
  Objects(w, "changed", r.changed, [&](const ChangedRecords& c) {
    Str(w, "patient", c.patient);
    Int(w, "changes", c.changes);
    Time(w, "first", c.first_ms);
    Time(w, "last", c.last_ms);
  });
}

void WriteMeasures(Writer& w, const BreachReport& r) {
  Objects(w, "measures", r.measures, [&](const ContainmentMeasure& m) {
    Time(w, "time", m.time_ms);
    Str(w, "audit_event", std::to_string(m.audit_seq));
    Str(w, "account", m.account);
    Str(w, "action", m.action);
    Str(w, "by", m.by);
    Int(w, "status", m.status);
  });
  Objects(w, "detections", r.detections, [&](const Detection& d) {
    Time(w, "time", d.time_ms);
    Str(w, "audit_event", std::to_string(d.audit_seq));
    Str(w, "account", d.account);
    Str(w, "kind", d.kind);
    Str(w, "severity", d.severity);
    Str(w, "measure", d.measure);
  });
}

}  // namespace

std::string_view CareOf(const PatientExposure& p) {
  if (p.outside_care == 0 && p.basis_unknown == 0) return "inside";
  if (p.outside_care == p.accesses) return "outside";
  if (p.basis_unknown == p.accesses) return "unknown";
  return "mixed";
}

std::string ReportJson(const BreachReport& r) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Str(w, "report", "breach-scope");
  Time(w, "generated_at", r.generated_at_ms);
  w.Key("scope");
  w.StartObject();
  Strings(w, "accounts", r.scope.accounts);
  Str(w, "client_address", r.scope.client_address);
  Time(w, "since", r.scope.since_ms);
  Time(w, "until", r.scope.until_ms);
  w.EndObject();
  w.Key("audit_log");
  w.StartObject();
  w.Key("verified");
  w.Bool(true);
  Int(w, "entries", r.verification.entries);
  Int(w, "signed_heads", r.verification.signed_heads);
  Int(w, "entries_under_signed_head", r.verification.covered);
  Str(w, "root", crypto::ToHex(r.verification.root));
  w.EndObject();
  WriteSummary(w, r);
  WriteAccounts(w, r);
  Objects(w, "categories", r.totals, [&](const CategoryTotal& t) {
    const CategoryInfo& info = InfoOf(t.category);
    Str(w, "category", info.key);
    Str(w, "label", info.label);
    w.Key("health_data");
    w.Bool(info.health_data);
    Int(w, "patients", t.patients);
    Int(w, "accesses", t.accesses);
  });
  WritePatients(w, r);
  WriteMeasures(w, r);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string ReportCsv(const BreachReport& r) {
  std::string out =
      "patient,categories,first_access,last_access,accesses,accesses_outside_care,"
      "accesses_basis_unknown,care,accounts\r\n";
  for (const PatientExposure& p : r.patients) {
    std::string categories, accounts;
    for (const CategoryInfo& c : AllCategories()) {
      if (!p.categories.Has(c.category)) continue;
      if (!categories.empty()) categories += ';';
      categories += c.key;
    }
    for (const std::string& a : p.accounts) accounts += (accounts.empty() ? "" : ";") + a;
    out += CsvCell(p.patient) + ',' + categories + ',' + InstantText(p.first_ms) + ',' +
           InstantText(p.last_ms) + ',' + std::to_string(p.accesses) + ',' +
           std::to_string(p.outside_care) + ',' + std::to_string(p.basis_unknown) + ',' +
           std::string(CareOf(p)) + ',' + CsvCell(accounts) + "\r\n";
  }
  return out;
}

}  // namespace medvault::incident
