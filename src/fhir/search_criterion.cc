#include "fhir/search_criterion.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "fhir/search_date.h"
#include "fhir/text_normalize.h"
#include "common/utf8.h"

namespace medvault::fhir {
namespace {

// Errors name the parameter (a name from our own table) and never quote the value:
// values are names, birth dates and identifiers of patients.
std::unexpected<Error> Invalid(const SearchParamDef& param, std::string_view problem) {
  return Fail(ErrorCode::kInvalid,
              std::string(problem) + " in search parameter \"" + std::string(param.name) + "\"");
}

// FHIR search escapes (R4 search.html#escaping): "\," "\|" "\$" "\\" stand for the
// character itself. Splits on `separator` where it is not escaped; escapes stay in.
std::vector<std::string_view> SplitUnescaped(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;  // whatever follows is escaped; Unescape judges whether it may be
    } else if (text[i] == separator) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

bool IsEscapable(char c) { return c == '\\' || c == ',' || c == '|' || c == '$'; }

std::optional<std::string> Unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(text[i]);
    } else if (i + 1 < text.size() && IsEscapable(text[i + 1])) {
      out.push_back(text[++i]);
    } else {
      return std::nullopt;  // strict: an unknown escape is an error, not a literal
    }
  }
  return out;
}

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsEscapable(c)) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

Result<CriterionValue> ParseString(const SearchParamDef& param, std::string text) {
  CriterionValue value;
  value.normalized = NormalizeForSearch(text);
  // A value that normalizes to nothing ("-", "'") would match every resource.
  if (value.normalized.empty()) return Invalid(param, "value without letters or digits");
  value.text = std::move(text);
  return value;
}

Result<CriterionValue> ParseToken(const SearchParamDef& param, std::string_view piece,
                                  std::string text) {
  std::vector<std::string_view> parts = SplitUnescaped(piece, '|');
  if (parts.size() > 2) return Invalid(param, "malformed token (more than one '|')");
  CriterionValue value;
  value.text = std::move(text);
  std::optional<std::string> code = Unescape(parts.back());
  if (!code) return Invalid(param, "malformed escape");
  value.token.code = std::move(*code);
  if (parts.size() == 2) {
    std::optional<std::string> system = Unescape(parts.front());
    if (!system) return Invalid(param, "malformed escape");
    if (system->empty() && value.token.code.empty()) return Invalid(param, "empty token");
    value.token.system = std::move(*system);
    value.has_system = true;
  }
  return value;
}

Result<CriterionValue> ParseDate(const SearchParamDef& param, std::string text) {
  std::string_view literal = text;
  CriterionValue value;
  if (!literal.empty() && literal[0] >= 'a' && literal[0] <= 'z') {
    std::string_view code = literal.substr(0, 2);
    if (code == "ap") return Invalid(param, "date prefix \"ap\" is not supported");
    std::optional<DatePrefix> prefix = ParsePrefixCode(code);
    if (!prefix) return Invalid(param, "malformed date prefix");
    value.prefix = *prefix;
    literal.remove_prefix(code.size());
  }
  std::optional<DateRange> range = ParseDateLiteral(literal);
  if (!range) return Invalid(param, "malformed date");
  value.range = *range;
  value.text = std::move(text);
  return value;
}

Result<CriterionValue> ParseReference(const SearchParamDef& param,
                                      std::optional<std::string_view> type_modifier,
                                      std::string text) {
  std::string_view ref = text;
  std::string_view type;
  std::string_view id = ref;
  if (size_t slash = ref.find('/'); slash != std::string_view::npos) {
    type = ref.substr(0, slash);
    id = ref.substr(slash + 1);
    if (std::ranges::find(param.targets, type) == param.targets.end())
      return Invalid(param, "reference to a resource type the parameter does not allow");
    if (type_modifier && *type_modifier != type)
      return Invalid(param, "reference type differs from the type modifier");
  } else if (type_modifier) {
    type = *type_modifier;
  } else if (param.targets.size() == 1) {
    type = param.targets.front();  // a bare id is typed by the only target type
  } else {
    return Invalid(param, "reference without a resource type");
  }
  if (!IsFhirId(id)) return Invalid(param, "malformed reference");
  CriterionValue value;
  value.reference = std::string(type) + "/" + std::string(id);
  value.text = std::move(text);
  return value;
}

