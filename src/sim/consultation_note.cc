// The consultation note: a DocumentReference whose attachment holds the note's text.
#include "sim/civil_time.h"
#include "sim/clinical_records.h"
#include "sim/resource_writer.h"

namespace medvault::sim {
namespace {

constexpr std::string_view kLoinc = "http://loinc.org";

// Standard base64 with padding (FHIR base64Binary).
std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.resize((bytes.size() + 2) / 3 * 4);
  char* next = out.data();
  size_t i = 0;
  auto byte = [&bytes](size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    *next++ = kAlphabet[group >> 18];
    *next++ = kAlphabet[(group >> 12) & 63];
    *next++ = kAlphabet[(group >> 6) & 63];
    *next++ = kAlphabet[group & 63];
  }
  if (i < bytes.size()) {
    const bool two = i + 1 < bytes.size();
    const uint32_t group = byte(i) << 16 | (two ? byte(i + 1) << 8 : 0);
    *next++ = kAlphabet[group >> 18];
    *next++ = kAlphabet[(group >> 12) & 63];
    *next++ = two ? kAlphabet[(group >> 6) & 63] : '=';
    *next++ = '=';
  }
  return out;
}

}  // namespace

void EmitConsultationNote(const RecordContext& context, const Visit& visit, std::string_view text) {
  const std::string id = context.ids.Next();
  const int64_t written = visit.start_seconds + 60 * (20 + context.rng.Below(40));
  const TimeText date = TimeText::FrenchDate(visit.start_seconds / kSecondsPerDay);
  ResourceWriter json("DocumentReference", id);
  json.Member("status", "current");
  json.Member("docStatus", "final");
  json.CodeableConceptMember("type", kLoinc, "11506-3", "Progress note", "Note de consultation");
  json.ReferenceMember("subject", "Patient", context.patient.id);
  json.Member("date", TimeText::DateTime(written).view());
  json.Key("author");
  json.StartArray();
  json.Reference("Practitioner", visit.physician->practitioner_id);
  json.EndArray();
  json.ReferenceMember("custodian", "Organization", context.practice.organization_id);
  const std::string title = "Consultation du " + std::string(date.view());
  json.Member("description", title);
  json.Key("content");
  json.StartArray();
  json.StartObject();
  json.Key("attachment");
  json.StartObject();
  json.Member("contentType", "text/plain; charset=UTF-8");
  json.Member("language", "fr");
  json.Member("data", Base64(text));
  json.Member("title", title);
  json.EndObject();
  json.EndObject();
  json.EndArray();
  json.Key("context");
  json.StartObject();
  json.Key("encounter");
  json.StartArray();
  json.Reference("Encounter", visit.encounter_id);
  json.EndArray();
  json.Key("period");
  json.Period(TimeText::DateTime(visit.start_seconds).view());
  json.EndObject();
  context.sink.Emit(fhir::ResourceType::kDocumentReference, id, json.Finish());
}

}  // namespace medvault::sim
