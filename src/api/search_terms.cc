#include "api/search_terms.h"

#include <algorithm>
#include <array>
#include <string>

#include "fhir/text_normalize.h"

namespace medvault::api {
namespace {

constexpr size_t kMinPrefix = 3;
// Not a search parameter (fhir::SearchValues::homes): no query can look it up.
constexpr std::string_view kHomeScope = "home";

std::string Scope(fhir::ResourceType type, std::string_view param) {
  return std::string(fhir::NameOf(type)) + "." + std::string(param);
}

void AddWordTerms(std::vector<std::string>& terms, std::string_view normalized) {
  for (const std::string& word : fhir::SearchWords(normalized)) {
    terms.push_back("w:" + word);
    for (size_t len = kMinPrefix; len <= word.size(); ++len)
      terms.push_back("p:" + word.substr(0, len));
  }
}

std::string TokenTerm(std::string_view system, std::string_view code) {
  return std::string(system) + "|" + std::string(code);
}

std::string AnySystemTerm(std::string_view code) { return "*|" + std::string(code); }

// Characters, not bytes: a folded name keeps the characters outside Latin-1 and Latin
// Extended-A as they are, in UTF-8.
size_t CodePoints(std::string_view word) {
  return std::count_if(word.begin(), word.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

}  // namespace

bool IsIndexedType(fhir::ResourceType type) {
  return type == fhir::ResourceType::kPatient || type == fhir::ResourceType::kPractitioner ||
         type == fhir::ResourceType::kOrganization;
}

std::vector<int64_t> IndexHashes(fhir::ResourceType type, const fhir::SearchValues& values,
                                 const crypto::Keyring& keyring) {
  std::vector<int64_t> hashes;
  if (!IsIndexedType(type)) return hashes;
  auto add = [&](std::string_view param, const std::vector<std::string>& terms) {
    std::string scope = Scope(type, param);
    for (const std::string& t : terms) hashes.push_back(keyring.BlindIndex(scope, t));
  };
  for (const fhir::StringValue& s : values.strings) {
    std::vector<std::string> terms;
    AddWordTerms(terms, s.normalized);
    add(s.param, terms);
  }
  for (const fhir::TokenParamValue& t : values.tokens)
    add(t.param, {TokenTerm(t.value.system, t.value.code), AnySystemTerm(t.value.code)});
  for (const fhir::DateParamValue& d : values.dates) {
    std::vector<std::string> terms;
    for (size_t len : {size_t{4}, size_t{7}, size_t{10}})
      if (d.text.size() >= len) terms.push_back(d.text.substr(0, len));
    add(d.param, terms);
  }
  for (const fhir::ReferenceParamValue& r : values.references) add(r.param, {r.reference});
  // Only patients' homes: a clinician's is hashed in memory when needed (HomesAsPatients).
  if (type == fhir::ResourceType::kPatient) add(kHomeScope, values.homes);
  return hashes;
}

std::vector<std::vector<int64_t>> FamilyNameAsPatients(const fhir::SearchValues& practitioner,
                                                       const crypto::Keyring& keyring) {
  // Folded as NormalizeForSearch folds them ("d'Arc" gives "d arc").
  static constexpr std::array<std::string_view, 26> kParticles = {
      "d",  "da", "das", "de", "del", "della", "den", "der", "des", "di",  "do", "dos",   "du",
      "el", "al", "l",   "la", "le",  "les",   "van", "von", "ten", "ter", "st", "saint", "sainte"};
  constexpr size_t kNamesakeLetters = 3;
  const std::string scope = Scope(fhir::ResourceType::kPatient, "family");
  auto hash = [&](const std::string& word) { return keyring.BlindIndex(scope, "w:" + word); };
  auto particle = [](const std::string& word) {
    return std::find(kParticles.begin(), kParticles.end(), word) != kParticles.end();
  };
  std::vector<std::vector<int64_t>> alternatives;
  auto add = [&](std::vector<int64_t> hashes) {
    std::ranges::sort(hashes);
    if (std::find(alternatives.begin(), alternatives.end(), hashes) == alternatives.end())
      alternatives.push_back(std::move(hashes));
  };
  for (const fhir::StringValue& s : practitioner.strings) {
    if (s.param != "family") continue;
    const std::vector<std::string> words = fhir::SearchWords(s.normalized);
    if (std::all_of(words.begin(), words.end(), particle)) continue;
    bool any_alone = false;
    for (const std::string& word : words) {
      if (particle(word) || CodePoints(word) < kNamesakeLetters) continue;
      add({hash(word)});
      any_alone = true;
    }
    if (any_alone) continue;
    std::vector<int64_t> together;
    for (const std::string& word : words) together.push_back(hash(word));
    add(std::move(together));
  }
  return alternatives;
}

std::vector<int64_t> HomesAsPatients(const fhir::SearchValues& practitioner,
                                     const crypto::Keyring& keyring) {
  const std::string scope = Scope(fhir::ResourceType::kPatient, kHomeScope);
  std::vector<int64_t> hashes;
  for (const std::string& home : practitioner.homes)
    hashes.push_back(keyring.BlindIndex(scope, home));
  return hashes;
}

std::optional<std::vector<int64_t>> CriterionHashes(fhir::ResourceType type,
                                                    const fhir::Criterion& criterion,
                                                    const crypto::Keyring& keyring) {
  if (!IsIndexedType(type) || criterion.param == nullptr) return std::nullopt;
  std::string scope = Scope(type, criterion.param->name);
  std::vector<int64_t> hashes;
  for (const fhir::CriterionValue& v : criterion.values) {
    std::string term;
    switch (criterion.param->kind) {
      case fhir::ParamKind::kString: {
        auto words = fhir::SearchWords(v.normalized);
        if (words.empty()) return std::nullopt;
        // The first word narrows the candidates; the matcher checks the rest.
        const std::string& first = words.front();
        term = (first.size() >= kMinPrefix ? "p:" : "w:") + first;
        break;
      }
      case fhir::ParamKind::kToken:
        if (v.has_system && v.token.code.empty()) return std::nullopt;  // "system|"
        term = v.has_system && !v.token.system.empty() ? TokenTerm(v.token.system, v.token.code)
                                                       : AnySystemTerm(v.token.code);
        break;
      case fhir::ParamKind::kDate:
        if (v.prefix != fhir::DatePrefix::kEq || v.text.size() > 10) return std::nullopt;
        term = v.text;
        break;
      case fhir::ParamKind::kReference: term = v.reference; break;
      default: return std::nullopt;
    }
    hashes.push_back(keyring.BlindIndex(scope, term));
  }
  return hashes;
}

}  // namespace medvault::api
