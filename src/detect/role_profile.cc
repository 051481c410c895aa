#include "detect/role_profile.h"

#include <initializer_list>

namespace medvault::detect {
namespace {

// Hours [from, to) on the days [first_day, last_day] (0 = Monday).
struct WorkingHours {
  int first_day;
  int last_day;
  int from;
  int to;
};

std::bitset<kHoursPerWeek> Week(std::initializer_list<WorkingHours> spans) {
  std::bitset<kHoursPerWeek> hours;
  for (const WorkingHours& w : spans)
    for (int d = w.first_day; d <= w.last_day; ++d)
      for (int h = w.from; h < w.to; ++h) hours.set(static_cast<size_t>(d * 24 + h));
  return hours;
}

}  // namespace

RoleProfile DefaultRoleProfile(identity::Role role) {
  switch (role) {
    case identity::Role::kPhysician:
      // 18–30 consultations, 8:00–20:00, some Saturday mornings, no Sunday; the hourly
      // budget is 40.
      return RoleProfile{.patients_per_day = 22,
                         .patients_per_day_sd = 6,
                         .patients_per_hour_ceiling = 30,
                         .reads_lead_to_writes = true,
                         .return_catch_up_patients = 80,
                         .unfollowed_searches_allowance = 4,
                         .coverage_patients_30d = 1000,
                         .usual_hours = Week({{0, 4, 7, 20}, {5, 5, 7, 13}})};
    case identity::Role::kNurse:
      // Rounds and home visits, weekends included; the hourly budget is 30.
      return RoleProfile{.patients_per_day = 16,
                         .patients_per_day_sd = 6,
                         .patients_per_hour_ceiling = 22,
                         .reads_lead_to_writes = true,
                         .return_catch_up_patients = 50,
                         .unfollowed_searches_allowance = 4,
                         .coverage_patients_30d = 700,
                         .usual_hours = Week({{0, 6, 7, 21}})};
    case identity::Role::kSecretary:
      // 40–80 files opened a day, identity and contact data, mostly after a directory
      // search; hardly any clinical writes. The hourly budget is 80.
      return RoleProfile{.patients_per_day = 60,
                         .patients_per_day_sd = 15,
                         .patients_per_hour_ceiling = 60,
                         .reads_lead_to_writes = false,
                         .return_catch_up_patients = 60,
                         .unfollowed_searches_allowance = 15,
                         .coverage_patients_30d = 2000,
                         .usual_hours = Week({{0, 4, 7, 19}, {5, 5, 8, 13}})};
    case identity::Role::kSecurityOfficer:
    case identity::Role::kAdmin: break;
  }
  // These roles receive no patient data: any that reaches them counts at once.
  return RoleProfile{.patients_per_day = 0,
                     .patients_per_day_sd = 1,
                     .patients_per_hour_ceiling = 2,
                     .reads_lead_to_writes = false,
                     .unfollowed_searches_allowance = 2,
                     .coverage_patients_30d = 20,
                     .usual_hours = Week({{0, 4, 7, 20}})};
}

}  // namespace medvault::detect
