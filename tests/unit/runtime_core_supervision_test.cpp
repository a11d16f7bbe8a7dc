// Supervision: failures are reported with their .pt location and handled by on_failure;
// restarts re-run the factory up to the limit; stop_program makes run() return 70; other
// partitions keep running; a panic on a worker is an exception.
#include <catch2/catch.hpp>

#include <atomic>
#include <climits>
#include <stdexcept>

#include "hallows/lang/base.h"
#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::OnFailure;
using core::SchedulerKind;
using sched::Task;

namespace {
const core::SourceLoc kDecl{"src/main.pt", 20, 1};
const core::SourceLoc kOverflow{"src/main.pt", 23, 9};
}  // namespace

TEST_CASE("panic throws hallows::Panic on a thread that asks for it", "[core][supervision]") {
  hallows::detail::set_panics_throw(true);
  try {
    (void)hallows::add(INT64_MAX, 1);
    FAIL("no panic");
  } catch (const hallows::Panic& e) {
    CHECK(std::string(e.what()) == "integer overflow in 9223372036854775807 + 1");
  }
  CHECK_THROWS_AS(hallows::panic("boom"), hallows::Panic);
  hallows::detail::set_panics_throw(false);
  CHECK_FALSE(hallows::detail::panics_throw());
}

TEST_CASE("restart re-runs the factory and reports the .pt location", "[core][supervision]") {
  Reports reports;
  core::Program program(reports.spec("restart"));
  auto spec = partition("producer", SchedulerKind::messaging);
  spec.on_failure = OnFailure::restart;
  auto& p = program.add_partition(spec);
  std::atomic<int> made{0};
  p.spawn("produce_readings", kDecl, [&]() -> Task {
    int attempt = made.fetch_add(1);
    co_await sched::yield_now();
    core::set_location(&kOverflow);
    if (attempt < 2) (void)hallows::add(INT64_MAX, 1);  // panics: thrown on a worker
  });
  REQUIRE(program.run() == 0);
  CHECK(made.load() == 3);
  auto m = p.metrics();
  CHECK(m.failures == 2);
  CHECK(m.restarts == 2);
  CHECK(m.tasks_finished == 1);
  CHECK(reports.contains(
      "parsel: partition 'producer' task 'produce_readings' failed at src/main.pt:23:9: "
      "integer overflow in 9223372036854775807 + 1; restarting (1 of 5)"));
  CHECK(reports.contains("restarting (2 of 5)"));
}

TEST_CASE("a failure with no location says so; a throwing factory is a failure",
          "[core][supervision]") {
  Reports reports;
  core::Program program(reports.spec("factory"));
  auto spec = partition("p", SchedulerKind::backend_api);
  spec.on_failure = OnFailure::restart;
  auto& p = program.add_partition(spec);
  std::atomic<int> calls{0};
  p.spawn("t", core::SourceLoc{"", 0, 0}, [&]() -> Task {
    if (calls.fetch_add(1) == 0) throw std::runtime_error("no state yet");
    return []() -> Task { co_return; }();
  });
  REQUIRE(program.run() == 0);
  CHECK(calls.load() == 2);
  CHECK(reports.contains("task 't' failed at an unknown location: no state yet; restarting"));
}

TEST_CASE("past the restart limit the program stops with 70", "[core][supervision]") {
  Reports reports;
  core::Program program(reports.spec("limit"));
  auto spec = partition("p", SchedulerKind::messaging);
  spec.on_failure = OnFailure::restart;
  spec.max_restarts = 3;
  auto& p = program.add_partition(spec);
  std::atomic<int> made{0};
  p.spawn("always_fails", kDecl, [&]() -> Task {
    made.fetch_add(1);
    co_await sched::yield_now();
    throw std::runtime_error("broken");
  });
  REQUIRE(program.run() == 70);
  CHECK(made.load() == 4);  // the first run and 3 restarts
  CHECK(p.metrics().restarts == 3);
  CHECK(reports.contains("restarting (3 of 3)"));
  CHECK(
      reports.contains("restarted 3 times within 10 s already (the limit), stopping the program"));
}

