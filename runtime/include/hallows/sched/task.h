// The one task interface of every scheduler: a C++20 coroutine returning Task, run by its
// partition's worker, suspending only at the awaitables below.
//
//   hallows::sched::Task produce() {
//     while (!hallows::sched::stop_requested()) { ...; co_await hallows::sched::maybe_yield(); }
//   }
//
// A Task is lazy: nothing runs until a worker resumes it (Partition::spawn) or another task
// co_awaits it (the child then runs on the same worker; its exception is rethrown in the
// parent). Frames come from the worker's arena (core::Arena) when created on a worker thread.
// The awaitables only suspend on a partition worker; elsewhere they complete at once
// (sleep_for then blocks the thread, wait_until spins until its predicate holds).
#pragma once

#include <chrono>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <utility>

namespace hallows::sched {

namespace detail {
void* allocate_frame(std::size_t size);
void free_frame(void* frame) noexcept;
bool on_worker() noexcept;
bool slice_expired() noexcept;
// Park the running task's innermost coroutine `h` on the current worker.
void suspend_yield(std::coroutine_handle<> h);
void suspend_sleep(std::chrono::steady_clock::time_point until, std::coroutine_handle<> h);
void suspend_wait(std::function<bool()> ready, std::coroutine_handle<> h);
}  // namespace detail

class Task {
 public:
  struct promise_type;
  using Handle = std::coroutine_handle<promise_type>;

  struct promise_type {
    std::coroutine_handle<> continuation;  // the awaiting parent, if any
    std::exception_ptr error;

    Task get_return_object() noexcept { return Task(Handle::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct FinalAwaiter {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(Handle h) noexcept {
        std::coroutine_handle<> next = h.promise().continuation;
        return next ? next : std::noop_coroutine();
      }
      void await_resume() noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
    static void* operator new(std::size_t size) { return detail::allocate_frame(size); }
    static void operator delete(void* frame) noexcept { detail::free_frame(frame); }
  };

  Task() noexcept = default;
  explicit Task(Handle h) noexcept : h_(h) {}
  Task(Task&& other) noexcept : h_(std::exchange(other.h_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (h_) h_.destroy();
      h_ = std::exchange(other.h_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (h_) h_.destroy();  // destroys the frame's locals, awaited children included
  }

  // co_await child(): runs the child on this worker until it returns.
  bool await_ready() const noexcept { return !h_ || h_.done(); }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> parent) noexcept {
    h_.promise().continuation = parent;
    return h_;
  }
  void await_resume() const {
    if (h_ && h_.promise().error) std::rethrow_exception(h_.promise().error);
  }

  Handle handle() const noexcept { return h_; }
  explicit operator bool() const noexcept { return static_cast<bool>(h_); }

 private:
  Handle h_;
};

struct YieldAwaiter {
  bool await_ready() const noexcept { return !detail::on_worker(); }
  void await_suspend(std::coroutine_handle<> h) const { detail::suspend_yield(h); }
  void await_resume() const noexcept {}
};

struct MaybeYieldAwaiter {
  bool await_ready() const noexcept { return !detail::slice_expired(); }
  void await_suspend(std::coroutine_handle<> h) const { detail::suspend_yield(h); }
  void await_resume() const noexcept {}
};

struct SleepAwaiter {
  std::chrono::steady_clock::time_point until;
  bool await_ready() const {
    if (detail::on_worker()) return false;
    std::this_thread::sleep_until(until);
    return true;
  }
  void await_suspend(std::coroutine_handle<> h) const { detail::suspend_sleep(until, h); }
  void await_resume() const noexcept {}
};

template <class Pred>
struct WaitAwaiter {
  Pred ready;
  bool await_ready() {
    if (ready()) return true;
    if (detail::on_worker()) return false;
    while (!ready()) std::this_thread::yield();
    return true;
  }
  // The worker keeps a reference to `ready`: this awaiter lives in the suspended frame.
  void await_suspend(std::coroutine_handle<> h) {
    detail::suspend_wait([this] { return static_cast<bool>(ready()); }, h);
  }
  void await_resume() const noexcept {}
};

// Always suspends and lets the partition's scheduler run other work first.
inline YieldAwaiter yield_now() noexcept {
  return {};
}

// Suspends only when the task has run for its partition's time_slice since it was resumed.
// Cheap enough for every loop iteration (one clock read).
inline MaybeYieldAwaiter maybe_yield() noexcept {
  return {};
}

inline SleepAwaiter sleep_for(std::chrono::nanoseconds duration) {
  return {std::chrono::steady_clock::now() + duration};
}

// Suspends until pred() is true. The worker re-checks it each time it polls; while nothing
// else progresses it parks at most 1 ms between checks (senders' notify() wakes it sooner).
template <class Pred>
WaitAwaiter<Pred> wait_until(Pred pred) {
  return {std::move(pred)};
}

// True once the program's shutdown began (a signal, request_stop or a stop_program failure).
// False off the partition workers.
bool stop_requested() noexcept;

// Once stop_requested(): when the program's shutdown_timeout runs out (steady clock), for work
// that winds down gradually (an HTTP loop finishing its requests). time_point::max() before a
// stop and off the partition workers.
std::chrono::steady_clock::time_point stop_deadline() noexcept;

}  // namespace hallows::sched
