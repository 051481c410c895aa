#include "audit/log_verifier.h"

#include <algorithm>
#include <bit>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_event.h"
#include "crypto/encoding.h"

namespace medvault::audit {
namespace {

// Entries per query: enough that the per-query cost vanishes, few enough that memory
// stays flat however long the log is.
constexpr int64_t kPageSize = 10'000;
constexpr int64_t kProgressEvery = 100'000;

std::unexpected<Error> Broken(std::string message) {
  return Fail(ErrorCode::kInvalid, std::move(message));
}

std::string Entry(uint64_t seq) { return "entry " + std::to_string(seq); }
std::string Head(int64_t size) { return "signed tree head of size " + std::to_string(size); }

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
  Hash leaf{};  // unless the entry did not open or parse
};

// A page of entries, opened, with the stored hashes of the subtrees that appending each
// one completes, in MerkleFrontier::Append's order (the leaf, then upward); nullopt
// where none is stored. Which subtrees an append completes depends on the position
// alone, so they can be looked up ahead, away from the sequential part.
struct OpenedPage {
  std::vector<OpenedEntry> entries;
  std::vector<std::optional<Hash>> stored;
  Status status;  // a failure to read, not a finding
};

// Appending leaf `position` completes the leaf and one subtree per trailing one bit.
int SubtreesCompletedAt(uint64_t position) { return std::countr_one(position) + 1; }

// Looks up, for the leaves at positions [begin, end), the stored hashes of the subtrees
// their appends complete, into `stored` in Apply's order: one range read, which the
// store returns in that order with the missing ones (and rows no node owns) left out,
// so the rows are a subsequence of the nodes expected here.
Status LookUpCompletedSubtrees(store::Reader& reader, uint64_t begin, uint64_t end,
                               std::vector<std::optional<Hash>>& stored) {
  ASSIGN_OR_RETURN(auto rows, reader.AuditSubtreesCompletedBy(begin, end));
  auto row = rows.begin();
  for (uint64_t position = begin; position < end; ++position) {
    for (int level = 0; level < SubtreesCompletedAt(position); ++level) {
      const uint64_t index = position >> level;
      if (row != rows.end() && row->level == static_cast<uint32_t>(level) && row->index == index)
        stored.push_back((row++)->hash);
      else
        stored.push_back(std::nullopt);
    }
  }
  return Ok();
}

OpenedPage OpenPage(store::Reader& reader, EntryOpener& opener, int64_t first, int64_t wanted,
                    EntryVisitor* visitor, unsigned worker) {
  OpenedPage page;
  page.entries.reserve(static_cast<size_t>(wanted));
  page.stored.reserve(2 * static_cast<size_t>(wanted));
  crypto::Bytes plain;
  int64_t seq = first;  // the next entry expected
  bool ended = false;   // by an entry that does not open or parse
  // Entries are 1..count, so a missing one shows as a row numbered ahead of the expected
  // one, or as a short page.
  Status read = reader.VisitAuditEntries(first, wanted, [&](const store::AuditRowView& row) {
    if (row.seq != seq) return false;
    OpenedEntry& entry = page.entries.emplace_back();
    if (!opener.Open(row.body, plain)) {
      entry.finding = Finding::kDoesNotOpen;
      ended = true;
      return false;
    }
    auto head = CanonicalJsonHead(crypto::AsText(plain));
    if (!head) {
      entry.finding = Finding::kNotAnEntry;
      ended = true;
      return false;
    }
    entry.leaf = LeafHash(plain);
    if (visitor != nullptr) visitor->Visit(worker, seq, crypto::AsText(plain), *head);
    // recorded_at sits outside the sealed body; the sealed time is the entry's truth.
    if (head->time_ms != row.recorded_at_ms) entry.finding = Finding::kTimeChanged;
    ++seq;
    return true;
  });
  if (!read) {
    page.status = std::move(read);
    return page;
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
  PageOpener(store::Store& store, const AuditLog& log, int64_t count, EntryVisitor* visitor)
      : store_(store),
        log_(log),
        visitor_(visitor),
        count_(count),
        // Not (count + kPageSize - 1) / kPageSize: a forged entry numbered near the
        // largest int64 must not overflow (it is reported as the gap before it).
        pages_(count / kPageSize + (count % kPageSize != 0 ? 1 : 0)),
        threads_(std::max(1u, std::thread::hardware_concurrency())),
        ahead_(2 * static_cast<int64_t>(threads_)) {
    if (visitor_ != nullptr) visitor_->Begin(threads_);
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
    EntryOpener opener = log_.NewOpener();  // keeps the subkeys it derives across pages
    for (int64_t p = w; p < pages_; p += threads_) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || p < next_ + ahead_; });
        if (stopping_) return;
      }
      const int64_t first = 1 + p * kPageSize;
      OpenedPage page =
          OpenPage(reader, opener, first, std::min(kPageSize, count_ - first + 1), visitor_, w);
      {
        std::lock_guard lock(mu_);
        ready_.emplace(p, std::move(page));
      }
      cv_.notify_all();
    }
  }

  store::Store& store_;
  const AuditLog& log_;
  EntryVisitor* const visitor_;
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
  LogVerifier(store::Store& store, const AuditLog& log, std::span<const crypto::PublicKey> keys,
              const VerifyOptions& options)
      : store_(store), reader_(store.reader()), log_(log), keys_(keys), options_(options) {}

  // What holds on success; the first problem found otherwise.
  Result<LogVerification> Run() {
    // One snapshot for the whole run: a server may still be appending, and the verdict
    // must be about one state of the log (it is also one read transaction, not one per
    // query).
    auto snapshot = reader_.BeginSnapshot();
    // Entries are numbered from 1 without gaps; a missing one shows as a gap below the
    // highest number, which (unlike count(*)) costs no pass over the table.
    ASSIGN_OR_RETURN(count_, reader_.AuditLastSequence());
    ASSIGN_OR_RETURN(heads_, reader_.TreeHeads());
    TRY(CheckNothingBeforeTheFirst());
    TRY(CheckHeadsUpTo(0));
    if (count_ > 0) {
      PageOpener opener(store_, log_, count_, options_.visitor);
      for (int64_t seq = 1; seq <= count_;) {
        OpenedPage page = opener.Next();
        TRY(page.status);
        size_t stored_at = 0;
        for (const OpenedEntry& entry : page.entries) {
          TRY(Apply(seq, entry, page.stored, stored_at));
          if (seq % kProgressEvery == 0 && options_.progress) options_.progress(seq, count_);
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
    LogVerification verified;
    verified.entries = count_;
    verified.signed_heads = static_cast<int64_t>(heads_.size());
    verified.heads_by_earlier_keys = heads_by_earlier_keys_;
    verified.covered = heads_.empty() ? 0 : heads_.back().size;
    verified.root = frontier_.Root();
    return verified;
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
               const std::vector<std::optional<Hash>>& stored, size_t& stored_at) {
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
    for (const MerkleFrontier::Completed& c : frontier_.Append(entry.leaf)) {
      const std::optional<Hash>& hash = stored.at(stored_at++);
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
  // has signed, an older one may not sign again (a replaced key that leaked cannot add
  // heads).
  Status CheckSignature(const store::TreeHeadRow& head) {
    for (size_t k = key_in_use_; k < keys_.size(); ++k) {
      if (!VerifyTreeHead(keys_[k], head)) continue;
      key_in_use_ = k;
      if (k + 1 < keys_.size()) ++heads_by_earlier_keys_;
      return Ok();
    }
    for (size_t k = 0; k < key_in_use_; ++k)
      if (VerifyTreeHead(keys_[k], head))
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
  const AuditLog& log_;
  std::span<const crypto::PublicKey> keys_;
  size_t key_in_use_ = 0;
  int64_t heads_by_earlier_keys_ = 0;
  const VerifyOptions& options_;
  int64_t count_ = 0;
  std::vector<store::TreeHeadRow> heads_;  // by size
  size_t next_head_ = 0;
  int64_t last_matching_head_ = 0;
  MerkleFrontier frontier_;
  std::optional<Divergence> divergence_;
};

}  // namespace

std::string Summary(const LogVerification& verified) {
  std::string by_earlier =
      verified.heads_by_earlier_keys == 0
          ? ""
          : " (" + std::to_string(verified.heads_by_earlier_keys) + " by earlier signing keys)";
  return "audit log verified: " + std::to_string(verified.entries) + " entries, " +
         std::to_string(verified.signed_heads) + " signed heads" + by_earlier + ", root " +
         crypto::ToHex(verified.root);
}

Result<LogVerification> VerifyLog(store::Store& store, const AuditLog& log,
                                  std::span<const crypto::PublicKey> keys,
                                  const VerifyOptions& options) {
  LogVerifier verifier(store, log, keys, options);
  return verifier.Run();
}

}  // namespace medvault::audit
