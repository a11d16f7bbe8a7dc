// A scheduling policy: the order in which one worker runs its ready tasks, its receivers and the
// policy's own queued units. One Policy object per worker, used only on that worker's thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

namespace hallows::sched::detail {

class Worker;

class Policy {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~Policy() = default;

  // Runs one round of work in the policy's order; returns how many units of work ran
  // (0: nothing was ready, the worker may go idle).
  virtual std::size_t round(Worker& worker, Clock::time_point now) = 0;

  // The latest time the idle worker may sleep until (a frame, a budget refill).
  virtual Clock::time_point wake_deadline(Clock::time_point) const {
    return Clock::time_point::max();
  }

  // How long an idle worker keeps polling before it parks.
  virtual std::chrono::nanoseconds busy_poll() const { return {}; }

  // At shutdown: discards queued units and returns how many (the policy settles `live`).
  virtual std::size_t drop_pending() { return 0; }
};

std::unique_ptr<Policy> make_backend_api_policy(Worker& worker);
std::unique_ptr<Policy> make_messaging_policy(Worker& worker);
std::unique_ptr<Policy> make_database_policy(Worker& worker);
std::unique_ptr<Policy> make_ui_policy(Worker& worker);

}  // namespace hallows::sched::detail