Result<CriterionValue> ParseValue(const SearchParamDef& param,
                                  std::optional<std::string_view> modifier,
                                  std::string_view piece) {
  std::optional<std::string> text = Unescape(piece);
  if (!text) return Invalid(param, "malformed escape");
  switch (param.kind) {
    case ParamKind::kString: return ParseString(param, std::move(*text));
    case ParamKind::kToken: return ParseToken(param, piece, std::move(*text));
    case ParamKind::kDate:
    case ParamKind::kLastUpdated: return ParseDate(param, std::move(*text));
    case ParamKind::kReference: return ParseReference(param, modifier, std::move(*text));
    case ParamKind::kId: {
      if (!IsFhirId(*text)) return Invalid(param, "malformed id");
      CriterionValue value;
      value.reference = *text;
      value.text = std::move(*text);
      return value;
    }
  }
  return Invalid(param, "unsupported parameter kind");
}

// Checks the modifier against what the parameter's kind allows: :exact on strings, a
// target type on references (":Patient"), nothing else anywhere.
Result<StringModifier> CheckModifier(const SearchParamDef& param,
                                     std::optional<std::string_view> modifier) {
  if (!modifier) return StringModifier::kNone;
  if (param.kind == ParamKind::kString && *modifier == "exact") return StringModifier::kExact;
  if (param.kind == ParamKind::kReference &&
      std::ranges::find(param.targets, *modifier) != param.targets.end())
    return StringModifier::kNone;
  return Fail(ErrorCode::kInvalid, "modifier \":" + QuotableName(*modifier) +
                                       "\" is not supported for search parameter \"" +
                                       std::string(param.name) + "\"");
}

std::string EncodeValue(ParamKind kind, const CriterionValue& value) {
  switch (kind) {
    case ParamKind::kString: return PercentEncode(Escape(value.text));
    case ParamKind::kToken:
      if (!value.has_system) return PercentEncode(Escape(value.token.code));
      return PercentEncode(Escape(value.token.system) + "|" + Escape(value.token.code));
    case ParamKind::kDate:
    case ParamKind::kLastUpdated: {
      std::string_view literal = value.text;
      if (!literal.empty() && literal[0] >= 'a' && literal[0] <= 'z') literal.remove_prefix(2);
      // "eq" is the default: leaving it out makes "eq2020" and "2020" one query.
      std::string prefix =
          value.prefix == DatePrefix::kEq ? "" : std::string(PrefixCode(value.prefix));
      return prefix + PercentEncode(literal);
    }
    case ParamKind::kReference: {
      // Type and id hold no reserved characters; '/' may stay as it is in a query.
      size_t slash = value.reference.find('/');
      return PercentEncode(value.reference.substr(0, slash)) + "/" +
             PercentEncode(value.reference.substr(slash + 1));
    }
    case ParamKind::kId: return PercentEncode(value.reference);
  }
  return {};
}

}  // namespace

bool IsFhirId(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  return std::ranges::all_of(text, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

Result<Criterion> ParseCriterion(const SearchParamDef& param,
                                 std::optional<std::string_view> modifier, std::string_view value,
                                 const SearchLimits& limits) {
  Criterion criterion;
  criterion.param = &param;
  ASSIGN_OR_RETURN(criterion.modifier, CheckModifier(param, modifier));
  std::vector<std::string_view> pieces = SplitUnescaped(value, ',');
  if (pieces.size() > limits.max_values_per_criterion)
    return Invalid(param, "too many comma-separated values (at most " +
                              std::to_string(limits.max_values_per_criterion) + ")");
  std::vector<std::pair<std::string, CriterionValue>> encoded;
  encoded.reserve(pieces.size());
  for (std::string_view piece : pieces) {
    if (piece.empty()) return Invalid(param, "empty value");
    ASSIGN_OR_RETURN(CriterionValue parsed, ParseValue(param, modifier, piece));
    std::string key = EncodeValue(param.kind, parsed);
    encoded.emplace_back(std::move(key), std::move(parsed));
  }
  // Canonical order: the values form a set (they are ORed), so sorting them and
  // dropping repeats changes no result and gives equal queries equal links.
  std::ranges::sort(encoded, {}, &std::pair<std::string, CriterionValue>::first);
  auto repeats = std::ranges::unique(encoded, {}, &std::pair<std::string, CriterionValue>::first);
  encoded.erase(repeats.begin(), repeats.end());
  for (auto& [key, parsed] : encoded) criterion.values.push_back(std::move(parsed));
  return criterion;
}

std::string EncodeCriterion(const Criterion& criterion) {
  std::string out = PercentEncode(criterion.param->name);
  if (criterion.modifier == StringModifier::kExact) out += ":exact";
  out += '=';
  for (size_t i = 0; i < criterion.values.size(); ++i) {
    if (i > 0) out += ',';
    out += EncodeValue(criterion.param->kind, criterion.values[i]);
  }
  return out;
}

}  // namespace medvault::fhir
