// The disk fails under a running server: full, capped by a file-size limit, or made
// read-only. While it lasts, every request that must be recorded (writes and reads
// alike: no answer leaves without its audit entry) gets 503 with an OperationOutcome;
// whatever was acknowledged stays; when the disk is back the server serves again by
// itself, without a restart; after one, everything acknowledged is there and the audit
// log verifies. Each way of breaking the disk is skipped, with the reason, where this
// machine cannot do it (a tmpfs mount and the immutable attribute need root).
// On PostgreSQL (MEDVAULT_TEST_ENGINE=postgres) the disk is the database server's: the
// same is asked of the server when the database turns read-only or stops taking
// connections; the faults of SQLite's own files are skipped there.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <thread>

#include "practice_fixture.h"
#include "sample_resources.h"
#include "stored_database.h"

namespace medvault::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kNir = "urn:oid:1.2.250.1.213.1.4.8";

// Sets or clears the immutable attribute (chattr +i / -i). Writes to an immutable file
// fail with EPERM even through descriptors opened before (ext4, xfs): the server's
// database becomes read-only under it. Needs CAP_LINUX_IMMUTABLE.
bool SetImmutable(const std::string& path, bool on) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  int flags = 0;
  bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
  flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
  ok = ok && ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
  ::close(fd);
  return ok;
}

// "" when files in `dir` can be made read-only under an open descriptor, else why not.
std::string ImmutableUnsupported(const std::string& dir) {
  std::string probe = dir + "/immutable-probe";
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot create a probe file";
  std::string why;
  if (!SetImmutable(probe, true)) {
    why = "cannot set the immutable attribute here (needs root and ext4 or xfs): " +
          std::string(std::strerror(errno));
  } else if (::write(fd, "x", 1) == 1) {
    why = "this filesystem lets open descriptors write to immutable files";
  }
  SetImmutable(probe, false);
  ::close(fd);
  fs::remove(probe);
  return why;
}

// RLIMIT_FSIZE of the server process: past it, writes fail with EFBIG (and raise
// SIGXFSZ, which the server must ignore). Only the soft limit moves, so no privilege
// is needed to raise it again.
bool SetFileSizeLimit(pid_t pid, rlim_t bytes) {
  rlimit limit{};
  if (::prlimit(pid, RLIMIT_FSIZE, nullptr, &limit) != 0) return false;
  limit.rlim_cur = bytes;
  return ::prlimit(pid, RLIMIT_FSIZE, &limit, nullptr) == 0;
}

// Writes `path` until the filesystem has no byte left.
void FillFilesystem(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  std::string chunk(1 << 20, 'f');
  for (size_t size = chunk.size(); size > 0; size /= 2)
    while (::write(fd, chunk.data(), size) == static_cast<ssize_t>(size)) {
    }
  ::fsync(fd);
  ::close(fd);
}

// Ends every connection to the server's PostgreSQL database but psql's own: the server
// reconnects, and takes the database's settings anew.
void EndConnections(const std::string& data_dir) {
  ClusterSql(data_dir,
             "SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
             "WHERE datname = '" +
                 PostgresDatabaseOf(data_dir) + "' AND pid <> pg_backend_pid()");
}

constexpr const char* kSqliteFilesOnly =
    "a fault of SQLite's files: on PostgreSQL the database's storage is the database "
    "server's (see ADatabaseThatTurnsReadOnly… and ADatabaseThatRefusesConnections…)";

// Budgets out of the way: the tests read the same few patients many times.
const std::vector<std::pair<std::string, std::string>> kConfig = {
    {"physician_patients_per_10_minutes = 15", "physician_patients_per_10_minutes = 100000"}};

class StorageFaults : public ::testing::Test {
 protected:
  struct Written {
    std::string id;
    std::string nir;
  };

