// `medvault audit verify` and `medvault audit proof`: the checks an auditor runs on a
// data directory (or a copy of one). Verification trusts only the audit key, which opens
// the entries, and the published signing key, which vouches for the tree heads; it
// recomputes the Merkle tree from the entries' plaintext and takes nothing from the
// stored tree on trust, but compares with it to say where the log was changed.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_event.h"
#include "audit/audit_log.h"
#include "audit/merkle.h"
#include "audit/stored_subtrees.h"
#include "cli/audit_verification.h"
#include "cli/commands.h"
#include "cli/runtime.h"
#include "cli/signing_keys.h"
#include "crypto/encoding.h"
#include "crypto/signing_key.h"

namespace medvault::cli {
namespace {

// Entries per query: enough that the per-query cost vanishes, few enough that memory
// stays flat however long the log is.
constexpr int64_t kPageSize = 10'000;
constexpr int64_t kProgressEvery = 100'000;
// Above this a run lasts long enough to report progress even into a log file.
constexpr int64_t kProgressAbove = 200'000;

// A stored subtree that is missing means the table was damaged.
audit::StoredSubtrees ReaderSubtrees(store::Reader& reader) {
  return audit::StoredSubtrees(
      reader, {ErrorCode::kNotFound, "a stored audit subtree hash is missing", {}});
}

std::unexpected<Error> Broken(std::string message) {
  return Fail(ErrorCode::kInvalid, std::move(message));
}

std::string Entry(uint64_t seq) { return "entry " + std::to_string(seq); }
std::string Head(int64_t size) { return "signed tree head of size " + std::to_string(size); }

// Heads are checked with the published signing.pub, the key outsiders hold, and the keys
// it replaced (signing-history.pub, after a rotation); a server signing with another seed
// would issue heads nobody else can check, so that is a failure too. Without signing.pub,
// the seed's own key is all there is.
Result<std::vector<crypto::PublicKey>> PublishedKeys(const Runtime& rt) {
  const crypto::PublicKey& seed_key = rt.signing_key->public_key();
  const std::string path = rt.dir.signing_public_key();
  std::ifstream in(path);
  if (!in) return std::vector<crypto::PublicKey>{seed_key};
  std::string text;
  in >> text;
  auto bytes = crypto::FromHex(text);
  crypto::PublicKey key{};
  if (!bytes || bytes->size() != key.size())
    return Fail(ErrorCode::kInvalid, path + " does not hold a hex Ed25519 public key");
  std::ranges::copy(*bytes, key.begin());
  if (key != seed_key)
    return Fail(ErrorCode::kInvalid, path + " is not the public key of signing.key");
  return LoadSigningKeys(rt.dir, key);
}

// What the parallel stage found out about one entry.
enum class Finding : uint8_t {
  kOk,
  kMissing,      // no entry with this number (ends its page)
  kDoesNotOpen,  // AEAD failed (ends its page)
  kNotAnEntry,   // opened, but not a canonical audit entry (ends its page)
  kTimeChanged,  // recorded_at differs from the sealed time
};

struct OpenedEntry {
  Finding finding = Finding::kOk;
  audit::Hash leaf{};  // unless the entry did not open or parse
};

// A page of entries, opened, with the stored hashes of the subtrees that appending each
// one completes, in MerkleFrontier::Append's order (the leaf, then upward); nullopt
// where none is stored. Which subtrees an append completes depends on the position
// alone, so they can be looked up ahead, away from the sequential part.
struct OpenedPage {
  std::vector<OpenedEntry> entries;
  std::vector<std::optional<audit::Hash>> stored;
  Status status;  // a failure to read, not a finding
};

// Appending leaf `position` completes the leaf and one subtree per trailing one bit.
int SubtreesCompletedAt(uint64_t position) { return std::countr_one(position) + 1; }

// Looks up, for the leaves at positions [begin, end), the stored hashes of the subtrees
// their appends complete, into `stored` in Apply's order: one range read per level
// rather than a lookup per node.
Status LookUpCompletedSubtrees(store::Reader& reader, uint64_t begin, uint64_t end,
                               std::vector<std::optional<audit::Hash>>& stored) {
  int levels = 0;
  for (uint64_t position = begin; position < end; ++position)
    levels = std::max(levels, SubtreesCompletedAt(position));
  std::vector<std::vector<std::optional<audit::Hash>>> by_level(levels);  // then by index
  for (int level = 0; level < levels; ++level) {
    const uint64_t lowest = begin >> level;
    auto& hashes = by_level[level];
    hashes.resize(((end - 1) >> level) - lowest + 1);
    ASSIGN_OR_RETURN(auto rows,
                     reader.AuditSubtrees(static_cast<uint32_t>(level), lowest, hashes.size()));
    for (const store::AuditSubtreeRow& row : rows) hashes[row.index - lowest] = row.hash;
  }
  for (uint64_t position = begin; position < end; ++position) {
    for (int level = 0; level < SubtreesCompletedAt(position); ++level)
      stored.push_back(by_level[level][(position >> level) - (begin >> level)]);
  }
  return Ok();
}

OpenedPage OpenPage(store::Reader& reader, const audit::AuditLog& log, int64_t first,
                    int64_t wanted) {
  OpenedPage page;
  auto rows = reader.AuditEntries(first, wanted);
  if (!rows) {
    page.status = std::unexpected(std::move(rows).error());
    return page;
  }
  page.entries.reserve(static_cast<size_t>(wanted));
  page.stored.reserve(2 * static_cast<size_t>(wanted));
  crypto::Bytes plain;
  int64_t seq = first;  // the next entry expected
  bool ended = false;   // by an entry that does not open or parse
  // Entries are 1..count, so a missing one shows as a row numbered ahead of the expected
  // one, or as a short page.
  for (const store::AuditRow& row : *rows) {
    if (row.seq != seq) break;
    OpenedEntry& entry = page.entries.emplace_back();
    if (!log.OpenEntry(row, plain)) {
      entry.finding = Finding::kDoesNotOpen;
      ended = true;
      break;
    }
    auto time = audit::CanonicalJsonTime(crypto::AsText(plain));
    if (!time) {
      entry.finding = Finding::kNotAnEntry;
      ended = true;
      break;
    }
    entry.leaf = audit::LeafHash(plain);
    // recorded_at sits outside the sealed body; the sealed time is the entry's truth.
    if (*time != row.recorded_at_ms) entry.finding = Finding::kTimeChanged;
    ++seq;
  }
  if (!ended && seq < first + wanted) page.entries.push_back({Finding::kMissing, {}});
  // The stored hashes for the entries that opened (positions count from 0).
  page.status = LookUpCompletedSubtrees(reader, static_cast<uint64_t>(first - 1),
                                        static_cast<uint64_t>(seq - 1), page.stored);
  return page;
}

// The parallel stage: worker threads open pages (AEAD, parsing, leaf hashes: most of the
// work) and look up their stored subtree hashes, each on its own read connection, while
// the caller builds the tree; Next() hands the pages over in order. A few pages wait at
// most, so memory stays flat whatever the log's length.
//
// Each worker reads through its own snapshot, taken after the caller's. They agree on
// entries 1..count of the caller's snapshot: a server only ever appends after them.
class PageOpener {
 public:
  PageOpener(store::Store& store, const audit::AuditLog& log, int64_t count)
      : store_(store),
        log_(log),
        count_(count),
        // Not (count + kPageSize - 1) / kPageSize: a forged entry numbered near the
        // largest int64 must not overflow (it is reported as the gap before it).
        pages_(count / kPageSize + (count % kPageSize != 0 ? 1 : 0)),
        threads_(std::max(1u, std::thread::hardware_concurrency())),
        ahead_(2 * static_cast<int64_t>(threads_)) {
    for (unsigned w = 0; w < threads_; ++w) workers_.emplace_back([this, w] { Work(w); });
  }

