// Shutdown: a raised SIGTERM (or request_stop) cancels tasks at their next suspension point,
// receivers drain what their channel holds, and run() returns 0 within the timeout; a partition
// that does not stop in time is reported and run() returns anyway.
#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::SchedulerKind;
using sched::Task;

namespace {
const core::SourceLoc kLoc{"src/main.pt", 5, 3};
const core::SourceLoc kSpin{"src/main.pt", 31, 5};
}  // namespace

TEST_CASE("SIGTERM drains receivers, cancels tasks and returns 0", "[core][shutdown]") {
  Reports reports;
  core::Program program(reports.spec("sigterm"));
  auto& producer = program.add_partition(partition("producer", SchedulerKind::backend_api));
  auto consumer_spec = partition("consumer", SchedulerKind::messaging);
  consumer_spec.park_timeout = 10s;
  auto& consumer = program.add_partition(consumer_spec);
  std::atomic<int> published{0};
  std::atomic<bool> hold{true};  // the receiver takes nothing until shutdown began
  int handled = 0;
  core::Receiver r;
  r.name = "numbers";
  r.where = kLoc;
  r.poll = [&](std::size_t max) -> std::size_t {
    if (hold.load() && !sched::stop_requested()) return 0;
    std::size_t n = 0;
    while (n < max && handled < published.load()) {
      ++handled;
      ++n;
    }
    return n;
  };
  r.done = [] { return false; };  // the channel never closes: only shutdown ends it
  consumer.add_receiver(std::move(r));
  producer.spawn("publish", kLoc, [&]() -> Task {
    for (int i = 0; i < 100; ++i) {
      published.fetch_add(1);
      consumer.notify();
    }
    co_await sched::sleep_for(20ms);
    std::raise(SIGTERM);  // handled by run(), not fatal
    for (;;) co_await sched::sleep_for(1ms);
  });
  auto start = Clock::now();
  REQUIRE(program.run() == 0);
  CHECK(seconds_since(start) < 4.0);
  CHECK(handled == 100);  // drained what the channel held
  CHECK(producer.metrics().tasks_cancelled == 1);
  CHECK(reports.contains("parsel: received SIGTERM: stopping every partition (timeout 5000 ms)"));
  CHECK_FALSE(reports.contains("did not stop"));
}

TEST_CASE("request_stop from another thread stops a parked program", "[core][shutdown]") {
  Reports reports;
  core::Program program(reports.spec("request"));
  auto& p = program.add_partition(partition("p", SchedulerKind::database));
  p.spawn("forever", kLoc, [&]() -> Task {
    for (;;) co_await sched::sleep_for(1h);
  });
  std::thread stopper([&] {
    std::this_thread::sleep_for(50ms);
    program.request_stop();
  });
  auto start = Clock::now();
  REQUIRE(program.run() == 0);
  stopper.join();
  CHECK(seconds_since(start) < 4.0);
  CHECK(p.metrics().tasks_cancelled == 1);
}

TEST_CASE("a partition that does not stop in time is named, and run() returns",
          "[core][shutdown]") {
  Reports reports;
  auto spec = reports.spec("stuck");
  spec.shutdown_timeout = std::chrono::milliseconds(200);
  auto release = std::make_shared<std::atomic<bool>>(false);
  {
    core::Program program(spec);
    auto stuck_spec = partition("stuck", SchedulerKind::messaging);
    stuck_spec.stall_bound = 10s;
    auto& stuck = program.add_partition(stuck_spec);
    stuck.spawn("spin", kLoc, [release]() -> Task {
      core::set_location(&kSpin);
      while (!release->load()) std::this_thread::sleep_for(1ms);  // never suspends
      co_return;
    });
    std::thread stopper([&] {
      std::this_thread::sleep_for(50ms);
      program.request_stop();
    });
    auto start = Clock::now();
    REQUIRE(program.run() == 0);
    stopper.join();
    double took = seconds_since(start);
    CHECK(took >= 0.2);
    CHECK(took < 4.0);
    CHECK(
        reports.contains("parsel: shutdown: partition 'stuck' did not stop within 200 ms "
                         "(1 worker(s) still running, last at src/main.pt:31:5)"));
  }
  // The left-behind worker keeps the program's state alive; let it finish.
  release->store(true);
  std::this_thread::sleep_for(100ms);
}

TEST_CASE("request_stop before run makes run return at once", "[core][shutdown]") {
  Reports reports;
  core::Program program(reports.spec("early"));
  auto& p = program.add_partition(partition("p", SchedulerKind::messaging));
  p.spawn("never", kLoc, []() -> Task {
    for (;;) co_await sched::sleep_for(1h);
  });
  program.request_stop();
  auto start = Clock::now();
  CHECK(program.run() == 0);
  CHECK(seconds_since(start) < 4.0);
}
