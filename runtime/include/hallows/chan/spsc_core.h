// The single-producer single-consumer algorithm shared by SpscRing (in-process) and
// ShmSpscRing (shared memory). Not for direct use: include spsc_ring.h or shm_ring.h.
//
// Shared state (SpscControl, in the ring object or in the mapping), one cache line each:
//   tail      atomic u64: number of messages published (written by the producer only)
//   head      atomic u64: number of messages released (written by the consumer only)
//   closed    atomic u32: 1 once close() ran
//   not_empty WaitPoint the consumer parks on;  not_full  WaitPoint the producer parks on
// Private state (SpscCore, in each side's own object), one cache line per side:
//   producer: its tail and a cached copy of head; consumer: its head and a cached copy of tail.
// Slot i holds message number n when n % capacity == i; the producer owns slots [tail, head +
// capacity), the consumer owns [head, tail). Indices are 64-bit and never wrap in practice.
//
// Ordering: the producer writes a slot, then stores tail (release); the consumer loads tail
// (acquire) before reading slots below it, so it sees every write. The consumer reads a slot,
// then stores head (release); the producer loads head (acquire) before reusing slots below
// head + capacity. Each message number is produced once (the producer's tail only grows) and
// consumed once (the consumer's head only grows), so none is lost or duplicated. The cached
// copies only make a side re-read the other's cursor less often: a stale copy under-estimates
// what is available, never over-estimates it. close() stores closed (release) after the
// producer's last publish; closed_and_drained() loads closed (acquire) then tail, so it sees
// the final tail. close() must come from the producer thread (or once the producer stopped).
#pragma once

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "hallows/chan/send_ops.h"
#include "hallows/chan/wait.h"

namespace hallows::chan::detail {

struct SpscControl {
  explicit SpscControl(Scope scope) : not_empty(scope), not_full(scope) {}
  alignas(kCacheLine) std::atomic<std::uint64_t> tail{0};
  alignas(kCacheLine) std::atomic<std::uint64_t> head{0};
  alignas(kCacheLine) std::atomic<std::uint32_t> closed{0};
  WaitPoint not_empty;
  WaitPoint not_full;
};

// Moves the slot's contents to `out` without allocating: a swap for types that own memory (the
// slot gets out's old buffers back, to be overwritten by a later message), a copy otherwise.
template <class T>
void take_slot(T& slot, T& out) {
  if constexpr (std::is_trivially_copyable_v<T>) {
    out = slot;
  } else {
    using std::swap;
    swap(out, slot);
  }
}

template <class T, Scope S>
class SpscCore : public SendOps<SpscCore<T, S>, T> {
 public:
  // ---- producer side (one thread) ----

  // The next free slot to write in place, or nullptr when the ring is full or closed. Calling
  // it again before publish() returns the same slot.
  T* try_claim() {
    if (ctl_->closed.load(std::memory_order_relaxed) != 0) return nullptr;
    const std::size_t free = free_slots();
    if (free == 0) return nullptr;
    if (free > kPrefetchAhead) prefetch_for_write(&slots_[(p_.tail + kPrefetchAhead) & mask_]);
    return &slots_[p_.tail & mask_];
  }
  // Blocking claim: waits for a free slot; nullptr only once closed.
  T* claim() {
    for (;;) {
      if (T* slot = try_claim()) return slot;
      if (closed()) return nullptr;
      wait_not_full();
    }
  }
  // Makes the claimed slot(s) visible to the consumer. publish(T*) exists so that code written
  // for MpscRing (which needs the slot) also compiles here.
  void publish() { publish(std::size_t{1}); }
  void publish(T* slot) {
    assert(slot == &slots_[p_.tail & mask_]);
    (void)slot;
    publish(std::size_t{1});
  }
  void publish(std::size_t n) {
    p_.tail += n;
    ctl_->tail.store(p_.tail, std::memory_order_release);
    ctl_->not_empty.notify(S);
  }

  // Claims up to `max` free slots and calls fill(T& slot, std::size_t i) on each, in order; does
  // not publish: call publish(n) with the returned count. 0 when full or closed.
  template <class F>
  std::size_t try_claim_batch(std::size_t max, F&& fill) {
    if (ctl_->closed.load(std::memory_order_relaxed) != 0) return 0;
    const std::size_t n = std::min<std::size_t>(max, free_slots(max));
    for (std::size_t i = 0; i < n; ++i) fill(slots_[(p_.tail + i) & mask_], i);
    return n;
  }
  // No more sends: later claims fail, the consumer drains what was published, waiters wake.
  void close() {
    ctl_->closed.store(1, std::memory_order_release);
    ctl_->not_empty.notify_all_always(S);
    ctl_->not_full.notify_all_always(S);
  }

