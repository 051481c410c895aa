// A small document model for drafts that go out both as Markdown and as HTML: headings,
// paragraphs, bullet lists and tables of plain text, escaped for each on output.
#pragma once

#include <string>
#include <vector>

namespace medvault::incident {

class DraftDocument {
 public:
  void Title(std::string text) { blocks_.push_back({Kind::kTitle, {std::move(text)}, {}}); }
  void Heading(std::string text) { blocks_.push_back({Kind::kHeading, {std::move(text)}, {}}); }
  void Paragraph(std::string text) { blocks_.push_back({Kind::kParagraph, {std::move(text)}, {}}); }
  void Bullets(std::vector<std::string> items) {
    blocks_.push_back({Kind::kBullets, std::move(items), {}});
  }
  // The first row holds the headings.
  void Table(std::vector<std::vector<std::string>> rows) {
    blocks_.push_back({Kind::kTable, {}, std::move(rows)});
  }

  std::string Markdown() const;
  std::string Html() const;  // a whole page that stands alone

 private:
  enum class Kind { kTitle, kHeading, kParagraph, kBullets, kTable };
  struct Block {
    Kind kind;
    std::vector<std::string> texts;
    std::vector<std::vector<std::string>> rows;
  };
  std::vector<Block> blocks_;
};

}  // namespace medvault::incident
