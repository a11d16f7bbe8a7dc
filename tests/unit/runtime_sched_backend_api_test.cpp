// backend_api: requests run to completion, in order per connection, round-robin across
// connections (fairness), and the bounded queue sheds load when full.
#include <catch2/catch.hpp>

#include <map>

#include "runtime_sched_test_support.h"

using namespace hallows;
using namespace hallows::testing;
using core::SchedulerKind;

TEST_CASE("backend_api serves connections round-robin, each in order", "[sched][backend_api]") {
  Reports reports;
  core::Program program(reports.spec("fair"));
  auto& p = program.add_partition(partition("api", SchedulerKind::backend_api));
  std::vector<std::pair<int, int>> order;  // (connection, sequence); one worker touches it
  auto& api = p.backend_api();
  // A busy connection queues 50 requests before two quiet ones queue 5 each.
  for (int i = 0; i < 50; ++i) REQUIRE(api.submit(1, [&order, i] { order.emplace_back(1, i); }));
  for (int c = 2; c <= 3; ++c)
    for (int i = 0; i < 5; ++i)
      REQUIRE(api.submit(c, [&order, c, i] { order.emplace_back(c, i); }));
  REQUIRE(program.run() == 0);
  REQUIRE(order.size() == 60);
  // The quiet connections are done within the first 15 requests: one of each per turn.
  std::size_t last_quiet = 0;
  for (std::size_t k = 0; k < order.size(); ++k)
    if (order[k].first != 1) last_quiet = k;
  CHECK(last_quiet < 15);
  // Per connection, submission order.
  std::map<int, int> next;
  for (auto [c, i] : order) {
    CHECK(i == next[c]);
    next[c] = i + 1;
  }
  CHECK(p.metrics().requests == 60);
}

TEST_CASE("backend_api sheds requests past its queue capacity", "[sched][backend_api]") {
  Reports reports;
  core::Program program(reports.spec("shed"));
  auto spec = partition("api", SchedulerKind::backend_api);
  spec.queue_capacity = 10;
  auto& p = program.add_partition(spec);
  auto& api = p.backend_api();
  std::atomic<int> ran{0};
  int accepted = 0, refused = 0;
  for (int i = 0; i < 25; ++i) {
    if (api.submit(static_cast<std::uint64_t>(i % 4), [&] { ran.fetch_add(1); }))
      ++accepted;
    else
      ++refused;
  }
  CHECK(accepted == 10);
  CHECK(refused == 15);
  CHECK(api.queued() == 10);
  REQUIRE(program.run() == 0);
  CHECK(ran.load() == 10);
  CHECK(api.queued() == 0);
  auto m = p.metrics();
  CHECK(m.shed == 15);
  CHECK(m.requests == 10);
}

TEST_CASE("backend_api takes requests while running and from other threads",
          "[sched][backend_api]") {
  Reports reports;
  core::Program program(reports.spec("live"));
  auto spec = partition("api", SchedulerKind::backend_api);
  spec.queue_capacity = 100000;
  auto& p = program.add_partition(spec);
  std::atomic<int> ran{0};
  std::atomic<bool> done_submitting{false};
  p.spawn("keepalive", core::SourceLoc{"a.pt", 1, 1}, [&]() -> sched::Task {
    co_await sched::wait_until([&] { return done_submitting.load(); });
  });
  std::thread client([&] {
    for (int i = 0; i < 2000; ++i) {
      while (!p.backend_api().submit(static_cast<std::uint64_t>(i % 7), [&] { ran.fetch_add(1); }))
        std::this_thread::yield();
    }
    done_submitting.store(true);
    p.notify();
  });
  REQUIRE(program.run() == 0);
  client.join();
  CHECK(ran.load() == 2000);
}

TEST_CASE("a partition's scheduler-specific API must match its kind", "[sched][backend_api]") {
  Reports reports;
  core::Program program(reports.spec("kinds"));
  auto& p = program.add_partition(partition("db", SchedulerKind::database));
  CHECK_THROWS_AS(p.backend_api(), std::logic_error);
  CHECK_THROWS_AS(p.ui(), std::logic_error);
  CHECK_NOTHROW(p.database());
}
