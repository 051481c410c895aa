#include "cli/import_file.h"

#include <simdjson.h>

#include <fstream>
#include <map>
#include <sstream>

#include "fhir/primitive_formats.h"
#include "fhir/resource_type.h"

namespace medvault::cli {
namespace {

namespace dom = simdjson::dom;

bool Blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

// The resourceType of a one-line JSON object, "" when the line is not one.
std::string TypeOfLine(const std::string& line) {
  dom::parser parser;
  dom::element doc;
  std::string_view type;
  if (parser.parse(line).get(doc) != simdjson::SUCCESS) return "";
  if (doc["resourceType"].get(type) != simdjson::SUCCESS) return "";
  return std::string(type);
}

// Bundle entries refer to each other by fullUrl "urn:uuid:X": each becomes the resource
// "Type/X" (X is then the resource's id), so the references are rewritten, in one pass
// over the text, before the resource is validated like any other.
void ResolveUrnReferences(std::string& json, const std::map<std::string, std::string>& full_urls) {
  constexpr std::string_view kUrn = "\"urn:uuid:";
  for (size_t at = json.find(kUrn); at != std::string::npos; at = json.find(kUrn, at + 1)) {
    size_t end = json.find('"', at + 1);
    if (end == std::string::npos) return;
    auto it = full_urls.find(json.substr(at + 1, end - at - 1));
    if (it != full_urls.end()) json.replace(at + 1, end - at - 1, it->second);
  }
}

}  // namespace

Result<std::unique_ptr<ImportFile>> ImportFile::Open(const std::string& path) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) return Fail(ErrorCode::kNotFound, path + ": cannot read the file");
  return Read(path, std::move(in));
}

Result<std::unique_ptr<ImportFile>> ImportFile::Read(std::string name,
                                                     std::unique_ptr<std::istream> in) {
  std::unique_ptr<ImportFile> file(new ImportFile());
  file->path_ = std::move(name);
  file->in_ = std::move(in);
  const std::string& path = file->path_;
  std::string first;
  while (std::getline(*file->in_, first)) {
    ++file->line_;
    if (!Blank(first)) break;
  }
  if (Blank(first)) return Fail(ErrorCode::kInvalid, path + ": the file holds no resource");
  std::string type = TypeOfLine(first);
  if (!type.empty() && type != "Bundle") {
    file->first_type_ = type;
    file->pending_first_line_ = std::move(first);
    return file;
  }
  // Not one resource per line: the whole file must be one Bundle.
  std::ostringstream rest;
  rest << first << '\n' << file->in_->rdbuf();
  TRY(file->ReadBundle(rest.str()));
  return file;
}

Status ImportFile::ReadBundle(const std::string& text) {
  dom::parser parser;
  dom::element doc;
  std::string_view type;
  if (parser.parse(text).get(doc) != simdjson::SUCCESS ||
      doc["resourceType"].get(type) != simdjson::SUCCESS)
    return Fail(ErrorCode::kInvalid, path_ + ":" + std::to_string(line_) +
                                         ": not a FHIR resource (neither NDJSON nor a Bundle)");
  if (type != "Bundle")
    return Fail(ErrorCode::kInvalid, path_ + ": a multi-line file must be one Bundle");
  std::string_view bundle_type;
  if (doc["type"].get(bundle_type) != simdjson::SUCCESS ||
      (bundle_type != "batch" && bundle_type != "transaction" && bundle_type != "collection"))
    return Fail(ErrorCode::kInvalid,
                path_ + ": Bundle.type must be batch, transaction or collection");
  bundle_ = true;
  atomic_ = bundle_type == "transaction";
  dom::array entries;
  if (doc["entry"].get(entries) != simdjson::SUCCESS) return Ok();  // an empty Bundle
  std::map<std::string, std::string> full_urls;                     // "urn:uuid:X" -> "Type/X"
  size_t n = 0;
  for (dom::element entry : entries) {
    ++n;
    std::string where = path_ + ": entry " + std::to_string(n);
    dom::element resource;
    std::string_view resource_type;
    if (entry["resource"].get(resource) != simdjson::SUCCESS ||
        resource["resourceType"].get(resource_type) != simdjson::SUCCESS)
      return Fail(ErrorCode::kInvalid, where + ": the entry has no resource");
    std::string_view method;
    if (entry.at_pointer("/request/method").get(method) == simdjson::SUCCESS && method != "POST" &&
        method != "PUT")
      return Fail(ErrorCode::kInvalid, where + ": only POST and PUT entries can be imported");
    // The uuid of a "urn:uuid:" fullUrl, and the resource type, go into entries' text
    // unescaped (as the id of this one, in "Type/uuid" references of the others), so
    // each must be what cannot break out of a JSON string: an id, and a type's name
    // (decoded, `\"` or `\t` would be a quote or a raw tab in the text).
    std::string_view full_url;
    std::string_view uuid;
    if (entry["fullUrl"].get(full_url) == simdjson::SUCCESS && full_url.starts_with("urn:uuid:")) {
      uuid = full_url.substr(9);
      if (!fhir::IsValidFhirId(uuid))
        return Fail(ErrorCode::kInvalid, where + ": the fullUrl's uuid is not a valid id");
      // An unknown type is refused when the entry is validated; nothing refers to it.
      if (fhir::ParseResourceType(resource_type))
        full_urls.emplace(std::string(full_url),
                          std::string(resource_type) + "/" + std::string(uuid));
    }
    std::string json = simdjson::minify(resource);
    // An entry known only by its fullUrl takes the uuid as its id, as the first member
    // (after the first comma it could land inside a string).
    std::string_view id;
    if (resource["id"].get(id) != simdjson::SUCCESS && !uuid.empty())
      json.insert(1, R"("id":")" + std::string(uuid) + "\",");
    entries_.push_back({std::move(where), std::move(json)});
  }
  for (ImportItem& item : entries_) ResolveUrnReferences(item.json, full_urls);
  return Ok();
}

Result<std::vector<ImportItem>> ImportFile::Next(size_t max) {
  std::vector<ImportItem> out;
  if (bundle_) {
    size_t take = atomic_ ? entries_.size() - next_entry_ : max;
    while (next_entry_ < entries_.size() && out.size() < take)
      out.push_back(std::move(entries_[next_entry_++]));
    return out;
  }
  if (!pending_first_line_.empty()) {
    out.push_back({path_ + ":" + std::to_string(line_), std::move(pending_first_line_)});
    pending_first_line_.clear();
  }
  std::string line;
  while (out.size() < max && std::getline(*in_, line)) {
    ++line_;
    if (Blank(line)) continue;
    out.push_back({path_ + ":" + std::to_string(line_), std::move(line)});
  }
  if (in_->bad()) return Fail(ErrorCode::kUnavailable, path_ + ": read error");
  return out;
}

}  // namespace medvault::cli
