// MpscRing<T>: a bounded multi-producer single-consumer ring, zero-copy. A producer claims a
// slot with one compare-and-swap on the shared tail, writes the message in place and publishes
// it by storing the slot's sequence number; the single consumer reads slots by reference in
// order.
//
// Memory layout (each line 64 bytes):
//   line 0  slot pointer and mask (read-only after construction)
//   line 1  tail: atomic u64 = (claimed count << 1) | closed bit; producers CAS it
//           head_hint: atomic u64, the last head a producer read (saves re-reading head)
//   line 2  head: atomic u64, number of messages released (consumer writes, producers read
//           only when their view says the ring is full)
//   line 3  consumer-private head;  lines 4, 5  not_empty / not_full WaitPoints
//   slots   capacity x { T value; atomic u64 seq; } allocated once, cache-line aligned
//
// Protocol. Message number p goes to slot p % capacity. seq of that slot is p + 1 once p is
// published (initially i + 1 - capacity for slot i, so that every publish adds capacity).
//   claim:   read tail t; fail if closed (t & 1) or p = t >> 1 is capacity ahead of head;
//            CAS tail t -> t + 2. The CAS makes p unique: no two producers write one number.
//   publish: seq = seq + capacity (release), after the in-place write.
//   consume: the consumer at head h reads seq of slot h (acquire); equal to h + 1 means the
//            message is complete and visible; it reads it, then stores head (release).
// A producer reuses a slot only after reading (acquire) a head beyond it, either from head or
// from head_hint (release/acquire chain), so the consumer's reads happen before the rewrite.
// close() sets the closed bit with one atomic OR on tail: a claim either succeeded before it
// (and will be published: every successful claim must be published, there is no cancel) or
// fails after it. The final count is tail >> 1, and the consumer is drained when head reaches
// it: nothing is lost, nothing read twice. close() may be called by any producer (or the
// consumer, which then receives everything claimed before the close).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "hallows/chan/slots.h"
#include "hallows/chan/spsc_core.h"  // take_slot
#include "hallows/chan/wait.h"

namespace hallows::chan {

template <class T>
class MpscRing {
 public:
  using value_type = T;

  // `capacity` is rounded up to a power of two (1 .. kMaxCapacity, else std::invalid_argument).
  explicit MpscRing(std::size_t capacity)
      : mask_(ring_capacity(capacity) - 1), storage_(mask_ + 1), slots_(storage_.data()) {
    for (std::uint64_t i = 0; i <= mask_; ++i) {
      slots_[i].seq.store(i + 1 - (mask_ + 1), std::memory_order_relaxed);
    }
  }
  MpscRing(const MpscRing&) = delete;
  MpscRing& operator=(const MpscRing&) = delete;

  // ---- producer side (any number of threads) ----

  // Claims the next slot, or nullptr when full or closed. The caller writes it in place and
  // must then call publish(slot) (each claim is a distinct slot; there is no cancel).
  T* try_claim() {
    std::uint64_t p = 0;
    return claim_range(1, p) == 1 ? &slots_[p & mask_].value : nullptr;
  }
  // Blocking claim: nullptr only once closed.
  T* claim() {
    for (;;) {
      if (T* slot = try_claim()) return slot;
      if (closed()) return nullptr;
      wait_not_full();
    }
  }
  // Publishes a slot returned by try_claim()/claim(), from the thread that claimed it.
  void publish(T* claimed) {
    const auto index = static_cast<std::size_t>(reinterpret_cast<char*>(claimed) -
                                                reinterpret_cast<char*>(slots_)) /
                       sizeof(Slot);
    mark_published(slots_[index]);
    not_empty_.notify(Scope::kProcess);
  }

  bool try_push(const T& value) {
    return send([&](T& s) { s = value; }, false);
  }
  bool try_push(T&& value) {
    return send([&](T& s) { s = std::move(value); }, false);
  }
  // Blocking sends: false only when the ring is closed.
  bool push(const T& value) {
    return send([&](T& s) { s = value; }, true);
  }
  bool push(T&& value) {
    return send([&](T& s) { s = std::move(value); }, true);
  }

  // Claims up to `max` consecutive slots with one CAS, calls fill(T& slot, std::size_t i) on
  // each and publishes them. Returns the count (0 when full or closed).
  template <class F>
  std::size_t try_push_batch(std::size_t max, F&& fill) {
    std::uint64_t p = 0;
    const std::size_t n = claim_range(max, p);
    for (std::size_t i = 0; i < n; ++i) fill(slots_[(p + i) & mask_].value, i);
    for (std::size_t i = 0; i < n; ++i) mark_published(slots_[(p + i) & mask_]);
    if (n != 0) not_empty_.notify(Scope::kProcess);
    return n;
  }
  // Blocking batch: waits for at least one free slot; 0 only when closed (or max == 0).
  template <class F>
  std::size_t push_batch(std::size_t max, F&& fill) {
    for (;;) {
      const std::size_t n = try_push_batch(max, fill);
      if (n != 0 || max == 0 || closed()) return n;
      wait_not_full();
    }
  }

  // No more sends (from any thread): later claims fail; claims made before still complete.
  void close() {
    tail_.fetch_or(1, std::memory_order_acq_rel);
    not_empty_.notify_all_always(Scope::kProcess);
    not_full_.notify_all_always(Scope::kProcess);
  }

