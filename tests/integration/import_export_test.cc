// `medvault import` and `medvault export` through the real binary: NDJSON and Bundles
// import with their ids and references; export then import into a fresh data directory
// and export again gives the same resources; a malformed line rejects exactly its batch
// and names its line; every batch is in the audit log, which still verifies.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "medvault_process.h"
#include "practice_fixture.h"

namespace medvault::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// Export files minus the import time, which is the one thing allowed to differ.
std::string WithoutLastUpdated(std::string text) {
  const std::string key = "\"lastUpdated\":\"";
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at))
    text.erase(at, text.find('"', at + key.size()) + 1 - at);
  return text;
}

const char* kOrganization =
    R"({"resourceType":"Organization","id":"org-1","name":"Cabinet des Tilleuls"})";
const char* kPractitioner =
    R"({"resourceType":"Practitioner","id":"prac-1","name":[{"family":"Girard","given":["Élise"]}]})";

std::string Patient(const std::string& id, const std::string& family, bool confidential = false) {
  std::string meta =
      confidential
          ? R"("meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]},)"
          : "";
  return R"({"resourceType":"Patient","id":")" + id + R"(",)" + meta + R"("name":[{"family":")" +
         family +
         R"(","given":["Zoé"]}],"gender":"female","birthDate":"1975-04-02","managingOrganization":{"reference":"Organization/org-1"}})";
}

std::string Observation(const std::string& id, const std::string& patient) {
  return R"({"resourceType":"Observation","id":")" + id +
         R"(","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/)" +
         patient +
         R"("},"valueQuantity":{"value":64,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}})";
}

class ImportExport : public ::testing::Test {
 protected:
  std::string NewDataDir(const std::string& name) {
    std::string dir = tmp_.path() + "/" + name;
    CommandResult r = RunMedvault(InitArgs(dir));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir;
  }
  CommandResult Import(const std::string& dir, std::vector<std::string> files,
                       const std::string& batch = "1000") {
    std::vector<std::string> args = {"import", "--data", dir, "--batch", batch};
    args.insert(args.end(), files.begin(), files.end());
    return RunMedvault(args);
  }
  TempDir tmp_;
};

