// Honest work in the breach drill (docs/DETECTION.md): physicians' consultations, nurses'
// visits and secretaries' files, day by day, with the rare honest exceptions (holidays
// and the catch-up after them, a colleague covering as locum, a night on call, a
// justified break-the-glass) drawn from the seed. What honest people meet is counted in
// the HonestRecord.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli/drill_scenario.h"
#include "cli/drill_timeline.h"
#include "sim/sim_random.h"

namespace medvault::cli {

// Someone at work: an honest person, or a victim who keeps working while malware rides
// their session (strategies 3, 5, 6 and 7).
struct Worker {
  const LoadedAccount* account = nullptr;
  std::string address;  // the workstation's
  std::unique_ptr<DrillSession> session;
  std::vector<size_t> patients;  // own current patients (clinicians); the practice's (secretaries)
  AccountTake* victim_of = nullptr;     // a victim: prompts count there, not among honest figures
  std::function<void()> on_fresh_code;  // after each login or step-up (strategy 5's malware)
  std::vector<std::pair<int, int>> holidays;  // drill days [first, last] away
  std::set<size_t> cared_for;  // patients whose care this physician started in the drill

  bool away(int day) const;
};

class HonestWork {
 public:
  HonestWork(const DrillOptions& options, const DrillPopulation& population, DrillClient& client,
             Timeline& timeline, HonestRecord& record);

  // Puts everyone with patients to work but `absent` (owners of stolen sessions who do
  // not work in the drill); `riding` marks victims who keep working.
  void Cast(const std::set<const LoadedAccount*>& absent,
            const std::map<const LoadedAccount*, AccountTake*>& riding);
  // Draws the honest physicians' holidays and who covers for them.
  void PlanHolidays();
  // Schedules day `day` (0 is the first Monday); called at its midnight.
  void PlanDay(int day);

  Worker* WorkerOf(const LoadedAccount* account);

  // Sends as `w`: a step-up prompt is answered with a fresh code, a lapsed session with a
  // login (twice at most), and what honest people meet is counted.
  DrillResponse Send(Worker& w, const std::string& method, const std::string& target,
                     const std::string& body = "");
  void LogIn(Worker& w);

 private:
  // A colleague seeing an absent physician's patients on some of the absence's days.
  struct Cover {
    Worker* locum = nullptr;
    Worker* absent = nullptr;
    std::vector<int> days;
  };

  void PlanPhysician(Worker& w, int day, int weekday);
  void PlanNurse(Worker& w, int day, int weekday);
  void PlanSecretary(Worker& w, int day);
  // Returns when the catch-up ends.
  int64_t CatchUp(Worker& w, int64_t start_ms);
  void OnCall(Worker& w, int64_t start_ms);
  void BreakTheGlass(Worker& w, int64_t at_ms);
  // A consultation; `care_reason` non-empty starts the care relationship first when the
  // patient is not the physician's.
  void Consult(Worker& w, int64_t at_ms, size_t patient, std::string care_reason = "");
  void Visit(Worker& w, int64_t at_ms, size_t patient);
  void ListCheck(Worker& w, int64_t at_ms);
  bool StartCare(Worker& w, size_t patient, const std::string& reason);
  bool StepUp(Worker& w);
  bool Counts(const Worker& w) const { return w.victim_of == nullptr; }

  const DrillOptions& options_;
  const DrillPopulation& pop_;
  DrillClient& client_;
  Timeline& timeline_;
  HonestRecord& h_;
  sim::SimRandom plan_rng_;
  sim::SimRandom exception_rng_;
  sim::SimRandom list_rng_;  // a stream of its own, so the others draw as before
  std::vector<std::unique_ptr<Worker>> physicians_;
  std::vector<std::unique_ptr<Worker>> nurses_;
  std::vector<std::unique_ptr<Worker>> secretaries_;
  std::vector<Cover> covers_;
  std::map<std::string, std::vector<size_t>> practice_patients_;  // organization → current
};

}  // namespace medvault::cli
