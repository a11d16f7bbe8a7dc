// The front door of plan/: the whole system of a checked program. Which partition runs which
// tasks and receivers on which cores, which channel joins which senders to which receivers, and
// the checks that need the whole picture (settings, sender and receiver counts, cores).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "plan/services.h"
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
  std::vector<const Decl*> services;          // basilisk_services, in declaration order
};

struct ChannelPlan {
  const Decl* decl = nullptr;
  ChannelKind kind = ChannelKind::kSpsc;
  std::int64_t capacity = 1024;
  // Tasks, receivers, consumers and services that send on it (each once). A service sends from
  // every core of its partition: it counts as that many senders (and has that many mpsc lanes).
  std::vector<const Decl*> senders;
  std::vector<int> copies;             // parallel to senders: 1, or a service's cores
  std::vector<const Decl*> receivers;  // channel_receivers reading it
  int lanes = 0;                       // the sum of copies
  // The first lane of a sender's copies in an mpsc ring.
  int first_lane(const Decl* sender) const;
};

enum class Durability : std::uint8_t { kNone, kFsyncBatched, kFsyncEveryWrite };
enum class TopicEncoding : std::uint8_t { kBinary, kJson };

const char* spelling(Durability d);
const char* spelling(TopicEncoding e);

// A slytherin_topic's settings with their defaults filled in (plan/topics.cpp).
struct TopicPlan {
  const Decl* decl = nullptr;
  int partitions = 1;
  Durability durability = Durability::kFsyncBatched;
  std::int64_t fsync_max_delay_ns = 5'000'000;  // fsync_batched(max_delay: ...), default 5 ms
  std::int64_t retention_ms = 0;                // 0: no time retention
  std::int64_t retention_bytes = -1;            // -1: no size retention
  std::int64_t segment_bytes = 64LL << 20;
  // latency_budget: p99 under 2 ms
  bool has_budget = false;
  std::string budget_quantile;  // "p50", "p90", "p99", "p999"
  double quantile = 0.99;
  std::int64_t budget_ns = 0;
  const FieldDecl* key = nullptr;  // key: a field of the schema, or null (round-robin)
  TopicEncoding encoding = TopicEncoding::kBinary;
  std::vector<const Decl*> consumers;  // slytherin_consumers reading it, in declaration order
};

struct SystemPlan {
  std::vector<PartitionPlan> partitions;  // declaration order (modules in check order)
  std::vector<ChannelPlan> channels;
  std::vector<TopicPlan> topics;
  std::vector<ServicePlan> services;  // plan/services.cpp
  int declared_cores = 0;             // sum of the partitions' cores

  bool empty() const {
    return partitions.empty() && channels.empty() && topics.empty() && services.empty();
  }
  const PartitionPlan* partition(const Decl* d) const;
  const ChannelPlan* channel(const Decl* d) const;
  const TopicPlan* topic(const Decl* d) const;
  const ServicePlan* service(const Decl* d) const;
};

struct MachineOptions {
  int cores = 0;  // parsel.toml [machine] cores; 0 when not declared (checked at start-up only)
  bool allow_oversubscription = false;
};

// Plans the system of a checked program. Reports PT6xxx and PT7xxx diagnostics to `sink`.
SystemPlan plan_system(const Program& program, const MachineOptions& machine, DiagnosticSink& sink);

// plan/topics.cpp: one topic's settings (PT7001-PT7010, PT7017), and the consumers of every
// topic: groups and members (PT7014-PT7016). Part of plan_system.
TopicPlan plan_topic(const Decl& d, DiagnosticSink& sink);
void plan_consumers(SystemPlan& plan, const Program& program, DiagnosticSink& sink);
// Topic names are global to the program's log: two modules may not declare the same (PT7018).
void check_topic_names(const SystemPlan& plan, DiagnosticSink& sink);

// plan/services.cpp: one service's limits, port and routes (PT8001-PT8004, PT8008), after its
// partition is planned; then the ports of every service (PT8005). Part of plan_system.
ServicePlan plan_service(const Decl& d, const SystemPlan& plan, DiagnosticSink& sink);
void check_service_ports(const SystemPlan& plan, DiagnosticSink& sink);

}  // namespace pt