  ~PageOpener() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    workers_.clear();  // joins
  }

  // The next page in order; call at most ceil(count / kPageSize) times.
  OpenedPage Next() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return ready_.contains(next_); });
    OpenedPage page = std::move(ready_.at(next_));
    ready_.erase(next_++);
    cv_.notify_all();
    return page;
  }

 private:
  // Worker w takes pages w, w + threads, …: the page the caller waits for is always the
  // one its worker is on or about to start, so nobody waits for ever.
  void Work(unsigned w) {
    store::Reader& reader = store_.reader();
    auto snapshot = reader.BeginSnapshot();
    for (int64_t p = w; p < pages_; p += threads_) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || p < next_ + ahead_; });
        if (stopping_) return;
      }
      const int64_t first = 1 + p * kPageSize;
      OpenedPage page = OpenPage(reader, log_, first, std::min(kPageSize, count_ - first + 1));
      {
        std::lock_guard lock(mu_);
        ready_.emplace(p, std::move(page));
      }
      cv_.notify_all();
    }
  }

  store::Store& store_;
  const audit::AuditLog& log_;
  const int64_t count_;
  const int64_t pages_;
  const unsigned threads_;
  const int64_t ahead_;  // pages opened ahead of the caller, at most
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, OpenedPage> ready_;  // under mu_
  int64_t next_ = 0;                     // under mu_: the page Next() returns next
  bool stopping_ = false;                // under mu_
  std::vector<std::jthread> workers_;    // last: joined before the rest goes
};

