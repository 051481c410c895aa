#include "fhir/primitive_formats.h"

#include <charconv>
#include <cstdint>
#include <limits>

#include "fhir/fhir_datetime.h"

namespace medvault::fhir {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }
bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Control characters other than tab, CR and LF: R4 strings may not carry them. Every
// string is scanned, so the loop has no early exit and compiles to vector code.
bool HasControlCharacter(std::string_view text) {
  bool found = false;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    found |= byte < 0x20 && byte != '\t' && byte != '\r' && byte != '\n';
  }
  return found;
}

// [^\s]+(\s[^\s]+)*: no leading, trailing or doubled whitespace.
bool IsCode(std::string_view text) {
  bool previous_space = true;  // a leading space is as bad as a doubled one
  for (char c : text) {
    bool space = IsXmlSpace(c);
    if (space && previous_space) return false;
    previous_space = space;
  }
  return !previous_space;
}

bool HasWhitespace(std::string_view text) {
  bool found = false;
  for (char c : text) found |= c == ' ' || c == '\t' || c == '\r' || c == '\n';
  return found;
}

// urn:oid:[0-2](\.(0|[1-9][0-9]*))+
bool IsOid(std::string_view text) {
  constexpr std::string_view kPrefix = "urn:oid:";
  if (!text.starts_with(kPrefix)) return false;
  text.remove_prefix(kPrefix.size());
  if (text.size() < 3 || text[0] < '0' || text[0] > '2' || text[1] != '.') return false;
  size_t arcs = 0;
  for (size_t i = 1; i < text.size();) {
    if (text[i] != '.') return false;
    size_t start = ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == start || (text[start] == '0' && i - start > 1)) return false;
    ++arcs;
  }
  return arcs > 0;
}

// (\s*([0-9a-zA-Z\+/=]){4}\s*)+ with '=' only as the final padding.
bool IsBase64(std::string_view text) {
  size_t symbols = 0;
  size_t padding = 0;
  for (char c : text) {
    if (IsXmlSpace(c)) continue;
    bool alphabet =
        IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '/';
    if (c == '=') {
      ++padding;
    } else if (!alphabet || padding > 0) {
      return false;
    }
    ++symbols;
  }
  return symbols > 0 && symbols % 4 == 0 && padding <= 2;
}

// An XHTML fragment wrapped in a div of the XHTML namespace, as Narrative.div requires.
// The content itself is not parsed: clients render narrative as untrusted markup.
bool IsXhtmlDiv(std::string_view text) {
  while (!text.empty() && IsXmlSpace(text.back())) text.remove_suffix(1);
  if (!text.starts_with("<div") || text.size() < 5 ||
      !(IsXmlSpace(text[4]) || text[4] == '>' || text[4] == '/')) {
    return false;
  }
  std::string_view open_tag = text.substr(0, text.find('>'));
  return open_tag.find("xmlns=\"http://www.w3.org/1999/xhtml\"") != std::string_view::npos &&
         (text.ends_with("</div>") || text.ends_with("/>"));
}

enum class IntegerKind { kAny, kPositive, kNonNegative };

std::optional<std::string_view> IntegerError(JsonKind kind, std::string_view text,
                                             IntegerKind integer_kind) {
  if (kind != JsonKind::kNumber) return "must be a JSON number";
  for (size_t i = (!text.empty() && text[0] == '-') ? 1 : 0; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return "must be an integer (no fraction or exponent)";
  }
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() ||
      value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    return "must be within the 32-bit integer range";
  }
  if (integer_kind == IntegerKind::kPositive && value < 1) return "must be a positive integer";
  if (integer_kind == IntegerKind::kNonNegative && value < 0) {
    return "must not be negative";
  }
  return std::nullopt;
}

