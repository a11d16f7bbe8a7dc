// A per-worker memory arena: size-class free lists over slabs taken from the system. One thread
// owns an arena (its partition worker): allocate and deallocate must be called on that thread,
// or after it has finished. Memory goes back to the system only when the arena is destroyed.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hallows::core {

struct ArenaStats {
  std::uint64_t allocations = 0;     // blocks handed out from the size classes
  std::uint64_t large = 0;           // blocks too big for a class, passed to operator new
  std::uint64_t live = 0;            // class blocks not yet returned
  std::uint64_t bytes_reserved = 0;  // slab bytes taken from the system
};

class Arena {
 public:
  // Classes are powers of two from kMinBlock to kMaxBlock bytes.
  static constexpr std::size_t kMinBlock = 32;
  static constexpr std::size_t kMaxBlock = 16384;
  static constexpr std::size_t kSlabBytes = 256 * 1024;

  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  // At least `size` bytes aligned to 16; `size` must be given again to deallocate.
  [[nodiscard]] void* allocate(std::size_t size);
  void deallocate(void* block, std::size_t size) noexcept;

  // Readable from any thread.
  ArenaStats stats() const noexcept;

  // The arena of the calling partition worker, or null on any other thread.
  static Arena* current() noexcept;
  static void set_current(Arena* arena) noexcept;

 private:
  static constexpr std::size_t kClasses = 10;  // 32, 64, ..., 16384
  struct FreeBlock {
    FreeBlock* next;
  };
  static std::size_t class_of(std::size_t size) noexcept;
  void* carve(std::size_t block_size);

  std::array<FreeBlock*, kClasses> free_{};
  std::vector<std::byte*> slabs_;
  std::byte* bump_ = nullptr;
  std::byte* bump_end_ = nullptr;
  // Single writer (the owning thread), any reader.
  std::atomic<std::uint64_t> allocations_{0};
  std::atomic<std::uint64_t> large_{0};
  std::atomic<std::uint64_t> live_{0};
  std::atomic<std::uint64_t> bytes_reserved_{0};
};

}  // namespace hallows::core
