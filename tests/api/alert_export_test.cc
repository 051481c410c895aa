// The SIEM feed against a real SQLite store: one JSON line per alert in a 0600 file
// that is its own bookmark across restarts (torn lines included), syslog messages in
// RFC 5424's shape with the severity mapped, and never an alert's free-text detail.
// Also the text of one Server-Sent Event.
#include "api/alert_export.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <syslog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "api/alert_stream.h"

namespace medvault::api {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kReason = "unconscious patient Mr Durand, no record";

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

AlertExportOptions ToFile(const std::string& path,
                          std::chrono::milliseconds interval = std::chrono::milliseconds(500)) {
  AlertExportOptions options;
  options.file = path;
  options.interval = interval;
  return options;
}

int64_t IdOf(const std::string& line) {
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  return !doc.HasParseError() && doc.IsObject() && doc.HasMember("id") && doc["id"].IsInt64()
             ? doc["id"].GetInt64()
             : -1;
}

class AlertExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-export-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    file_ = dir_ + "/alerts.jsonl";
    store_ = std::move(*store::OpenSqliteStore(dir_ + "/db", true));
    store::AccountRow account;
    account.id = "acc-1";
    account.username = "dr-martin";
    account.role = "physician";
    ASSERT_TRUE(store_->Write([&](store::Transaction& t) { return t.InsertAccount(account); }));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A new alert; its detail is the reason in clear (the exporter never opens it).
  int64_t Raise(const std::string& severity, const std::string& kind = "break-glass") {
    store::AlertRow row;
    row.created_at_ms = 1'795'910'400'000;
    row.account_id = "acc-1";
    row.severity = severity;
    row.kind = kind;
    row.patient_id = "pat-7";
    row.detail.assign(kReason.begin(), kReason.end());
    int64_t id = 0;
    EXPECT_TRUE(store_->Write([&](store::Transaction& t) -> Status {
      ASSIGN_OR_RETURN(id, t.InsertAlert(row));
      return Ok();
    }));
    return id;
  }

  std::unique_ptr<AlertExporter> OpenFile() {
    auto exporter = AlertExporter::Open(*store_, ToFile(file_));
    EXPECT_TRUE(exporter.has_value()) << exporter.error().message;
    return exporter ? std::move(*exporter) : nullptr;
  }