TEST_CASE("stop_program stops every partition and run() returns 70", "[core][supervision]") {
  Reports reports;
  core::Program program(reports.spec("stop"));
  auto& bad = program.add_partition(partition("bad", SchedulerKind::messaging));
  auto& good = program.add_partition(partition("good", SchedulerKind::backend_api));
  std::atomic<long> ticks{0};
  good.spawn("ticker", kDecl, [&]() -> Task {
    for (;;) {  // forever: only shutdown ends it, at a suspension point
      ticks.fetch_add(1);
      co_await sched::sleep_for(1ms);
    }
  });
  bad.spawn("divider", kDecl, [&]() -> Task {
    co_await sched::sleep_for(50ms);
    core::set_location(&kOverflow);
    (void)hallows::div(1, 0);
  });
  auto start = Clock::now();
  REQUIRE(program.run() == 70);
  CHECK(seconds_since(start) < 5.0);
  CHECK(ticks.load() > 0);
  CHECK(good.metrics().tasks_cancelled == 1);
  CHECK(
      reports.contains("partition 'bad' task 'divider' failed at src/main.pt:23:9: division "
                       "by zero; stopping the program (on_failure: stop_program)"));
}

TEST_CASE("other partitions keep running while one restarts", "[core][supervision]") {
  Reports reports;
  core::Program program(reports.spec("isolated"));
  auto spec = partition("flaky", SchedulerKind::messaging);
  spec.on_failure = OnFailure::restart;
  auto& flaky = program.add_partition(spec);
  auto& steady = program.add_partition(partition("steady", SchedulerKind::messaging));
  std::atomic<long> ticks{0};
  std::atomic<long> ticks_at_first_failure{-1};
  std::atomic<int> made{0};
  flaky.spawn("flaky", kDecl, [&]() -> Task {
    int attempt = made.fetch_add(1);
    co_await sched::sleep_for(20ms);
    if (attempt == 0) ticks_at_first_failure.store(ticks.load());
    if (attempt < 3) throw std::runtime_error("flaky");
    // The last run waits until the steady partition has made progress after the failures.
    co_await sched::wait_until([&] { return ticks.load() > ticks_at_first_failure.load() + 5; });
  });
  steady.spawn("steady", kDecl, [&]() -> Task {
    while (made.load() < 4 || ticks.load() <= ticks_at_first_failure.load() + 5) {
      ticks.fetch_add(1);
      co_await sched::sleep_for(1ms);
    }
  });
  REQUIRE(program.run() == 0);
  CHECK(flaky.metrics().restarts == 3);
  CHECK(ticks.load() > ticks_at_first_failure.load() + 5);
  CHECK(steady.metrics().failures == 0);
}

TEST_CASE("a failing receiver is reset on restart and keeps its worker", "[core][supervision]") {
  Reports reports;
  core::Program program(reports.spec("receiver"));
  auto spec = partition("consumer", SchedulerKind::messaging);
  spec.on_failure = OnFailure::restart;
  auto& p = program.add_partition(spec);
  int next = 0, handled = 0, resets = 0;
  bool closed = false;
  core::Receiver r;
  r.name = "readings";
  r.where = kDecl;
  r.poll = [&](std::size_t max) -> std::size_t {
    std::size_t n = 0;
    while (n < max && next < 10) {
      int message = next++;
      if (message == 4) {
        core::set_location(&kOverflow);
        throw std::runtime_error("bad message 4");
      }
      ++handled;
      ++n;
    }
    return n;
  };
  r.done = [&] { return next >= 10; };
  r.on_closed = [&] { closed = true; };
  r.reset = [&] { ++resets; };
  p.add_receiver(std::move(r));
  REQUIRE(program.run() == 0);
  CHECK(handled == 9);  // the failing message is dropped
  CHECK(resets == 1);
  CHECK(closed);
  CHECK(
      reports.contains("partition 'consumer' receiver 'readings' failed at src/main.pt:23:9: "
                       "bad message 4; restarting (1 of 5)"));
}