// Recomputes the tree from the entries in sequence order, one page at a time, and checks
// every signed head when the tree reaches its size.
//
// The stored subtree hashes say where the log was changed: the recomputed tree is
// compared with them as it grows, and the first node where they differ is remembered.
// Either side may be the one that was changed, so the next signed head decides: if the
// recomputed root matches it, the entries hold and the stored tree was tampered with;
// if not, the first differing leaf is the changed (replaced, reordered) entry.
class LogVerifier {
 public:
  // `keys`: the trusted signing keys, oldest first (a rotation keeps the old ones).
  LogVerifier(store::Store& store, const audit::AuditLog& log,
              const std::vector<crypto::PublicKey>& keys)
      : store_(store), reader_(store.reader()), log_(log), keys_(keys) {}

  // The summary line on success; the first problem found otherwise.
  Result<std::string> Run() {
    // One snapshot for the whole run: a server may still be appending, and the verdict
    // must be about one state of the log (it is also one read transaction, not one per
    // query).
    auto snapshot = reader_.BeginSnapshot();
    // Entries are numbered from 1 without gaps; a missing one shows as a gap below the
    // highest number, which (unlike count(*)) costs no pass over the table.
    ASSIGN_OR_RETURN(count_, reader_.AuditLastSequence());
    ASSIGN_OR_RETURN(heads_, reader_.TreeHeads());
    show_progress_ = count_ > kProgressAbove || ::isatty(STDERR_FILENO) == 1;
    TRY(CheckNothingBeforeTheFirst());
    TRY(CheckHeadsUpTo(0));
    if (count_ > 0) {
      PageOpener opener(store_, log_, count_);
      for (int64_t seq = 1; seq <= count_;) {
        OpenedPage page = opener.Next();
        TRY(page.status);
        size_t stored_at = 0;
        for (const OpenedEntry& entry : page.entries) {
          TRY(Apply(seq, entry, page.stored, stored_at));
          if (seq % kProgressEvery == 0 && show_progress_)
            std::cerr << "verified " << seq << " / " << count_ << " entries" << std::endl;
          ++seq;
        }
      }
    }
    TRY(CheckLeftoverHeads());
    TRY(SettleDivergence());
    // A stored leaf past the end means entries were removed after the last head.
    ASSIGN_OR_RETURN(auto beyond, reader_.AuditSubtree(0, static_cast<uint64_t>(count_)));
    if (beyond) {
      return Broken("the log was truncated: the stored tree has more than " +
                    std::to_string(count_) + " entries");
    }
    int64_t covered = heads_.empty() ? 0 : heads_.back().size;
    if (covered < count_) {
      std::cerr << "note: no signed tree head covers the last " << (count_ - covered)
                << " entries yet; they were checked against the stored tree only (a server "
                   "signs a head every second while entries arrive, and at shutdown)"
                << std::endl;
    }
    std::string by_old = heads_by_old_keys_ == 0 ? ""
                                                 : " (" + std::to_string(heads_by_old_keys_) +
                                                       " by earlier signing keys)";
    return "audit log verified: " + std::to_string(count_) + " entries, " +
           std::to_string(heads_.size()) + " signed heads" + by_old + ", root " +
           crypto::ToHex(frontier_.Root());
  }

 private:
  // Where the recomputed tree first differed from the stored one.
  struct Divergence {
    uint32_t level = 0;
    uint64_t index = 0;
    bool missing = false;  // no stored hash at all
  };

  // Sequence numbers start at 1. A row numbered below would be counted and make the last
  // entry look missing; it is named for what it is instead.
  Status CheckNothingBeforeTheFirst() {
    constexpr int64_t kLowest = -(int64_t{1} << 62);
    ASSIGN_OR_RETURN(auto before, reader_.AuditEntries(kLowest, 1 - kLowest));
    if (!before.empty()) {
      return Broken("an entry numbered " + std::to_string(before.front().seq) +
                    " was inserted before entry 1");
    }
    return Ok();
  }

