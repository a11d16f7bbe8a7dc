// MpscRing<T>: a bounded multi-producer single-consumer channel made of per-producer lanes,
// zero-copy. Each producer owns one single-producer lane (the algorithm of spsc_core.h: a
// producer writes a message in place in its slot and publishes it with one release store of
// its lane's tail); the single consumer drains the lanes round-robin, reading slots by
// reference. No message takes a locked instruction or touches a line another producer writes.
//
// Memory layout. Every region below starts on a 128-byte boundary (kMpscPad: a cache line and
// its prefetch buddy), so no two cores write near each other:
//   ring     lanes      the lane table (read-only after construction)
//            closed     atomic u32, bit 0 = closing (sends fail), bit 1 = sealed
//            not_empty  WaitPoint, shared by all lanes: the consumer parks once for all of them
//            consumer   current lane, messages taken from it in a row, and the per-lane
//                       consumer state (lane, slots, mask, head, cached tail), one region each
//   lane     (one separate allocation per producer; the Producer object)
//            config     ring pointer, slot pointer, mask (read-only after construction)
//            tail       atomic u64, messages published (the lane's producer writes it)
//            head       atomic u64, messages released (the consumer writes it; the producer
//                       reads it only when its cached copy says the lane is full)
//            producer   private tail, cached head and claimed count, and `announced`, an
//                       atomic copy of the claimed count that the consumer reads once sealed
//            not_full   WaitPoint (the lane's producer parks on it)
//            slots      `capacity` default-constructed T, cache-line aligned, allocated once
//                       and reused forever (a std::string member keeps its capacity), so
//                       steady-state sends allocate nothing
//
// Within a lane (as in spsc_core.h): the producer writes a slot, then stores tail (release);
// the consumer loads tail (acquire) before reading slots below it. The consumer reads a slot,
// then stores head (release); the producer loads head (acquire) before reusing a slot below
// head + capacity. Message number n of a lane is written once (the lane's tail only grows and
// one thread at a time owns the Producer) and read once (that lane's head only grows), so none
// is lost or duplicated and a lane's messages arrive in the order they were published.
//
// Fairness: the consumer takes at most kQuantum messages from a lane through try_peek/try_pop
// before moving to the next lane with messages, and read_batch visits each lane at most once
// per call, starting after the lane it read last; so a lane that is never empty cannot starve
// another one: each non-empty lane is served within one round of the others.
//
// Close (from any thread). A send must either fail or be delivered, even when close() races
// with it. A producer starting a claim first stores announced = tail + n (relaxed, in its
// private region), then re-reads closed; close() sets the closing bit, runs heavy_barrier
// (membarrier: a full barrier on every CPU running this process), then sets the sealed bit.
// This is the asymmetric Dekker pattern of wait.h: either the producer's announced store came
// before the barrier (then it is visible to whoever sees the sealed bit), or its re-read comes
// after it and sees closing, takes its claim back (announced = tail) and fails. A claim that
// survived is published normally, even after the close. closed_and_drained() sees the sealed
// bit (acquire), runs a full fence, then requires announced == tail == head on every lane:
// the consumer stops only when no claim is outstanding and every published message was read.
// Without membarrier both barriers are seq_cst fences (see wait.h).
#pragma once

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "hallows/chan/send_ops.h"
#include "hallows/chan/slots.h"
#include "hallows/chan/spsc_core.h"  // take_slot
#include "hallows/chan/wait.h"

namespace hallows::chan {

// Distance that keeps data written by different cores apart: two lines, because the x86 L2
// spatial prefetcher also fetches a line's 128-byte buddy, so a line one core writes next to a
// line another core polls can behave like one shared line (some libraries' destructive
// interference size is 128 for this reason). A precaution: runs on our shared machine vary
// more than the effect, so it is not a measured win.
inline constexpr std::size_t kMpscPad = 2 * kCacheLine;

template <class T>
class MpscRing {
 public:
  using value_type = T;

  // Messages the consumer takes from one lane in a row through try_peek/try_pop before it
  // looks at the next one (read_batch takes what a lane has, at most once per call).
  static constexpr std::size_t kQuantum = 64;