  // ---- consumer side (one thread) ----

  // The oldest unread message, read in place, or nullptr when none is published.
  const T* try_peek() {
    if (available() == 0) return nullptr;
    return &slots_[c_.head & mask_];
  }
  // Gives the peeked slot(s) back to the producer.
  void release() { release(1); }
  void release(std::size_t n) {
    c_.head += n;
    ctl_->head.store(c_.head, std::memory_order_release);
    ctl_->not_full.notify(S);
  }
  // Calls f(const T&) on up to `max` available messages in order, then releases them at once.
  template <class F>
  std::size_t read_batch(F&& f, std::size_t max = SIZE_MAX) {
    const std::size_t n = std::min<std::size_t>(max, available(max));
    for (std::size_t i = 0; i < n; ++i) f(static_cast<const T&>(slots_[(c_.head + i) & mask_]));
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
  // Blocking receive into `out` (see take_slot); false once closed and drained.
  bool pop(T& out) {
    for (;;) {
      if (available() != 0) {
        take_slot(slots_[c_.head & mask_], out);
        release(1);
        return true;
      }
      if (closed_and_drained()) return false;
      wait_not_empty();
    }
  }
  // Non-blocking receive; false when nothing is published.
  bool try_pop(T& out) {
    if (available() == 0) return false;
    take_slot(slots_[c_.head & mask_], out);
    release(1);
    return true;
  }
  // True once close() ran and every published message was released: the consumer may stop.
  bool closed_and_drained() const {
    if (ctl_->closed.load(std::memory_order_acquire) == 0) return false;
    return ctl_->tail.load(std::memory_order_acquire) == c_.head;
  }

  // ---- either side ----
  bool closed() const { return ctl_->closed.load(std::memory_order_acquire) != 0; }
  std::size_t capacity() const { return mask_ + 1; }
  std::size_t size_approx() const {
    const std::uint64_t h = ctl_->head.load(std::memory_order_relaxed);
    const std::uint64_t t = ctl_->tail.load(std::memory_order_relaxed);
    return t > h ? static_cast<std::size_t>(t - h) : 0;
  }

 protected:
  SpscCore() = default;
  void bind(SpscControl* ctl, T* slots, std::size_t capacity) {
    ctl_ = ctl;
    slots_ = slots;
    mask_ = capacity - 1;
    p_ = {};
    c_ = {};
    p_.tail = c_.tail_cache = ctl->tail.load(std::memory_order_acquire);
    c_.head = p_.head_cache = ctl->head.load(std::memory_order_acquire);
  }

 private:
  // Free slots from the producer's view; re-reads head only when the cached copy shows fewer
  // than `want` (one load per batch, none per message while the copy suffices).
  std::size_t free_slots(std::size_t want = 1) {
    std::uint64_t used = p_.tail - p_.head_cache;
    if (mask_ + 1 - used < want) {
      p_.head_cache = ctl_->head.load(std::memory_order_acquire);
      used = p_.tail - p_.head_cache;
    }
    return static_cast<std::size_t>(mask_ + 1 - used);
  }
  // Published messages from the consumer's view; re-reads tail only when the copy shows fewer
  // than `want`.
  std::size_t available(std::size_t want = 1) {
    if (c_.tail_cache - c_.head < want) {
      c_.tail_cache = ctl_->tail.load(std::memory_order_acquire);
    }
    return static_cast<std::size_t>(c_.tail_cache - c_.head);
  }
  friend class SendOps<SpscCore, T>;
  void wait_not_full() {
    ctl_->not_full.wait_until(
        [this] {
          return p_.tail - ctl_->head.load(std::memory_order_acquire) <= mask_ ||
                 ctl_->closed.load(std::memory_order_acquire) != 0;
        },
        S);
  }
  void wait_not_empty() {
    ctl_->not_empty.wait_until(
        [this] {
          return ctl_->tail.load(std::memory_order_acquire) != c_.head ||
                 ctl_->closed.load(std::memory_order_acquire) != 0;
        },
        S);
  }

  static constexpr std::size_t kPrefetchAhead = 8;  // slots; see prefetch_for_write (wait.h)
  SpscControl* ctl_ = nullptr;
  T* slots_ = nullptr;
  std::uint64_t mask_ = 0;
  struct alignas(kCacheLine) ProducerState {
    std::uint64_t tail = 0;
    std::uint64_t head_cache = 0;
  } p_;
  struct alignas(kCacheLine) ConsumerState {
    std::uint64_t head = 0;
    std::uint64_t tail_cache = 0;
  } c_;
};

}  // namespace hallows::chan::detail
