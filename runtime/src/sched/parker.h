// Where a partition's idle workers sleep, and how senders wake them.
//
// Protocol (no lost wake-ups): a worker calls prepare(), then polls once more for work, then
// park()s, or cancel()s when the extra poll found work. notify() is a fence and a load when no
// worker is parked. A sender publishes its message, then notify(): either notify sees the
// worker's prepare() and bumps the epoch, or the worker's extra poll sees the message.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace hallows::sched::detail {

class Parker {
 public:
  void notify() noexcept {
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer does not model fences: a read-modify-write orders the same way.
    if (waiting_.fetch_add(0, std::memory_order_seq_cst) == 0) return;
#else
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (waiting_.load(std::memory_order_relaxed) == 0) return;
#endif
    wake_all();
  }

  // Unconditional: for stop and finish, which workers also check before they park.
  void wake_all() noexcept {
    {
      std::lock_guard lock(mutex_);
      ++epoch_;
    }
    cv_.notify_all();
  }

  // Announces a coming park; returns the epoch to pass to park().
  std::uint64_t prepare() {
    waiting_.fetch_add(1, std::memory_order_seq_cst);
    std::lock_guard lock(mutex_);
    return epoch_;
  }

  void cancel() noexcept {
    waiting_.fetch_sub(1, std::memory_order_relaxed);
  }

  // Sleeps until a notify after prepare() returned `epoch`, or `deadline`.
  template <class TimePoint>
  void park(std::uint64_t epoch, TimePoint deadline) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait_until(lock, deadline, [&] { return epoch_ != epoch; });
    }
    waiting_.fetch_sub(1, std::memory_order_relaxed);
  }

  // True while some worker is between prepare() and the end of park().
  bool someone_parked() const noexcept {
    return waiting_.load(std::memory_order_relaxed) > 0;
  }

 private:
  std::atomic<int> waiting_{0};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::uint64_t epoch_ = 0;  // guarded by mutex_
};

}  // namespace hallows::sched::detail