  // One producer's lane and its sending API. One thread at a time uses a Producer.
  class alignas(kMpscPad) Producer : public detail::SendOps<Producer, T> {
   public:
    Producer(const Producer&) = delete;
    Producer& operator=(const Producer&) = delete;

    // The next free slot of this lane to write in place, or nullptr when the lane is full or
    // the ring is closed. Calling it again before publish() returns the same slot. A slot it
    // returned must be published (the consumer waits for it), even if the ring closes meanwhile.
    T* try_claim() {
      if (p_.claimed != p_.tail) return &slots_[p_.tail & mask_];  // claimed, not published
      return begin_claim(1) == 1 ? &slots_[p_.tail & mask_] : nullptr;
    }
    // Blocking claim: waits for a free slot; nullptr only once closed.
    T* claim() {
      for (;;) {
        if (T* slot = try_claim()) return slot;
        if (ring_->closed()) return nullptr;
        wait_not_full();
      }
    }
    // Makes the claimed slot(s) visible to the consumer: one release store and a check for a
    // parked consumer (wait.h). publish(T*) accepts the slot try_claim returned.
    void publish() { publish(std::size_t{1}); }
    void publish(T* slot) {
      assert(slot == &slots_[p_.tail & mask_]);
      (void)slot;
      publish(std::size_t{1});
    }
    void publish(std::size_t n) {
      assert(n <= p_.claimed - p_.tail);
      p_.tail += n;
      tail_.store(p_.tail, std::memory_order_release);
      ring_->not_empty_.notify(Scope::kProcess);
    }

    // Claims up to `max` free slots and calls fill(T& slot, std::size_t i) on each, in order;
    // does not publish: call publish(n) with the returned count. 0 when full or closed. Not to
    // be mixed with an outstanding try_claim().
    template <class F>
    std::size_t try_claim_batch(std::size_t max, F&& fill) {
      assert(p_.claimed == p_.tail);
      const std::size_t n = begin_claim(max);
      for (std::size_t i = 0; i < n; ++i) {
        if (i + kPrefetchAhead < n) {
          detail::prefetch_for_write(&slots_[(p_.tail + i + kPrefetchAhead) & mask_]);
        }
        fill(slots_[(p_.tail + i) & mask_], i);
      }
      return n;
    }
    bool closed() const { return ring_->closed(); }
    std::size_t capacity() const { return mask_ + 1; }
    // Messages published on this lane and not yet released.
    std::size_t size_approx() const {
      const std::uint64_t h = head_.load(std::memory_order_relaxed);
      const std::uint64_t t = tail_.load(std::memory_order_relaxed);
      return t > h ? static_cast<std::size_t>(t - h) : 0;
    }

   private:
    friend class MpscRing;

    Producer(MpscRing* ring, std::size_t capacity)
        : ring_(ring), storage_(capacity), slots_(storage_.data()), mask_(capacity - 1) {}

    // Claims min(want, free) slots from p_.tail on, unless closed; returns how many.
    std::size_t begin_claim(std::size_t want) {
      if (want == 0 || ring_->closed_.load(std::memory_order_relaxed) != 0) return 0;
      const std::size_t free = free_slots(want);
      if (free == 0) return 0;
      const std::size_t n = std::min(free, want);
      // Announce the claim, then re-check closed (the Dekker pair with close(); see the top).
      p_.claimed = p_.tail + n;
      p_.announced.store(p_.claimed, std::memory_order_relaxed);
      detail::light_barrier(Scope::kProcess);
      if (ring_->closed_.load(std::memory_order_relaxed) != 0) {
        p_.claimed = p_.tail;  // take it back: close() may have missed it
        p_.announced.store(p_.claimed, std::memory_order_release);
        ring_->not_empty_.notify_all_always(Scope::kProcess);  // a consumer may wait on it
        return 0;
      }
      if (n + kPrefetchAhead < free) {
        detail::prefetch_for_write(&slots_[(p_.tail + n + kPrefetchAhead) & mask_]);
      }
      return n;
    }
    // Free slots from the producer's view; re-reads head only when the cached copy shows fewer
    // than `want` (one load per batch, none per message while the copy suffices).
    std::size_t free_slots(std::size_t want) {
      std::uint64_t used = p_.tail - p_.head_cache;
      if (mask_ + 1 - used < want) {
        p_.head_cache = head_.load(std::memory_order_acquire);
        used = p_.tail - p_.head_cache;
      }
      return static_cast<std::size_t>(mask_ + 1 - used);
    }
    friend class detail::SendOps<Producer, T>;
    void wait_not_full() {
      not_full_.wait_until(
          [this] {
            return p_.tail - head_.load(std::memory_order_acquire) <= mask_ || ring_->closed();
          },
          Scope::kProcess);
    }

