// The task interface: yield_now, maybe_yield, sleep_for, wait_until, nested tasks, spawning
// from a running task, stop_requested, and the arena that holds the frames.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::SchedulerKind;
using sched::Task;

namespace {
const core::SourceLoc kLoc{"test.pt", 1, 1};

Task take_turns(std::vector<std::string>& log, std::string name, int n) {
  for (int i = 0; i < n; ++i) {
    log.push_back(name + std::to_string(i));
    co_await sched::yield_now();
  }
}

Task child(int& value, bool fail) {
  co_await sched::yield_now();
  if (fail) throw std::runtime_error("child failed");
  value += 1;
}

Task parent(int& value, std::string& caught) {
  co_await child(value, false);
  co_await child(value, false);
  try {
    co_await child(value, true);
  } catch (const std::runtime_error& e) {
    caught = e.what();
  }
}
}  // namespace

TEST_CASE("yield_now interleaves the tasks of one worker in order", "[sched][task]") {
  Reports reports;
  core::Program program(reports.spec("yield"));
  auto& p = program.add_partition(partition("p", SchedulerKind::messaging));
  std::vector<std::string> log;  // one worker: only its thread touches it
  p.spawn("a", kLoc, [&] { return take_turns(log, "a", 3); });
  p.spawn("b", kLoc, [&] { return take_turns(log, "b", 3); });
  REQUIRE(program.run() == 0);
  CHECK(log == std::vector<std::string>{"a0", "b0", "a1", "b1", "a2", "b2"});
  auto m = p.metrics();
  CHECK(m.tasks_started == 2);
  CHECK(m.tasks_finished == 2);
  CHECK(m.resumes >= 8);
}

TEST_CASE("a task co_awaits child tasks, and a child's exception reaches it", "[sched][task]") {
  Reports reports;
  core::Program program(reports.spec("nested"));
  auto& p = program.add_partition(partition("p", SchedulerKind::messaging));
  int value = 0;
  std::string caught;
  p.spawn("parent", kLoc, [&] { return parent(value, caught); });
  REQUIRE(program.run() == 0);
  CHECK(value == 2);
  CHECK(caught == "child failed");
  CHECK(p.metrics().failures == 0);
}

TEST_CASE("sleep_for suspends at least the duration and lets others run", "[sched][task]") {
  Reports reports;
  core::Program program(reports.spec("sleep"));
  auto& p = program.add_partition(partition("p", SchedulerKind::backend_api));
  double slept = 0;
  std::atomic<int> others{0};
  p.spawn("sleeper", kLoc, [&]() -> Task {
    auto start = Clock::now();
    co_await sched::sleep_for(30ms);
    slept = seconds_since(start);
  });
  p.spawn("other", kLoc, [&]() -> Task {
    for (int i = 0; i < 5; ++i) {
      others.fetch_add(1);
      co_await sched::yield_now();
    }
  });
  REQUIRE(program.run() == 0);
  CHECK(slept >= 0.030);
  CHECK(slept < 2.0);
  CHECK(others.load() == 5);
}

TEST_CASE("wait_until resumes once its predicate holds", "[sched][task]") {
  Reports reports;
  core::Program program(reports.spec("wait"));
  auto& p = program.add_partition(partition("p", SchedulerKind::messaging));
  std::atomic<bool> room{false};
  std::vector<std::string> log;
  p.spawn("waiter", kLoc, [&]() -> Task {
    log.push_back("wait");
    co_await sched::wait_until([&] { return room.load(); });
    log.push_back("resumed");
  });
  p.spawn("opener", kLoc, [&]() -> Task {
    co_await sched::sleep_for(10ms);
    log.push_back("open");
    room.store(true);
  });
  REQUIRE(program.run() == 0);
  CHECK(log == std::vector<std::string>{"wait", "open", "resumed"});
}

