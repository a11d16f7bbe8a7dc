#include "hallows/core/arena.h"

#include <bit>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// Free blocks are poisoned (all but the free-list link), so AddressSanitizer still catches a use
// of a freed frame although the arena recycles its memory.
#define HALLOWS_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define HALLOWS_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define HALLOWS_POISON(p, n) ((void)(p), (void)(n))
#define HALLOWS_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace hallows::core {
namespace {

thread_local Arena* t_arena = nullptr;

// Counters have one writer, so a load and a store is enough (no locked instruction).
void bump(std::atomic<std::uint64_t>& counter, std::int64_t delta = 1) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + static_cast<std::uint64_t>(delta),
                std::memory_order_relaxed);
}

}  // namespace

Arena::~Arena() {
  for (std::byte* slab : slabs_) ::operator delete (slab, std::align_val_t{16});
}

std::size_t Arena::class_of(std::size_t size) noexcept {
  if (size <= kMinBlock) return 0;
  return static_cast<std::size_t>(std::bit_width(size - 1)) - 5;  // 33..64 -> 1, ...
}

void* Arena::carve(std::size_t block_size) {
  if (static_cast<std::size_t>(bump_end_ - bump_) < block_size) {
    // The tail of the old slab is abandoned: at most one block of the largest class.
    auto* slab = static_cast<std::byte*>(::operator new (kSlabBytes, std::align_val_t{16}));
    slabs_.push_back(slab);
    bump_ = slab;
    bump_end_ = slab + kSlabBytes;
    bump(bytes_reserved_, static_cast<std::int64_t>(kSlabBytes));
  }
  void* block = bump_;
  bump_ += block_size;
  return block;
}

void* Arena::allocate(std::size_t size) {
  if (size > kMaxBlock) {
    bump(large_);
    return ::operator new (size, std::align_val_t{16});
  }
  std::size_t c = class_of(size);
  void* block;
  if (free_[c] != nullptr) {
    block = free_[c];
    free_[c] = free_[c]->next;
    HALLOWS_UNPOISON(block, kMinBlock << c);
  } else {
    block = carve(kMinBlock << c);
  }
  bump(allocations_);
  bump(live_);
  return block;
}

void Arena::deallocate(void* block, std::size_t size) noexcept {
  if (block == nullptr) return;
  if (size > kMaxBlock) {
    ::operator delete (block, std::align_val_t{16});
    return;
  }
  std::size_t c = class_of(size);
  auto* free_block = static_cast<FreeBlock*>(block);
  free_block->next = free_[c];
  free_[c] = free_block;
  HALLOWS_POISON(static_cast<std::byte*>(block) + sizeof(FreeBlock),
                 (kMinBlock << c) - sizeof(FreeBlock));
  bump(live_, -1);
}

ArenaStats Arena::stats() const noexcept {
  return {allocations_.load(std::memory_order_relaxed), large_.load(std::memory_order_relaxed),
          live_.load(std::memory_order_relaxed), bytes_reserved_.load(std::memory_order_relaxed)};
}

Arena* Arena::current() noexcept {
  return t_arena;
}

void Arena::set_current(Arena* arena) noexcept {
  t_arena = arena;
}

}  // namespace hallows::core
