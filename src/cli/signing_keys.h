// The audit signing key's history: rotating the Ed25519 key that signs tree heads while
// keeping every earlier public key, so that heads signed before the rotation still
// verify.
//
//   DIR/signing-history.pub   one line per key, oldest first (public, like signing.pub):
//     <public key hex> <endorser hex or -> <added at, Unix ms> <endorsement hex or ->
//
// The first line is the key `init` made. Each later key is endorsed: the key that was in
// use then signs "medvault signing key rotation\n<its hex>\n<new hex>\n<ms>\n", so that
// whoever holds an older public key can check the newer one. signing.pub is the current
// key; a key listed after it (a rotation that stopped half-way) never signed anything
// and is not trusted.
#pragma once

#include <vector>

#include "cli/data_dir.h"
#include "crypto/signing_key.h"

namespace medvault::cli {

std::string SigningHistoryPath(const DataDir& dir);

// The trusted signing keys, oldest first; the last one is `current` (signing.pub).
// Without a history file, `current` alone. Fails when the history is malformed, an
// endorsement does not verify, or `current` is not in it.
Result<std::vector<crypto::PublicKey>> LoadSigningKeys(const DataDir& dir,
                                                       const crypto::PublicKey& current);

// Replaces signing.key and signing.pub with a new key endorsed by `old` (the key in
// signing.key), after appending it to the history. Returns the new public key. A
// running server keeps signing with the key it loaded until it restarts.
Result<crypto::PublicKey> RotateSigningKey(const DataDir& dir, const crypto::SigningKey& old,
                                           int64_t now_ms);

}  // namespace medvault::cli
