// The runtime-internal state behind Program and Partition. The program's state is shared with
// every worker thread (shared_ptr), so a worker that outlives run() (it did not stop within the
// shutdown timeout) never touches freed memory.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "../sched/parker.h"
#include "hallows/core/partition.h"
#include "hallows/core/spec.h"
#include "hallows/sched/backend_api.h"
#include "hallows/sched/database.h"
#include "hallows/sched/ui.h"
#include "supervisor.h"

namespace hallows::sched::detail {
class Worker;
}

namespace hallows::core::detail {

struct ProgramState;

// A declared task: the factory and what supervision keeps about it. Lives as long as the
// program (workers and the stall monitor hold pointers to its name).
struct TaskSpec {
  std::string name;
  SourceLoc where;
  std::function<sched::Task()> make;
  RestartHistory history;  // touched only by the worker that runs the task
};

struct PartitionState {
  PartitionState(ProgramState& program, PartitionSpec spec);
  ~PartitionState();

  ProgramState& program;
  const PartitionSpec spec;
  Partition* self = nullptr;  // the public handle that owns this state
  std::vector<std::unique_ptr<sched::detail::Worker>> workers;  // spec.cores of them
  sched::detail::Parker parker;
  std::atomic<unsigned> next_worker{0};  // round-robin placement

  std::mutex tasks_mutex;
  std::deque<TaskSpec> tasks;  // guarded by tasks_mutex (push only; elements never move)

  // Exactly one of these exists, matching spec.scheduler (none for messaging).
  std::unique_ptr<sched::BackendApi> backend;
  std::unique_ptr<sched::Database> database;
  std::unique_ptr<sched::Ui> ui;

  std::vector<int> cpus;  // assigned by run(), one per worker
};

struct ProgramState {
  explicit ProgramState(ProgramSpec s) : spec(std::move(s)) {}

  const ProgramSpec spec;
  std::vector<std::unique_ptr<Partition>> partitions;  // added before run()

  std::atomic<bool> running{false};
  std::atomic<bool> stopping{false};              // shutdown began: cancel tasks, drain receivers
  std::atomic<bool> finished{false};              // nothing is left to run: workers exit
  std::atomic<bool> failed{false};                // a stop_program failure: run() returns 70
  std::atomic<std::int64_t> stop_deadline_ns{0};  // steady clock, set before `stopping`
  // Tasks + receivers + queued units + frame functions not yet finished, over all partitions.
  std::atomic<std::int64_t> live{0};

  std::mutex wait_mutex;  // run() sleeps on wait_cv for: live == 0, a stop, a worker exit
  std::condition_variable wait_cv;

  void report(std::string_view line);
  void live_add(std::int64_t n) noexcept { live.fetch_add(n, std::memory_order_relaxed); }
  void live_sub(std::int64_t n) noexcept;
  // Begins shutdown (idempotent); `failure` makes run() return 70.
  void request_stop(bool failure) noexcept;
  void wake_main() noexcept;
  void wake_all_partitions() noexcept;

 private:
  std::mutex report_mutex_;
};

}  // namespace hallows::core::detail
