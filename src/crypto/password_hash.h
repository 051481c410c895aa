// Password hashing with Argon2id, the only algorithm medvault stores passwords with.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace medvault::crypto {

// OWASP's recommended Argon2id setting: 19 MiB of memory, 2 passes, 1 lane.
struct PasswordHashCost {
  unsigned long long ops = 2;
  size_t memory_bytes = 19 * 1024 * 1024;
};

// Returns the encoded hash ("$argon2id$v=19$m=19456,t=2,p=1$…"). Takes tens of
// milliseconds by design: call it off the I/O threads.
Result<std::string> HashPassword(std::string_view password, const PasswordHashCost& cost = {});

// Constant-time check of `password` against an encoded hash.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

// A valid hash of a random password, for answering unknown users with the same work
// as known ones.
const std::string& DummyPasswordHash();

}  // namespace medvault::crypto
