#include "crypto/record_cipher.h"

#include <sodium.h>

#include <cstring>

namespace medvault::crypto {
namespace {

constexpr size_t kIdBytes = 16;
constexpr size_t kNonceBytes = crypto_aead_aes256gcm_NPUBBYTES;
constexpr size_t kHeaderBytes = 1 + kIdBytes + kNonceBytes;
static_assert(kRecordCipherOverhead == kHeaderBytes + crypto_aead_aes256gcm_ABYTES);
static_assert(crypto_aead_aes256gcm_KEYBYTES == kKeyBytes);

// Domain separation of the subkeys from every other use of the key (16 bytes, BLAKE2b's
// personalization).
constexpr char kPersonal[crypto_generichash_blake2b_PERSONALBYTES + 1] = "medvault.record1";

// Subkeys stay cached up to this many per opener; a real log has one per sealing process.
constexpr size_t kMaxCachedSubkeys = 256;

}  // namespace

struct RecordSubkey {
  std::array<uint8_t, kIdBytes> id{};
  // libsodium requires the state 16-byte aligned; operator new honours alignas.
  alignas(16) crypto_aead_aes256gcm_state state;

  RecordSubkey(const SecretKey& key, std::span<const uint8_t, kIdBytes> subkey_id) {
    std::memcpy(id.data(), subkey_id.data(), kIdBytes);
    SecretKey derived;
    static_assert(kIdBytes == crypto_generichash_blake2b_SALTBYTES);
    crypto_generichash_blake2b_salt_personal(derived.mutable_data(), kKeyBytes, nullptr, 0,
                                             key.data(), kKeyBytes, id.data(),
                                             reinterpret_cast<const unsigned char*>(kPersonal));
    crypto_aead_aes256gcm_beforenm(&state, derived.data());
  }
  ~RecordSubkey() { sodium_memzero(&state, sizeof state); }
};

bool RecordCipherAvailable() {
  static const bool available = [] {
    EnsureSodium();
    return crypto_aead_aes256gcm_is_available() == 1;
  }();
  return available;
}

bool LooksLikeSealedRecord(std::span<const uint8_t> sealed) {
  return sealed.size() >= kRecordCipherOverhead && sealed[0] == kRecordCipherTag;
}

RecordSealer::RecordSealer(const SecretKey& key) : key_(key) {}
RecordSealer::~RecordSealer() = default;

Bytes RecordSealer::Seal(std::span<const uint8_t> plaintext, std::string_view associated_data) {
  std::shared_ptr<const RecordSubkey> subkey;
  uint64_t number = 0;
  {
    std::lock_guard lock(mu_);
    if (!subkey_ || sealed_under_subkey_ >= records_per_subkey_) {
      std::array<uint8_t, kIdBytes> id;
      randombytes_buf(id.data(), id.size());
      subkey_ = std::make_shared<const RecordSubkey>(key_, id);
      sealed_under_subkey_ = 0;
    }
    subkey = subkey_;
    number = sealed_under_subkey_++;
  }
  Bytes out(kHeaderBytes + plaintext.size() + crypto_aead_aes256gcm_ABYTES);
  out[0] = kRecordCipherTag;
  std::memcpy(out.data() + 1, subkey->id.data(), kIdBytes);
  uint8_t* nonce = out.data() + 1 + kIdBytes;
  std::memset(nonce, 0, kNonceBytes);
  for (size_t i = 0; i < sizeof number; ++i) nonce[i] = static_cast<uint8_t>(number >> (8 * i));
  unsigned long long written = 0;
  crypto_aead_aes256gcm_encrypt_afternm(
      out.data() + kHeaderBytes, &written, plaintext.data(), plaintext.size(),
      reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
      nullptr, nonce, &subkey->state);
  out.resize(kHeaderBytes + written);
  return out;
}

RecordOpener::RecordOpener(const SecretKey& key) : key_(&key) {}
RecordOpener::~RecordOpener() = default;
RecordOpener::RecordOpener(RecordOpener&&) noexcept = default;

const RecordSubkey& RecordOpener::SubkeyFor(std::span<const uint8_t, kIdBytes> id) {
  std::array<uint8_t, kIdBytes> wanted;
  std::memcpy(wanted.data(), id.data(), kIdBytes);
  auto found = subkeys_.find(wanted);
  if (found != subkeys_.end()) return *found->second;
  if (subkeys_.size() >= kMaxCachedSubkeys) subkeys_.clear();
  auto subkey = std::make_unique<RecordSubkey>(*key_, id);
  return *subkeys_.emplace(wanted, std::move(subkey)).first->second;
}

Status RecordOpener::Open(std::span<const uint8_t> sealed, std::string_view associated_data,
                          Bytes& plaintext) {
  if (!LooksLikeSealedRecord(sealed))
    return Fail(ErrorCode::kInternal, "integrity check failed: not a sealed record");
  if (!RecordCipherAvailable())
    return Fail(ErrorCode::kInternal,
                "integrity check failed: this CPU cannot run AES-256-GCM (no AES-NI)");
  const RecordSubkey& subkey = SubkeyFor(sealed.subspan(1).first<kIdBytes>());
  plaintext.resize(sealed.size() - kRecordCipherOverhead);
  unsigned long long written = 0;
  if (crypto_aead_aes256gcm_decrypt_afternm(
          plaintext.data(), &written, nullptr, sealed.data() + kHeaderBytes,
          sealed.size() - kHeaderBytes,
          reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
          sealed.data() + 1 + kIdBytes, &subkey.state) != 0)
    return Fail(ErrorCode::kInternal, "integrity check failed");
  plaintext.resize(written);
  return Ok();
}

}  // namespace medvault::crypto
