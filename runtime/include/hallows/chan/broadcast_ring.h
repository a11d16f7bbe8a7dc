// BroadcastRing<T>: one writer, several readers, every reader sees every message in order (the
// LMAX Disruptor pattern). The writer writes each message in place once; each reader reads it
// by reference at its own pace; the slowest reader holds the writer back (backpressure).
//
// Memory layout (each line 64 bytes):
//   line 0  slot pointer, mask, reader list (read-only once the writer starts)
//   line 1  tail: atomic u64, number of messages published (writer writes, readers read)
//           closed: atomic u32
//   line 2  writer-private: its tail and the cached gating sequence (minimum reader cursor)
//   lines 3, 4  not_empty (readers park) / not_full (writer parks) WaitPoints
//   one line per reader (separate allocation): its cursor (atomic u64, the number of messages
//           it released; the writer reads it only when its cached gate says full), and the
//           reader-private head and cached tail
//   slots   capacity default-constructed T, allocated once, cache-line aligned
//
// Ordering. The writer writes slot p % capacity, then stores tail (release); a reader loads tail
// (acquire) before reading slots below it. A reader stores its cursor (release) after reading;
// the writer reuses slot p % capacity only after loading (acquire) every reader's cursor and
// finding the minimum above p - capacity, so every reader's read happens before the rewrite.
// Each reader's head only grows by what it read, so it sees each message exactly once, in order.
// close() (writer thread) stores closed after the last publish; a reader that loads closed
// (acquire) and then tail knows the final count.
//
// Threads: one writer thread; each Reader is used by one thread. add_reader() must be called
// before the writer starts (it is not synchronized with the writer's gating loop); a reader
// added later would start at the current tail. Reader::leave() stops a reader from gating the
// writer (e.g. a partition that shut down). The ring must outlive its Readers.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "hallows/chan/send_ops.h"
#include "hallows/chan/slots.h"
#include "hallows/chan/wait.h"

namespace hallows::chan {

template <class T>
class BroadcastRing : public detail::SendOps<BroadcastRing<T>, T> {
  struct alignas(kCacheLine) Cursor {
    std::atomic<std::uint64_t> released{0};  // shared: read by the writer's gate
    std::uint64_t head = 0;                  // reader-private
    std::uint64_t tail_cache = 0;            // reader-private
  };
  static constexpr std::uint64_t kLeft = std::numeric_limits<std::uint64_t>::max();

 public:
  using value_type = T;

  // A reader's handle: the consumer API of SpscRing, on this reader's own cursor.
  class Reader {
   public:
    // Move-only: two handles on one cursor would read each message once between them.
    Reader() = default;
    Reader(Reader&&) noexcept = default;
    Reader& operator=(Reader&&) noexcept = default;
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    const T* try_peek() {
      if (available() == 0) return nullptr;
      return &ring_->slots_[c_->head & ring_->mask_];
    }
    void release() { release(1); }
    void release(std::size_t n) {
      c_->head += n;
      c_->released.store(c_->head, std::memory_order_release);
      ring_->not_full_.notify(Scope::kProcess);
    }
    // Calls f(const T&) on up to `max` published messages in order, then releases them at once.
    template <class F>
    std::size_t read_batch(F&& f, std::size_t max = SIZE_MAX) {
      const std::size_t n = std::min<std::size_t>(max, available(max));
      for (std::size_t i = 0; i < n; ++i) {
        f(static_cast<const T&>(ring_->slots_[(c_->head + i) & ring_->mask_]));
      }
      if (n != 0) release(n);
      return n;
    }
    // Blocking batch read: waits for at least one message; 0 only when closed and drained.
    template <class F>
    std::size_t pop_batch(F&& f, std::size_t max = SIZE_MAX) {
      for (;;) {
        const std::size_t n = read_batch(f, max);
        if (n != 0 || max == 0 || closed_and_drained()) return n;
        wait_not_empty();
      }
    }
    // Copies the next message into `out` (copy-assignment: other readers share the slot);
    // false when nothing is published.
    bool try_pop(T& out) {
      const T* m = try_peek();
      if (m == nullptr) return false;
      out = *m;
      release(1);
      return true;
    }
    // Blocking try_pop; false once closed and drained.
    bool pop(T& out) {
      for (;;) {
        if (try_pop(out)) return true;
        if (closed_and_drained()) return false;
        wait_not_empty();
      }
    }
    bool closed_and_drained() const {
      if (ring_->closed_.load(std::memory_order_acquire) == 0) return false;
      return ring_->tail_.load(std::memory_order_acquire) == c_->head;
    }
    // Stops gating the writer; the handle must not be used afterwards.
    void leave() {
      c_->released.store(kLeft, std::memory_order_release);
      ring_->not_full_.notify(Scope::kProcess);
    }

