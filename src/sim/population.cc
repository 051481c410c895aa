// GeneratePopulation: splits the patients over practices, gives each practice its staff
// and its roster of current and past patients, and emits patient after patient.
#include "sim/population.h"

#include <algorithm>
#include <vector>

#include "sim/civil_time.h"
#include "sim/clinical_history.h"
#include "sim/patient.h"
#include "sim/practice.h"

namespace medvault::sim {
namespace {

constexpr int64_t kPatientsPerPractice = 10'000;
constexpr int64_t kDefaultNowMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr int64_t kProgressEvery = 1000;
// Random streams: the practices' structure, and one stream per patient.
constexpr uint64_t kStructureStream = 0;
constexpr uint64_t kFirstPatientStream = 1;

// Share of practices with 1 … 6 physicians, in percent.
constexpr int kPhysicianCountShares[] = {15, 25, 25, 17, 10, 8};

int DrawPhysicianCount(SimRandom& rng) {
  auto draw = static_cast<int>(rng.Below(100));
  int count = 0;
  while (draw >= kPhysicianCountShares[count]) draw -= kPhysicianCountShares[count++];
  return count + 1;
}

// Which patients of a practice are current, and whose: each physician has 1,000 to
// 1,600 current patients (fewer when the practice is small), the rest are past patients.
// Draws without replacement, so the counts come out exact.
class PatientRoster {
 public:
  PatientRoster(SimRandom& rng, int physicians, int64_t patients) : remaining_(patients) {
    int64_t total = 0;
    for (int i = 0; i < physicians; ++i) {
      active_left_.push_back(rng.Between(1000, 1600));
      total += active_left_.back();
    }
    // At least 15 % of the practice's patients are past ones.
    const int64_t cap = patients * 85 / 100;
    if (total > cap) {
      int64_t scaled_total = 0;
      for (int64_t& count : active_left_) {
        count = count * cap / total;
        scaled_total += count;
      }
      total = scaled_total;
    }
    active_total_left_ = total;
  }

  CareAssignment Next(SimRandom& rng) {
    CareAssignment care;
    care.active =
        static_cast<int64_t>(rng.Below(static_cast<uint64_t>(remaining_))) < active_total_left_;
    --remaining_;
    if (care.active) {
      auto draw = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(active_total_left_)));
      while (draw >= active_left_[care.physician]) draw -= active_left_[care.physician++];
      --active_left_[care.physician];
      --active_total_left_;
    } else {
      care.physician = static_cast<int>(rng.Below(active_left_.size()));
    }
    return care;
  }

 private:
  int64_t remaining_;
  std::vector<int64_t> active_left_;
  int64_t active_total_left_ = 0;
};

}  // namespace

void GeneratePopulation(const PopulationOptions& options, ResourceSink& sink) {
  const int64_t total = std::max<int64_t>(0, options.patients);
  const int64_t now_ms = options.now_ms != 0 ? options.now_ms : kDefaultNowMs;
  const int64_t today_days = now_ms / 1000 / kSecondsPerDay;
  const int64_t practices =
      options.practices > 0
          ? options.practices
          : std::max<int64_t>(1, (total + kPatientsPerPractice / 2) / kPatientsPerPractice);

  ResourceIds ids(options.seed);
  SimRandom structure(options.seed, kStructureStream);
  UsernameRegistry usernames;
  NirOrders nir_orders;
  int64_t done = 0;
  for (int64_t p = 0; p < practices; ++p) {
    const int64_t size = total / practices + (p < total % practices ? 1 : 0);
    const int physicians = DrawPhysicianCount(structure);
    const Practice practice = EmitPractice(structure, ids, usernames, physicians, p == 0, sink);
    PatientRoster roster(structure, physicians, size);
    for (int64_t i = 0; i < size; ++i) {
      const CareAssignment care = roster.Next(structure);
      SimRandom rng(options.seed, kFirstPatientStream + static_cast<uint64_t>(done));
      const PatientProfile patient = DrawPatient(rng, ids, practice, care, today_days);
      EmitPatient(rng, nir_orders, patient, practice, sink);
      EmitCareTeam(ids, patient, practice, sink);
      EmitClinicalHistory(rng, ids, patient, practice, options.history_scale, today_days, sink);
      if (++done % kProgressEvery == 0) sink.Progress(done, total);
    }
  }
  if (done % kProgressEvery != 0 || done == 0) sink.Progress(done, total);
}

}  // namespace medvault::sim
