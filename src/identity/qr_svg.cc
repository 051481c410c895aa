#include "identity/qr_svg.h"

#include <qrencode.h>

#include <cerrno>
#include <climits>
#include <memory>

namespace medvault::identity {
namespace {

constexpr int kQuietZoneModules = 4;

struct QrCodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeFree>;

}  // namespace

Result<std::string> QrSvg(std::string_view text) {
  if (text.empty()) return Fail(ErrorCode::kInvalid, "a QR code needs some text");
  if (text.size() > INT_MAX) return Fail(ErrorCode::kInvalid, "the text is too long for a QR code");
  // Byte mode takes the text as it is (NUL bytes included) rather than guessing modes;
  // an otpauth URI fits a small symbol either way.
  errno = 0;
  QrCodePtr code(QRcode_encodeData(static_cast<int>(text.size()),
                                   reinterpret_cast<const unsigned char*>(text.data()), 0,
                                   QR_ECLEVEL_M));
  if (code == nullptr) {
    if (errno == ERANGE) return Fail(ErrorCode::kInvalid, "the text is too long for a QR code");
    return Fail(ErrorCode::kInternal, "could not draw the QR code");
  }
  const int width = code->width;
  const std::string size = std::to_string(width + 2 * kQuietZoneModules);
  std::string svg = R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 )" + size + " " + size +
                    R"(" shape-rendering="crispEdges"><rect width=")" + size + R"(" height=")" +
                    size + R"(" fill="#fff"/><path fill="#000" d=")";
  // One rectangle per horizontal run of dark modules; the low bit of each module byte
  // says dark (the other bits describe what the module is for).
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = code->data + static_cast<ptrdiff_t>(y) * width;
    for (int x = 0; x < width;) {
      if ((row[x] & 1) == 0) {
        ++x;
        continue;
      }
      int start = x;
      while (x < width && (row[x] & 1) != 0) ++x;
      svg += 'M' + std::to_string(start + kQuietZoneModules) + ' ' +
             std::to_string(y + kQuietZoneModules) + 'h' + std::to_string(x - start) + "v1h-" +
             std::to_string(x - start) + 'z';
    }
  }
  svg += R"("/></svg>)";
  return svg;
}

}  // namespace medvault::identity