    static constexpr std::uint64_t kPrefetchAhead = 8;  // slots; see prefetch_for_write
    MpscRing* const ring_;
    detail::SlotArray<T> storage_;
    T* const slots_;
    const std::uint64_t mask_;
    alignas(kMpscPad) std::atomic<std::uint64_t> tail_{0};
    alignas(kMpscPad) std::atomic<std::uint64_t> head_{0};
    struct alignas(kMpscPad) ProducerState {
      std::uint64_t tail = 0;
      std::uint64_t head_cache = 0;
      std::uint64_t claimed = 0;                // == tail when no claim is outstanding
      std::atomic<std::uint64_t> announced{0};  // claimed, for close(): read once sealed
    } p_;
    alignas(kMpscPad) WaitPoint not_full_{Scope::kProcess};
  };

  // `capacity` is per producer lane, rounded up to a power of two (1 .. kMaxCapacity);
  // `producers` lanes (>= 1) are made up front. Otherwise std::invalid_argument.
  MpscRing(std::size_t capacity, std::size_t producers) {
    const std::size_t cap = ring_capacity(capacity);
    if (producers == 0) throw std::invalid_argument("hallows::chan: MpscRing needs a producer");
    lanes_.reserve(producers);
    c_.lanes.reserve(producers);
    for (std::size_t i = 0; i < producers; ++i) {
      lanes_.emplace_back(new Producer(this, cap));
      c_.lanes.push_back(ConsumerLane{lanes_.back().get(), lanes_.back()->slots_, cap - 1, 0, 0});
    }
  }
  MpscRing(const MpscRing&) = delete;
  MpscRing& operator=(const MpscRing&) = delete;

  // The lane of producer `index` (< producers()); one thread at a time uses it.
  Producer& producer(std::size_t index) {
    assert(index < lanes_.size());
    return *lanes_[index];
  }
  std::size_t producers() const { return lanes_.size(); }

  // No more sends (from any thread): later claims fail; a claim that got its slot before still
  // completes and is delivered; waiters wake. Costs a membarrier: call it once.
  void close() {
    closed_.fetch_or(kClosing, std::memory_order_seq_cst);
    detail::heavy_barrier(Scope::kProcess);
    closed_.fetch_or(kSealed, std::memory_order_release);
    not_empty_.notify_all_always(Scope::kProcess);
    for (auto& lane : lanes_) lane->not_full_.notify_all_always(Scope::kProcess);
  }

  // ---- consumer side (one thread) ----

