// The security officer's live alerts and the SIEM export, through the real server over
// TLS: GET /security/events delivers a break-the-glass alert within seconds as an event
// whose data is the alert as GET /security/alerts lists it; Last-Event-ID and ?since
// replay; nobody else may open it; opening it is audited; the export file gets the
// alert as one line without its detail; other requests are served while streams are
// open, and one stream too many is a 503; a stream ends with its session, and SIGTERM
// stops a server with streams open.
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "practice_fixture.h"

namespace medvault::testing {
namespace {

using namespace std::chrono_literals;

// One event of a text/event-stream body; comments are left out.
struct Event {
  std::string id, type, data;
};

std::vector<Event> Events(const std::string& body) {
  std::vector<Event> events;
  size_t at = 0;
  for (size_t end; (end = body.find("\n\n", at)) != std::string::npos; at = end + 2) {
    Event e;
    std::string block = body.substr(at, end - at);
    size_t line_at = 0;
    while (line_at <= block.size()) {
      size_t line_end = block.find('\n', line_at);
      if (line_end == std::string::npos) line_end = block.size();
      std::string line = block.substr(line_at, line_end - line_at);
      if (line.starts_with("id: ")) e.id = line.substr(4);
      if (line.starts_with("event: ")) e.type = line.substr(7);
      if (line.starts_with("data: ")) e.data = line.substr(6);
      line_at = line_end + 1;
    }
    if (!e.type.empty() || !e.data.empty()) events.push_back(e);
  }
  return events;
}

std::vector<std::string> FileLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Opens the event stream, retrying while the places of streams that earlier tests
// closed are still being given back (the feeder notices within half a second).
std::unique_ptr<EventStream> OpenStream(const HttpsClient& officer, const std::string& path,
                                        const std::vector<std::string>& headers = {}) {
  for (int attempt = 0;; ++attempt) {
    auto stream = std::make_unique<EventStream>(officer, path, headers);
    long status = stream->WaitForStatus();
    if (status != 503 || attempt == 10) {
      EXPECT_EQ(status, 200) << path << ": " << stream->body();
      return stream;
    }
    std::this_thread::sleep_for(300ms);
  }
}

class AlertEventsTest : public ::testing::Test {
 protected:
  static constexpr int kMaxStreams = 4;

  static void SetUpTestSuite() {
    // Risk scoring off: the suite counts the alerts it raises itself (the scorer would add
    // its own, a moment later, after repeated break-the-glass).
    practice_ = StartPractice({{"export_file = \"\"", "export_file = \"alerts.jsonl\""},
                               {"max_streams = 16", "max_streams = 4"},
                               {"risk_scoring = true", "risk_scoring = false"}})
                    .release();
    const std::string& a = practice_->organization_id;
    for (const char* name : {"events-live", "events-replay", "events-export"})
      practice_->AddAccount(name, "physician", a);
  }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;

  HttpsClient& officer() { return practice_->as("security_officer"); }

  // `physician` breaks the glass on a new patient of B; returns the patient's id.
  std::string BreakGlass(const std::string& physician, const std::string& family) {
    std::string patient = practice_->PatientOfB(family);
    auto granted = practice_->BreakGlass(physician, patient);
    EXPECT_EQ(granted.status, 201) << granted.body;
    return patient;
  }

