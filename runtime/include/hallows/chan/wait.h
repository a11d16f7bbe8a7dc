// How a channel endpoint waits: spin, then yield, then park on a futex; and how the other side
// wakes it without paying for a fence on every message.
//
// A WaitPoint is two 32-bit words on their own cache line:
//
//   offset 0  epoch    futex word; bumped by a notifier that saw a waiter
//   offset 4  waiters  number of threads (or processes) parked or about to park
//
// It holds only lock-free atomics, so it may live in shared memory (Scope::kShared selects
// futex calls without FUTEX_PRIVATE_FLAG and the process-wide barrier below).
//
// Memory ordering (the lost-wakeup argument). The notifier publishes (a release store of a
// cursor), then reads `waiters`; the waiter increments `waiters`, then re-reads the cursor.
// This is Dekker's pattern: without a full barrier on both sides each may read the other's old
// value, the notifier skips the wake and the waiter sleeps on a message that is already there.
// Putting a full fence after every publish would cost tens of cycles per message and serialize
// the producer's stores, so the barrier is asymmetric (as in liburcu and folly):
//   - notifier (hot path): a compiler barrier only (light_barrier);
//   - waiter (slow path, about to sleep anyway): membarrier(2), which runs a full barrier on
//     every CPU currently running a thread of this process (or of every registered process,
//     for shared memory) (heavy_barrier).
// After the waiter's membarrier, either the notifier's cursor store is visible to the
// waiter's re-check, or the notifier's `waiters` load comes after the barrier and sees 1.
// When membarrier is unavailable (old kernel, seccomp), light_barrier becomes a seq_cst fence
// and heavy_barrier a seq_cst fence: correct, slower. The epoch closes the remaining window:
// the waiter reads it before re-checking, and futex_wait(epoch, seen) returns at once if a
// notifier bumped it in between.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>

namespace hallows::chan {

// Size of a cache line on the machines we target; every shared index sits on its own line.
inline constexpr std::size_t kCacheLine = 64;

// Whether the waiting and notifying sides are threads of one process or separate processes.
enum class Scope { kProcess, kShared };

namespace detail {

// Pause instruction for spin loops (tells the core it spins; cheaper for the sibling thread).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#else
  std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
}

// Asks for the cache line at `p` in exclusive state ahead of a write (x86 PREFETCHW, a no-op
// hint elsewhere). Writers use it a few slots ahead: the line was last read by the other core,
// and without the hint every slot write waits for that transfer in turn.
inline void prefetch_for_write(const void* p) {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("prefetchw %0" ::"m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p, 1);
#endif
}

// A full (seq_cst) fence. ThreadSanitizer does not model standalone fences (GCC warns with
// -Wtsan), so sanitized builds use a seq_cst read-modify-write instead: a full barrier on the
// hardware we run on, and an operation TSan understands.
#if defined(__SANITIZE_THREAD__)
#define HALLOWS_CHAN_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HALLOWS_CHAN_TSAN 1
#endif
#endif
inline void full_fence() {
#ifdef HALLOWS_CHAN_TSAN
  static std::atomic<int> fence_word{0};
  fence_word.fetch_add(0, std::memory_order_seq_cst);
#else
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
}

// True when membarrier(2) with the expedited command for `scope` was registered for this
// process (done once, at first use, thread-safe).
bool membarrier_ready(Scope scope);

// Flag read on the hot path; set by the first membarrier_ready(kProcess) call (a WaitPoint's
// constructor makes that call, so it is set before any notify can run).
extern std::atomic<bool> g_private_membarrier;
extern std::atomic<bool> g_global_membarrier;

// Waiter side: full barrier on every CPU running a thread of this process (kProcess) or of any
// registered process (kShared); a seq_cst fence as well, and alone when membarrier is missing.
void heavy_barrier(Scope scope);

// Notifier side: pairs with heavy_barrier.
inline void light_barrier(Scope scope) {
  const auto& ready = scope == Scope::kProcess ? g_private_membarrier : g_global_membarrier;
  if (ready.load(std::memory_order_relaxed)) {
    std::atomic_signal_fence(std::memory_order_seq_cst);
  } else {
    full_fence();
  }
}

// futex(2) wrappers: wait while *word == expected (returns on wake, mismatch or signal), wake all.
void futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t expected, Scope scope);
void futex_wake_all(std::atomic<std::uint32_t>* word, Scope scope);

}  // namespace detail

// Backoff budget before parking: kSpinRounds checks separated by bursts of pause that double
// from 1 to kMaxBurst (about 320 pauses, ~6 us on current x86), then kYields sched_yield calls.
// The growing gap matters: a waiter that re-reads the other side's line in a tight loop keeps
// pulling it away from the side about to write it (MPSC, one message at a time, measured
// ~4 M msg/s when the consumer polled after every pause, 30+ M msg/s with 64-pause gaps).
struct WaitBudget {
  static constexpr int kSpinRounds = 10;
  static constexpr int kMaxBurst = 64;
  static constexpr int kYields = 64;
};

// One direction's parking place ("not empty" for a consumer, "not full" for a producer).
class alignas(kCacheLine) WaitPoint {
 public:
  explicit WaitPoint(Scope scope = Scope::kProcess) { (void)detail::membarrier_ready(scope); }
  WaitPoint(const WaitPoint&) = delete;
  WaitPoint& operator=(const WaitPoint&) = delete;

  // Blocks until ready() is true: spin, yield, then park. ready() must be a pure check of
  // atomics (it runs many times). Returns immediately if ready() already holds.
  template <class Ready>
  void wait_until(Ready&& ready, Scope scope) {
    for (int round = 0, burst = 1; round < WaitBudget::kSpinRounds; ++round) {
      if (ready()) return;
      for (int i = 0; i < burst; ++i) detail::cpu_relax();
      if (burst < WaitBudget::kMaxBurst) burst *= 2;
    }
    for (int i = 0; i < WaitBudget::kYields; ++i) {
      if (ready()) return;
      std::this_thread::yield();
    }
    for (;;) {
      const std::uint32_t seen = epoch_.load(std::memory_order_acquire);
      waiters_.fetch_add(1, std::memory_order_seq_cst);
      detail::heavy_barrier(scope);
      if (ready()) {
        waiters_.fetch_sub(1, std::memory_order_relaxed);
        return;
      }
      detail::futex_wait(&epoch_, seen, scope);
      waiters_.fetch_sub(1, std::memory_order_relaxed);
      if (ready()) return;
    }
  }

  // Called after a publish or release: wakes parked waiters, if any. Costs a compiler barrier
  // and one load of a line that is written only when somebody parks.
  void notify(Scope scope) {
    detail::light_barrier(scope);
    if (waiters_.load(std::memory_order_acquire) != 0) wake(scope);
  }

  // Wakes everyone unconditionally (close): a full fence, an epoch bump and a futex wake.
  void notify_all_always(Scope scope) {
    detail::full_fence();
    wake(scope);
  }

  // Number of parked (or about to park) waiters; for tests and stats.
  std::uint32_t waiters() const { return waiters_.load(std::memory_order_relaxed); }

 private:
  void wake(Scope scope) {
    epoch_.fetch_add(1, std::memory_order_release);
    detail::futex_wake_all(&epoch_, scope);
  }

  std::atomic<std::uint32_t> epoch_{0};
  std::atomic<std::uint32_t> waiters_{0};
};

static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

}  // namespace hallows::chan
