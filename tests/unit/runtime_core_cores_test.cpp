// Cores: the split of the CPUs between partitions, the start-up report, refusing to start on
// too few cores (exit status 2) unless oversubscription is allowed, pinning, and SCHED_FIFO
// whether or not the process may have it.
#include <catch2/catch.hpp>

#include <sched.h>

#include "../../runtime/src/core/cores.h"
#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::SchedulerKind;
using sched::Task;

namespace {
const core::SourceLoc kLoc{"src/main.pt", 1, 1};
}

TEST_CASE("cores are split in declaration order and the rest is named", "[core][cores]") {
  using core::detail::assign_cores;
  auto a = assign_cores({2, 1}, {0, 1, 2, 3, 6}, false);
  REQUIRE(a.has_value());
  CHECK(a->cpus == std::vector<std::vector<int>>{{0, 1}, {2}});
  CHECK(a->left == std::vector<int>{3, 6});
  CHECK_FALSE(a->oversubscribed);
  CHECK(core::detail::format_cpus(a->left) == "3, 6");
  CHECK(core::detail::format_cpus({0, 1, 2, 3, 6}) == "0-3, 6");
  CHECK(core::detail::format_cpus({}) == "none");

  CHECK_FALSE(assign_cores({2, 2}, {0, 1, 2}, false).has_value());
  auto wrapped = assign_cores({2, 2}, {0, 1, 2}, true);
  REQUIRE(wrapped.has_value());
  CHECK(wrapped->oversubscribed);
  CHECK(wrapped->cpus == std::vector<std::vector<int>>{{0, 1}, {2, 0}});
  CHECK(wrapped->left.empty());
}

TEST_CASE("more declared cores than present: refuse with status 2", "[core][cores]") {
  Reports reports;
  core::Program program(reports.spec("big"));
  auto spec = partition("wide", SchedulerKind::backend_api);
  spec.cores = core::Program::available_cores() + 1;
  auto& p = program.add_partition(spec);
  bool ran = false;
  p.spawn("t", kLoc, [&]() -> Task {
    ran = true;
    co_return;
  });
  CHECK(program.run() == core::kExitRefused);
  CHECK_FALSE(ran);
  CHECK(reports.contains("parsel: cannot start 'big': its partitions declare"));
  CHECK(reports.contains("allow oversubscription"));
}

TEST_CASE("with oversubscription allowed it starts and says so", "[core][cores]") {
  Reports reports;
  auto pspec = reports.spec("shared");
  pspec.allow_oversubscription = true;
  core::Program program(pspec);
  auto spec = partition("wide", SchedulerKind::backend_api);
  spec.cores = core::Program::available_cores() + 1;
  auto& p = program.add_partition(spec);
  std::atomic<int> ran{0};
  for (int i = 0; i < spec.cores; ++i) {
    p.spawn("t" + std::to_string(i), kLoc, [&]() -> Task {
      ran.fetch_add(1);
      co_return;
    });
  }
  CHECK(program.run() == 0);
  CHECK(ran.load() == spec.cores);
  CHECK(reports.contains("partitions share cores (allow_oversubscription is set)"));
  CHECK(reports.contains("cores left to the rest of the system: none"));
}

TEST_CASE("workers are pinned and the report lists each partition's cpus", "[core][cores]") {
  Reports reports;
  core::Program program(reports.spec("pinned"));
  auto& p = program.add_partition(partition("one", SchedulerKind::messaging));
  int cpu_count = -1;
  p.spawn("where", kLoc, [&]() -> Task {
    cpu_set_t set;
    CPU_ZERO(&set);
    sched_getaffinity(0, sizeof set, &set);
    cpu_count = CPU_COUNT(&set);
    co_return;
  });
  CHECK(program.run() == 0);
  CHECK(cpu_count == 1);
  auto cpus = core::detail::allowed_cpus();
  CHECK(reports.contains("parsel:   partition 'one' (messaging): cpus " + std::to_string(cpus[0]) +
                         ", normal priority"));
  std::vector<int> rest(cpus.begin() + 1, cpus.end());
  CHECK(
      reports.contains("cores left to the rest of the system: " + core::detail::format_cpus(rest)));
}

TEST_CASE("realtime: granted or not, the partition runs and the report says which",
          "[core][cores]") {
  Reports reports;
  core::Program program(reports.spec("rt"));
  auto spec = partition("rt", SchedulerKind::messaging);
  spec.priority = core::Priority::realtime;
  spec.busy_poll = {};  // never spin at realtime priority
  auto& p = program.add_partition(spec);
  int policy = -1;
  p.spawn("check", kLoc, [&]() -> Task {
    policy = sched_getscheduler(0);
    co_return;
  });
  CHECK(program.run() == 0);
  bool granted = reports.contains("realtime priority (SCHED_FIFO 10)");
  bool refused = reports.contains(
      "parsel: warning: partition 'rt' asked for realtime priority but could not get SCHED_FIFO");
  CHECK(granted != refused);
  CHECK(policy == (granted ? SCHED_FIFO : SCHED_OTHER));
  INFO(reports.all());
  CHECK(reports.count("SCHED_FIFO") == 1);  // said once
}

TEST_CASE("realtime refused (a priority the kernel rejects): it starts at normal priority",
          "[core][cores]") {
  Reports reports;
  core::Program program(reports.spec("rt-refused"));
  auto spec = partition("rt", SchedulerKind::backend_api);
  spec.priority = core::Priority::realtime;
  spec.realtime_priority = 1000;  // outside 1..99: refused even with CAP_SYS_NICE
  auto& p = program.add_partition(spec);
  int policy = -1;
  p.spawn("check", kLoc, [&]() -> Task {
    policy = sched_getscheduler(0);
    co_return;
  });
  CHECK(program.run() == 0);
  INFO(reports.all());
  CHECK(policy == SCHED_OTHER);
  CHECK(reports.contains("parsel:   partition 'rt' (backend_api): cpus "));
  CHECK(reports.contains("normal priority (realtime not granted)"));
  CHECK(reports.count("could not get SCHED_FIFO: Invalid argument; it runs at normal priority") ==
        1);
}
