// database: foreground work runs before background work, and background work takes at most
// its declared share of the worker's time (measured over a window, with a wide margin).
#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::SchedulerKind;

TEST_CASE("database runs foreground work before background work", "[sched][database]") {
  Reports reports;
  core::Program program(reports.spec("order"));
  auto spec = partition("db", SchedulerKind::database);
  spec.background_share = 0.5;
  auto& p = program.add_partition(spec);
  auto& db = p.database();
  std::vector<std::string> order;  // one worker touches it
  for (int i = 0; i < 5; ++i) {
    REQUIRE(db.submit_background([&order, i] { order.push_back("bg" + std::to_string(i)); }));
    REQUIRE(db.submit_foreground([&order, i] { order.push_back("fg" + std::to_string(i)); }));
  }
  // Foreground work submitted by a background unit still goes first. (No Catch assertions on
  // worker threads: Catch2 v2 is not thread-safe.)
  bool late_accepted = false;
  REQUIRE(db.submit_background([&] {
    order.push_back("bg-late");
    late_accepted = db.submit_foreground([&] { order.push_back("fg-late"); }) &&
                    db.submit_background([&] { order.push_back("bg-last"); });
  }));
  REQUIRE(program.run() == 0);
  CHECK(late_accepted);
  std::vector<std::string> expected = {"fg0", "fg1", "fg2", "fg3",     "fg4",     "bg0",    "bg1",
                                       "bg2", "bg3", "bg4", "bg-late", "fg-late", "bg-last"};
  CHECK(order == expected);
  auto m = p.metrics();
  CHECK(m.foreground_units == 6);
  CHECK(m.background_units == 7);
}

TEST_CASE("database caps background work to its share of the time", "[sched][database]") {
  Reports reports;
  core::Program program(reports.spec("cap"));
  auto spec = partition("db", SchedulerKind::database);
  spec.background_share = 0.25;
  auto& p = program.add_partition(spec);
  auto& db = p.database();
  // Far more background work than the window holds: 2 ms steps, 2 s of them.
  for (int i = 0; i < 1000; ++i) REQUIRE(db.submit_background([] { busy_for(2ms); }));
  std::atomic<int> foreground{0};
  std::atomic<int> refused{0};
  Clock::time_point start;
  double window = 0;
  p.spawn("clock", core::SourceLoc{"db.pt", 1, 1}, [&]() -> sched::Task {
    start = Clock::now();
    // Foreground work keeps arriving meanwhile and is never starved by the background.
    for (int i = 0; i < 40; ++i) {
      if (!db.submit_foreground([&] { foreground.fetch_add(1); })) refused.fetch_add(1);
      co_await sched::sleep_for(25ms);
    }
    window = seconds_since(start);
    program.request_stop();
  });
  REQUIRE(program.run() == 0);
  auto m = p.metrics();
  double share = static_cast<double>(m.background_ns) / 1e9 / window;
  INFO("background share " << share << " over " << window << " s, units " << m.background_units);
  CHECK(window >= 1.0);
  CHECK(share <= 0.25 + 0.10);  // the cap, plus one unit and the 100 ms burst of slack
  CHECK(share >= 0.05);         // and it did make progress
  CHECK(refused.load() == 0);
  CHECK(foreground.load() == 40);
  CHECK(m.dropped > 0);  // the rest was discarded at shutdown
}
