// QR codes as SVG, for showing an otpauth:// enrolment URI on screen. The SVG is
// self-contained (no scripts, no external references) so that it can be served inline
// under a strict Content-Security-Policy.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace medvault::identity {

// `text` as a QR code (byte mode, error correction level M, the smallest version that
// fits) drawn as one path of dark modules on a white square, with the 4-module quiet
// zone the specification requires: viewBox "0 0 N N" with N = modules + 8. kInvalid
// when `text` is empty or too long for any QR code (about 2,300 bytes at level M).
Result<std::string> QrSvg(std::string_view text);

}  // namespace medvault::identity
