// Authenticated encryption for many small records under one long-lived key, where
// opening speed matters: the audit log, whose every entry `audit verify` and the breach
// report decrypt. AES-256-GCM (libsodium's, on the CPU's AES and carry-less multiply
// instructions) opens a 470-byte entry in about a third of XChaCha20-Poly1305's time.
//
// GCM's 96-bit nonce is too short to draw at random for billions of records under one
// key, so nothing is sealed under the key itself. Each RecordSealer draws a random
// 128-bit subkey id, derives a subkey from the key and that id (keyed BLAKE2b), and
// numbers its records with a counter (beside 32 random bits): a nonce never repeats
// under a subkey, and the subkey is replaced well before the data limits of AES-GCM
// (2^32 records).
//
// A sealed record is  kRecordCipherTag ‖ subkey id (16) ‖ nonce (12) ‖ ciphertext ‖ tag (16).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>

#include "common/result.h"
#include "crypto/encoding.h"
#include "crypto/secret.h"

namespace medvault::crypto {

inline constexpr uint8_t kRecordCipherTag = 0xA2;
inline constexpr size_t kRecordCipherOverhead = 1 + 16 + 12 + 16;

// Whether this CPU lets libsodium run AES-256-GCM (AES-NI and PCLMUL on x86-64). Where
// it does not, records can be neither sealed nor opened with this cipher.
bool RecordCipherAvailable();

// Whether `sealed` is laid out as a record of this cipher (its first byte): records
// sealed otherwise, before it existed, start with a random nonce and are told apart by
// trying (one in 256 of them starts with the tag).
bool LooksLikeSealedRecord(std::span<const uint8_t> sealed);

struct RecordSubkey;  // an expanded AES-GCM key and its id, in guarded memory
struct RecordSubkeyDeleter {
  void operator()(const RecordSubkey* subkey) const;
};
using RecordSubkeyPtr = std::unique_ptr<const RecordSubkey, RecordSubkeyDeleter>;

// Seals records; thread-safe. Requires RecordCipherAvailable().
class RecordSealer {
 public:
  explicit RecordSealer(const SecretKey& key);
  ~RecordSealer();
  RecordSealer(const RecordSealer&) = delete;
  RecordSealer& operator=(const RecordSealer&) = delete;

  Bytes Seal(std::span<const uint8_t> plaintext, std::string_view associated_data);

  // Records sealed under one subkey before another is drawn (tests lower it).
  void set_records_per_subkey(uint64_t records) { records_per_subkey_ = records; }

 private:
  const SecretKey& key_;
  std::mutex mu_;
  std::shared_ptr<const RecordSubkey> subkey_;  // under mu_
  uint64_t sealed_under_subkey_ = 0;            // under mu_
  uint64_t records_per_subkey_ = uint64_t{1} << 32;
};

// Opens records; one per thread (it keeps the subkeys it has derived, a few at most in
// a real log: one per process that sealed, so the cache is bounded and cleared when a
// forged log would make it grow).
class RecordOpener {
 public:
  explicit RecordOpener(const SecretKey& key);
  ~RecordOpener();
  RecordOpener(RecordOpener&&) noexcept;
  RecordOpener(const RecordOpener&) = delete;
  RecordOpener& operator=(const RecordOpener&) = delete;

  // Fails (kInternal, "integrity check failed") when the record, the key or the
  // associated data do not match, or the CPU cannot run AES-256-GCM.
  Status Open(std::span<const uint8_t> sealed, std::string_view associated_data, Bytes& plaintext);

 private:
  const SecretKey* key_;
  std::map<std::array<uint8_t, 16>, RecordSubkeyPtr> subkeys_;
};

}  // namespace medvault::crypto
