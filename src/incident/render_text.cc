#include "incident/render_text.h"

#include <limits>

#include "common/time_format.h"

namespace medvault::incident {

std::string InstantText(int64_t ms) {
  if (ms == std::numeric_limits<int64_t>::min() || ms == std::numeric_limits<int64_t>::max())
    return "";
  return FormatInstant(FromUnixMillis(ms));
}

std::string HtmlEscaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string CsvCell(std::string_view text) {
  bool formula =
      !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@');
  std::string cell = formula ? "'" : "";
  cell += text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace medvault::incident
