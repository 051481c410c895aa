// Instants on the wire: RFC 3339 / FHIR `instant` in UTC with milliseconds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace medvault {

// "2026-11-29T03:36:17.123Z"
std::string FormatInstant(Time t);

// Parses an RFC 3339 date-time with a time zone ("Z" or "+hh:mm"), optional fraction.
std::optional<Time> ParseInstant(std::string_view text);

}  // namespace medvault
