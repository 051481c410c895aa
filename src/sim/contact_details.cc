#include "sim/contact_details.h"

namespace medvault::sim {

std::string RandomDigits(SimRandom& rng, int count) {
  std::string text(static_cast<size_t>(count), '0');
  for (char& c : text) c = static_cast<char>('0' + rng.Below(10));
  return text;
}

std::string FrenchPhoneNumber(SimRandom& rng, char first_digit) {
  std::string text = "+33 ";
  text += first_digit;
  for (int pair = 0; pair < 4; ++pair) {
    text += ' ';
    text += RandomDigits(rng, 2);
  }
  return text;
}

void WriteContactPoint(ResourceWriter& json, std::string_view system, std::string_view value,
                       std::string_view use) {
  json.StartObject();
  json.Member("system", system);
  json.Member("value", value);
  if (!use.empty()) json.Member("use", use);
  json.EndObject();
}

void WriteAddressMember(ResourceWriter& json, std::string_view use,
                        std::span<const std::string> lines, const Town& town) {
  json.Key("address");
  json.StartArray();
  json.StartObject();
  json.Member("use", use);
  json.Key("line");
  json.StartArray();
  for (const std::string& line : lines) json.String(line);
  json.EndArray();
  json.Member("city", town.name);
  json.Member("postalCode", town.postal_code);
  json.Member("country", "FR");
  json.EndObject();
  json.EndArray();
}

}  // namespace medvault::sim
