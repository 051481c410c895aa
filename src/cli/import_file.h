// Reading an import file: FHIR R4 NDJSON (one resource per line, the Bulk Data format)
// or one Bundle (batch, transaction or collection). NDJSON is streamed, so files of any
// size import in flat memory; a Bundle is read whole. Every resource comes with where it
// was found ("file:line", or "file: entry N"), for error messages.
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace medvault::cli {

struct ImportItem {
  std::string where;
  std::string json;
};

class ImportFile {
 public:
  // Opens `path` and finds out its format. Fails on unreadable files and on content
  // that is neither NDJSON nor a Bundle.
  static Result<std::unique_ptr<ImportFile>> Open(const std::string& path);
  // The same over content already open (tests and fuzz/ read from memory); `name`
  // stands for the file in messages.
  static Result<std::unique_ptr<ImportFile>> Read(std::string name,
                                                  std::unique_ptr<std::istream> in);

  // The next resources, at most `max` (a transaction Bundle: all of them, since it
  // commits as a whole). Empty at the end of the file.
  Result<std::vector<ImportItem>> Next(size_t max);

  bool is_bundle() const { return bundle_; }
  // NDJSON: the resourceType of the first line (files are imported directory first,
  // then patients, then the rest, whatever order they are named in).
  const std::string& first_type() const { return first_type_; }

 private:
  ImportFile() = default;
  Status ReadBundle(const std::string& text);

  std::string path_;
  std::unique_ptr<std::istream> in_;
  int64_t line_ = 0;
  std::string pending_first_line_;  // NDJSON: read while detecting the format
  std::string first_type_;
  bool bundle_ = false;
  bool atomic_ = false;  // a transaction Bundle
  std::vector<ImportItem> entries_;
  size_t next_entry_ = 0;
};

}  // namespace medvault::cli
