// The catalog of risk features: what each measures, and how a reading of it reads in
// English. Features measure (how far past what is usual an account went, in the
// feature's own unit); the RiskScorer judges (how many points a unit is worth and how
// long they are remembered). Explanations name features and counts, never a patient.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace medvault::detect {

enum class Feature : uint8_t {
  kVolumeDay,          // distinct patients today against the account's (or role's) usual day
  kVolumeHour,         // distinct patients this hour, near the hourly budget
  kUnwrittenReads,     // patients read without a write around the read, hour after hour today
  kUnwrittenDays,      // days of the last 7 with more unwritten reads than usual
  kOutOfHours,         // activity in hours the account does not work (nights weigh more)
  kCoverage,           // distinct patients over 30 days against what the account can reach
  kRefusals,           // reads by id refused (403/404): enumeration
  kDirectorySweep,     // directory searches not followed by opening a returned patient
  kSessionMoved,       // one session used from two clients
  kNewClient,          // a client (address and user agent) the account never used
  kBreakGlass,         // break-the-glass grants in 7 days
  kOutOfCare,          // patients outside the account's care relationships
  kConfidential,       // patients with a confidentiality label
  kSnooping,           // patients bearing the clinician's family name, outside care
  kListHarvest,        // patients opened one by one from result lists, none written for
  kPlatformVolume,     // the account's excess in an hour of platform-wide unusual volume
  kPlatformUnwritten,  // the account's unwritten reads in an hour of platform-wide excess
};
inline constexpr size_t kFeatureCount = 17;

// "volume-day", "unwritten-reads", …: the names explanations and alerts carry.
std::string_view NameOf(Feature feature);
// The feature of that name, for settings that switch features off.
std::optional<Feature> FeatureNamed(std::string_view name);
// Every feature's name, comma-separated (for error messages).
std::string FeatureNames();

// New evidence from a feature, with the figures that justify it.
struct FeatureReading {
  Feature feature = Feature::kVolumeDay;
  double units = 0;      // new evidence in the feature's unit (see feature.cc)
  double value = 0;      // the measured quantity now
  double usual = 0;      // what is usual (the account's, its role's or the platform's)
  double threshold = 0;  // beyond which the quantity counts
  double detail = 0;     // a second figure some sentences need (hours, an hour of day, …)
  int64_t time_ms = 0;
  int64_t audit_seq = -1;  // the event it comes from; -1 for none
  uint64_t session = 0;    // HashId of that event's session; 0 for none
};

// One line of English about the latest reading of a feature: what, how many, against what.
std::string Describe(const FeatureReading& reading);

}  // namespace medvault::detect
