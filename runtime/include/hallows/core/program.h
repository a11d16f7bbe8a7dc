// The program: its partitions, the start-up checks and report, supervision, signals and
// shutdown. This is the one header generated main includes for the runtime's core.
//
//   hallows::core::Program program({.name = "demo"});
//   auto& p = program.add_partition({.name = "producer", .cores = 1, ...});
//   p.spawn("produce", loc, [] { return produce(); });
//   return program.run();
#pragma once

#include <memory>

#include "hallows/core/arena.h"
#include "hallows/core/location.h"
#include "hallows/core/metrics.h"
#include "hallows/core/partition.h"
#include "hallows/core/spec.h"
#include "hallows/sched/backend_api.h"
#include "hallows/sched/database.h"
#include "hallows/sched/task.h"
#include "hallows/sched/ui.h"

namespace hallows::core {

namespace detail {
struct ProgramState;
}

// Exit statuses of run().
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 2;   // more cores declared than present
inline constexpr int kExitFailure = 70;  // a stop_program failure (EX_SOFTWARE, like a panic)

class Program {
 public:
  explicit Program(ProgramSpec spec);
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  // Declares a partition. Call before run().
  Partition& add_partition(PartitionSpec spec);

  // Checks the cores, pins and starts every worker, prints the start-up report, handles SIGINT
  // and SIGTERM while it runs, and returns when every task and receiver has finished
  // (kExitOk), after a clean stop (kExitOk), after a stop_program failure (kExitFailure), or
  // at once when it refuses to start (kExitRefused). Call once, from one thread.
  // When a partition does not stop within shutdown_timeout its threads are left running
  // (detached, keeping the program's state alive) and run() returns anyway.
  int run();

  // Begins a clean shutdown. Any thread, tasks included; before run() it makes run() stop at once.
  void request_stop() noexcept;

  // CPUs this process may run on (its affinity mask).
  static int available_cores();

 private:
  std::shared_ptr<detail::ProgramState> state_;
};

}  // namespace hallows::core
