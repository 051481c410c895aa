#include "cli/signing_keys.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/key_files.h"
#include "crypto/encoding.h"
#include "crypto/key_file.h"

namespace medvault::cli {
namespace {

struct HistoryLine {
  crypto::PublicKey key{};
  std::optional<crypto::PublicKey> endorser;
  int64_t added_at_ms = 0;
  crypto::Signature endorsement{};
};

std::string EndorsedText(const crypto::PublicKey& endorser, const crypto::PublicKey& key,
                         int64_t at_ms) {
  return "medvault signing key rotation\n" + crypto::ToHex(endorser) + "\n" + crypto::ToHex(key) +
         "\n" + std::to_string(at_ms) + "\n";
}

template <size_t N>
bool FromHexInto(const std::string& hex, std::array<uint8_t, N>& out) {
  auto bytes = crypto::FromHex(hex);
  if (!bytes || bytes->size() != N) return false;
  std::ranges::copy(*bytes, out.begin());
  return true;
}

Result<std::vector<HistoryLine>> ReadHistory(const std::string& path) {
  std::ifstream in(path);
  std::vector<HistoryLine> lines;
  if (!in) return lines;
  std::string text;
  for (int number = 1; std::getline(in, text); ++number) {
    if (text.empty()) continue;
    std::istringstream fields(text);
    std::string key, endorser, at, endorsement, rest;
    fields >> key >> endorser >> at >> endorsement;
    HistoryLine line;
    bool ok = !(fields >> rest) && FromHexInto(key, line.key) && !at.empty() &&
              at.find_first_not_of("0123456789") == std::string::npos;
    if (ok) line.added_at_ms = std::stoll(at);
    if (ok && endorser != "-") {
      line.endorser.emplace();
      ok = FromHexInto(endorser, *line.endorser) && FromHexInto(endorsement, line.endorsement);
    }
    if (!ok)
      return Fail(ErrorCode::kInvalid, path + " line " + std::to_string(number) +
                                           " is not <key> <endorser> <ms> <endorsement>");
    lines.push_back(line);
  }
  return lines;
}

Status Append(const std::string& path, const std::string& line) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "cannot open " + path);
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(ErrorCode::kUnavailable, "cannot write " + path);
  return Ok();
}

}  // namespace

std::string SigningHistoryPath(const DataDir& dir) { return dir.root + "/signing-history.pub"; }

Result<std::vector<crypto::PublicKey>> LoadSigningKeys(const DataDir& dir,
                                                       const crypto::PublicKey& current) {
  const std::string path = SigningHistoryPath(dir);
  ASSIGN_OR_RETURN(auto lines, ReadHistory(path));
  if (lines.empty()) return std::vector<crypto::PublicKey>{current};
  std::vector<crypto::PublicKey> keys;
  for (const HistoryLine& line : lines) {
    if (line.endorser) {
      // Endorsed by a key listed before it.
      if (std::ranges::find(keys, *line.endorser) == keys.end() ||
          !crypto::VerifySignature(
              *line.endorser,
              crypto::AsBytes(EndorsedText(*line.endorser, line.key, line.added_at_ms)),
              line.endorsement))
        return Fail(ErrorCode::kInvalid, path + ": the endorsement of key " +
                                             crypto::ToHex(line.key) + " does not verify");
    } else if (!keys.empty()) {
      return Fail(ErrorCode::kInvalid, path + ": only the first key may be unendorsed");
    }
    keys.push_back(line.key);
    if (line.key == current) return keys;  // later ones never became current
  }
  return Fail(ErrorCode::kInvalid, "signing.pub is not in " + path);
}

Result<crypto::PublicKey> RotateSigningKey(const DataDir& dir, const crypto::SigningKey& old,
                                           int64_t now_ms) {
  const std::string history = SigningHistoryPath(dir);
  ASSIGN_OR_RETURN(auto lines, ReadHistory(history));
  if (lines.empty())
    TRY(Append(history, crypto::ToHex(old.public_key()) + " - " + std::to_string(now_ms) + " -\n"));
  crypto::SigningKey next = crypto::SigningKey::Generate();
  crypto::Signature endorsement =
      old.Sign(crypto::AsBytes(EndorsedText(old.public_key(), next.public_key(), now_ms)));
  // Into the history first: a key becomes current only once it is listed.
  TRY(Append(history, crypto::ToHex(next.public_key()) + " " + crypto::ToHex(old.public_key()) +
                          " " + std::to_string(now_ms) + " " + crypto::ToHex(endorsement) + "\n"));
  const std::string seed_new = dir.signing_key() + ".new";
  const std::string public_new = dir.signing_public_key() + ".new";
  std::remove(seed_new.c_str());  // left by a rotation that stopped half-way
  std::remove(public_new.c_str());
  TRY(crypto::WriteSigningKey(next, seed_new, public_new));
  if (std::rename(seed_new.c_str(), dir.signing_key().c_str()) != 0 ||
      std::rename(public_new.c_str(), dir.signing_public_key().c_str()) != 0)
    return Fail(ErrorCode::kUnavailable, "cannot replace the signing key files in " + dir.root);
  TRY(SyncDirectory(dir.root));
  return next.public_key();
}

}  // namespace medvault::cli