TEST_CASE("wait_until re-checks a predicate set from another thread", "[sched][task]") {
  Reports reports;
  core::Program program(reports.spec("wait-thread"));
  auto spec = partition("p", SchedulerKind::messaging);
  spec.park_timeout = 10s;  // only the 1 ms re-check (or a notify) can wake it
  auto& p = program.add_partition(spec);
  std::atomic<bool> flag{false};
  p.spawn("waiter", kLoc,
          [&]() -> Task { co_await sched::wait_until([&] { return flag.load(); }); });
  std::thread setter([&] {
    std::this_thread::sleep_for(30ms);
    flag.store(true);
  });
  auto start = Clock::now();
  REQUIRE(program.run() == 0);
  setter.join();
  CHECK(seconds_since(start) < 5.0);
}

TEST_CASE("maybe_yield yields only once the time slice is used up", "[sched][task]") {
  Reports reports;
  core::Program program(reports.spec("slice"));
  auto spec = partition("p", SchedulerKind::messaging);
  spec.time_slice = 2ms;
  auto& p = program.add_partition(spec);
  std::atomic<bool> other_ran{false};
  long iterations = 0, yields_seen = 0;
  p.spawn("loop", kLoc, [&]() -> Task {
    auto start = Clock::now();
    bool before = false;
    while (Clock::now() - start < 50ms) {
      ++iterations;
      co_await sched::maybe_yield();
      if (other_ran.load() != before) {
        before = true;
        ++yields_seen;
      }
    }
  });
  p.spawn("other", kLoc, [&]() -> Task {
    other_ran.store(true);
    co_return;
  });
  REQUIRE(program.run() == 0);
  CHECK(other_ran.load());
  CHECK(yields_seen == 1);
  // Far more iterations than resumes: maybe_yield did not suspend each time.
  CHECK(static_cast<long>(p.metrics().resumes) < iterations);
}

TEST_CASE("a running task can spawn another; stop_requested is false until shutdown",
          "[sched][task]") {
  Reports reports;
  core::Program program(reports.spec("spawn"));
  auto& p = program.add_partition(partition("p", SchedulerKind::messaging));
  std::atomic<int> ran{0};
  bool stop_seen = true;
  p.spawn("first", kLoc, [&]() -> Task {
    stop_seen = sched::stop_requested();
    p.spawn("second", kLoc, [&]() -> Task {
      ran.fetch_add(1);
      co_return;
    });
    co_return;
  });
  REQUIRE(program.run() == 0);
  CHECK(ran.load() == 1);
  CHECK_FALSE(stop_seen);
  CHECK(p.metrics().tasks_finished == 2);
  CHECK_FALSE(sched::stop_requested());  // off the workers
}

TEST_CASE("a program with nothing to run returns at once", "[sched][task]") {
  Reports reports;
  core::Program program(reports.spec("empty"));
  program.add_partition(partition("idle", SchedulerKind::database));
  CHECK(program.run() == 0);
  CHECK(reports.contains("starting 'empty'"));
}

TEST_CASE("a partition with two cores runs its tasks on two pinned workers", "[sched][task]") {
  Reports reports;
  auto pspec = reports.spec("two");
  pspec.allow_oversubscription = true;  // a one-cpu machine still runs it
  core::Program program(pspec);
  auto spec = partition("pair", SchedulerKind::messaging);
  spec.cores = 2;
  auto& p = program.add_partition(spec);
  std::mutex mutex;
  std::set<std::thread::id> threads;  // guarded by mutex
  std::atomic<int> moved{0};
  for (int i = 0; i < 4; ++i) {
    p.spawn("t" + std::to_string(i), kLoc, [&]() -> Task {
      auto self = std::this_thread::get_id();
      {
        std::lock_guard lock(mutex);
        threads.insert(self);
      }
      for (int k = 0; k < 20; ++k) {
        co_await sched::yield_now();
        if (std::this_thread::get_id() != self) moved.fetch_add(1);  // tasks never migrate
      }
    });
  }
  REQUIRE(program.run() == 0);
  CHECK(threads.size() == 2);  // placed round-robin
  CHECK(moved.load() == 0);
  CHECK(p.metrics().tasks_finished == 4);
}
