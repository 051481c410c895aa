// The lists the population draws from, shipped with the code (small and plausible, not
// statistics): names, places, and the clinical vocabularies (LOINC, ICD-10, SNOMED CT,
// ATC) with the French labels a general practice would see.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace medvault::sim {

enum class Sex : uint8_t { kMale, kFemale };

// Given names in use in France across the generations, accented and compound ones
// included ("Hélène", "Jean-Pierre").
std::span<const std::string_view> GivenNames(Sex sex);
// Family names, accented ("Lefèvre") and compound ("Martin-Dubois", "Le Gall") ones
// included.
std::span<const std::string_view> FamilyNames();

struct Town {
  std::string_view name;
  std::string_view postal_code;
  std::string_view insee_code;  // five digits, department first; never Corsica
  char phone_area;              // '1'…'5': the first digit after 0 of landlines there
};
std::span<const Town> Towns();
std::span<const std::string_view> StreetNames();
// Birth places abroad as the NIR writes them: "99" and the INSEE country code.
std::span<const std::string_view> ForeignBirthPlaces();

enum class MeasureKind : uint8_t { kVitalSign, kLaboratory };

// An observation the practice records: its LOINC code, UCUM unit and the values to draw.
struct Measure {
  std::string_view loinc;
  std::string_view display;  // the LOINC long name, abridged
  std::string_view label;    // French label, as the practice software shows it
  std::string_view unit;     // UCUM
  MeasureKind kind;
  uint8_t panel;  // laboratory tests drawn together share a panel number (0 for vitals)
  double mean;
  double deviation;
  double reference_low;  // the normal range
  double reference_high;
  int decimals;
  int min_age;    // not measured below this age
  char only_sex;  // 'M', 'F' or 0
};
std::span<const Measure> Measures();
inline constexpr int kLabPanelCount = 8;  // panels are numbered 1…kLabPanelCount

struct ConditionCode {
  std::string_view icd10;
  std::string_view label;  // French
  bool chronic;            // long-term (recorded once, stays active) or episode of care
  int min_age;
  int weight;         // relative frequency among conditions of its kind
  char only_sex = 0;  // 'M', 'F' or 0
};
std::span<const ConditionCode> Conditions();

struct AllergyCode {
  std::string_view snomed;
  std::string_view display;   // English SNOMED CT preferred term
  std::string_view label;     // French
  std::string_view category;  // food | medication | environment
  std::string_view reaction;  // French, the usual manifestation
};
std::span<const AllergyCode> Allergies();

struct MedicationCode {
  std::string_view atc;
  std::string_view label;       // French, with strength
  std::string_view dosage;      // French dosage instruction
  std::string_view indication;  // ICD-10 code it treats (prefix match), "" for any
  int days;                     // duration of one prescription
};
std::span<const MedicationCode> Medications();

// Free text: reasons for a visit, notes, and the administrative comments of the
// patient file (the field that leaked in 2025).
std::span<const std::string_view> VisitReasons();
std::span<const std::string_view> ExaminationSentences();
std::span<const std::string_view> ConclusionSentences();
std::span<const std::string_view> AdministrativeComments();

}  // namespace medvault::sim