  // The newest alert of `kind` about `patient`, as GET /security/alerts lists it, in
  // its JSON text; "" when there is none.
  std::string ListedAlert(const std::string& kind, const std::string& patient) {
    auto r = officer().Get("/security/alerts?_count=100");
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = Json(r.body);
    if (!doc.IsObject() || !doc.HasMember("alerts")) return "";
    for (const auto& a : doc["alerts"].GetArray()) {
      if (Str(a, "kind") != kind || Str(a, "patient") != patient) continue;
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      a.Accept(writer);
      return buffer.GetString();
    }
    return "";
  }
};
Practice* AlertEventsTest::practice_ = nullptr;

TEST_F(AlertEventsTest, TheOfficerSeesABreakGlassAlertWithinSeconds) {
  auto stream = OpenStream(officer(), "/security/events");
  EXPECT_EQ(stream->Header("content-type"), "text/event-stream");
  EXPECT_EQ(stream->Header("cache-control"), "no-store");
  EXPECT_FALSE(stream->Header("x-request-id").empty());

  std::string patient = BreakGlass("events-live", "Direct");
  ASSERT_TRUE(stream->WaitFor("\n\n", 3s)) << "no event within 3 s: " << stream->body();
  std::vector<Event> events = Events(stream->body());
  ASSERT_EQ(events.size(), 1u) << stream->body();
  const Event& e = events[0];
  EXPECT_EQ(e.type, "alert");
  auto data = Json(e.data);
  EXPECT_EQ(Str(data, "id"), e.id);
  EXPECT_EQ(Str(data, "kind"), "break-glass");
  EXPECT_EQ(Str(data, "severity"), "medium");
  EXPECT_EQ(Str(data, "username"), "events-live");
  EXPECT_EQ(Str(data, "patient"), patient);
  EXPECT_EQ(Str(data, "state"), "open");
  EXPECT_FALSE(Str(data, "account").empty());
  EXPECT_FALSE(Str(data, "created_at").empty());
  EXPECT_NE(Str(data, "detail").find(kBreakGlassText), std::string::npos) << e.data;
  // The same fields, in the same order, as the listing.
  EXPECT_EQ(e.data, ListedAlert("break-glass", patient));
}

TEST_F(AlertEventsTest, LastEventIdAndSinceReplayTheLaterAlertsFirst) {
  std::string first_patient = BreakGlass("events-replay", "Rejeu");
  std::string second_patient = BreakGlass("events-replay", "Rejoue");
  int64_t first = std::stoll(Str(Json(ListedAlert("break-glass", first_patient)), "id"));
  int64_t second = std::stoll(Str(Json(ListedAlert("break-glass", second_patient)), "id"));
  ASSERT_LT(first, second);
  std::string after_second = "id: " + std::to_string(second) + "\n";

  // A reconnecting EventSource sends Last-Event-ID; it wins over the URL's since.
  auto resumed = OpenStream(officer(), "/security/events?since=" + std::to_string(second),
                            {"Last-Event-ID: " + std::to_string(first - 1)});
  ASSERT_TRUE(resumed->WaitFor(after_second, 3s)) << resumed->body();
  std::vector<Event> events = Events(resumed->body());
  ASSERT_GE(events.size(), 2u) << resumed->body();
  EXPECT_EQ(events[0].id, std::to_string(first));
  EXPECT_EQ(events[1].id, std::to_string(second));

  auto since = OpenStream(officer(), "/security/events?since=" + std::to_string(first));
  ASSERT_TRUE(since->WaitFor(after_second, 3s)) << since->body();
  events = Events(since->body());
  ASSERT_EQ(events.size(), 1u) << since->body();
  EXPECT_EQ(events[0].id, std::to_string(second));

  // Without either, only what is raised from now on.
  auto fresh = OpenStream(officer(), "/security/events");
  std::this_thread::sleep_for(1500ms);
  EXPECT_TRUE(Events(fresh->body()).empty()) << fresh->body();
}

TEST_F(AlertEventsTest, OnlyTheSecurityOfficerMayOpenItAndOpeningIsAudited) {
  for (const char* who : {"physician", "admin", "secretary"}) {
    auto r = practice_->as(who).Get("/security/events");
    EXPECT_EQ(r.status, 403) << who << ": " << r.body;
    EXPECT_NE(r.Header("content-type").find("json"), std::string::npos) << who;
  }
  EXPECT_EQ(practice_->NewClient()->Get("/security/events").status, 401);
  EXPECT_EQ(officer().Request("POST", "/security/events", "{}").status, 405);
  EXPECT_EQ(officer().Get("/security/events?since=-1").status, 400);
  EXPECT_EQ(officer().Get("/security/events?since=12abc").status, 400);
  EXPECT_EQ(officer().Get("/security/events?from=3").status, 400);
  EXPECT_EQ(officer().Get("/security/events", {"Last-Event-ID: x"}).status, 400);

  auto stream = OpenStream(officer(), "/security/events");
  std::string request_id = stream->Header("x-request-id");
  ASSERT_FALSE(request_id.empty());
  // The entry is committed before the stream's head is sent.
  auto trail = officer().Get("/fhir/AuditEvent?agent-name=security_officer&_count=50");
  ASSERT_EQ(trail.status, 200) << trail.body;
  EXPECT_NE(trail.body.find(request_id), std::string::npos) << "no audit entry for the stream";
}

TEST_F(AlertEventsTest, TheExportFileGetsEachAlertAsOneLineWithoutItsDetail) {
  std::string path = practice_->data_dir + "/alerts.jsonl";
  std::string patient = BreakGlass("events-export", "Exporte");
  int64_t id = std::stoll(Str(Json(ListedAlert("break-glass", patient)), "id"));
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + 3s;
  while (line.empty() && std::chrono::steady_clock::now() < deadline) {
    for (const std::string& l : FileLines(path))
      if (Str(Json(l), "id") == std::to_string(id)) line = l;
    if (line.empty()) std::this_thread::sleep_for(100ms);
  }
  ASSERT_FALSE(line.empty()) << "alert " << id << " not exported to " << path;
  auto doc = Json(line);
  EXPECT_EQ(Str(doc, "kind"), "break-glass");
  EXPECT_EQ(Str(doc, "username"), "events-export");
  EXPECT_EQ(Str(doc, "patient"), patient);
  EXPECT_FALSE(doc.HasMember("detail")) << line;
  EXPECT_EQ(line.find(kBreakGlassText), std::string::npos) << line;
  // Every alert so far, once each, in order.
  std::vector<std::string> lines = FileLines(path);
  for (size_t i = 1; i < lines.size(); ++i)
    EXPECT_LT(std::stoll(Str(Json(lines[i - 1]), "id")), std::stoll(Str(Json(lines[i]), "id")));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AlertEventsTest, OtherRequestsAreServedWhileStreamsAreOpenAndOneMoreIs503) {
  std::vector<std::unique_ptr<EventStream>> streams;
  for (int i = 0; i < kMaxStreams; ++i)
    streams.push_back(OpenStream(officer(), "/security/events"));
  auto start = std::chrono::steady_clock::now();
  auto me = practice_->as("physician").Get("/auth/me");
  EXPECT_EQ(me.status, 200) << me.body;
  auto grants = practice_->as("physician").Get("/access/grants");
  EXPECT_EQ(grants.status, 200) << grants.body;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);