  std::string dir_;
  std::string file_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(AlertExportTest, AppendsOneLinePerAlertWithoutTheDetailToAPrivateFile) {
  int64_t first = Raise("medium");
  int64_t second = Raise("high", "confidential-access");
  auto exporter = OpenFile();
  ASSERT_TRUE(exporter);
  ASSERT_TRUE(exporter->ExportNow());
  EXPECT_EQ(exporter->last_exported(), second);

  std::vector<std::string> lines = Lines(file_);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(IdOf(lines[0]), first);
  EXPECT_EQ(IdOf(lines[1]), second);
  rapidjson::Document doc;
  doc.Parse(lines[1].c_str());
  ASSERT_TRUE(doc.IsObject()) << lines[1];
  EXPECT_STREQ(doc["kind"].GetString(), "confidential-access");
  EXPECT_STREQ(doc["severity"].GetString(), "high");
  EXPECT_STREQ(doc["account"].GetString(), "acc-1");
  EXPECT_STREQ(doc["username"].GetString(), "dr-martin");
  EXPECT_STREQ(doc["patient"].GetString(), "pat-7");
  EXPECT_STREQ(doc["state"].GetString(), "open");
  EXPECT_STREQ(doc["created_at"].GetString(), "2026-11-29T00:00:00.000Z");
  EXPECT_FALSE(doc.HasMember("detail")) << lines[1];
  for (const std::string& line : lines) EXPECT_EQ(line.find("Durand"), std::string::npos);

  struct stat st {};
  ASSERT_EQ(::stat(file_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Nothing new: nothing written.
  ASSERT_TRUE(exporter->ExportNow());
  EXPECT_EQ(Lines(file_).size(), 2u);
}

TEST_F(AlertExportTest, ARestartResumesAfterTheLastLineWithoutLossOrRepeat) {
  Raise("low");
  int64_t second = Raise("medium");
  auto exporter = OpenFile();
  ASSERT_TRUE(exporter && exporter->ExportNow());
  exporter.reset();
  int64_t third = Raise("high");  // raised while the exporter was down

  exporter = OpenFile();
  ASSERT_TRUE(exporter);
  EXPECT_EQ(exporter->last_exported(), second);
  ASSERT_TRUE(exporter->ExportNow());
  std::vector<std::string> lines = Lines(file_);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(IdOf(lines[2]), third);
}

TEST_F(AlertExportTest, ATornLastLineIsEndedAndItsAlertWrittenAgain) {
  int64_t first = Raise("low");
  int64_t second = Raise("medium");
  auto exporter = OpenFile();
  ASSERT_TRUE(exporter && exporter->ExportNow());
  exporter.reset();
  // A crash in the middle of writing the second line.
  std::vector<std::string> lines = Lines(file_);
  ASSERT_EQ(lines.size(), 2u);
  std::ofstream(file_, std::ios::trunc) << lines[0] << "\n" << lines[1].substr(0, 12);

  exporter = OpenFile();
  ASSERT_TRUE(exporter);
  EXPECT_EQ(exporter->last_exported(), first);
  ASSERT_TRUE(exporter->ExportNow());
  lines = Lines(file_);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(IdOf(lines[0]), first);
  EXPECT_EQ(IdOf(lines[1]), -1);  // the torn part, left as it was
  EXPECT_EQ(IdOf(lines[2]), second);
  exporter.reset();
  exporter = OpenFile();
  ASSERT_TRUE(exporter);
  EXPECT_EQ(exporter->last_exported(), second);
}

TEST_F(AlertExportTest, AFileThatIsNotAnExportIsRefused) {
  std::ofstream(file_) << "someone else's log line\n";
  auto refused = AlertExporter::Open(*store_, ToFile(file_));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
  EXPECT_NE(refused.error().message.find("alerts.jsonl"), std::string::npos);
  EXPECT_EQ(Lines(file_).size(), 1u);  // and left alone
}

TEST_F(AlertExportTest, SyslogGetsTheAlertsRaisedFromStartUpWithTheirSeverity) {
  Raise("high");  // before start-up: not sent (syslog keeps no bookmark)
  struct Message {
    int priority;
    std::string text;
  };
  std::vector<Message> sent;
  AlertExportOptions options;
  options.syslog = true;
  auto exporter = AlertExporter::Open(*store_, options, [&](int priority, const std::string& text) {
    sent.push_back({priority, text});
  });
  ASSERT_TRUE(exporter.has_value()) << exporter.error().message;
  int64_t high = Raise("high", "confidential-access");
  Raise("medium");
  Raise("low", "clinician-account-created");
  ASSERT_TRUE((*exporter)->ExportNow());
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].priority, LOG_AUTH | LOG_CRIT);
  EXPECT_EQ(sent[1].priority, LOG_AUTH | LOG_WARNING);
  EXPECT_EQ(sent[2].priority, LOG_AUTH | LOG_NOTICE);
  std::string id = std::to_string(high);
  EXPECT_EQ(sent[0].text, "confidential-access [medvault@32473 id=\"" + id +
                              "\" kind=\"confidential-access\" severity=\"high\" "
                              "account=\"acc-1\" username=\"dr-martin\" patient=\"pat-7\"] "
                              "security alert " +
                              id + ": confidential-access");
  for (const Message& m : sent) EXPECT_EQ(m.text.find("Durand"), std::string::npos) << m.text;
}

TEST_F(AlertExportTest, TheThreadExportsAsAlertsArriveAndStopExportsTheRest) {
  auto exporter = AlertExporter::Open(*store_, ToFile(file_, 20ms));
  ASSERT_TRUE(exporter.has_value());
  (*exporter)->Start();
  int64_t first = Raise("low");
  auto deadline = std::chrono::steady_clock::now() + 3s;
  while (Lines(file_).empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(Lines(file_).size(), 1u);
  EXPECT_EQ(IdOf(Lines(file_)[0]), first);
  int64_t second = Raise("low");
  (*exporter)->Stop();  // its last pass takes what the thread had no time for
  ASSERT_EQ(Lines(file_).size(), 2u);
  EXPECT_EQ(IdOf(Lines(file_)[1]), second);
  EXPECT_EQ((*exporter)->last_exported(), second);
}

TEST(SyslogMessage, KeepsToRfc5424Limits) {
  ShownAlert alert;
  alert.row.id = 9;
  alert.row.kind = "care-started-outside-organization";  // 33 characters
  alert.row.severity = "low";
  alert.row.account_id = "acc-2";
  alert.username = "odd\"name]\\x\n";
  alert.detail = "never sent";
  std::string m = SyslogMessage(alert);
  // MSGID is at most 32 printable characters; the full kind is in the structured data.
  EXPECT_TRUE(
      m.starts_with("care-started-outside-organizatio [medvault@32473 id=\"9\" "
                    "kind=\"care-started-outside-organization\" "))
      << m;
  EXPECT_NE(m.find("username=\"odd\\\"name\\]\\\\x?\"]"), std::string::npos) << m;
  EXPECT_EQ(m.find("patient="), std::string::npos) << m;  // no patient concerned
  EXPECT_EQ(m.find("never sent"), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  EXPECT_EQ(SyslogSeverity("high"), LOG_CRIT);
  EXPECT_EQ(SyslogSeverity("medium"), LOG_WARNING);
  EXPECT_EQ(SyslogSeverity("low"), LOG_NOTICE);
}

TEST(AlertStreams, AnEventIsItsIdItsTypeAndOneLineOfJson) {
  ShownAlert alert;
  alert.row.id = 42;
  alert.row.created_at_ms = 1'795'910'400'000;
  alert.row.account_id = "acc-1";
  alert.row.severity = "medium";
  alert.row.kind = "break-glass";
  alert.row.patient_id = "pat-7";
  alert.username = "dr-martin";
  alert.detail = "purpose ETREAT:\nsecond line";
  alert.row.audit_seq = 7;
  EXPECT_EQ(AlertStreams::Event(alert),
            "id: 42\nevent: alert\ndata: "
            "{\"id\":42,\"created_at\":\"2026-11-29T00:00:00.000Z\",\"account\":\"acc-1\","
            "\"username\":\"dr-martin\",\"severity\":\"medium\",\"kind\":\"break-glass\","
            "\"patient\":\"pat-7\",\"state\":\"open\",\"detail\":\"purpose ETREAT:\\nsecond "
            "line\",\"audit_event\":\"7\"}\n\n");
}

}  // namespace
}  // namespace medvault::api
