#include <atomic>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "hallows/chan/wait.h"

using hallows::chan::Scope;
using hallows::chan::WaitPoint;

TEST_CASE("WaitPoint parks a waiter and notify wakes it", "[chan][wait]") {
  WaitPoint point;
  std::atomic<int> value{0};
  std::thread waiter([&] {
    point.wait_until([&] { return value.load(std::memory_order_acquire) != 0; }, Scope::kProcess);
  });
  // Give the waiter time to get past spinning and yielding into the futex; whether it did does
  // not change the outcome, only which path is exercised.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (point.waiters() == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  value.store(1, std::memory_order_release);
  point.notify(Scope::kProcess);
  waiter.join();
  CHECK(point.waiters() == 0);
}

TEST_CASE("WaitPoint ping-pong never loses a wake-up", "[chan][wait]") {
  WaitPoint to_b;
  WaitPoint to_a;
  std::atomic<int> turn{0};
  constexpr int kRounds = 2000;
  std::thread b([&] {
    for (int i = 0; i < kRounds; ++i) {
      to_b.wait_until([&] { return turn.load(std::memory_order_acquire) == 2 * i + 1; },
                      Scope::kProcess);
      turn.store(2 * i + 2, std::memory_order_release);
      to_a.notify(Scope::kProcess);
    }
  });
  for (int i = 0; i < kRounds; ++i) {
    turn.store(2 * i + 1, std::memory_order_release);
    to_b.notify(Scope::kProcess);
    to_a.wait_until([&] { return turn.load(std::memory_order_acquire) == 2 * i + 2; },
                    Scope::kProcess);
  }
  b.join();
  CHECK(turn.load() == 2 * kRounds);
}
