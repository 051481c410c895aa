// Unpredictable identifiers. Resource ids, request ids and session ids are random
// (never sequential) so that they reveal nothing about volume or order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace medvault {

// Fills `out` from the kernel's CSPRNG (getrandom); aborts if the kernel cannot
// provide randomness, since nothing safe can be done without it.
void FillRandom(std::span<uint8_t> out);

// A random (version 4) UUID in lowercase canonical form.
std::string NewUuid();

// True when `text` is a lowercase or uppercase canonical UUID.
bool IsUuid(std::string_view text);

}  // namespace medvault