  // The sequential part for one entry: the tree, the stored hashes, the heads.
  Status Apply(int64_t seq, const OpenedEntry& entry,
               const std::vector<std::optional<audit::Hash>>& stored, size_t& stored_at) {
    const auto number = static_cast<uint64_t>(seq);
    switch (entry.finding) {
      case Finding::kMissing: return EntryProblem(Entry(number) + " is missing");
      case Finding::kDoesNotOpen:
        return EntryProblem(Entry(number) + " does not open (changed or corrupted)");
      case Finding::kNotAnEntry:
        return EntryProblem(Entry(number) + " opens but is not an audit entry");
      case Finding::kOk:
      case Finding::kTimeChanged: break;
    }
    // Compared until the first difference only: after it, the next head decides anyway.
    for (const audit::MerkleFrontier::Completed& c : frontier_.Append(entry.leaf)) {
      const std::optional<audit::Hash>& hash = stored.at(stored_at++);
      if (!divergence_ && hash != c.hash) divergence_ = Divergence{c.level, c.index, !hash};
    }
    // After the tree, so that an entry moved without its recorded_at is named as moved.
    if (entry.finding == Finding::kTimeChanged)
      return EntryProblem(Entry(number) + " has a changed recorded_at time");
    return CheckHeadsUpTo(frontier_.size());
  }

  // Checks every head whose size the recomputed tree has reached.
  Status CheckHeadsUpTo(uint64_t size) {
    while (next_head_ < heads_.size() && heads_[next_head_].size <= static_cast<int64_t>(size)) {
      const store::TreeHeadRow& head = heads_[next_head_++];
      TRY(CheckSignature(head));
      if (head.root != frontier_.Root()) {
        if (divergence_ && divergence_->level == 0) return ChangedEntry();
        // The entries agree with the stored leaves, so both were replaced together.
        return Broken(Head(head.size) + " does not match entries " +
                      std::to_string(last_matching_head_ + 1) + " to " + std::to_string(head.size) +
                      " (replaced along with their stored hashes)");
      }
      if (divergence_) return ChangedStoredTree();
      last_matching_head_ = head.size;
    }
    return Ok();
  }

  // Heads larger than the log. The signature comes first: a forged head proves nothing,
  // whereas a genuine one proves that the log once held that many entries.
  Status CheckLeftoverHeads() {
    if (next_head_ == heads_.size()) return Ok();
    const store::TreeHeadRow& head = heads_[next_head_];
    TRY(CheckSignature(head));
    return Broken("the log was truncated: head of size " + std::to_string(head.size) +
                  " but only " + std::to_string(count_) + " entries");
  }

  // Heads are signed by the trusted keys in the order they were in use: once a newer key
  // has signed, an older one may not sign again (a retired key that leaked cannot add
  // heads).
  Status CheckSignature(const store::TreeHeadRow& head) {
    for (size_t k = key_in_use_; k < keys_.size(); ++k) {
      if (!audit::VerifyTreeHead(keys_[k], head)) continue;
      key_in_use_ = k;
      if (k + 1 < keys_.size()) ++heads_by_old_keys_;
      return Ok();
    }
    for (size_t k = 0; k < key_in_use_; ++k)
      if (audit::VerifyTreeHead(keys_[k], head))
        return Broken(Head(head.size) + " is signed by a signing key that had been replaced");
    return Broken(Head(head.size) + " has an invalid signature (changed or forged)");
  }

  // A difference after the last head: no signature decides which side changed; a leaf
  // is reported as its entry.
  Status SettleDivergence() {
    if (!divergence_) return Ok();
    if (divergence_->level == 0) return ChangedEntry();
    return ChangedStoredTree();
  }

  // An entry's own problem, unless an earlier entry already differed from the stored
  // tree: that one comes first.
  std::unexpected<Error> EntryProblem(std::string message) const {
    if (divergence_ && divergence_->level == 0) return ChangedEntry();
    return Broken(std::move(message));
  }

  std::unexpected<Error> ChangedEntry() const {
    return Broken(Entry(divergence_->index + 1) +
                  " does not match the tree (reordered or replaced)");
  }

  std::unexpected<Error> ChangedStoredTree() const {
    const uint64_t width = uint64_t{1} << divergence_->level;
    const uint64_t first = divergence_->index * width + 1;
    const char* what = divergence_->missing ? " was removed" : " was changed";
    if (divergence_->level == 0) return Broken("the stored leaf hash of " + Entry(first) + what);
    return Broken("the stored tree hash at level " + std::to_string(divergence_->level) +
                  ", index " + std::to_string(divergence_->index) + " (entries " +
                  std::to_string(first) + " to " + std::to_string(first + width - 1) + ")" + what);
  }