   private:
    friend class BroadcastRing;
    Reader(BroadcastRing* ring, Cursor* c) : ring_(ring), c_(c) {}
    // Re-reads the tail only when the cached copy shows fewer than `want` messages.
    std::size_t available(std::size_t want = 1) {
      if (c_->tail_cache - c_->head < want) {
        c_->tail_cache = ring_->tail_.load(std::memory_order_acquire);
      }
      return static_cast<std::size_t>(c_->tail_cache - c_->head);
    }
    void wait_not_empty() {
      ring_->not_empty_.wait_until(
          [this] {
            return ring_->tail_.load(std::memory_order_acquire) != c_->head ||
                   ring_->closed_.load(std::memory_order_acquire) != 0;
          },
          Scope::kProcess);
    }
    BroadcastRing* ring_ = nullptr;
    Cursor* c_ = nullptr;
  };

  // `capacity` is rounded up to a power of two (1 .. kMaxCapacity, else std::invalid_argument).
  explicit BroadcastRing(std::size_t capacity)
      : mask_(ring_capacity(capacity) - 1), storage_(mask_ + 1), slots_(storage_.data()) {}
  BroadcastRing(const BroadcastRing&) = delete;
  BroadcastRing& operator=(const BroadcastRing&) = delete;

  // A new reader, starting at the current tail. Call before the writer starts.
  Reader add_reader() {
    auto c = std::make_unique<Cursor>();
    c->head = c->tail_cache = tail_.load(std::memory_order_acquire);
    c->released.store(c->head, std::memory_order_release);
    readers_.push_back(std::move(c));
    return Reader(this, readers_.back().get());
  }
  std::size_t reader_count() const { return readers_.size(); }

  // ---- writer side (one thread) ----

  // The next free slot (free once every reader released it), or nullptr when full or closed.
  T* try_claim() {
    if (closed_.load(std::memory_order_relaxed) != 0) return nullptr;
    const std::size_t free = free_slots();
    if (free == 0) return nullptr;
    if (free > kPrefetchAhead) {
      detail::prefetch_for_write(&slots_[(w_.tail + kPrefetchAhead) & mask_]);
    }
    return &slots_[w_.tail & mask_];
  }
  T* claim() {
    for (;;) {
      if (T* slot = try_claim()) return slot;
      if (closed()) return nullptr;
      wait_not_full();
    }
  }
  void publish() { publish(std::size_t{1}); }
  void publish(T*) { publish(std::size_t{1}); }
  void publish(std::size_t n) {
    w_.tail += n;
    tail_.store(w_.tail, std::memory_order_release);
    not_empty_.notify(Scope::kProcess);
  }
  // Claims up to `max` slots and calls fill(T&, std::size_t i) on each; publish(n) follows.
  template <class F>
  std::size_t try_claim_batch(std::size_t max, F&& fill) {
    if (closed_.load(std::memory_order_relaxed) != 0) return 0;
    const std::size_t n = std::min<std::size_t>(max, free_slots(max));
    for (std::size_t i = 0; i < n; ++i) fill(slots_[(w_.tail + i) & mask_], i);
    return n;
  }
  void close() {
    closed_.store(1, std::memory_order_release);
    not_empty_.notify_all_always(Scope::kProcess);
    not_full_.notify_all_always(Scope::kProcess);
  }

  bool closed() const { return closed_.load(std::memory_order_acquire) != 0; }
  std::size_t capacity() const { return mask_ + 1; }
  // Published messages the slowest reader has not released yet.
  std::size_t size_approx() const {
    const std::uint64_t t = tail_.load(std::memory_order_relaxed);
    return static_cast<std::size_t>(t - std::min(t, gate()));
  }

 private:
  // Minimum cursor over readers still present (tail when none).
  std::uint64_t gate() const {
    std::uint64_t g = kLeft;
    for (const auto& r : readers_) g = std::min(g, r->released.load(std::memory_order_acquire));
    return g;
  }
  // Re-computes the gate only when the cached one leaves fewer than `want` free slots.
  std::size_t free_slots(std::size_t want = 1) {
    std::uint64_t used = w_.tail - w_.gate_cache;
    if (mask_ + 1 - used < want) {
      w_.gate_cache = std::min(gate(), w_.tail);
      used = w_.tail - w_.gate_cache;
    }
    return static_cast<std::size_t>(mask_ + 1 - used);
  }
  friend class detail::SendOps<BroadcastRing, T>;
  void wait_not_full() {
    not_full_.wait_until(
        [this] {
          return w_.tail - std::min(gate(), w_.tail) <= mask_ ||
                 closed_.load(std::memory_order_acquire) != 0;
        },
        Scope::kProcess);
  }

  static constexpr std::size_t kPrefetchAhead = 8;  // slots; see prefetch_for_write (wait.h)
  const std::uint64_t mask_;
  detail::SlotArray<T> storage_;
  T* const slots_;
  std::vector<std::unique_ptr<Cursor>> readers_;
  alignas(kCacheLine) std::atomic<std::uint64_t> tail_{0};
  std::atomic<std::uint32_t> closed_{0};
  struct alignas(kCacheLine) WriterState {
    std::uint64_t tail = 0;
    std::uint64_t gate_cache = 0;
  } w_;
  WaitPoint not_empty_{Scope::kProcess};
  WaitPoint not_full_{Scope::kProcess};
};

}  // namespace hallows::chan
