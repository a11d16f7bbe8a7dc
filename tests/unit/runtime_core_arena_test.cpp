// The per-worker arena: size classes, reuse through free lists, large blocks, and coroutine
// frames of tasks coming from their partition's arena.
#include <catch2/catch.hpp>

#include <cstring>
#include <set>

#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::Arena;
using sched::Task;

TEST_CASE("arena blocks come from size classes and are reused", "[core][arena]") {
  Arena arena;
  void* a = arena.allocate(100);  // class 128
  void* b = arena.allocate(100);
  CHECK(a != b);
  CHECK(reinterpret_cast<std::uintptr_t>(a) % 16 == 0);
  std::memset(a, 0xab, 100);
  arena.deallocate(a, 100);
  CHECK(arena.allocate(120) == a);  // same class, last freed first
  void* small = arena.allocate(1);
  arena.deallocate(small, 1);
  CHECK(arena.allocate(32) == small);
  auto stats = arena.stats();
  CHECK(stats.allocations == 5);
  CHECK(stats.live == 3);  // a, b and small
  CHECK(stats.bytes_reserved == Arena::kSlabBytes);

  void* big = arena.allocate(Arena::kMaxBlock + 1);  // past the classes: operator new
  CHECK(arena.stats().large == 1);
  arena.deallocate(big, Arena::kMaxBlock + 1);

  // Many blocks: new slabs, all distinct.
  std::set<void*> seen;
  for (int i = 0; i < 100; ++i) seen.insert(arena.allocate(Arena::kMaxBlock));
  CHECK(seen.size() == 100);
  CHECK(arena.stats().bytes_reserved > Arena::kSlabBytes);
}

namespace {
Task small_task(int& sum, int i) {
  sum += i;
  co_return;
}

Task spawner(int& sum) {
  for (int i = 0; i < 50; ++i) co_await small_task(sum, i);
}
}  // namespace

TEST_CASE("task frames come from the partition's arena on its worker", "[core][arena]") {
  Reports reports;
  core::Program program(reports.spec("arena"));
  auto& p = program.add_partition(partition("p", core::SchedulerKind::messaging));
  int sum = 0;
  Arena* seen_arena = nullptr;
  p.spawn("spawner", core::SourceLoc{"a.pt", 1, 1}, [&]() -> Task {
    seen_arena = Arena::current();
    return spawner(sum);
  });
  REQUIRE(program.run() == 0);
  CHECK(sum == 49 * 50 / 2);
  CHECK(seen_arena != nullptr);
  auto m = p.metrics();
  CHECK(m.arena_allocations >= 51);                    // the root frame and 50 children
  CHECK(m.arena_bytes_reserved == Arena::kSlabBytes);  // children reuse the freed blocks

  // Off the workers, frames come from the global heap.
  CHECK(Arena::current() == nullptr);
  int off = 0;
  Task t = small_task(off, 1);
  t.handle().resume();
  CHECK(off == 1);
}
