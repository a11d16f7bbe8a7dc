// ShmSpscRing<T>: the SPSC ring (spsc_core.h) in a POSIX shared-memory object, between two
// processes: one creates it (create), the other attaches by name (attach); one side produces,
// the other consumes. T must be trivially copyable (slots are raw bytes both processes map).
//
// Mapping layout (offsets in bytes; every index on its own 64-byte line):
//   0     ShmHeader: magic "HLWSHMR1" (u64, stored last by create, so attach never sees a
//         half-built ring), version u32, header size u32, slot size u32, slot alignment u32,
//         capacity u64, slot offset u64, total size u64
//   64    SpscControl: tail | head | closed | not_empty WaitPoint | not_full WaitPoint
//   ...   slots, at max(64, alignof(T)) alignment: capacity x sizeof(T), zero-filled at create
// Cached indices are private to each process's ShmSpscRing object, not in the mapping.
//
// Ordering: as for SpscRing (release/acquire on tail and head; the atomics are lock-free, hence
// address-free, so this works across processes). Blocking waits park on futex words in the
// mapping without FUTEX_PRIVATE_FLAG; the wake-up argument uses membarrier's global expedited
// command (both processes register) or falls back to full fences (see wait.h).
//
// Errors: create and attach throw ShmError (a std::runtime_error) whose message names the
// object and the cause (exists, missing, wrong magic/version, slot size or alignment mismatch,
// truncated, system error text). The hot path never throws.
//
// Not handled: a peer that dies leaves the other side waiting (no liveness check); the
// creator's unlink() removes the name, the mapping lives until both sides are destroyed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "hallows/chan/slots.h"
#include "hallows/chan/spsc_core.h"

namespace hallows::chan {

class ShmError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

// One mapped shared-memory ring object (untyped); unmaps on destruction.
class ShmMapping {
 public:
  ShmMapping() = default;
  ShmMapping(ShmMapping&& other) noexcept { *this = std::move(other); }
  ShmMapping& operator=(ShmMapping&& other) noexcept;
  ~ShmMapping();

  // Creates `name` (O_EXCL) sized for `capacity` slots of `slot_size` bytes, builds the header
  // and the control block. Throws ShmError.
  static ShmMapping create(const std::string& name, std::size_t slot_size, std::size_t slot_align,
                           std::size_t capacity);
  // Maps an existing ring and validates its header against the expected slot type.
  static ShmMapping attach(const std::string& name, std::size_t slot_size, std::size_t slot_align);

  SpscControl* control() const;
  void* slots() const;
  std::size_t capacity() const;
  const std::string& name() const { return name_; }
  void unlink() const;
  static void unlink_name(const std::string& name);

 private:
  std::string name_;
  void* base_ = nullptr;
  std::size_t bytes_ = 0;
};

}  // namespace detail

template <class T>
class ShmSpscRing : public detail::SpscCore<T, Scope::kShared> {
  static_assert(std::is_trivially_copyable_v<T>,
                "ShmSpscRing<T>: T must be trivially copyable, because both processes map the "
                "slots as raw bytes (no pointers, std::string or std::vector inside)");

 public:
  using value_type = T;

  // Creates the shared-memory object `name` ("/x" or "x"; no other '/') for `capacity` slots
  // (rounded up to a power of two). Throws ShmError if it exists or cannot be made.
  static ShmSpscRing create(const std::string& name, std::size_t capacity) {
    return ShmSpscRing(
        detail::ShmMapping::create(name, sizeof(T), alignof(T), ring_capacity(capacity)));
  }
  // Attaches to a ring made by create() with the same T. Throws ShmError on any mismatch.
  static ShmSpscRing attach(const std::string& name) {
    return ShmSpscRing(detail::ShmMapping::attach(name, sizeof(T), alignof(T)));
  }

  ShmSpscRing(ShmSpscRing&&) noexcept = default;
  ShmSpscRing& operator=(ShmSpscRing&&) noexcept = default;

  // Removes the name (shm_unlink); mappings stay valid. Missing names are ignored.
  void unlink() { map_.unlink(); }
  // Removes a ring's name without mapping it (cleanup of a stale object); ignores missing.
  static void unlink_name(const std::string& name) { detail::ShmMapping::unlink_name(name); }
  const std::string& name() const { return map_.name(); }

  // Producer and consumer API: exactly SpscRing's (spsc_ring.h).

 private:
  explicit ShmSpscRing(detail::ShmMapping map) : map_(std::move(map)) {
    this->bind(map_.control(), static_cast<T*>(map_.slots()), map_.capacity());
  }
  detail::ShmMapping map_;
};

}  // namespace hallows::chan