bool IsAnyText(std::string_view) { return true; }
bool IsCodeText(std::string_view text) { return IsCode(text); }
bool IsUriText(std::string_view text) { return !HasWhitespace(text); }
bool IsDate(std::string_view text) {
  auto value = ParseFhirDateTime(text);
  return value && value->precision <= DatePrecision::kDay;
}
bool IsDateTime(std::string_view text) { return ParseFhirDateTime(text).has_value(); }
bool IsInstant(std::string_view text) {
  auto value = ParseFhirDateTime(text);
  return value && value->has_time();
}

// The rule of each string-based primitive, beyond being a non-empty JSON string
// without control characters.
struct StringRule {
  Primitive primitive;
  bool (*valid)(std::string_view);
  std::string_view message;
};

constexpr StringRule kStringRules[] = {
    {Primitive::kString, IsAnyText, ""},
    {Primitive::kMarkdown, IsAnyText, ""},
    {Primitive::kCode, IsCodeText, "must not have leading, trailing or repeated whitespace"},
    {Primitive::kId, IsValidFhirId, "must be 1 to 64 letters, digits, '-' or '.'"},
    {Primitive::kUri, IsUriText, "must not contain whitespace"},
    {Primitive::kUrl, IsUriText, "must not contain whitespace"},
    {Primitive::kCanonical, IsUriText, "must not contain whitespace"},
    {Primitive::kOid, IsOid, "must be an OID written as urn:oid:…"},
    {Primitive::kUuid, IsUrnUuid, "must be a lowercase UUID written as urn:uuid:…"},
    {Primitive::kDate, IsDate, "must be a valid date (YYYY, YYYY-MM or YYYY-MM-DD)"},
    {Primitive::kDateTime, IsDateTime,
     "must be a valid dateTime (YYYY, YYYY-MM, YYYY-MM-DD, or a date and a time with seconds "
     "and a time zone)"},
    {Primitive::kInstant, IsInstant,
     "must be a valid instant (a date and a time with seconds and a time zone)"},
    {Primitive::kTime, IsFhirTime, "must be a valid time (hh:mm:ss)"},
    {Primitive::kBase64Binary, IsBase64, "must be valid base64"},
    {Primitive::kXhtml, IsXhtmlDiv, "must be a <div> element in the XHTML namespace"},
};

std::optional<std::string_view> StringFormatError(Primitive primitive, std::string_view text) {
  for (const StringRule& rule : kStringRules) {
    if (rule.primitive != primitive) continue;
    if (rule.valid(text)) return std::nullopt;
    return rule.message;
  }
  return "is not a string type";
}

}  // namespace

bool IsValidFhirId(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text) {
    bool ok =
        IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool IsUrnUuid(std::string_view text) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  if (!text.starts_with(kPrefix)) return false;
  text.remove_prefix(kPrefix.size());
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !IsLowerHex(text[i])) return false;
  }
  return true;
}

std::optional<std::string_view> PrimitiveFormatError(Primitive primitive, JsonKind kind,
                                                     std::string_view text) {
  switch (primitive) {
    case Primitive::kNone: return "is not a primitive type";
    case Primitive::kBoolean:
      if (kind != JsonKind::kTrue && kind != JsonKind::kFalse) return "must be true or false";
      return std::nullopt;
    case Primitive::kInteger: return IntegerError(kind, text, IntegerKind::kAny);
    case Primitive::kPositiveInt: return IntegerError(kind, text, IntegerKind::kPositive);
    case Primitive::kUnsignedInt: return IntegerError(kind, text, IntegerKind::kNonNegative);
    case Primitive::kDecimal:
      // The tree only holds numbers that follow the JSON grammar, which is R4's.
      if (kind != JsonKind::kNumber) return "must be a JSON number";
      return std::nullopt;
    default: break;
  }
  if (kind != JsonKind::kString) return "must be a JSON string";
  if (text.empty()) return "must not be empty";
  if (HasControlCharacter(text)) return "must not contain control characters";
  return StringFormatError(primitive, text);
}

}  // namespace medvault::fhir
