// What a program declares: its partitions (cores, scheduler, priority, failure policy and the
// scheduler's knobs), program-wide settings, and the channel receivers a partition polls.
// Generated main fills these in from the .pt declarations and the manifest.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "hallows/core/location.h"

namespace hallows::core {

using namespace std::chrono_literals;

// What supervision does when a task or receiver of the partition fails.
enum class OnFailure { restart, stop_program };

// `realtime` asks for SCHED_FIFO; without the permission the partition runs at normal priority.
enum class Priority { normal, realtime };

// The scheduling policy of a partition (runtime/sched).
enum class SchedulerKind { backend_api, messaging, database, ui };

const char* to_string(SchedulerKind kind) noexcept;

struct PartitionSpec {
  std::string name;
  int cores = 1;  // one pinned worker thread per core
  SchedulerKind scheduler = SchedulerKind::backend_api;
  Priority priority = Priority::normal;
  OnFailure on_failure = OnFailure::stop_program;
  // A task running longer than this without suspending is reported as a stall.
  std::chrono::nanoseconds stall_bound = 100ms;
  SourceLoc declared_at{"", 0, 0};

  // Supervision: at most max_restarts restarts of one task (or receiver) within
  // restart_window; the next failure in the window stops the program.
  int max_restarts = 5;
  std::chrono::nanoseconds restart_window = 10s;

  // Every policy: maybe_yield() yields once a task has run this long since it was resumed;
  // an idle worker parks at most park_timeout before it looks again without a notify().
  std::chrono::nanoseconds time_slice = 1ms;
  std::chrono::nanoseconds park_timeout = 100ms;
  int realtime_priority = 10;  // the SCHED_FIFO priority asked for (1..99; else refused)

  // backend_api: requests queued at most (across connections); more are shed.
  std::size_t queue_capacity = 1024;
  // messaging (and the receivers of every policy): messages per poll of one receiver.
  std::size_t batch_size = 64;
  // messaging: how long an idle worker keeps polling before it parks.
  std::chrono::nanoseconds busy_poll = 50us;
  // database: the most of its cores' time background work may take (0..1).
  double background_share = 0.25;
  // ui: frames per second.
  double frame_rate = 60.0;
};

struct ProgramSpec {
  std::string name;
  // Allows more declared cores than the machine gives: partitions then share cores.
  bool allow_oversubscription = false;
  std::chrono::milliseconds shutdown_timeout{5000};
  // A program that hosts a server (Slytherin's broker, an HTTP service) keeps running after
  // its tasks and receivers have finished, until SIGINT, SIGTERM or request_stop().
  bool serve_until_stopped = false;
  // Where the runtime's report lines go (start-up report, failures, stalls, shutdown), one
  // line per call without the newline; empty means stderr. Called from any thread, serialized.
  std::function<void(std::string_view line)> report;
};

// A channel handler, polled by its partition's scheduler on one worker (its channel has a single
// consumer). All callables run on that worker.
struct Receiver {
  std::string name;
  SourceLoc where{"", 0, 0};
  // Handles up to `max` messages and returns how many. May throw: that is a failure.
  std::function<std::size_t(std::size_t max)> poll;
  // True once the source is closed and drained; the receiver then finishes.
  std::function<bool()> done;
  // Optional: called once after done() became true.
  std::function<void()> on_closed;
  // Optional: re-creates the handler's state on restart (the failing message is dropped).
  std::function<void()> reset;
  // Optional: a file descriptor to sleep on (an event loop's epoll fd, a pipe). When set, the
  // worker this receiver runs on sleeps in epoll on it (and on a wake-up eventfd of its own)
  // instead of the partition's condition variable, and wakes as soon as it is readable. At
  // shutdown such a receiver is polled until done() (or the shutdown deadline), the worker
  // sleeping on its fd between polls. The receiver owns the fd and keeps it open until done.
  int wait_fd = -1;
  // Optional: the index of the worker to run on (modulo the partition's cores); -1 places the
  // receiver round-robin like tasks.
  int worker = -1;
  // With a wait_fd: once work has run, the worker keeps polling this long before it sleeps
  // (the longer of this and the policy's own busy_poll), so a request arriving right after a
  // response is picked up without a wake-up.
  std::chrono::nanoseconds busy_poll{0};
};

}  // namespace hallows::core