  // The next message to read, in place, or nullptr when no lane has one. Calling it again
  // before release() returns the same message.
  const T* try_peek() {
    const std::size_t n = c_.lanes.size();
    std::size_t i = c_.taken < kQuantum ? c_.current : next(c_.current);
    for (std::size_t k = 0; k < n; ++k, i = next(i)) {
      ConsumerLane& c = c_.lanes[i];
      if (available(c, 1) == 0) continue;
      if (i != c_.current || c_.taken >= kQuantum) {
        c_.current = i;
        c_.taken = 0;
      }
      return &c.slots[c.head & c.mask];
    }
    return nullptr;
  }
  // Gives back the peeked message (release(n): n messages of that lane, oldest first).
  void release() { release(1); }
  void release(std::size_t n) {
    ConsumerLane& c = c_.lanes[c_.current];
    assert(n <= c.tail_cache - c.head);
    c.head += n;
    c_.taken += n;
    c.lane->head_.store(c.head, std::memory_order_release);
    c.lane->not_full_.notify(Scope::kProcess);
  }
  // Calls f(const T&) on up to `max` published messages: visits each lane at most once, from
  // the one after the lane it read last, taking what the lane has (in the lane's order) and
  // releasing it at once. Returns the count.
  template <class F>
  std::size_t read_batch(F&& f, std::size_t max = SIZE_MAX) {
    const std::size_t lanes = c_.lanes.size();
    std::size_t total = 0;
    std::size_t i = c_.taken == 0 ? c_.current : next(c_.current);
    for (std::size_t k = 0; k < lanes && total < max; ++k, i = next(i)) {
      ConsumerLane& c = c_.lanes[i];
      const std::size_t want = max - total;
      const std::size_t n = std::min(want, available(c, want));
      if (n == 0) continue;
      for (std::size_t j = 0; j < n; ++j) f(static_cast<const T&>(c.slots[(c.head + j) & c.mask]));
      c.head += n;
      c.lane->head_.store(c.head, std::memory_order_release);
      c.lane->not_full_.notify(Scope::kProcess);
      total += n;
      c_.current = i;
      c_.taken = n;
    }
    return total;
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
  // Non-blocking receive (the slot's contents are swapped into `out` for owning types, copied
  // otherwise); false when no lane has a message.
  bool try_pop(T& out) {
    if (try_peek() == nullptr) return false;
    ConsumerLane& c = c_.lanes[c_.current];
    detail::take_slot(c.slots[c.head & c.mask], out);
    release(1);
    return true;
  }
  // Blocking receive; false once closed and drained.
  bool pop(T& out) {
    for (;;) {
      if (try_pop(out)) return true;
      if (closed_and_drained()) return false;
      wait_not_empty();
    }
  }
  // True once close() completed, no claim is outstanding and every published message was
  // released: the consumer may stop.
  bool closed_and_drained() const {
    if ((closed_.load(std::memory_order_acquire) & kSealed) == 0) return false;
    detail::full_fence();  // pairs with the producers' light_barrier through close()'s barrier
    for (const ConsumerLane& c : c_.lanes) {
      if (c.lane->p_.announced.load(std::memory_order_acquire) != c.head) return false;
      if (c.lane->tail_.load(std::memory_order_acquire) != c.head) return false;
    }
    return true;
  }

  // ---- either side ----
  bool closed() const { return closed_.load(std::memory_order_acquire) != 0; }
  std::size_t capacity() const { return lanes_.front()->capacity(); }  // per lane
  std::size_t size_approx() const {
    std::size_t n = 0;
    for (const auto& lane : lanes_) n += lane->size_approx();
    return n;
  }

 private:
  static constexpr std::uint32_t kClosing = 1;
  static constexpr std::uint32_t kSealed = 2;

  struct alignas(kMpscPad) ConsumerLane {  // padded: no heap neighbour shares its lines
    Producer* lane;
    T* slots;
    std::uint64_t mask;
    std::uint64_t head;
    std::uint64_t tail_cache;
  };

  std::size_t next(std::size_t i) const { return i + 1 == c_.lanes.size() ? 0 : i + 1; }
  // Published messages of a lane from the consumer's view; re-reads the lane's tail only when
  // the cached copy shows fewer than `want`.
  static std::size_t available(ConsumerLane& c, std::size_t want) {
    if (c.tail_cache - c.head < want) c.tail_cache = c.lane->tail_.load(std::memory_order_acquire);
    return static_cast<std::size_t>(c.tail_cache - c.head);
  }
  void wait_not_empty() {
    not_empty_.wait_until(
        [this] {
          for (const ConsumerLane& c : c_.lanes) {
            if (c.lane->tail_.load(std::memory_order_acquire) != c.head) return true;
          }
          // A claim made before close() but not yet published keeps the consumer waiting for
          // that publish (which notifies), rather than spinning.
          return closed_and_drained();
        },
        Scope::kProcess);
  }

  std::vector<std::unique_ptr<Producer>> lanes_;
  alignas(kMpscPad) std::atomic<std::uint32_t> closed_{0};
  alignas(kMpscPad) WaitPoint not_empty_{Scope::kProcess};
  struct alignas(kMpscPad) ConsumerState {
    std::size_t current = 0;  // lane read last
    std::size_t taken = 0;    // messages taken from it in a row
    std::vector<ConsumerLane> lanes;
  } c_;
};

}  // namespace hallows::chan
