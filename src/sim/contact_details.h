// Contact details as French records write them: phone numbers, addresses, and the
// FHIR ContactPoint and Address shapes, shared by patients and practices.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "sim/resource_writer.h"
#include "sim/sim_random.h"
#include "sim/vocabulary.h"

namespace medvault::sim {

// `count` random decimal digits.
std::string RandomDigits(SimRandom& rng, int count);

// "+33 6 12 34 56 78": `first_digit` is the digit after the trunk 0 ('1'…'5' for
// landlines by region, '6' or '7' for mobiles).
std::string FrenchPhoneNumber(SimRandom& rng, char first_digit);

// {"system":…,"value":…,"use":…}; an empty use is left out.
void WriteContactPoint(ResourceWriter& json, std::string_view system, std::string_view value,
                       std::string_view use);

// "address":[{"use":…,"line":[…],"city":…,"postalCode":…,"country":"FR"}]
void WriteAddressMember(ResourceWriter& json, std::string_view use,
                        std::span<const std::string> lines, const Town& town);

}  // namespace medvault::sim