  auto refused = officer().Get("/security/events");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.Header("retry-after"), "30");
  EXPECT_NE(refused.body.find("too many alert streams"), std::string::npos) << refused.body;

  // A stream that closes gives its place back.
  streams.back()->Close();
  streams.pop_back();
  auto again = OpenStream(officer(), "/security/events");
  EXPECT_EQ(again->WaitForStatus(), 200);
  for (auto& s : streams) s->Hangup();
}

TEST_F(AlertEventsTest, AQuietStreamGetsAKeepAliveEvery15Seconds) {
  auto stream = OpenStream(officer(), "/security/events");
  EXPECT_TRUE(stream->WaitFor(": keep-alive\n\n", 17s)) << stream->body();
  EXPECT_FALSE(stream->WaitForEnd(0ms));
}

// The console is a browser page: an EventSource sends the session cookie and cannot set
// headers. A GET needs no CSRF token, so the cookie alone opens the stream; the same
// cookie without the token changes nothing.
TEST_F(AlertEventsTest, ABrowserOpensTheStreamWithItsSessionCookieAlone) {
  auto login = practice_->NewClient();
  auto [first, second] =
      practice_->Login(*login, "security_officer", practice_->passwords.at("security_officer"));
  ASSERT_EQ(second.status, 200) << second.body;
  std::string cookie = second.Header("set-cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  auto browser = practice_->NewClient();  // no bearer
  auto stream = OpenStream(*browser, "/security/events", {"Cookie: " + cookie});
  EXPECT_EQ(stream->Header("content-type"), "text/event-stream");
  std::string patient = BreakGlass("events-live", "Navigateur");
  ASSERT_TRUE(stream->WaitFor("\n\n", 3s)) << "no event within 3 s: " << stream->body();
  std::vector<Event> events = Events(stream->body());
  ASSERT_EQ(events.size(), 1u) << stream->body();
  EXPECT_EQ(Str(Json(events[0].data), "patient"), patient);
  EXPECT_NE(Str(Json(events[0].data), "detail").find(kBreakGlassText), std::string::npos);

  auto unsigned_post = browser->Request("POST", "/security/alerts/" + events[0].id + "/resolve",
                                        R"({"note":"seen in the console"})",
                                        {"Content-Type: application/json", "Cookie: " + cookie});
  EXPECT_EQ(unsigned_post.status, 403) << unsigned_post.body;
  EXPECT_NE(unsigned_post.body.find("CSRF"), std::string::npos) << unsigned_post.body;
  EXPECT_NE(ListedAlert("break-glass", patient).find(R"("state":"open")"), std::string::npos);
}

TEST_F(AlertEventsTest, AStreamEndsWithItsSession) {
  auto session = practice_->LoginAs("security_officer");
  auto stream = OpenStream(*session, "/security/events");
  auto out = session->Request("POST", "/auth/logout");
  ASSERT_EQ(out.status, 204) << out.body;
  EXPECT_TRUE(stream->WaitForEnd(5s)) << "the stream outlived its session";
}

TEST(AlertEventsShutdown, SigtermStopsTheServerPromptlyWithAStreamOpen) {
  auto practice = StartPractice();
  auto stream = OpenStream(practice->as("security_officer"), "/security/events");
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(practice->server->Stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_TRUE(stream->WaitForEnd(3s));
}

}  // namespace
}  // namespace medvault::testing
