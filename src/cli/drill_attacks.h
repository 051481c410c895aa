// The attacks of the breach drill (DRILL.md strategies 1 to 7, docs/DETECTION.md), each
// on its own victim physicians, sent through the DrillClient among the honest traffic.
// Attackers never hold a TOTP secret: after a refusal they wait and try again.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/drill_honest.h"

namespace medvault::cli {

class Attacks {
 public:
  Attacks(const DrillOptions& options, const DrillPopulation& population, DrillClient& client,
          Timeline& timeline, HonestWork& honest, std::vector<AttackRecord>& records);

  // Chooses the victims among `physicians` (from the end of the list, at least one left
  // honest) and fills the records. `absent`: victims who do not work in the drill (their
  // session is simply stolen); `riding`: victims who keep working while malware rides
  // their session.
  void Cast(const std::vector<const LoadedAccount*>& physicians,
            std::set<const LoadedAccount*>& absent,
            std::map<const LoadedAccount*, AccountTake*>& riding);
  // After the honest cast: finds the working victims and schedules strategies 1, 2, 4, 7.
  void Start();
  // Day `day` of strategies 3, 5 and 6 (called at its midnight).
  void PlanDay(int day);

 private:
  struct Victim {
    AttackRecord* record = nullptr;
    AccountTake* take = nullptr;
    const LoadedAccount* account = nullptr;
    Worker* worker = nullptr;  // a victim who keeps working
  };
  // A thief paging through what an account can reach and reading each patient (1, 4, 7),
  // or sweeping the directory (2).
  struct Harvest {
    AccountTake* take = nullptr;
    std::string token;
    std::string address;
    std::string next;  // the next search page, "" when none
    std::vector<std::string> to_read;
    size_t next_query = 0;
    int64_t deadline_ms = 0;
    int64_t pace_ms = 0;
  };
  // Malware on a workstation reading the account's own patients a few at a time (3, 6).
  struct Pilfer {
    Victim victim;
    std::string next_page = "/fhir/Patient?_count=10";
    std::deque<std::string> ids;
    int64_t blocked_until_ms = 0;
  };
  // Malware on a workstation breaking the glass right after the victim's fresh code (5).
  struct Glass {
    Victim victim;
    std::deque<std::string> candidates;
    std::deque<int64_t> grants;  // when, in the last 24 hours
    size_t next_query = 0;
    int searches = 0;  // in this fresh-code window
    bool busy = false;
    int64_t fresh_code_ms = -1;
  };

  DrillResponse Send(AccountTake& take, const std::string& method, const std::string& target,
                     const std::string& token, const std::string& address,
                     const std::string& body = "");
  std::string StealSession(const LoadedAccount& victim);
  void HarvestStep(std::shared_ptr<Harvest> h);
  void SweepStep(std::shared_ptr<Harvest> h);
  void PilferRead(Pilfer& p, int64_t day_end_ms);
  void ReadSoon(Pilfer& p, int64_t at_ms, int64_t day_end_ms);
  void GlassFreshCode(Glass& g);
  void GlassNext(Glass& g);
  void GlassSearch(Glass& g);
  void GlassRead(Glass& g, const std::string& patient);

  const DrillOptions& options_;
  const DrillPopulation& pop_;
  DrillClient& client_;
  Timeline& timeline_;
  HonestWork& honest_;
  std::vector<AttackRecord>& records_;
  sim::SimRandom rng_;
  std::vector<Victim> victims_;
  std::vector<std::unique_ptr<Pilfer>> pilfers_;
  std::vector<std::unique_ptr<Glass>> glasses_;
  std::vector<std::string> directory_queries_;  // common names across birth years
};

}  // namespace medvault::cli
