// Small pieces the incident module's renderings share: instants, HTML escaping and the
// CSV cell quoting.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace medvault::incident {

// RFC 3339 in UTC with milliseconds; "" for the open ends of a window.
std::string InstantText(int64_t ms);
// &, <, >, " and ' as entities.
std::string HtmlEscaped(std::string_view text);
// A CSV cell: quoted (quotes doubled) when it holds a comma, quote or line break; a
// leading =, +, - or @ is prefixed with ' so that a spreadsheet does not run it.
std::string CsvCell(std::string_view text);

}  // namespace medvault::incident
