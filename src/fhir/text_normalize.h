// Normalization of text for search: the same function serves the blind indexes (on
// write and on query) and the exact check after decryption, so both agree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace medvault::fhir {

// Folds case and diacritics (é→e, Ç→c, œ→oe, æ→ae, ß→ss) for Latin scripts, turns
// hyphens, apostrophes and other punctuation into spaces, collapses runs of spaces and
// trims. Characters outside Latin-1 and Latin Extended-A are kept lowercased where
// ASCII, otherwise as they are. Invalid UTF-8 bytes are dropped.
std::string NormalizeForSearch(std::string_view text);

// The space-separated words of NormalizeForSearch(text).
std::vector<std::string> SearchWords(std::string_view text);

}  // namespace medvault::fhir
