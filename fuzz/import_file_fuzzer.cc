// Arbitrary bytes as a file given to `medvault import`: read by ImportFile (NDJSON, one
// resource per line, or one Bundle) and each resource validated as the Importer
// validates it (cli/import_validation.h). Checked:
//  - NDJSON: the items are the file's non-blank lines, in order, whole;
//  - a Bundle: every entry handed on is one JSON object (the reader rewrites urn:uuid
//    references and inserts ids into the entries' text), and an entry that had no id
//    and a urn:uuid fullUrl has that uuid as its id;
//  - a resource that validates has the type its resourceType names.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/import_file.h"
#include "cli/import_validation.h"
#include "fhir/resource.h"

namespace {

using namespace medvault;

[[noreturn]] void Broken(const char* property) {
  std::fprintf(stderr, "property broken: %s\n", property);
  std::abort();
}

bool Blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

std::vector<std::string_view> NonBlankLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!Blank(line)) lines.push_back(line);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return lines;
}

void CheckValidated(const cli::ImportItem& item) {
  // (What validation accepts is fhir_resource_fuzzer's to check; here, that the type
  // guessed from the text cannot import a resource as another type.)
  auto resource = cli::ValidateImportItem(item);
  if (!resource) return;
  simdjson::dom::parser parser;
  std::string_view type;
  if (parser.parse(item.json).get_object()["resourceType"].get(type) != simdjson::SUCCESS ||
      type != fhir::NameOf(resource->type))
    Broken("an imported resource has the type its resourceType names");
}

// The entries of a Bundle file as ImportFile hands them on: each one JSON object, and
// one that had no id and a urn:uuid fullUrl takes the uuid as its id.
void CheckBundle(const std::string& input, const std::vector<cli::ImportItem>& items) {
  simdjson::dom::parser parser;
  simdjson::dom::array entries;
  if (parser.parse(input)["entry"].get(entries) != simdjson::SUCCESS) {
    if (!items.empty()) Broken("a Bundle without entries imports nothing");
    return;
  }
  if (entries.size() != items.size()) Broken("a Bundle: one item per entry");
  size_t i = 0;
  for (simdjson::dom::element entry : entries) {
    simdjson::dom::parser item_parser;
    simdjson::dom::object object;
    if (item_parser.parse(items[i++].json).get(object) != simdjson::SUCCESS)
      Broken("a Bundle entry is handed on as one JSON object");
    std::string_view full_url, id;
    if (entry["resource"]["id"].get(id) == simdjson::SUCCESS ||
        entry["fullUrl"].get(full_url) != simdjson::SUCCESS || !full_url.starts_with("urn:uuid:"))
      continue;
    if (object["id"].get(id) != simdjson::SUCCESS || id != full_url.substr(9))
      Broken("a Bundle entry without an id takes its urn:uuid");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto file = cli::ImportFile::Read("fuzz.ndjson", std::make_unique<std::istringstream>(input));
  if (!file) return 0;
  std::vector<cli::ImportItem> items;
  for (;;) {
    auto batch = (*file)->Next(7);
    if (!batch) Broken("reading from memory does not fail");
    if (batch->empty()) break;
    for (auto& item : *batch) items.push_back(std::move(item));
  }
  if (!(*file)->is_bundle()) {
    std::vector<std::string_view> lines = NonBlankLines(input);
    if (items.size() != lines.size()) Broken("NDJSON: one item per non-blank line");
    for (size_t i = 0; i < items.size(); ++i)
      if (items[i].json != lines[i]) Broken("NDJSON: the items are the lines, in order");
  }
  if ((*file)->is_bundle()) CheckBundle(input, items);
  for (const cli::ImportItem& item : items) CheckValidated(item);
  return 0;
}
