#include "cli/drill_report.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstdio>

namespace medvault::cli {
namespace {

using JsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

double Per1000(int64_t count, int64_t days) {
  return days == 0 ? 0 : 1000.0 * static_cast<double>(count) / static_cast<double>(days);
}

std::string Minutes(int64_t from_ms, int64_t to_ms) {
  if (from_ms < 0 || to_ms < 0) return "never";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f min", static_cast<double>(to_ms - from_ms) / 60000.0);
  return buf;
}

std::string Joined(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& k : items) out += (out.empty() ? "" : ",") + k;
  return out.empty() ? "-" : out;
}

size_t MostTakenByOneAccount(const AttackRecord& a) {
  size_t most = 0;
  for (const AccountTake& t : a.accounts) most = std::max(most, t.taken_before.size());
  return most;
}

// The targets judge the whole haul: a refusal the victim then answers (a step-up) is not
// the end of an attack riding the victim's session.
size_t MostTakenInAllByOneAccount(const AttackRecord& a) {
  size_t most = 0;
  for (const AccountTake& t : a.accounts) most = std::max(most, t.taken_total.size());
  return most;
}

std::string Victims(const AttackRecord& a) {
  return a.accounts.size() == 1 ? a.accounts[0].victim
                                : std::to_string(a.accounts.size()) + " accounts";
}

void MsOrNull(JsonWriter& w, int64_t from, int64_t to) {
  if (from < 0 || to < 0)
    w.Null();
  else
    w.Int64(to - from);
}

void WriteCounts(JsonWriter& w, std::initializer_list<std::pair<const char*, int64_t>> counts) {
  for (auto [key, value] : counts) {
    w.Key(key);
    w.Int64(value);
  }
}

void WriteDoubles(JsonWriter& w, std::initializer_list<std::pair<const char*, double>> values) {
  for (auto [key, value] : values) {
    w.Key(key);
    w.Double(value);
  }
}

void WriteKinds(JsonWriter& w, const std::set<std::string>& kinds) {
  w.Key("alert_kinds");
  w.StartArray();
  for (const std::string& k : kinds) w.String(k.c_str());
  w.EndArray();
}

void WriteAttack(JsonWriter& w, const AttackRecord& a) {
  w.StartObject();
  w.Key("strategy");
  w.Int(a.strategy);
  w.Key("name");
  w.String(a.name.c_str());
  w.Key("run");
  w.Bool(a.run);
  if (!a.run) {
    w.Key("not_run");
    w.String(a.not_run.c_str());
    w.EndObject();
    return;
  }
  w.Key("victim");
  w.String(Victims(a).c_str());
  int64_t victim_step_ups = 0, grants = 0;
  for (const AccountTake& t : a.accounts) {
    victim_step_ups += t.victim_step_ups;
    grants += t.grants;
  }
  WriteCounts(w, {{"accounts", static_cast<int64_t>(a.accounts.size())},
                  {"accounts_contained", a.AccountsContained()},
                  {"requests", a.Requests()},
                  {"refused", a.Refused()},
                  {"patients_before_containment", static_cast<int64_t>(a.TakenBefore().size())},
                  {"patients_total", static_cast<int64_t>(a.TakenTotal().size())},
                  {"most_patients_before_containment_per_account",
                   static_cast<int64_t>(MostTakenByOneAccount(a))},
                  {"victim_step_ups", victim_step_ups},
                  {"break_glass_grants", grants}});
  w.Key("ms_to_first_alert");
  MsOrNull(w, a.StartedMs(), a.FirstAlertMs());
  w.Key("ms_to_containment");
  MsOrNull(w, a.StartedMs(), a.ContainedMs());
  w.Key("contained_by_status");
  w.String(a.accounts.size() == 1 ? a.accounts[0].contained_by.c_str() : "");
  WriteKinds(w, a.AlertKinds());
  w.Key("per_account");
  w.StartArray();
  for (const AccountTake& t : a.accounts) {
    w.StartObject();
    w.Key("victim");
    w.String(t.victim.c_str());
    WriteCounts(w, {{"requests", t.requests},
                    {"refused", t.refused},
                    {"patients_before_containment", static_cast<int64_t>(t.taken_before.size())},
                    {"patients_total", static_cast<int64_t>(t.taken_total.size())}});
    w.Key("ms_to_first_alert");
    MsOrNull(w, t.started_ms, t.first_alert_ms);
    w.Key("ms_to_containment");
    MsOrNull(w, t.started_ms, t.contained_ms);
    WriteKinds(w, t.alert_kinds);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::vector<DrillTarget> DrillTargets(const DrillReport& report) {
  std::vector<DrillTarget> t;
  for (const AttackRecord& a : report.outcome.attacks) {
    if (!a.run) continue;
    const std::string figure = "patients taken in all, strategy " + std::to_string(a.strategy);
    const auto most = static_cast<double>(MostTakenInAllByOneAccount(a));
    switch (a.strategy) {
      case 2: t.push_back({figure, "<= 100 per account", most, 100, a.strategy}); break;
      case 3:
      case 5:
        t.push_back({figure, "<= 100 per account (run; DRILL.md: 30 days)", most, 100, a.strategy});
        break;
      case 6: {
        // 1,000 over 50 accounts: scaled when fewer accounts could be stolen.
        const double limit = 1000.0 * static_cast<double>(a.accounts.size()) / 50.0;
        char text[64];
        std::snprintf(text, sizeof text, "<= %.0f in all (%zu accounts)", limit, a.accounts.size());
        t.push_back({figure, text, static_cast<double>(a.TakenTotal().size()), limit, 6});
        break;
      }
      default: t.push_back({figure, "<= 20 per account", most, 20, a.strategy});
    }
  }
  const HonestRecord& h = report.outcome.honest;
  t.push_back({"honest suspensions per 1,000 clinician-days", "<= 0.1",
               Per1000(h.suspensions, h.clinician_days), 0.1});
  t.push_back({"honest step-up prompts per 1,000 clinician-days", "<= 10",
               Per1000(h.step_up_prompts, h.clinician_days), 10});
  t.push_back({"audit entries missing", "0",
               static_cast<double>(std::max<int64_t>(0, report.requests - report.audit_entries)) +
                   (report.audit_verified ? 0 : 1),
               0});
  return t;
}

void PrintDrillTable(const DrillReport& r) {
  std::printf(
      "\nmedvault drill: %lld patients in %lld practices (%lld physicians, %lld nurses, %lld "
      "secretaries), %d days, seed %llu\n  imported %lld resources (history x%.2f) in %.1f s; "
      "data on %s\n\n",
      static_cast<long long>(r.patients), static_cast<long long>(r.practices),
      static_cast<long long>(r.physicians), static_cast<long long>(r.nurses),
      static_cast<long long>(r.secretaries), r.options.days,
      static_cast<unsigned long long>(r.options.seed), static_cast<long long>(r.resources),
      r.history_scale, r.import_seconds, r.data_location.c_str());
  if (!r.features_off.empty())
    std::printf("  risk-scorer features off: %s\n\n",
                Joined({r.features_off.begin(), r.features_off.end()}).c_str());
  std::printf("  %-3s %-22s %-28s %8s %8s %12s %14s  %s\n", "#", "strategy", "victim", "before",
              "total", "first alert", "containment", "alerts");
  for (const AttackRecord& a : r.outcome.attacks) {
    if (!a.run) {
      std::printf("  %-3d %-22s not run: %s\n", a.strategy, a.name.c_str(), a.not_run.c_str());
      continue;
    }
    std::printf("  %-3d %-22s %-28s %8zu %8zu %12s %14s  %s\n", a.strategy, a.name.c_str(),
                Victims(a).c_str(), a.TakenBefore().size(), a.TakenTotal().size(),
                Minutes(a.StartedMs(), a.FirstAlertMs()).c_str(),
                Minutes(a.StartedMs(), a.ContainedMs()).c_str(), Joined(a.AlertKinds()).c_str());
    if (a.strategy == 5)
      std::printf("      %lld break-the-glass grants\n",
                  static_cast<long long>(a.accounts[0].grants));
    if (a.accounts.size() > 1) {
      std::vector<size_t> each;
      for (const AccountTake& t : a.accounts) each.push_back(t.taken_before.size());
      std::ranges::sort(each);
      std::printf(
          "      per account before containment: min %zu, median %zu, max %zu; %lld of "
          "%zu accounts contained\n",
          each.front(), each[each.size() / 2], each.back(),
          static_cast<long long>(a.AccountsContained()), a.accounts.size());
    }
  }
  const HonestRecord& h = r.outcome.honest;
  std::printf(
      "\n  honest work: %lld clinician-days (%lld physician, %lld nurse; +%lld secretary-days; "
      "%lld on holiday)\n"
      "    %lld consultations, %lld nurse visits, %lld files opened by secretaries, %lld "
      "looks at the practice's list\n"
      "    exceptions %lld: %lld catch-ups after holidays, %lld locum covers (%lld days, %lld "
      "care relationships started), %lld nights on call, %lld break-the-glass\n"
      "    step-up prompts %lld (%.1f per 1,000 clinician-days), for break-the-glass %lld\n"
      "    refusals %lld, 403s %lld, suspensions %lld, session re-logins %lld, alerts %lld\n",
      static_cast<long long>(h.clinician_days), static_cast<long long>(h.physician_days),
      static_cast<long long>(h.nurse_days), static_cast<long long>(h.secretary_days),
      static_cast<long long>(h.holiday_days), static_cast<long long>(h.consultations),
      static_cast<long long>(h.nurse_visits), static_cast<long long>(h.files_opened),
      static_cast<long long>(h.list_checks), static_cast<long long>(h.exceptions),
      static_cast<long long>(h.catch_ups), static_cast<long long>(h.locum_covers),
      static_cast<long long>(h.locum_days), static_cast<long long>(h.care_started),
      static_cast<long long>(h.on_call_nights), static_cast<long long>(h.break_glass),
      static_cast<long long>(h.step_up_prompts), Per1000(h.step_up_prompts, h.clinician_days),
      static_cast<long long>(h.sensitive_step_up_prompts), static_cast<long long>(h.refusals),
      static_cast<long long>(h.forbidden), static_cast<long long>(h.suspensions),
      static_cast<long long>(h.relogins), static_cast<long long>(h.alerts));
  if (!h.alert_kinds.empty()) {
    std::printf("    alerts on honest accounts by kind:");
    for (const auto& [kind, count] : h.alert_kinds)
      std::printf(" %s %lld", kind.c_str(), static_cast<long long>(count));
    std::printf("\n");
  }
  std::printf("  requests %lld in %.1f s (%.0f/s; %.1f s of CPU); audit entries %lld, %s\n\n",
              static_cast<long long>(r.requests), r.seconds,
              r.seconds > 0 ? static_cast<double>(r.requests) / r.seconds : 0.0, r.cpu_seconds,
              static_cast<long long>(r.audit_entries), r.audit_summary.c_str());
  std::printf("  %-52s %-44s %10s\n", "target (DRILL.md)", "", "value");
  for (const DrillTarget& t : DrillTargets(r))
    std::printf("  %-52s %-44s %10.1f  %s\n", t.figure.c_str(), t.target.c_str(), t.value,
                t.pass() ? "pass" : "FAIL");
  std::fflush(stdout);
}

std::string DrillJson(const DrillReport& r) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteCounts(w, {{"patients", r.patients},
                  {"practices", r.practices},
                  {"physicians", r.physicians},
                  {"nurses", r.nurses},
                  {"secretaries", r.secretaries},
                  {"days", r.options.days},
                  {"resources_imported", r.resources}});
  w.Key("seed");
  w.Uint64(r.options.seed);
  WriteDoubles(w, {{"history_scale", r.history_scale}, {"import_seconds", r.import_seconds}});
  w.Key("data_location");
  w.String(r.data_location.c_str());
  w.Key("transport");
  w.String(r.transport.c_str());
  w.Key("drill_password_cost");
  w.Bool(r.drill_password_cost);
  w.Key("features_off");
  w.StartArray();
  for (const std::string& f : r.features_off) w.String(f.c_str());
  w.EndArray();
  w.Key("strategies");
  w.StartArray();
  for (const AttackRecord& a : r.outcome.attacks) WriteAttack(w, a);
  w.EndArray();
  const HonestRecord& h = r.outcome.honest;
  w.Key("honest");
  w.StartObject();
  WriteCounts(w, {{"clinician_days", h.clinician_days},
                  {"physician_days", h.physician_days},
                  {"nurse_days", h.nurse_days},
                  {"secretary_days", h.secretary_days},
                  {"holiday_days", h.holiday_days},
                  {"consultations", h.consultations},
                  {"nurse_visits", h.nurse_visits},
                  {"files_opened", h.files_opened},
                  {"list_checks", h.list_checks},
                  {"exceptions", h.exceptions},
                  {"catch_ups", h.catch_ups},
                  {"locum_covers", h.locum_covers},
                  {"locum_days", h.locum_days},
                  {"care_relationships_started", h.care_started},
                  {"on_call_nights", h.on_call_nights},
                  {"break_glass", h.break_glass},
                  {"step_up_prompts", h.step_up_prompts},
                  {"break_glass_step_up_prompts", h.sensitive_step_up_prompts},
                  {"refusals", h.refusals},
                  {"forbidden", h.forbidden},
                  {"suspensions", h.suspensions},
                  {"relogins", h.relogins},
                  {"alerts", h.alerts}});
  w.Key("alert_kinds");
  w.StartObject();
  for (const auto& [kind, count] : h.alert_kinds) {
    w.Key(kind.c_str());
    w.Int64(count);
  }
  w.EndObject();
  WriteDoubles(w, {{"step_up_prompts_per_1000_days", Per1000(h.step_up_prompts, h.clinician_days)},
                   {"refusals_per_1000_days", Per1000(h.refusals, h.clinician_days)},
                   {"suspensions_per_1000_days", Per1000(h.suspensions, h.clinician_days)},
                   {"exceptions_per_1000_days", Per1000(h.exceptions, h.clinician_days)}});
  w.EndObject();
  w.Key("requests");
  w.Int64(r.requests);
  WriteDoubles(w, {{"wall_seconds", r.seconds},
                   {"cpu_seconds", r.cpu_seconds},
                   {"requests_per_second",
                    r.seconds > 0 ? static_cast<double>(r.requests) / r.seconds : 0.0}});
  w.Key("audit");
  w.StartObject();
  w.Key("entries");
  w.Int64(r.audit_entries);
  w.Key("detector_entries");
  w.Int64(r.detector_entries);
  w.Key("complete");
  w.Bool(r.audit_entries == r.requests);
  w.Key("verified");
  w.Bool(r.audit_verified);
  w.Key("summary");
  w.String(r.audit_summary.c_str());
  w.EndObject();
  w.Key("targets");
  w.StartArray();
  for (const DrillTarget& t : DrillTargets(r)) {
    w.StartObject();
    w.Key("figure");
    w.String(t.figure.c_str());
    w.Key("target");
    w.String(t.target.c_str());
    w.Key("strategy");
    w.Int(t.strategy);
    WriteDoubles(w, {{"value", t.value}, {"limit", t.limit}});
    w.Key("pass");
    w.Bool(t.pass());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString()) + "\n";
}

}  // namespace medvault::cli
