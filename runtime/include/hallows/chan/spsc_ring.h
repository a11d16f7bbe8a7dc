// SpscRing<T>: a bounded single-producer single-consumer ring between two threads of one
// process, zero-copy: the producer writes a message in place in its slot (try_claim / publish)
// and the consumer reads it by reference (try_peek / release, read_batch).
//
// Memory layout (one object; each line is 64 bytes), in declaration order:
//   capacity, then SpscControl on five lines: tail | head | closed | not_empty WaitPoint |
//   not_full WaitPoint; the slot array's pointer; the core's control pointer, slot pointer and
//   mask (read-only after construction); the producer-private line (its tail, cached head);
//   the consumer-private line (its head, cached tail).
//   slots: capacity default-constructed T in a separate cache-line-aligned allocation made
//   once; a slot is reused forever, so a std::string member keeps its capacity and
//   steady-state sends allocate nothing.
// Why no message is lost or duplicated: see spsc_core.h (release/acquire on two monotonic
// 64-bit cursors, each written by one side only) and wait.h (no lost wake-up when parking).
//
// Threads: exactly one producer thread calls the producer API and close(); exactly one consumer
// thread calls the consumer API. capacity() and size_approx() are safe anywhere.
#pragma once

#include <cstddef>

#include "hallows/chan/slots.h"
#include "hallows/chan/spsc_core.h"

namespace hallows::chan {

namespace detail {
template <class T>
struct SpscRingStorage {
  explicit SpscRingStorage(std::size_t capacity)
      : storage_capacity(ring_capacity(capacity)),
        storage_control(Scope::kProcess),
        storage_slots(storage_capacity) {}
  std::size_t storage_capacity;
  SpscControl storage_control;
  SlotArray<T> storage_slots;
};
}  // namespace detail

template <class T>
class SpscRing : private detail::SpscRingStorage<T>, public detail::SpscCore<T, Scope::kProcess> {
 public:
  using value_type = T;

  // `capacity` is rounded up to a power of two (1 .. kMaxCapacity, else std::invalid_argument).
  explicit SpscRing(std::size_t capacity) : detail::SpscRingStorage<T>(capacity) {
    this->bind(&this->storage_control, this->storage_slots.data(), this->storage_capacity);
  }
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // Producer API (see spsc_core.h for each contract):
  //   T* try_claim();  T* claim();  void publish();  void publish(T*);  void publish(size_t n);
  //   bool try_push(const T&/T&&);  bool push(const T&/T&&);
  //   size_t try_claim_batch(max, fill(T&, size_t));  size_t try_push_batch(max, fill);
  //   size_t push_batch(max, fill);  void close();
  // Consumer API:
  //   const T* try_peek();  void release();  void release(size_t n);
  //   size_t read_batch(f(const T&), max);  size_t pop_batch(f, max);
  //   bool pop(T&);  bool try_pop(T&);  bool closed_and_drained() const;
  // Both: bool closed() const;  size_t capacity() const;  size_t size_approx() const.
};

}  // namespace hallows::chan
