#include <chrono>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/obs/metrics.h"

using hallows::obs::LatencyBudget;
using hallows::obs::Registry;
using namespace std::chrono_literals;

namespace {

struct Reports {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    };
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return lines.size();
  }
};

constexpr auto kWindow = 50ms;
// Longer than the window plus the coarse clock's tick, so the window has surely ended.
constexpr auto kPastWindow = 80ms;

}  // namespace

TEST_CASE("LatencyBudget counts and reports a breached window", "[obs][budget]") {
  Reports reports;
  LatencyBudget budget("orders consumed by billing", "obs_test_breach", R"(topic="orders")", 0.99,
                       2ms, reports.sink(), kWindow);
  CHECK_FALSE(budget.check_window());  // the window has not ended: nothing to do
  for (int i = 0; i < 90; ++i) budget.record(500us);
  for (int i = 0; i < 10; ++i) budget.record(5ms);
  std::this_thread::sleep_for(kPastWindow);
  CHECK(budget.check_window());
  CHECK(budget.breaches() == 1);
  REQUIRE(reports.size() == 1);
  INFO(reports.lines[0]);
  CHECK(std::regex_match(
      reports.lines[0],
      std::regex(
          R"(slytherin: latency budget breached: orders consumed by billing p99 was 5\.12 ms )"
          R"(over the last [0-9.]+ ms \(budget 2 ms, 100 records, 10 over budget\))")));

  std::string text = Registry::global().render_prometheus();
  CHECK(text.find("obs_test_breach_over_budget_total{topic=\"orders\"} 10\n") != std::string::npos);
  CHECK(text.find("obs_test_breach_budget_breaches_total{topic=\"orders\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("obs_test_breach_budget_seconds{topic=\"orders\"} 0.002\n") != std::string::npos);
  CHECK(text.find("obs_test_breach_seconds_count{topic=\"orders\"} 100\n") != std::string::npos);

  // The next window starts empty: no records, no breach, even though the history is slow.
  std::this_thread::sleep_for(kPastWindow);
  CHECK_FALSE(budget.check_window());
  CHECK(budget.breaches() == 1);
}

TEST_CASE("LatencyBudget stays quiet under budget", "[obs][budget]") {
  Reports reports;
  LatencyBudget budget("fast path", "obs_test_quiet", "", 0.99, 2ms, reports.sink(), kWindow);
  for (int i = 0; i < 1000; ++i) budget.record(1ms);
  std::this_thread::sleep_for(kPastWindow);
  CHECK_FALSE(budget.check_window());
  CHECK(budget.breaches() == 0);
  CHECK(reports.size() == 0);
}

TEST_CASE("LatencyBudget judges the quantile exactly at the edge", "[obs][budget]") {
  Reports reports;
  LatencyBudget budget("edge", "obs_test_edge", "", 0.99, 2ms, reports.sink(), kWindow);
  // 1.99 ms sits in a bucket whose upper bound (2.048 ms) is over the bound: the buckets alone
  // would call this a breach. It is not one.
  for (int i = 0; i < 990; ++i) budget.record(1990us);
  for (int i = 0; i < 10; ++i) budget.record(3ms);  // p99 of 1000 is the 990th value
  std::this_thread::sleep_for(kPastWindow);
  CHECK_FALSE(budget.check_window());
  // One more slow value in a window of 1000: the 990th value is now over the bound.
  for (int i = 0; i < 989; ++i) budget.record(1990us);
  for (int i = 0; i < 11; ++i) budget.record(3ms);
  std::this_thread::sleep_for(kPastWindow);
  CHECK(budget.check_window());
  CHECK(budget.breaches() == 1);
  REQUIRE(reports.size() == 1);
  CHECK(reports.lines[0].find("(budget 2 ms, 1000 records, 11 over budget)") != std::string::npos);
}

TEST_CASE("LatencyBudget record() closes an ended window itself", "[obs][budget]") {
  Reports reports;
  LatencyBudget budget("self check", "obs_test_self", "", 0.5, 1ms, reports.sink(), kWindow);
  for (int i = 0; i < 5; ++i) budget.record(10ms);
  std::this_thread::sleep_for(kPastWindow);
  budget.record(100us);  // closes the slow window before counting in the next one
  CHECK(budget.breaches() == 1);
  REQUIRE(reports.size() == 1);
  CHECK(reports.lines[0].find("self check p50 was") != std::string::npos);
  CHECK(reports.lines[0].find("5 records, 5 over budget") != std::string::npos);
  std::this_thread::sleep_for(kPastWindow);
  CHECK_FALSE(budget.check_window());  // the window holding only 100 us is fine
}

TEST_CASE("LatencyBudget from two threads counts every record", "[obs][budget]") {
  Reports reports;
  LatencyBudget budget("threads", "obs_test_threads", "", 0.99, 1ms, reports.sink(), kWindow);
  auto work = [&budget] {
    for (int i = 0; i < 100'000; ++i) budget.record(i % 100 == 0 ? 5ms : 10us);
  };
  std::thread a(work);
  std::thread b(work);
  a.join();
  b.join();
  auto& over = Registry::global().counter("obs_test_threads_over_budget_total", "");
  CHECK(over.value() == 2000);
  CHECK(Registry::global().histogram("obs_test_threads_seconds", "").count() == 200'000);
  // 1% over at p99 is within budget whichever windows the records fell in... unless a window
  // closed mid-run and split them unevenly, so only check that any report is well formed.
  for (const std::string& line : reports.lines)
    CHECK(line.starts_with("slytherin: latency budget breached: threads p99 was"));
}

TEST_CASE("LatencyBudget refuses nonsense", "[obs][budget]") {
  Reports reports;
  CHECK_THROWS_AS(LatencyBudget("x", "obs_test_bad", "", 0.0, 1ms, reports.sink()),
                  std::invalid_argument);
  CHECK_THROWS_AS(LatencyBudget("x", "obs_test_bad", "", 1.5, 1ms, reports.sink()),
                  std::invalid_argument);
  CHECK_THROWS_AS(LatencyBudget("x", "obs_test_bad", "", 0.99, 0ms, reports.sink()),
                  std::invalid_argument);
  CHECK_THROWS_AS(LatencyBudget("x", "bad-name", "", 0.99, 1ms, reports.sink()),
                  std::invalid_argument);
}

TEST_CASE("LatencyBudget names its quantile as the language does", "[obs][budget]") {
  Reports reports;
  LatencyBudget budget("tail", "obs_test_p999", "", 0.999, 1ms, reports.sink(), kWindow);
  for (int i = 0; i < 10; ++i) budget.record(2ms);
  std::this_thread::sleep_for(kPastWindow);
  CHECK(budget.check_window());
  REQUIRE(reports.size() == 1);
  CHECK(reports.lines[0].find(": tail p999 was 2.05 ms over the last") != std::string::npos);
}
