// People's names: drawing them from the vocabulary, and their ASCII forms for account
// names and e-mail addresses.
#pragma once

#include <string>
#include <string_view>

#include "sim/sim_random.h"
#include "sim/vocabulary.h"

namespace medvault::sim {

struct PersonName {
  std::string_view given;
  std::string_view second_given;  // empty for most people
  std::string_view family;
};

// `second_given_chance`: how often a second given name is recorded.
PersonName DrawPersonName(SimRandom& rng, Sex sex, double second_given_chance);

// Lowercase ASCII for [a-z0-9.-] identifiers: accents dropped ("é" → "e", "œ" → "oe"),
// spaces and apostrophes become '-', anything else outside the set is dropped.
std::string AsciiFold(std::string_view utf8);

}  // namespace medvault::sim
