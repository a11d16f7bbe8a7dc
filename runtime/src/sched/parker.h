// Where a partition's idle workers sleep, and how senders wake them.
//
// Protocol (no lost wake-ups): a worker calls prepare(), then polls once more for work, then
// park()s, or cancel()s when the extra poll found work. notify() is a fence and a load when no
// worker is parked. A sender publishes its message, then notify(): either notify sees the
// worker's prepare() and bumps the epoch, or the worker's extra poll sees the message.
//
// A worker whose receivers have a wait_fd sleeps in epoll instead of on the condition variable
// (worker_fds.cpp): it registers an eventfd here, which wake_all() writes. The protocol is the
// same (prepare, poll again, sleep, cancel); the eventfd keeps a wake-up that comes between the
// extra poll and epoll_wait, so none is lost.
#pragma once

#include <unistd.h>

#include <algorithm>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

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
      const std::uint64_t one = 1;
      for (int fd : wake_fds_) {
        // An eventfd's counter only saturates after 2^64 - 2 wake-ups: the write cannot fail.
        [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof one);
      }
    }
    cv_.notify_all();
  }

  // An eventfd that wake_all() writes to, for a worker that sleeps in epoll.
  void add_wake_fd(int fd) {
    std::lock_guard lock(mutex_);
    wake_fds_.push_back(fd);
  }
  void remove_wake_fd(int fd) {
    std::lock_guard lock(mutex_);
    wake_fds_.erase(std::remove(wake_fds_.begin(), wake_fds_.end(), fd), wake_fds_.end());
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
  std::uint64_t epoch_ = 0;    // guarded by mutex_
  std::vector<int> wake_fds_;  // guarded by mutex_
};

}  // namespace hallows::sched::detail