TEST_F(ImportExport, ExportThenImportGivesTheSameResourcesBack) {
  std::string a = NewDataDir("a");
  std::string file = tmp_.path() + "/practice.ndjson";
  WriteFile(file, std::string(kOrganization) + "\n" + kPractitioner + "\n" +
                      Patient("pat-1", "Lefèvre") + "\n\n" +
                      Patient("pat-2", "Martin-Dubois", true) + "\n" +
                      Observation("obs-1", "pat-1") + "\n" + Observation("obs-2", "pat-2") + "\n");
  int64_t before = AuditEntriesVerified(a);
  CommandResult imported = Import(a, {file}, "2");
  ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  EXPECT_NE(imported.out.find("imported 6 resources, rejected 0"), std::string::npos)
      << imported.out;
  EXPECT_EQ(AuditEntriesVerified(a) - before, 3);  // one entry per batch of two

  std::string out1 = tmp_.path() + "/out1";
  CommandResult exported = RunMedvault({"export", "--data", a, "--out", out1});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(ReadFile(out1 + "/Patient.ndjson").find("Martin-Dubois"), std::string::npos);
  EXPECT_EQ(std::filesystem::status(out1 + "/Patient.ndjson").permissions() &
                std::filesystem::perms::others_read,
            std::filesystem::perms::none);

  // Files named in any order: the directory and patients go first.
  std::string b = NewDataDir("b");
  CommandResult again = Import(b, {out1 + "/Observation.ndjson", out1 + "/Patient.ndjson",
                                   out1 + "/Practitioner.ndjson", out1 + "/Organization.ndjson"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  std::string out2 = tmp_.path() + "/out2";
  ASSERT_EQ(RunMedvault({"export", "--data", b, "--out", out2}).exit_code, 0);
  for (const char* type : {"Organization", "Practitioner", "Patient", "Observation"}) {
    std::string first = ReadFile(out1 + "/" + type + ".ndjson");
    EXPECT_FALSE(first.empty()) << type;
    EXPECT_EQ(WithoutLastUpdated(first),
              WithoutLastUpdated(ReadFile(out2 + "/" + type + ".ndjson")))
        << type;
  }
  // Export never overwrites.
  EXPECT_EQ(RunMedvault({"export", "--data", b, "--out", out2}).exit_code, 1);
}

TEST_F(ImportExport, AMalformedLineRejectsItsBatchOnlyAndNamesTheLine) {
  std::string dir = NewDataDir("d");
  std::string file = tmp_.path() + "/broken.ndjson";
  WriteFile(file, std::string(kOrganization) + "\n" + Patient("p1", "Aubert") + "\n" +
                      R"({"resourceType":"Patient","id":"p2","birthDate":"1980-13-45"})" + "\n" +
                      Patient("p3", "Blanc") + "\n" + Patient("p4", "Caron") + "\n" +
                      "{not json\n" + Patient("p6", "Dumas") + "\n");
  CommandResult r = Import(dir, {file}, "2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("broken.ndjson:3: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("birthDate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("broken.ndjson:6: "), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("imported 3 resources, rejected 4 in 2 batches"), std::string::npos)
      << r.out;
  std::string out = tmp_.path() + "/out";
  ASSERT_EQ(RunMedvault({"export", "--data", dir, "--out", out}).exit_code, 0);
  std::string patients = ReadFile(out + "/Patient.ndjson");
  for (const char* kept : {"\"p1\"", "\"p6\""}) EXPECT_NE(patients.find(kept), std::string::npos);
  for (const char* gone : {"\"p2\"", "\"p3\"", "\"p4\""})
    EXPECT_EQ(patients.find(gone), std::string::npos) << gone << " was in a rejected batch";
}

TEST_F(ImportExport, BundlesResolveUrnUuidReferencesAndTransactionsAreAtomic) {
  std::string dir = NewDataDir("bundle");
  const std::string uuid = "6f0c1b2a-3d4e-4f50-8a61-72b3c4d5e6f7";
  auto bundle = [&](const std::string& type, const std::string& observation_status) {
    return R"({"resourceType":"Bundle","type":")" + type + R"(","entry":[
      {"fullUrl":"urn:uuid:)" +
           uuid + R"(","resource":{"resourceType":"Patient","name":[{"family":"Roux"}]},
       "request":{"method":"POST","url":"Patient"}},
      {"resource":{"resourceType":"Observation","status":")" +
           observation_status + R"(","code":{"text":"pouls"},"subject":{"reference":"urn:uuid:)" +
           uuid + R"("}},
       "request":{"method":"POST","url":"Observation"}}]})";
  };
  std::string bad = tmp_.path() + "/bad.json";
  WriteFile(bad, bundle("transaction", "not-a-status"));
  CommandResult refused = Import(dir, {bad});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("bad.json: entry 2"), std::string::npos) << refused.err;

  std::string good = tmp_.path() + "/good.json";
  WriteFile(good, bundle("transaction", "final"));
  CommandResult r = Import(dir, {good});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string out = tmp_.path() + "/out";
  ASSERT_EQ(RunMedvault({"export", "--data", dir, "--out", out}).exit_code, 0);
  EXPECT_NE(ReadFile(out + "/Patient.ndjson").find("\"id\":\"" + uuid + "\""), std::string::npos);
  EXPECT_NE(ReadFile(out + "/Observation.ndjson").find("\"reference\":\"Patient/" + uuid + "\""),
            std::string::npos);

  std::string search = tmp_.path() + "/search.json";
  WriteFile(search, R"({"resourceType":"Bundle","type":"searchset"})");
  EXPECT_EQ(Import(dir, {search}).exit_code, 1);
  EXPECT_EQ(Import(dir, {tmp_.path() + "/missing.ndjson"}).exit_code, 1);
}

}  // namespace
}  // namespace medvault::testing
