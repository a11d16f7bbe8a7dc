#include "cores.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>

#include <fmt/format.h>

namespace hallows::core::detail {

std::vector<int> allowed_cpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return {0};
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  if (cpus.empty()) cpus.push_back(0);
  return cpus;
}

std::optional<CoreAssignment> assign_cores(const std::vector<int>& declared,
                                           const std::vector<int>& available,
                                           bool allow_oversubscription) {
  std::size_t total = 0;
  for (int n : declared) total += static_cast<std::size_t>(std::max(n, 1));
  CoreAssignment result;
  result.oversubscribed = total > available.size();
  if (result.oversubscribed && !allow_oversubscription) return std::nullopt;
  std::size_t next = 0;
  for (int n : declared) {
    std::vector<int>& cpus = result.cpus.emplace_back();
    for (int i = 0; i < std::max(n, 1); ++i) cpus.push_back(available[next++ % available.size()]);
  }
  for (std::size_t i = next; i < available.size(); ++i) result.left.push_back(available[i]);
  return result;
}

std::string format_cpus(const std::vector<int>& cpus) {
  if (cpus.empty()) return "none";
  std::vector<int> sorted = cpus;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += j == i ? fmt::format("{}", sorted[i]) : fmt::format("{}-{}", sorted[i], sorted[j]);
    i = j + 1;
  }
  return out;
}

bool pin_this_thread(int cpu, std::string& error) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) == 0) return true;
  error = fmt::format("cannot pin to cpu {}: {}", cpu, std::strerror(errno));
  return false;
}

bool make_this_thread_realtime(int priority, std::string& error) {
  sched_param param{};
  param.sched_priority = priority;  // out of 1..99 the kernel says EINVAL, and we report it
  int rc = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
  if (rc == 0) return true;
  error = fmt::format("{}{}", std::strerror(rc),
                      rc == EPERM ? " (needs CAP_SYS_NICE, or an RLIMIT_RTPRIO of at least the "
                                    "priority)"
                                  : "");
  return false;
}

}  // namespace hallows::core::detail
