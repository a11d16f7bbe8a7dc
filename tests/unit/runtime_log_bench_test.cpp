// Rough throughput figures for docs/slytherin-log.md. Hidden: run with
//   runtime_log_tests "[.bench]"
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/log/consumer.h"
#include "hallows/log/log.h"
#include "runtime_log_test_support.h"

using namespace hallows::log;
using namespace hallows::log::testing;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("publish and read throughput", "[.bench]") {
  TempDir dir;
  Log log(LogConfig{dir.path(), {}, 1000ms});
  TopicConfig none;
  none.name = "none";
  none.durability = Durability::none;
  TopicConfig batched = none;
  batched.name = "batched";
  batched.durability = Durability::fsync_batched;
  TopicConfig every = none;
  every.name = "every";
  every.durability = Durability::fsync_every_write;
  REQUIRE(log.add_topic(none).empty());
  REQUIRE(log.add_topic(batched).empty());
  REQUIRE(log.add_topic(every).empty());
  REQUIRE(log.open().empty());
  const std::string value(100, 'x');

  for (const char* t : {"none", "batched"}) {
    const int n = 500'000;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) REQUIRE(log.publish(t, std::nullopt, bytes(value)) >= 0);
    double s = seconds_since(t0);
    std::printf("publish %-8s 100-byte values: %.0f records/s (%.2f us each)\n", t, n / s,
                s * 1e6 / n);
  }
  {
    const int n = 300;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) REQUIRE(log.publish("every", std::nullopt, bytes(value)) >= 0);
    double s = seconds_since(t0);
    std::printf("publish every    100-byte values: %.0f records/s (%.2f ms each)\n", n / s,
                s * 1e3 / n);
  }
  {
    // Group commit: 4 threads each waiting for durability after every publish.
    PartitionLog* p = log.partition("batched", 0);
    const int per = 300;
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> ts;
    for (int w = 0; w < 4; ++w)
      ts.emplace_back([&] {
        for (int i = 0; i < per; ++i) {
          auto o = log.publish("batched", std::nullopt, bytes(value));
          while (p->durable_offset() <= o) std::this_thread::yield();
        }
      });
    for (auto& t : ts) t.join();
    double s = seconds_since(t0);
    std::printf("fsync_batched, 4 writers waiting for durable: %.0f acked records/s\n",
                4 * per / s);
  }
  {
    LocalConsumer c(log, "none", "bench", 0, 1);
    auto t0 = std::chrono::steady_clock::now();
    std::size_t n = 0, bytes_seen = 0;
    while (c.lag() > 0)
      n += c.poll(1 << 20, [&](const RecordView& r) { bytes_seen += r.value->size(); });
    double s = seconds_since(t0);
    std::printf("LocalConsumer: %.0f records/s (%zu records)\n", n / s, n);
    CHECK(bytes_seen == n * 100);
  }
}
