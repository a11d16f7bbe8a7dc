// The stall detector reports, once, a task that runs past its partition's bound without
// suspending, with the .pt location it is at, and counts it.
#include <catch2/catch.hpp>

#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::SchedulerKind;
using sched::Task;

namespace {
const core::SourceLoc kDecl{"src/main.pt", 30, 1};
const core::SourceLoc kSpin{"src/main.pt", 31, 5};
}  // namespace

TEST_CASE("a task that does not yield is reported once with its location", "[core][stall]") {
  Reports reports;
  core::Program program(reports.spec("stall"));
  auto spec = partition("p", SchedulerKind::messaging);
  spec.stall_bound = 60ms;
  auto& p = program.add_partition(spec);
  p.spawn("t", kDecl, [&]() -> Task {
    core::set_location(&kSpin);
    busy_for(300ms);  // 5 bounds in one slice: one report
    co_await sched::yield_now();
  });
  REQUIRE(program.run() == 0);
  CHECK(p.metrics().stalls == 1);
  CHECK(reports.count("parsel: stall:") == 1);
  CHECK(reports.contains("parsel: stall: partition 'p' task 't' has run "));
  CHECK(reports.contains("ms without yielding at src/main.pt:31:5 (bound 60 ms)"));
}

TEST_CASE("a task that yields within its bound is not a stall", "[core][stall]") {
  Reports reports;
  core::Program program(reports.spec("no-stall"));
  auto spec = partition("p", SchedulerKind::backend_api);
  spec.stall_bound = 200ms;
  spec.time_slice = 1ms;
  auto& p = program.add_partition(spec);
  p.spawn("t", kDecl, [&]() -> Task {
    auto start = Clock::now();
    while (Clock::now() - start < 100ms) co_await sched::maybe_yield();
  });
  REQUIRE(program.run() == 0);
  CHECK(p.metrics().stalls == 0);
}

TEST_CASE("stalls in queued units are named by their kind", "[core][stall]") {
  Reports reports;
  core::Program program(reports.spec("unit-stall"));
  auto spec = partition("api", SchedulerKind::backend_api);
  spec.stall_bound = 20ms;
  auto& p = program.add_partition(spec);
  REQUIRE(p.backend_api().submit(1, [] {
    core::set_location(&kSpin);
    busy_for(150ms);
  }));
  REQUIRE(program.run() == 0);
  CHECK(p.metrics().stalls == 1);
  CHECK(reports.contains("parsel: stall: partition 'api' request has run"));
  CHECK(reports.contains("at src/main.pt:31:5 (bound 20 ms)"));
}
