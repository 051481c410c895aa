// `medvault drill` small, as CI runs it: the JSON result is complete, the honest figures
// are there, the audit log holds one verified entry per request, and the same seed gives
// the same figures in process and over HTTPS; the DRILL.md targets hold (all but strategy
// 6's, which needs weeks of platform history).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "practice_fixture.h"

namespace medvault::testing {
namespace {

rapidjson::Document RunDrill(const TempDir& dir, const std::string& transport,
                             const std::vector<std::string>& extra = {}, const char* days = "2") {
  const std::string json = dir.path() + "/" + transport + std::to_string(extra.size()) + ".json";
  // Two practices: enough physicians for a victim of each strategy (two for strategy 6)
  // and honest ones besides.
  std::vector<std::string> args = {"drill",   "--patients", "1500",   "--practices", "2",
                                   "--days",  days,         "--seed", "3",           "--transport",
                                   transport, "--json",     json};
  args.insert(args.end(), extra.begin(), extra.end());
  CommandResult run = RunMedvault(args);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  std::cout << run.out;
  std::ifstream in(json);
  std::stringstream text;
  text << in.rdbuf();
  return Json(text.str());
}

TEST(DrillTest, SmallDrillIsCompleteAuditedAndDeterministic) {
  TempDir dir;
  rapidjson::Document first = RunDrill(dir, "in-process");
  ASSERT_TRUE(first.IsObject());
  for (const char* key :
       {"strategies", "honest", "requests", "requests_per_second", "audit", "targets"})
    ASSERT_TRUE(first.HasMember(key)) << key;

  // Audit: one entry per request sent, and the log verifies.
  EXPECT_GT(first["requests"].GetInt64(), 0);
  EXPECT_EQ(first["audit"]["entries"].GetInt64(), first["requests"].GetInt64());
  EXPECT_TRUE(first["audit"]["complete"].GetBool());
  EXPECT_TRUE(first["audit"]["verified"].GetBool()) << first["audit"]["summary"].GetString();

  // Honest work happened and was counted.
  const auto& honest = first["honest"];
  EXPECT_GT(honest["clinician_days"].GetInt64(), 0);
  EXPECT_GT(honest["consultations"].GetInt64(), 0);
  EXPECT_GT(honest["files_opened"].GetInt64(), 0);
  EXPECT_GT(honest["nurse_visits"].GetInt64(), 0);
  // Honest exceptions come at realistic rates (about one per 100-300 clinician-days each),
  // so a two-day run may well have none: counted, not required.
  for (const char* key :
       {"exceptions", "catch_ups", "locum_covers", "on_call_nights", "break_glass",
        "step_up_prompts", "break_glass_step_up_prompts", "refusals", "suspensions",
        "step_up_prompts_per_1000_days", "suspensions_per_1000_days"})
    EXPECT_TRUE(honest.HasMember(key)) << key;
  // Alerts on honest accounts, by kind: they add up to the count.
  ASSERT_TRUE(honest["alert_kinds"].IsObject());
  int64_t by_kind = 0;
  for (const auto& kind : honest["alert_kinds"].GetObject()) by_kind += kind.value.GetInt64();
  EXPECT_EQ(by_kind, honest["alerts"].GetInt64());

  // Every strategy is listed, and each ran on this population.
  int run = 0;
  for (const auto& s : first["strategies"].GetArray()) {
    ASSERT_TRUE(s.HasMember("run"));
    if (!s["run"].GetBool()) {
      EXPECT_TRUE(s.HasMember("not_run"));
      continue;
    }
    ++run;
    for (const char* key :
         {"victim", "accounts", "accounts_contained", "patients_before_containment",
          "patients_total", "ms_to_first_alert", "ms_to_containment", "alert_kinds", "per_account"})
      EXPECT_TRUE(s.HasMember(key)) << key;
    EXPECT_EQ(s["per_account"].Size(), s["accounts"].GetUint64());
    const int64_t before = s["patients_before_containment"].GetInt64();
    const int64_t total = s["patients_total"].GetInt64();
    EXPECT_LE(before, total);
    // Printed, not enforced: patients that still reached the attacker after the first
    // refusal (a victim who keeps working steps up, and the malware riding the session
    // carries on).
    std::cout << "strategy " << s["strategy"].GetInt() << ": " << before
              << " patients before containment, " << (total - before) << " after\n";
  }
  EXPECT_EQ(run, 7);
  EXPECT_EQ(first["strategies"].Size(), 7u);
  // The DRILL.md targets, enforced: a change that lets an attack take more, or bothers
  // honest clinicians more, fails here.
  for (const auto& t : first["targets"].GetArray()) {
    std::cout << "target " << t["figure"].GetString() << " " << t["target"].GetString() << ": "
              << t["value"].GetDouble() << (t["pass"].GetBool() ? " pass" : " MISSED") << "\n";
    EXPECT_TRUE(t["pass"].GetBool()) << t["figure"].GetString();
  }

  // Same seed, same figures (wall-clock speed aside), whether the requests are handed to
  // the pipeline or sent through TLS and the HTTP server.
  rapidjson::Document second = RunDrill(dir, "https");
  ASSERT_TRUE(second.IsObject());
  EXPECT_EQ(second["requests"].GetInt64(), first["requests"].GetInt64());
  for (const char* key :
       {"clinician_days", "consultations", "nurse_visits", "files_opened", "list_checks",
        "exceptions", "step_up_prompts", "refusals", "suspensions", "relogins"})
    EXPECT_EQ(second["honest"][key].GetInt64(), first["honest"][key].GetInt64()) << key;
  const auto& a = first["strategies"];
  const auto& b = second["strategies"];
  ASSERT_EQ(a.Size(), b.Size());
  for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
    if (!a[i]["run"].GetBool()) continue;
    for (const char* key : {"patients_before_containment", "patients_total", "requests"})
      EXPECT_EQ(a[i][key].GetInt64(), b[i][key].GetInt64())
          << "strategy " << a[i]["strategy"].GetInt() << " " << key;
  }

  // A risk-scorer feature switched off (what bench/drill_ablation.sh measures) takes
  // effect: without `break-glass`, the glass-breaking attacker of strategy 5 is contained
  // later (day 1 is the same in a 1-day run: its containment falls on day 1).
  const auto& with = a[4];
  ASSERT_EQ(with["strategy"].GetInt(), 5);
  ASSERT_TRUE(with["ms_to_containment"].IsInt64()) << "strategy 5 was contained on day 1";
  rapidjson::Document without = RunDrill(dir, "in-process", {"--features-off", "break-glass"}, "1");
  ASSERT_TRUE(without.IsObject());
  ASSERT_EQ(without["features_off"].Size(), 1u);
  EXPECT_STREQ(without["features_off"][0].GetString(), "break-glass");
  const auto& s5 = without["strategies"][4];
  EXPECT_TRUE(s5["ms_to_containment"].IsNull() ||
              s5["ms_to_containment"].GetInt64() > with["ms_to_containment"].GetInt64())
      << "switching break-glass off changed nothing";
}

}  // namespace
}  // namespace medvault::testing