  store::Store& store_;
  store::Reader& reader_;
  const audit::AuditLog& log_;
  const std::vector<crypto::PublicKey>& keys_;
  size_t key_in_use_ = 0;
  int64_t heads_by_old_keys_ = 0;
  int64_t count_ = 0;
  std::vector<store::TreeHeadRow> heads_;  // by size
  size_t next_head_ = 0;
  int64_t last_matching_head_ = 0;
  audit::MerkleFrontier frontier_;
  std::optional<Divergence> divergence_;
  bool show_progress_ = false;
};

void WriteHexArray(rapidjson::Writer<rapidjson::StringBuffer>& w,
                   const std::vector<audit::Hash>& hashes) {
  w.StartArray();
  for (const audit::Hash& h : hashes) w.String(crypto::ToHex(h).c_str());
  w.EndArray();
}

// A tree of `size` leaves must exist in full for its proofs to mean anything.
Status CheckSize(store::Reader& reader, int64_t size, const char* option) {
  if (size < 0) return Fail(ErrorCode::kInvalid, std::string(option) + " must not be negative");
  ASSIGN_OR_RETURN(int64_t count, reader.AuditCount());
  if (size > count) {
    return Fail(ErrorCode::kInvalid, std::string(option) + " " + std::to_string(size) +
                                         " exceeds the log's " + std::to_string(count) +
                                         " entries");
  }
  return Ok();
}

Result<std::string> InclusionJson(Runtime& rt, const AuditProofOptions& options) {
  if (options.index < 0) return Fail(ErrorCode::kInvalid, "--index must not be negative");
  store::Reader& reader = rt.store->reader();
  auto snapshot = reader.BeginSnapshot();
  TRY(CheckSize(reader, options.size, "--size"));
  audit::StoredSubtrees source = ReaderSubtrees(reader);
  const auto index = static_cast<uint64_t>(options.index);
  ASSIGN_OR_RETURN(auto path,
                   audit::InclusionProof(index, static_cast<uint64_t>(options.size), source));
  ASSIGN_OR_RETURN(audit::Hash leaf, source.Subtree(0, index));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("leaf_hash");
  w.String(crypto::ToHex(leaf).c_str());
  w.Key("path");
  WriteHexArray(w, path);
  w.EndObject();
  return std::string(buffer.GetString());
}

Result<std::string> ConsistencyJson(Runtime& rt, const AuditProofOptions& options) {
  store::Reader& reader = rt.store->reader();
  auto snapshot = reader.BeginSnapshot();
  TRY(CheckSize(reader, options.from, "--from"));
  TRY(CheckSize(reader, options.to, "--to"));
  ASSIGN_OR_RETURN(auto path, audit::ConsistencyProof(static_cast<uint64_t>(options.from),
                                                      static_cast<uint64_t>(options.to),
                                                      ReaderSubtrees(reader)));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("path");
  WriteHexArray(w, path);
  w.EndObject();
  return std::string(buffer.GetString());
}

int PrintProof(const char* command, const AuditProofOptions& options,
               Result<std::string> (*build)(Runtime&, const AuditProofOptions&)) {
  auto rt = OpenRuntime(options.data_dir);
  if (!rt) {
    std::cerr << command << ": " << rt.error().message << "\n";
    return 1;
  }
  auto json = build(**rt, options);
  if (!json) {
    std::cerr << command << ": " << json.error().message << "\n";
    return 1;
  }
  std::cout << *json << "\n";
  return 0;
}

}  // namespace

Result<std::string> VerifyAuditLog(Runtime& rt) {
  ASSIGN_OR_RETURN(std::vector<crypto::PublicKey> keys, PublishedKeys(rt));
  LogVerifier verifier(*rt.store, *rt.audit, keys);
  return verifier.Run();
}

int RunAuditVerify(const std::string& data_dir) {
  constexpr const char* kCommand = "medvault audit verify";
  auto rt = OpenRuntime(data_dir);
  if (!rt) {
    std::cerr << kCommand << ": " << rt.error().message << "\n";
    return 1;
  }
  auto summary = VerifyAuditLog(**rt);
  if (!summary) {
    std::cerr << kCommand << ": " << summary.error().message << "\n";
    return 1;
  }
  std::cout << *summary << "\n";
  return 0;
}

int RunAuditInclusionProof(const AuditProofOptions& options) {
  return PrintProof("medvault audit proof inclusion", options, InclusionJson);
}

int RunAuditConsistencyProof(const AuditProofOptions& options) {
  return PrintProof("medvault audit proof consistency", options, ConsistencyJson);
}

}  // namespace medvault::cli
