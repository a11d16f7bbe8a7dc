// A partition worker: one thread pinned to one core, running its tasks, receivers and the
// policy's queued units in the order its Policy decides. Everything here runs on the worker's
// own thread unless a comment says otherwise.
//
// Task records are owned by exactly one of: current_ (while resumed), ready_, sleepers_,
// waiters_ or orphans_ (suspended on an awaitable that is not the runtime's).
#pragma once

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../core/state.h"
#include "counters.h"
#include "hallows/core/arena.h"
#include "hallows/core/location.h"
#include "hallows/sched/task.h"

namespace hallows::sched::detail {

using Clock = std::chrono::steady_clock;
class Policy;

struct TaskRecord {
  core::detail::TaskSpec* spec;
  Task task;                          // owns the root frame
  std::coroutine_handle<> resume_at;  // innermost suspended coroutine
  const core::SourceLoc* loc;         // location when it last suspended
};

struct ReceiverSlot {
  core::Receiver receiver;
  core::detail::RestartHistory history;
  bool finished = false;
};

// Set-up results a worker reports before the program starts running.
struct SetupResult {
  bool pinned = false;
  bool realtime = false;
  std::string pin_error;
  std::string realtime_error;
};

// What the stall monitor reads (any thread). `start_ns` is 0 while the worker is between slices.
struct SlicePublication {
  std::atomic<std::int64_t> start_ns{0};
  std::atomic<std::uint64_t> seq{0};
  std::atomic<const char*> what{""};  // "task", "receiver", "request", ...
  std::atomic<const char*> name{""};  // static or program-lifetime text
  std::mutex slot_mutex;              // guards location_slot against the worker's exit
  std::atomic<const core::SourceLoc*>* location_slot = nullptr;  // the worker's t_location
};

class Worker {
 public:
  Worker(core::detail::PartitionState& partition, int index);
  ~Worker();

  // Before run() (main thread).
  void add_receiver(core::Receiver receiver);
  // Any thread: the task starts on this worker (make() is called here).
  void post_spawn(core::detail::TaskSpec* spec);

  // The thread body: set up (pin to `cpu`, realtime), report through `ready`, wait for `go`
  // (false: the program will not run), run, shut down. Sets `exited` at the end.
  void main(int cpu, const std::function<bool(const SetupResult&)>& ready_then_go);

  // For policies (worker thread).
  std::size_t run_ready(std::size_t max);
  std::size_t poll_receivers(std::size_t batch);
  // Runs one queued unit under supervision; `what` is static text ("request", "frame", ...).
  void run_unit(const char* what, const std::function<void()>& unit);
  bool has_ready() const noexcept { return !ready_.empty(); }
  int index() const noexcept { return index_; }
  core::detail::PartitionState& partition() noexcept { return partition_; }
  WorkerCounters& counters() noexcept { return counters_; }

  // Awaitable hooks (worker thread, during a resume).
  void suspend_yield(std::coroutine_handle<> h);
  void suspend_sleep(Clock::time_point until, std::coroutine_handle<> h);
  void suspend_wait(std::function<bool()> ready, std::coroutine_handle<> h);
  bool slice_expired() const noexcept { return Clock::now() >= slice_deadline_; }

  // Any thread.
  SlicePublication& publication() noexcept { return pub_; }
  const WorkerCounters& counters() const noexcept { return counters_; }
  core::ArenaStats arena_stats() const noexcept { return arena_.stats(); }
  bool exited() const noexcept { return exited_.load(std::memory_order_acquire); }

 private:
  SetupResult set_up(int cpu);
  void loop();
  void shut_down();
  std::size_t take_inbox();
  std::size_t wake_sleepers(Clock::time_point now);
  std::size_t check_waiters();
  Clock::time_point park_deadline(Clock::time_point now) const;
  void start_task(core::detail::TaskSpec* spec);
  void resume(std::unique_ptr<TaskRecord> record);
  void finish_task(std::unique_ptr<TaskRecord> record, std::exception_ptr error);
  bool poll_one(ReceiverSlot& slot, std::size_t batch, std::size_t& handled);
  void begin_slice(const char* what, const char* name) noexcept;
  void end_slice() noexcept;
  std::size_t cancel_tasks();
  // worker_fds.cpp: sleeping in epoll when a receiver has a wait_fd.
  void open_wait_set();
  void close_wait_set();
  void sleep_on_fds(Clock::time_point deadline);
  void drain_fd_receivers(Clock::time_point deadline);

  core::detail::PartitionState& partition_;
  const int index_;
  core::Arena arena_;  // declared first among owners of frames: destroyed after them
  WorkerCounters counters_;
  SlicePublication pub_;
  std::atomic<bool> exited_{false};
  std::unique_ptr<Policy> policy_;

  std::mutex inbox_mutex_;
  std::vector<core::detail::TaskSpec*> inbox_;  // guarded by inbox_mutex_
  std::atomic<bool> inbox_nonempty_{false};

  std::unique_ptr<TaskRecord> current_;
  std::deque<std::unique_ptr<TaskRecord>> ready_;
  std::multimap<Clock::time_point, std::unique_ptr<TaskRecord>> sleepers_;
  struct Waiter {
    std::unique_ptr<TaskRecord> record;
    std::function<bool()> ready;
  };
  std::vector<Waiter> waiters_;
  std::vector<std::unique_ptr<TaskRecord>> orphans_;
  std::deque<ReceiverSlot> receivers_;  // stable addresses (names are published)
  core::detail::RestartHistory unit_history_;
  Clock::time_point slice_deadline_{};
  int epoll_fd_ = -1;  // the receivers' wait_fds and wake_fd_; -1: park on the condition variable
  int wake_fd_ = -1;   // an eventfd the partition's Parker writes on wake_all()
  std::chrono::nanoseconds fd_busy_poll_{0};  // the longest busy_poll of the wait_fd receivers
};

// The worker running on the calling thread, or null.
Worker* current_worker() noexcept;

}  // namespace hallows::sched::detail
