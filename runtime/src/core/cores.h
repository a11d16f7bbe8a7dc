// Cores: which CPUs the process may use, how the declared partitions split them, pinning a
// thread to one CPU, and asking for SCHED_FIFO.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hallows::core::detail {

// The CPUs in the process's affinity mask, ascending.
std::vector<int> allowed_cpus();

struct CoreAssignment {
  std::vector<std::vector<int>> cpus;  // per partition, one CPU per declared core
  std::vector<int> left;               // CPUs no partition uses
  bool oversubscribed = false;         // partitions share CPUs (more declared than present)
};

// Gives partition i `declared[i]` consecutive CPUs of `available`, in declaration order.
// Returns nullopt when more cores are declared than available and oversubscription is not
// allowed; with it, CPUs are reused round-robin.
std::optional<CoreAssignment> assign_cores(const std::vector<int>& declared,
                                           const std::vector<int>& available,
                                           bool allow_oversubscription);

// "0-3, 6", or "none".
std::string format_cpus(const std::vector<int>& cpus);

// Pins the calling thread to `cpu`; on failure returns false and says why in `error`.
bool pin_this_thread(int cpu, std::string& error);

// Switches the calling thread to SCHED_FIFO at `priority`; on failure returns false and says
// why in `error` (typically: no CAP_SYS_NICE and RLIMIT_RTPRIO is 0).
bool make_this_thread_realtime(int priority, std::string& error);

}  // namespace hallows::core::detail
