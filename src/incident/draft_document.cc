#include "incident/draft_document.h"

#include "incident/render_text.h"

namespace medvault::incident {
namespace {

// Markdown's own characters in running text, escaped so that a value reads as typed.
std::string MarkdownEscaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) {
      // Brackets mark the placeholders to fill in: kept as they are.
      if (c != '[' && c != ']') out += '\\';
    }
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

}  // namespace

std::string DraftDocument::Markdown() const {
  std::string out;
  for (const Block& b : blocks_) {
    switch (b.kind) {
      case Kind::kTitle: out += "# " + MarkdownEscaped(b.texts.front()) + "\n\n"; break;
      case Kind::kHeading: out += "## " + MarkdownEscaped(b.texts.front()) + "\n\n"; break;
      case Kind::kParagraph: out += MarkdownEscaped(b.texts.front()) + "\n\n"; break;
      case Kind::kBullets:
        for (const std::string& item : b.texts) out += "- " + MarkdownEscaped(item) + "\n";
        out += "\n";
        break;
      case Kind::kTable:
        for (size_t r = 0; r < b.rows.size(); ++r) {
          out += "|";
          for (const std::string& cell : b.rows[r]) out += " " + MarkdownEscaped(cell) + " |";
          out += "\n";
          if (r == 0) {
            out += "|";
            for (size_t c = 0; c < b.rows[r].size(); ++c) out += "---|";
            out += "\n";
          }
        }
        out += "\n";
        break;
    }
  }
  return out;
}

std::string DraftDocument::Html() const {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
  out += blocks_.empty() || blocks_.front().kind != Kind::kTitle
             ? std::string("Draft")
             : HtmlEscaped(blocks_.front().texts.front());
  out +=
      "</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}"
      "table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:.25em .6em;"
      "text-align:left}th{background:#eee}</style>\n</head>\n<body>\n";
  for (const Block& b : blocks_) {
    switch (b.kind) {
      case Kind::kTitle: out += "<h1>" + HtmlEscaped(b.texts.front()) + "</h1>\n"; break;
      case Kind::kHeading: out += "<h2>" + HtmlEscaped(b.texts.front()) + "</h2>\n"; break;
      case Kind::kParagraph: out += "<p>" + HtmlEscaped(b.texts.front()) + "</p>\n"; break;
      case Kind::kBullets:
        out += "<ul>\n";
        for (const std::string& item : b.texts) out += "<li>" + HtmlEscaped(item) + "</li>\n";
        out += "</ul>\n";
        break;
      case Kind::kTable:
        out += "<table border=\"1\">\n";
        for (size_t r = 0; r < b.rows.size(); ++r) {
          const char* cell = r == 0 ? "th" : "td";
          out += "<tr>";
          for (const std::string& text : b.rows[r])
            out += std::string("<") + cell + ">" + HtmlEscaped(text) + "</" + cell + ">";
          out += "</tr>\n";
        }
        out += "</table>\n";
        break;
    }
  }
  return out + "</body>\n</html>\n";
}

}  // namespace medvault::incident
