// messaging: receivers are drained in batches of batch_size; an idle worker busy-polls, then
// parks, and a sender's notify() wakes it long before its park timeout.
#include <catch2/catch.hpp>

#include <thread>

#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::SchedulerKind;

TEST_CASE("messaging drains a receiver in batches", "[sched][messaging]") {
  Reports reports;
  core::Program program(reports.spec("batches"));
  auto spec = partition("bus", SchedulerKind::messaging);
  spec.batch_size = 32;
  auto& p = program.add_partition(spec);
  int available = 1000, handled = 0, productive_polls = 0;
  std::vector<std::size_t> asked;
  core::Receiver r;
  r.name = "in";
  r.poll = [&](std::size_t max) -> std::size_t {
    asked.push_back(max);
    std::size_t n = std::min<std::size_t>(max, static_cast<std::size_t>(available - handled));
    handled += static_cast<int>(n);
    if (n > 0) ++productive_polls;
    return n;
  };
  r.done = [&] { return handled == available; };
  p.add_receiver(std::move(r));
  REQUIRE(program.run() == 0);
  CHECK(handled == 1000);
  CHECK(productive_polls == 32);  // ceil(1000 / 32): every poll took a full batch but the last
  for (std::size_t max : asked) CHECK(max == 32);
  auto m = p.metrics();
  CHECK(m.messages == 1000);
  CHECK(m.batches == 32);
}

TEST_CASE("messaging parks when idle and notify wakes it", "[sched][messaging]") {
  Reports reports;
  core::Program program(reports.spec("park"));
  auto spec = partition("bus", SchedulerKind::messaging);
  spec.park_timeout = 30s;  // without notify the worker would sleep through the test
  spec.busy_poll = 100us;
  auto& p = program.add_partition(spec);
  std::atomic<int> sent{0};
  std::atomic<bool> closed{false};
  int handled = 0;
  core::Receiver r;
  r.name = "in";
  r.poll = [&](std::size_t max) -> std::size_t {
    std::size_t n = 0;
    while (n < max && handled < sent.load()) {
      ++handled;
      ++n;
    }
    return n;
  };
  r.done = [&] { return closed.load() && handled == sent.load(); };
  p.add_receiver(std::move(r));
  std::vector<double> wake_latency;
  std::thread sender([&] {
    for (int round = 0; round < 5; ++round) {
      // Nothing but notify wakes the worker, so it has parked round + 1 times once it is idle
      // again. Wait for that, then send one message.
      auto t0 = Clock::now();
      while (p.metrics().parks < static_cast<std::uint64_t>(round + 1) && Clock::now() - t0 < 5s)
        std::this_thread::sleep_for(1ms);
      std::this_thread::sleep_for(5ms);
      auto handled_before = p.metrics().messages;
      auto sent_at = Clock::now();
      sent.fetch_add(1);
      p.notify();
      while (p.metrics().messages == handled_before && Clock::now() - sent_at < 10s)
        std::this_thread::yield();
      wake_latency.push_back(seconds_since(sent_at));
    }
    closed.store(true);
    p.notify();
  });
  auto start = Clock::now();
  REQUIRE(program.run() == 0);
  sender.join();
  CHECK(handled == 5);
  CHECK(p.metrics().parks >= 5);
  for (double latency : wake_latency) CHECK(latency < 2.0);  // far below the 30 s park timeout
  CHECK(seconds_since(start) < 20.0);
}

TEST_CASE("a receiver finishes when done, and on_closed runs once", "[sched][messaging]") {
  Reports reports;
  core::Program program(reports.spec("close"));
  auto spec = partition("bus", SchedulerKind::messaging);
  spec.cores = 1;
  auto& p = program.add_partition(spec);
  int closed = 0;
  for (int i = 0; i < 3; ++i) {
    core::Receiver r;
    r.name = "r" + std::to_string(i);
    r.poll = [](std::size_t) -> std::size_t { return 0; };
    r.done = [] { return true; };
    r.on_closed = [&] { ++closed; };
    p.add_receiver(std::move(r));
  }
  REQUIRE(program.run() == 0);
  CHECK(closed == 3);
}

TEST_CASE("no wake-up is lost between a sender's notify and a parking worker",
          "[sched][messaging]") {
  Reports reports;
  core::Program program(reports.spec("wakeups"));
  auto spec = partition("bus", SchedulerKind::messaging);
  spec.park_timeout = 30s;  // a lost wake-up would stall the test for 30 s
  spec.busy_poll = {};      // park at once: the race window is hit as often as possible
  auto& p = program.add_partition(spec);
  constexpr int kMessages = 3000;
  std::mutex mutex;
  std::vector<int> queue;  // guarded by mutex
  bool closed = false;     // guarded by mutex
  int handled = 0;
  core::Receiver r;
  r.name = "in";
  r.poll = [&](std::size_t max) -> std::size_t {
    std::lock_guard lock(mutex);
    std::size_t n = std::min(max, queue.size());
    queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
    handled += static_cast<int>(n);
    return n;
  };
  r.done = [&] {
    std::lock_guard lock(mutex);
    return closed && queue.empty();
  };
  p.add_receiver(std::move(r));
  std::thread sender([&] {
    for (int i = 0; i < kMessages; ++i) {
      {
        std::lock_guard lock(mutex);
        queue.push_back(i);
      }
      p.notify();
      if (i % 8 == 0) std::this_thread::sleep_for(20us);  // let the worker drain and park
    }
    {
      std::lock_guard lock(mutex);
      closed = true;
    }
    p.notify();
  });
  auto start = Clock::now();
  REQUIRE(program.run() == 0);
  sender.join();
  CHECK(handled == kMessages);
  CHECK(seconds_since(start) < 20.0);
  INFO("parks " << p.metrics().parks);
  CHECK(p.metrics().parks > 10);  // the worker did park and get woken, many times
}