  // A new patient with a NIR that no other request used; 201 adds it to `acknowledged_`.
  HttpResponse Register(Practice& p) {
    std::string nir = "2" + std::to_string(100'000'000'000LL + ++serial_);
    auto r = p.as("physician")
                 .Request("POST", "/fhir/Patient",
                          PatientJson("Faure", "Lise", "1980-02-03", p.organization_id, nir));
    if (r.status == 201) acknowledged_.push_back({IdFromLocation(r), nir});
    if (r.status != 201) refused_nirs_.push_back(nir);
    return r;
  }

  // The fault, from its start to the disk coming back. `cause`, when not empty, is what
  // the server log must say about the failed commits.
  void ExpectFaultAnswered503ThenRecovered(Practice& p, const std::function<void()>& break_disk,
                                           const std::function<void()>& repair_disk,
                                           const std::string& cause) {
    for (int i = 0; i < 3; ++i) ASSERT_EQ(Register(p).status, 201);
    break_disk();
    // Under a full disk, a commit may still fit in room the WAL had already taken: the
    // loop goes on until three are refused.
    int refused = 0;
    for (int i = 0; i < 40 && refused < 3; ++i) {
      auto r = Register(p);
      ASSERT_TRUE(r.status == 201 || r.status == 503) << r.status << " " << r.body;
      if (r.status == 503) {
        ++refused;
        EXPECT_NE(r.body.find("\"resourceType\":\"OperationOutcome\""), std::string::npos)
            << r.body;
        EXPECT_NE(r.body.find("\"code\":\"transient\""), std::string::npos) << r.body;
      }
    }
    ASSERT_EQ(refused, 3) << "the broken disk never refused a write";
    // A read leaves only with its audit entry, which cannot be written either.
    auto read = p.as("physician").Get("/fhir/Patient/" + acknowledged_.front().id);
    EXPECT_EQ(read.status, 503) << read.body;
    EXPECT_NE(read.body.find("OperationOutcome"), std::string::npos) << read.body;
    // Regression: /healthz said 200 while the disk refused every commit.
    auto monitor = p.NewClient();
    auto health = monitor->Get("/healthz");
    EXPECT_EQ(health.status, 503) << health.body;
    EXPECT_NE(health.body.find("\"status\":\"unavailable\""), std::string::npos) << health.body;

    // Regression: the log said that commits failed, not why.
    if (!cause.empty()) {
      std::ifstream log(p.log_file);
      std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
      EXPECT_NE(text.find("could not commit (database command failed: " + cause + ")"),
                std::string::npos)
          << text.substr(text.size() > 2000 ? text.size() - 2000 : 0);
    }
    repair_disk();
    // With no request writing, /healthz alone finds out that the disk is back (a load
    // balancer sends nothing else to a server it took out).
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline &&
           (health = monitor->Get("/healthz")).status != 200)
      std::this_thread::sleep_for(200ms);
    EXPECT_EQ(health.status, 200) << health.body;
    // No restart: the next commits succeed by themselves.
    long status = 0;
    while (std::chrono::steady_clock::now() < deadline && (status = Register(p).status) != 201)
      std::this_thread::sleep_for(200ms);
    ASSERT_EQ(status, 201) << "the server did not recover once the disk was back";
    ExpectEverythingAcknowledgedAndNothingElse(p);

    // A clean restart keeps it all, and the audit log verifies.
    ASSERT_EQ(p.server->Stop(), 0);
    EXPECT_GT(AuditEntriesVerified(p.data_dir), 0);
    p.server = std::make_unique<ServerProcess>(p.data_dir, p.log_file);
    auto doctor = p.NewClient();
    doctor->set_bearer(p.as("physician").bearer());
    p.clients["physician"] = std::move(doctor);
    ExpectEverythingAcknowledgedAndNothingElse(p);
  }

  // Every acknowledged patient reads back whole; no refused one exists, even in part.
  void ExpectEverythingAcknowledgedAndNothingElse(Practice& p) {
    HttpsClient& doctor = p.as("physician");
    for (const Written& w : acknowledged_) {
      auto r = doctor.Get("/fhir/Patient/" + w.id + "/_history/1");
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_NE(r.body.find(w.nir), std::string::npos);
      EXPECT_NE(r.body.find("\"family\":\"Faure\""), std::string::npos);
    }
    for (const std::string& nir : refused_nirs_) {
      auto r = doctor.Get("/fhir/Patient?identifier=" + std::string(kNir) + "%7C" + nir);
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(r.body.find("\"entry\""), std::string::npos) << "a refused write is there";
    }
  }

  std::vector<Written> acknowledged_;
  std::vector<std::string> refused_nirs_;
  int64_t serial_ = 0;
};

