// QR codes checked without a decoder: the symbol size that the QR specification fixes
// for each amount of data at level M, the finder patterns in three corners, an empty
// quiet zone, and an SVG with nothing active in it.
#include "identity/qr_svg.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "identity/totp.h"

namespace medvault::identity {
namespace {

// Byte-mode capacities at error correction level M (ISO/IEC 18004 table 7).
constexpr size_t kVersion1Bytes = 14;
constexpr size_t kVersion2Bytes = 26;
constexpr size_t kVersion40Bytes = 2331;

int SideOfVersion(int version) { return 17 + 4 * version + 8; }  // modules + quiet zone

// Reads the decimal number at `pos` of `text` and moves past it; -1 when there is none.
int ReadNumber(std::string_view text, size_t& pos) {
  int value = -1;
  for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos)
    value = (value < 0 ? 0 : value * 10) + (text[pos] - '0');
  return value;
}

// True when `text` continues with `literal` at `pos` (and then moves past it).
bool Expect(std::string_view text, size_t& pos, std::string_view literal) {
  if (text.substr(pos, literal.size()) != literal) return false;
  pos += literal.size();
  return true;
}

// N of viewBox="0 0 N N", or -1.
int ViewBoxSide(std::string_view svg) {
  size_t pos = svg.find("viewBox=\"0 0 ");
  if (pos == std::string_view::npos) return -1;
  pos += 13;
  int width = ReadNumber(svg, pos);
  if (!Expect(svg, pos, " ")) return -1;
  int height = ReadNumber(svg, pos);
  if (!Expect(svg, pos, "\"") || width != height) return -1;
  return width;
}

// The dark modules drawn by the path, as a side x side grid (quiet zone included).
// Fails the test on any path data QrSvg does not write ("MX Yh<run>v1h-<run>z"...).
std::vector<std::vector<bool>> DarkModules(std::string_view svg, int side) {
  std::vector<std::vector<bool>> grid(side, std::vector<bool>(side, false));
  size_t pos = svg.find(" d=\"");
  EXPECT_NE(pos, std::string_view::npos);
  if (pos == std::string_view::npos) return grid;
  pos += 4;
  while (pos < svg.size() && svg[pos] != '"') {
    int x = -1, y = -1, run = -1, back = -1;
    bool ok = Expect(svg, pos, "M") && (x = ReadNumber(svg, pos)) >= 0 && Expect(svg, pos, " ") &&
              (y = ReadNumber(svg, pos)) >= 0 && Expect(svg, pos, "h") &&
              (run = ReadNumber(svg, pos)) > 0 && Expect(svg, pos, "v1h-") &&
              (back = ReadNumber(svg, pos)) == run && Expect(svg, pos, "z");
    EXPECT_TRUE(ok) << "unexpected path data at " << pos;
    if (!ok) return grid;
    for (int i = 0; i < run; ++i) {
      EXPECT_TRUE(y < side && x + i < side) << "module outside the viewBox";
      if (y < side && x + i < side) grid[y][x + i] = true;
    }
  }
  return grid;
}

// The 7x7 finder pattern with its top-left module at (x, y): a dark ring, a light ring,
// a dark 3x3 core.
bool IsFinderPattern(const std::vector<std::vector<bool>>& grid, int x, int y) {
  for (int dy = 0; dy < 7; ++dy)
    for (int dx = 0; dx < 7; ++dx) {
      int ring = std::max(std::abs(dx - 3), std::abs(dy - 3));
      bool dark = ring != 2;
      if (grid[y + dy][x + dx] != dark) return false;
    }
  return true;
}

TEST(QrSvgTest, IsAStandaloneSvgOfTheRightSize) {
  auto svg = QrSvg("hello, world!!");  // 14 bytes: version 1
  ASSERT_TRUE(svg.has_value()) << svg.error().message;
  EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" "));
  EXPECT_TRUE(svg->ends_with("</svg>"));
  EXPECT_EQ(ViewBoxSide(*svg), 29) << *svg;
  EXPECT_NE(svg->find("shape-rendering=\"crispEdges\""), std::string::npos);
  EXPECT_EQ(svg->find("<script"), std::string::npos);
  EXPECT_EQ(svg->find("href"), std::string::npos);
  EXPECT_EQ(svg->find("url("), std::string::npos);
  // One path for all dark modules.
  auto first = svg->find("<path");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(svg->find("<path", first + 1), std::string::npos);
}

TEST(QrSvgTest, GrowsByVersionAsTheTextGrows) {
  struct Case {
    size_t bytes;
    int version;
  };
  for (auto [bytes, version] :
       {Case{1, 1}, Case{kVersion1Bytes, 1}, Case{kVersion1Bytes + 1, 2}, Case{kVersion2Bytes, 2},
        Case{kVersion2Bytes + 1, 3}, Case{kVersion40Bytes, 40}}) {
    SCOPED_TRACE(bytes);
    auto svg = QrSvg(std::string(bytes, 'a'));
    ASSERT_TRUE(svg.has_value()) << svg.error().message;
    EXPECT_EQ(ViewBoxSide(*svg), SideOfVersion(version));
  }
}

TEST(QrSvgTest, DrawsFinderPatternsInsideAnEmptyQuietZone) {
  std::string uri = OtpauthUri("MedVault", "dr house@clinic.example", NewTotpSecret());
  auto svg = QrSvg(uri);
  ASSERT_TRUE(svg.has_value()) << svg.error().message;
  int side = ViewBoxSide(*svg);
  int modules = side - 8;
  ASSERT_GE(modules, 21);
  ASSERT_EQ((modules - 17) % 4, 0) << "not a QR symbol size";

  auto grid = DarkModules(*svg, side);
  EXPECT_TRUE(IsFinderPattern(grid, 4, 4));
  EXPECT_TRUE(IsFinderPattern(grid, 4 + modules - 7, 4));
  EXPECT_TRUE(IsFinderPattern(grid, 4, 4 + modules - 7));
  EXPECT_FALSE(IsFinderPattern(grid, 4 + modules - 7, 4 + modules - 7));
  int dark_in_quiet_zone = 0;
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x)
      if (x < 4 || y < 4 || x >= side - 4 || y >= side - 4) dark_in_quiet_zone += grid[y][x];
  EXPECT_EQ(dark_in_quiet_zone, 0);
}

TEST(QrSvgTest, TakesAnyBytes) {
  EXPECT_TRUE(QrSvg(std::string_view("a\0b", 3)).has_value());
  EXPECT_TRUE(QrSvg("\xC3\xA9\xFF").has_value());
}

TEST(QrSvgTest, RefusesEmptyAndOverlongText) {
  for (const std::string& text :
       {std::string(), std::string(kVersion40Bytes + 1, 'a'), std::string(100'000, 'a')}) {
    SCOPED_TRACE(text.size());
    auto svg = QrSvg(text);
    ASSERT_FALSE(svg.has_value());
    EXPECT_EQ(svg.error().code, ErrorCode::kInvalid);
  }
}

}  // namespace
}  // namespace medvault::identity
