// Slot storage shared by the in-process rings: a power-of-two array of default-constructed T,
// allocated once at construction, aligned to a cache line, reused for the ring's whole life.
//
// Layout: slot i is at base + i * sizeof(T); base is aligned to max(64, alignof(T)). A T of 64
// bytes therefore fills exactly one cache line. Nothing here is atomic: the rings' cursors say
// which side owns which slot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>

#include "hallows/chan/wait.h"

namespace hallows::chan {

// Largest capacity a ring accepts (2^32 slots); larger values are a planning error.
inline constexpr std::size_t kMaxCapacity = std::size_t{1} << 32;

// Rounds `capacity` up to a power of two; throws std::invalid_argument for 0 or > kMaxCapacity.
inline std::size_t ring_capacity(std::size_t capacity) {
  if (capacity == 0 || capacity > kMaxCapacity) {
    throw std::invalid_argument("hallows::chan: ring capacity must be in 1.." +
                                std::to_string(kMaxCapacity) + ", got " + std::to_string(capacity));
  }
  std::size_t c = 1;
  while (c < capacity) c <<= 1;
  return c;
}

namespace detail {

// Owns `count` default-constructed T on cache-line-aligned storage.
template <class T>
class SlotArray {
 public:
  explicit SlotArray(std::size_t count) : count_(count) {
    data_ = static_cast<T*>(::operator new (sizeof(T) * count, std::align_val_t{kAlign}));
    std::size_t built = 0;
    try {
      for (; built < count; ++built) new (data_ + built) T();
    } catch (...) {
      destroy(built);
      throw;
    }
  }
  ~SlotArray() { destroy(count_); }
  SlotArray(const SlotArray&) = delete;
  SlotArray& operator=(const SlotArray&) = delete;

  T* data() const { return data_; }

 private:
  static constexpr std::size_t kAlign = alignof(T) > kCacheLine ? alignof(T) : kCacheLine;

  void destroy(std::size_t built) {
    for (std::size_t i = 0; i < built; ++i) data_[i].~T();
    ::operator delete (data_, std::align_val_t{kAlign});
  }

  T* data_ = nullptr;
  std::size_t count_ = 0;
};

}  // namespace detail
}  // namespace hallows::chan
