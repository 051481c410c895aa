#include "crypto/record_cipher.h"

#include <sodium.h>

#include <cstring>
#include <new>

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

// Kept for the process's lifetime, like the keys it comes from: in guarded, locked
// memory (sodium_malloc; its size is a multiple of 16, so the state stays aligned).
struct RecordSubkey {
  std::array<uint8_t, kIdBytes> id{};
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
static_assert(sizeof(RecordSubkey) % 16 == 0);

void RecordSubkeyDeleter::operator()(const RecordSubkey* subkey) const {
  subkey->~RecordSubkey();
  sodium_free(const_cast<RecordSubkey*>(subkey));
}

namespace {

RecordSubkeyPtr NewSubkey(const SecretKey& key, std::span<const uint8_t, kIdBytes> id) {
  void* memory = sodium_malloc(sizeof(RecordSubkey));
  if (memory == nullptr) throw std::bad_alloc();
  return RecordSubkeyPtr(new (memory) RecordSubkey(key, id));
}

}  // namespace

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
      subkey_ = std::shared_ptr<const RecordSubkey>(NewSubkey(key_, id));
      sealed_under_subkey_ = 0;
    }
    subkey = subkey_;
    number = sealed_under_subkey_++;
  }
  Bytes out(kHeaderBytes + plaintext.size() + crypto_aead_aes256gcm_ABYTES);
  out[0] = kRecordCipherTag;
  std::memcpy(out.data() + 1, subkey->id.data(), kIdBytes);
  uint8_t* nonce = out.data() + 1 + kIdBytes;
  // The counter makes the nonce unique under the subkey; the 32 random bits beside it
  // keep two copies of one process (a virtual machine restored from a snapshot, a
  // cloned container) from sealing different records under the same nonce.
  for (size_t i = 0; i < sizeof number; ++i) nonce[i] = static_cast<uint8_t>(number >> (8 * i));
  randombytes_buf(nonce + sizeof number, kNonceBytes - sizeof number);
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

Status RecordOpener::Open(std::span<const uint8_t> sealed, std::string_view associated_data,
                          Bytes& plaintext) {
  if (!LooksLikeSealedRecord(sealed))
    return Fail(ErrorCode::kInternal, "integrity check failed: not a sealed record");
  if (!RecordCipherAvailable())
    return Fail(ErrorCode::kInternal,
                "integrity check failed: this CPU cannot run AES-256-GCM (no AES-NI)");
  const auto id = sealed.subspan(1).first<kIdBytes>();
  std::array<uint8_t, kIdBytes> wanted;
  std::memcpy(wanted.data(), id.data(), kIdBytes);
  auto cached = subkeys_.find(wanted);
  RecordSubkeyPtr fresh;  // derived now; cached only once a record opens with it
  const RecordSubkey* subkey = nullptr;
  if (cached != subkeys_.end()) {
    subkey = cached->second.get();
  } else {
    fresh = NewSubkey(*key_, id);
    subkey = fresh.get();
  }
  plaintext.resize(sealed.size() - kRecordCipherOverhead);
  unsigned long long written = 0;
  if (crypto_aead_aes256gcm_decrypt_afternm(
          plaintext.data(), &written, nullptr, sealed.data() + kHeaderBytes,
          sealed.size() - kHeaderBytes,
          reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
          sealed.data() + 1 + kIdBytes, &subkey->state) != 0)
    return Fail(ErrorCode::kInternal, "integrity check failed");
  plaintext.resize(written);
  // Only subkeys that opened something are kept: an entry of an older log that merely
  // starts with the tag (one in 256) names no subkey and must not crowd out real ones.
  if (fresh) {
    if (subkeys_.size() >= kMaxCachedSubkeys) subkeys_.clear();
    subkeys_.emplace(wanted, std::move(fresh));
  }
  return Ok();
}

}  // namespace medvault::crypto