  // ---- consumer side (one thread) ----

  const T* try_peek() {
    Slot& s = slots_[c_.head & mask_];
    return s.seq.load(std::memory_order_acquire) == c_.head + 1 ? &s.value : nullptr;
  }
  void release() { release(1); }
  void release(std::size_t n) {
    c_.head += n;
    head_.store(c_.head, std::memory_order_release);
    not_full_.notify(Scope::kProcess);
  }
  // Calls f(const T&) on up to `max` published messages in order, then releases them at once.
  template <class F>
  std::size_t read_batch(F&& f, std::size_t max = SIZE_MAX) {
    std::size_t n = 0;
    for (; n < max; ++n) {
      const Slot& s = slots_[(c_.head + n) & mask_];
      if (s.seq.load(std::memory_order_acquire) != c_.head + n + 1) break;
      f(s.value);
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
  bool try_pop(T& out) {
    Slot& s = slots_[c_.head & mask_];
    if (s.seq.load(std::memory_order_acquire) != c_.head + 1) return false;
    detail::take_slot(s.value, out);
    release(1);
    return true;
  }
  // Blocking receive (the slot's contents are swapped into `out` for owning types, copied
  // otherwise); false once closed and drained.
  bool pop(T& out) {
    for (;;) {
      if (try_pop(out)) return true;
      if (closed_and_drained()) return false;
      wait_not_empty();
    }
  }
  // True once closed and every message claimed before the close was read and released.
  bool closed_and_drained() const {
    const std::uint64_t t = tail_.load(std::memory_order_acquire);
    return (t & 1) != 0 && (t >> 1) == c_.head;
  }

  // ---- either side ----
  bool closed() const { return (tail_.load(std::memory_order_acquire) & 1) != 0; }
  std::size_t capacity() const { return mask_ + 1; }
  std::size_t size_approx() const {
    const std::uint64_t t = tail_.load(std::memory_order_relaxed) >> 1;
    const std::uint64_t h = head_.load(std::memory_order_relaxed);
    return t > h ? static_cast<std::size_t>(t - h) : 0;
  }

 private:
  struct Slot {
    T value{};
    std::atomic<std::uint64_t> seq{0};
  };

  // Claims min(want, free) consecutive numbers starting at `first`; returns how many.
  std::size_t claim_range(std::size_t want, std::uint64_t& first) {
    if (want == 0) return 0;
    std::uint64_t t = tail_.load(std::memory_order_relaxed);
    for (;;) {
      if ((t & 1) != 0) return 0;
      const std::uint64_t p = t >> 1;
      std::uint64_t h = head_hint_.load(std::memory_order_acquire);
      if (p - h > mask_) {  // looks full (or h is newer than our stale p)
        h = head_.load(std::memory_order_acquire);
        if (p - h > mask_) {
          const std::uint64_t now = tail_.load(std::memory_order_relaxed);
          if (now == t) return 0;  // tail unchanged while head <= p: really full
          t = now;
          continue;
        }
        head_hint_.store(h, std::memory_order_release);
      }
      const std::size_t n = std::min<std::uint64_t>(want, mask_ + 1 - (p - h));
      if (tail_.compare_exchange_weak(t, t + 2 * n, std::memory_order_relaxed)) {
        first = p;
        detail::prefetch_for_write(&slots_[(p + n + kPrefetchAhead) & mask_]);
        return n;
      }
    }
  }
  void mark_published(Slot& s) {
    const std::uint64_t seq = s.seq.load(std::memory_order_relaxed);
    s.seq.store(seq + mask_ + 1, std::memory_order_release);
  }
  template <class Fill>
  bool send(Fill&& fill, bool block) {
    T* slot = block ? claim() : try_claim();
    if (slot == nullptr) return false;
    fill(*slot);
    publish(slot);
    return true;
  }
  void wait_not_full() {
    not_full_.wait_until(
        [this] {
          const std::uint64_t t = tail_.load(std::memory_order_acquire);
          return (t & 1) != 0 || (t >> 1) - head_.load(std::memory_order_acquire) <= mask_;
        },
        Scope::kProcess);
  }
  void wait_not_empty() {
    not_empty_.wait_until(
        [this] {
          // A claim made before close() but not yet published keeps the consumer waiting
          // for that publish (which notifies), rather than spinning.
          return slots_[c_.head & mask_].seq.load(std::memory_order_acquire) == c_.head + 1 ||
                 closed_and_drained();
        },
        Scope::kProcess);
  }

  static constexpr std::uint64_t kPrefetchAhead = 8;  // slots; see prefetch_for_write
  const std::uint64_t mask_;
  detail::SlotArray<Slot> storage_;
  Slot* const slots_;
  alignas(kCacheLine) std::atomic<std::uint64_t> tail_{0};
  std::atomic<std::uint64_t> head_hint_{0};
  alignas(kCacheLine) std::atomic<std::uint64_t> head_{0};
  struct alignas(kCacheLine) ConsumerState {
    std::uint64_t head = 0;
  } c_;
  WaitPoint not_empty_{Scope::kProcess};
  WaitPoint not_full_{Scope::kProcess};
};

}  // namespace hallows::chan
