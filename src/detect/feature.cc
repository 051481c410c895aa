#include "detect/feature.h"

#include <cstdarg>
#include <cstdio>

namespace medvault::detect {
namespace {

// GCC 12 has no std::format; the sentences only hold numbers, so printf's formats do.
[[gnu::format(printf, 1, 2)]] std::string Sentence(const char* format, ...) {
  char buffer[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  return buffer;
}

}  // namespace

std::string_view NameOf(Feature feature) {
  switch (feature) {
    case Feature::kVolumeDay: return "volume-day";
    case Feature::kVolumeHour: return "volume-hour";
    case Feature::kUnwrittenReads: return "unwritten-reads";
    case Feature::kUnwrittenDays: return "unwritten-days";
    case Feature::kOutOfHours: return "out-of-hours";
    case Feature::kCoverage: return "coverage";
    case Feature::kRefusals: return "refusals";
    case Feature::kDirectorySweep: return "directory-sweep";
    case Feature::kSessionMoved: return "session-moved";
    case Feature::kNewClient: return "new-client";
    case Feature::kBreakGlass: return "break-glass";
    case Feature::kOutOfCare: return "out-of-care";
    case Feature::kConfidential: return "confidential";
    case Feature::kSnooping: return "snooping";
    case Feature::kListHarvest: return "list-harvest";
    case Feature::kPlatformVolume: return "platform-volume";
    case Feature::kPlatformUnwritten: return "platform-unwritten";
  }
  return "unknown";
}

std::optional<Feature> FeatureNamed(std::string_view name) {
  for (size_t i = 0; i < kFeatureCount; ++i)
    if (NameOf(static_cast<Feature>(i)) == name) return static_cast<Feature>(i);
  return std::nullopt;
}

std::string FeatureNames() {
  std::string out;
  for (size_t i = 0; i < kFeatureCount; ++i) {
    if (i > 0) out += ", ";
    out += NameOf(static_cast<Feature>(i));
  }
  return out;
}

std::string Describe(const FeatureReading& r) {
  switch (r.feature) {
    case Feature::kVolumeDay:
      return Sentence("%.0f distinct patients today against a usual %.0f (unusual above %.0f).",
                      r.value, r.usual, r.threshold);
    case Feature::kVolumeHour:
      return Sentence("%.0f distinct patients this hour against a usual %.1f (unusual above %.0f).",
                      r.value, r.usual, r.threshold);
    case Feature::kUnwrittenReads:
      return Sentence(
          "%.0f patients read today with no write for them around the read, in %.0f separate "
          "hours over the allowance of %.1f an hour.",
          r.value, r.detail, r.threshold);
    case Feature::kUnwrittenDays:
      return Sentence(
          "%.0f of the last 7 days had more patients read without a write than usual "
          "(today %.0f, unusual above %.0f).",
          r.value, r.detail, r.threshold);
    case Feature::kOutOfHours:
      if (r.value == 0)
        return Sentence("activity from %02.0f:00, %s this account does not usually work.", r.detail,
                        r.detail >= 22 || r.detail < 6 ? "at night, in hours" : "in hours");
      return Sentence("%.0f patients read since %02.0f:00, %s this account does not usually work.",
                      r.value, r.detail,
                      r.detail >= 22 || r.detail < 6 ? "at night, in hours" : "in hours");
    case Feature::kCoverage:
      return Sentence("%.0f distinct patients in 30 days (unusual above %.0f%s).", r.value,
                      r.threshold, r.usual > 0 ? ", a share of what the account can reach" : "");
    case Feature::kRefusals:
      return Sentence("%.0f reads refused (403 or 404) in about the last hour (usual up to %.0f).",
                      r.value, r.threshold);
    case Feature::kDirectorySweep:
      return Sentence(
          "%.0f directory searches in about the last hour not followed by opening a patient they "
          "returned (usual up to %.0f).",
          r.value, r.threshold);
    case Feature::kSessionMoved:
      return Sentence("one session used from %.0f different clients (address and browser).",
                      r.value);
    case Feature::kNewClient:
      return Sentence("a client (address and browser) not among the %.0f this account used before.",
                      r.usual);
    case Feature::kBreakGlass: return Sentence("%.0f break-the-glass grants in 7 days.", r.value);
    case Feature::kOutOfCare:
      return Sentence(
          "%.0f patients outside this account's care relationships read today, %.0f of them "
          "without a write.",
          r.value, r.detail);
    case Feature::kConfidential:
      return Sentence("%.0f patients with a confidentiality label read today, %.0f outside care.",
                      r.value, r.detail);
    case Feature::kSnooping:
      return Sentence(
          "%.0f patients who bear this clinician's family name or live at their home address, "
          "reached today outside care or taken into care.",
          r.value);
    case Feature::kListHarvest:
      return Sentence(
          "%.0f patients opened today one by one from result lists, none of them written for "
          "(%.0f a day are usual).",
          r.value, r.threshold);
    case Feature::kPlatformVolume:
      return Sentence(
          "the platform's accounts read %.0f distinct patients in one hour against a usual %.0f "
          "(unusual above %.0f); this account read %.0f, more than its own usual hour.",
          r.value, r.usual, r.threshold, r.detail);
    case Feature::kPlatformUnwritten:
      return Sentence(
          "the platform's accounts read %.0f patients without a write in one hour (at most 3 "
          "counted per account) against a usual %.0f (unusual above %.0f); this account %.0f.",
          r.value, r.usual, r.threshold, r.detail);
  }
  return "unknown feature.";
}

}  // namespace medvault::detect
