#include "http/open_files_limit.h"

#include <sys/resource.h>

#include <algorithm>

namespace medvault::http {

OpenFilesPlan PlanOpenFiles(uint64_t soft, uint64_t hard, size_t max_connections,
                            uint64_t reserve) {
  // RLIM_INFINITY is the largest value: "no limit" compares as plenty.
  uint64_t wanted = reserve + max_connections;
  OpenFilesPlan plan;
  plan.soft = std::max(soft, std::min(wanted, hard));
  uint64_t room = plan.soft > reserve ? plan.soft - reserve : 0;
  plan.connections = static_cast<size_t>(std::clamp<uint64_t>(room, 1, max_connections));
  return plan;
}

OpenFilesFit FitOpenFilesLimit(size_t max_connections, uint64_t reserve) {
  rlimit limit{};
  OpenFilesFit fit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    fit.connections = max_connections;  // nothing known, nothing changed
    return fit;
  }
  fit.soft_before = fit.soft_after = limit.rlim_cur;
  fit.hard = limit.rlim_max;
  OpenFilesPlan plan = PlanOpenFiles(limit.rlim_cur, limit.rlim_max, max_connections, reserve);
  if (plan.soft != limit.rlim_cur) {
    limit.rlim_cur = plan.soft;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
      fit.soft_after = plan.soft;
    } else {
      plan = PlanOpenFiles(fit.soft_before, fit.soft_before, max_connections, reserve);
    }
  }
  fit.connections = plan.connections;
  return fit;
}

}  // namespace medvault::http
