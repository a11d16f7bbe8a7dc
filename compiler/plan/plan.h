// The front door of plan/: the whole system of a checked program. Which partition runs which
// tasks and receivers on which cores, which channel joins which senders to which receivers, and
// the checks that need the whole picture (settings, sender and receiver counts, cores).
#pragma once

#include <cstdint>
#include <vector>

#include "diag/diagnostic.h"
#include "sema/check.h"

namespace pt {

enum class SchedulerKind : std::uint8_t { kBackendApi, kMessaging, kDatabase, kUi };
enum class ChannelKind : std::uint8_t { kSpsc, kMpsc, kBroadcast, kSharedMemory };

const char* spelling(SchedulerKind k);
const char* spelling(ChannelKind k);

struct PartitionPlan {
  const Decl* decl = nullptr;
  int cores = 1;
  SchedulerKind scheduler = SchedulerKind::kMessaging;
  bool realtime = false;                      // priority: realtime (SCHED_FIFO)
  bool restart = false;                       // on_failure: restart (else stop_program)
  std::int64_t stall_bound_ns = 100'000'000;  // stall_bound, default 100 ms
  std::vector<const Decl*> runs;              // tasks and receivers, in declaration order
};

struct ChannelPlan {
  const Decl* decl = nullptr;
  ChannelKind kind = ChannelKind::kSpsc;
  std::int64_t capacity = 1024;
  std::vector<const Decl*> senders;    // tasks and receivers that send on it (each once)
  std::vector<const Decl*> receivers;  // channel_receivers reading it
};

struct SystemPlan {
  std::vector<PartitionPlan> partitions;  // declaration order (modules in check order)
  std::vector<ChannelPlan> channels;
  int declared_cores = 0;  // sum of the partitions' cores

  bool empty() const { return partitions.empty() && channels.empty(); }
  const PartitionPlan* partition(const Decl* d) const;
  const ChannelPlan* channel(const Decl* d) const;
};

struct MachineOptions {
  int cores = 0;  // parsel.toml [machine] cores; 0 when not declared (checked at start-up only)
  bool allow_oversubscription = false;
};

// Plans the system of a checked program. Reports PT6xxx diagnostics to `sink`.
SystemPlan plan_system(const Program& program, const MachineOptions& machine, DiagnosticSink& sink);

}  // namespace pt
