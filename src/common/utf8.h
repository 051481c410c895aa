// UTF-8 checks for text that crosses a trust boundary: decoded query strings (which must
// be valid before anything compares them) and strings written into JSON responses
// (which must stay valid JSON whatever a caller passed in).
#pragma once

#include <string>
#include <string_view>

namespace medvault {

// True when `text` is well-formed UTF-8: no stray continuation bytes, no overlong
// forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text);

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD.
std::string ToValidUtf8(std::string_view text);

// `text` itself when it is well-formed (the common case: no copy), else its
// ToValidUtf8 form, kept in `storage`.
std::string_view AsValidUtf8(std::string_view text, std::string& storage);

// At most `max_bytes` of `text`, cut on a character boundary, with control characters
// replaced by '?', so that a client-supplied name can be quoted in an error message.
std::string QuotableName(std::string_view text, size_t max_bytes = 64);

}  // namespace medvault