// ENOSPC for real: the data directory on a 16 MiB tmpfs, filled up, then emptied.
TEST_F(StorageFaults, AFullDiskAnswers503AndRecoversWhenSpaceReturns) {
  if (OnPostgres()) GTEST_SKIP() << kSqliteFilesOnly;
  TempDir probe;
  if (::mount("tmpfs", probe.path().c_str(), "tmpfs", 0, "size=1m") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs (needs root): " << std::strerror(errno);
  ::umount(probe.path().c_str());

  std::unique_ptr<Practice> p;
  // Destroyed before the practice: a lazy unmount lets the server finish with it.
  struct Unmount {
    std::string dir;
    ~Unmount() {
      if (!dir.empty()) ::umount2(dir.c_str(), MNT_DETACH);
    }
  } unmount;
  p = StartPractice(kConfig, [&](const std::string& data_dir) {
    fs::create_directory(data_dir);
    ASSERT_EQ(::mount("tmpfs", data_dir.c_str(), "tmpfs", 0, "size=16m,mode=0700"), 0)
        << std::strerror(errno);
    unmount.dir = data_dir;
  });
  std::string filler = p->data_dir + "/filler";
  ExpectFaultAnswered503ThenRecovered(
      *p, [&] { FillFilesystem(filler); }, [&] { fs::remove(filler); }, "database or disk is full");
}

// Regression: the server died of SIGXFSZ at the first write past a file-size limit
// (ulimit -f, systemd's LimitFSIZE) instead of failing that write.
TEST_F(StorageFaults, AFileSizeLimitAnswers503AndRecoversWhenRaised) {
  if (OnPostgres()) GTEST_SKIP() << kSqliteFilesOnly;
  auto p = StartPractice(kConfig);
  pid_t server = p->server->pid();
  ExpectFaultAnswered503ThenRecovered(
      *p, [&] { ASSERT_TRUE(SetFileSizeLimit(server, 1)); },
      [&] { ASSERT_TRUE(SetFileSizeLimit(server, RLIM_INFINITY)); },
      "");  // the log cannot be written either while the limit holds
}

TEST_F(StorageFaults, AReadOnlyDatabaseAnswers503AndRecoversWhenWritable) {
  if (OnPostgres()) GTEST_SKIP() << kSqliteFilesOnly;
  auto p = StartPractice(kConfig);
  if (std::string why = ImmutableUnsupported(p->dir->path()); !why.empty()) GTEST_SKIP() << why;
  // The WAL takes every commit; the database file takes the checkpoints.
  std::vector<std::string> files = {p->data_dir + "/medvault.db", p->data_dir + "/medvault.db-wal"};
  ExpectFaultAnswered503ThenRecovered(
      *p,
      [&] {
        for (const auto& f : files) ASSERT_TRUE(SetImmutable(f, true)) << f;
      },
      [&] {
        for (const auto& f : files) ASSERT_TRUE(SetImmutable(f, false)) << f;
      },
      "disk I/O error");
}

TEST_F(StorageFaults, AReadOnlyDatabaseAtStartStopsItWithAClearMessage) {
  if (OnPostgres()) GTEST_SKIP() << kSqliteFilesOnly;
  TempDir tmp;
  std::string dir = tmp.path() + "/data";
  ASSERT_EQ(RunMedvault({"init", "--data", dir}).exit_code, 0);
  if (std::string why = ImmutableUnsupported(tmp.path()); !why.empty()) GTEST_SKIP() << why;
  ASSERT_TRUE(SetImmutable(dir + "/medvault.db", true));
  auto r = RunMedvault({"serve", "--data", dir, "--listen", "127.0.0.1:0"}, "", 60);
  SetImmutable(dir + "/medvault.db", false);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("is read-only"), std::string::npos) << r.err;
}

// PostgreSQL turned read-only under the server (a failover to a standby, a full disk
// that made the operator set it so): writes fail with SQLSTATE 25006.
TEST_F(StorageFaults, ADatabaseThatTurnsReadOnlyAnswers503AndRecoversWhenWritable) {
  if (!OnPostgres()) GTEST_SKIP() << "PostgreSQL only (MEDVAULT_TEST_ENGINE=postgres)";
  auto p = StartPractice(kConfig);
  const std::string database = PostgresDatabaseOf(p->data_dir);
  ExpectFaultAnswered503ThenRecovered(
      *p,
      [&] {
        ClusterSql(p->data_dir,
                   "ALTER DATABASE " + database + " SET default_transaction_read_only = on");
        EndConnections(p->data_dir);
      },
      [&] {
        ClusterSql(p->data_dir,
                   "ALTER DATABASE " + database + " RESET default_transaction_read_only");
        EndConnections(p->data_dir);
      },
      "");
}

// PostgreSQL stops taking the server's connections (restarting, unreachable): every
// connection is lost and none can be made until it is back.
TEST_F(StorageFaults, ADatabaseThatRefusesConnectionsAnswers503AndRecoversWhenBack) {
  if (!OnPostgres()) GTEST_SKIP() << "PostgreSQL only (MEDVAULT_TEST_ENGINE=postgres)";
  auto p = StartPractice(kConfig);
  const std::string database = PostgresDatabaseOf(p->data_dir);
  ExpectFaultAnswered503ThenRecovered(
      *p,
      [&] {
        ClusterSql(p->data_dir, "ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
        EndConnections(p->data_dir);
      },
      [&] { ClusterSql(p->data_dir, "ALTER DATABASE " + database + " ALLOW_CONNECTIONS true"); },
      "");
}

}  // namespace
}  // namespace medvault::testing
