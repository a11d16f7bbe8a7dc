// Durability modes: what is visible and durable when, and the listeners that say so.
#include <atomic>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/log/log.h"
#include "runtime_log_test_support.h"

using namespace hallows::log;
using namespace hallows::log::testing;

namespace {

TopicConfig topic(std::string name, Durability d) {
  TopicConfig c;
  c.name = std::move(name);
  c.durability = d;
  return c;
}

struct Counter {
  std::atomic<int> calls{0};
  std::atomic<std::int64_t> last_visible{0};
};

}  // namespace

TEST_CASE("durability none: visible at once, durable at close", "[log][durability]") {
  TempDir dir;
  Log log(LogConfig{dir.path(), {}, 1000ms});
  Counter counter;
  log.add_listener([&](PartitionLog& p) {
    counter.calls++;
    counter.last_visible = p.visible_offset();
  });
  REQUIRE(log.add_topic(topic("n", Durability::none)).empty());
  REQUIRE(log.open().empty());
  PartitionLog* p = log.partition("n", 0);
  for (int i = 0; i < 5; ++i) {
    auto b = make_batch(2);
    REQUIRE(p->append(b, 1).error.empty());
    CHECK(p->visible_offset() == p->end_offset());
    CHECK(counter.last_visible == p->end_offset());
  }
  CHECK(counter.calls == 5);
  CHECK(p->durable_offset() == 0);
  log.close();
  CHECK(p->durable_offset() == 10);
  auto b = make_batch(1);
  CHECK(!p->append(b, 1).error.empty());  // closed
}

TEST_CASE("durability fsync_every_write: durable before append returns", "[log][durability]") {
  TempDir dir;
  Log log(LogConfig{dir.path(), {}, 1000ms});
  Counter counter;
  log.add_listener([&](PartitionLog&) { counter.calls++; });
  REQUIRE(log.add_topic(topic("e", Durability::fsync_every_write)).empty());
  REQUIRE(log.open().empty());
  PartitionLog* p = log.partition("e", 0);
  for (int i = 0; i < 5; ++i) {
    auto b = make_batch(3);
    auto r = p->append(b, 1);
    REQUIRE(r.error.empty());
    CHECK(p->durable_offset() == r.next_offset);
    CHECK(p->visible_offset() == r.next_offset);
    CHECK(p->end_offset() == r.next_offset);
  }
  CHECK(counter.calls == 5);
}

TEST_CASE("durability fsync_batched: the flusher publishes within the delay", "[log][durability]") {
  TempDir dir;
  Log log(LogConfig{dir.path(), {}, 1000ms});
  Counter counter;
  log.add_listener([&](PartitionLog& p) {
    counter.calls++;
    counter.last_visible = p.visible_offset();
  });
  auto c = topic("b", Durability::fsync_batched);
  c.segment_bytes = 2000;  // rolls in the meantime are synced too
  REQUIRE(log.add_topic(c).empty());
  REQUIRE(log.open().empty());
  PartitionLog* p = log.partition("b", 0);

  // Several writers; every reader-side invariant holds throughout.
  std::vector<std::thread> writers;
  std::atomic<bool> bad{false};
  for (int w = 0; w < 3; ++w)
    writers.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        auto b = make_batch(2);
        auto r = p->append(b, 1);
        if (!r.error.empty()) bad = true;
        // Read in this order, each value can only have grown since the one before: the
        // flusher runs meanwhile, so a stale `v` may already have data after it.
        auto v = p->visible_offset();
        auto d = p->durable_offset();
        auto e = p->end_offset();
        if (!(v <= d && d <= e)) bad = true;
        ReadSlice s;
        if (p->read(v, 100, s) != ReadError::none) bad = true;
        if (!s.data.empty() && s.first_offset > v) bad = true;
      }
    });
  for (auto& w : writers) w.join();
  CHECK(!bad);
  CHECK(p->end_offset() == 600);
  for (int i = 0; i < 500 && p->durable_offset() < 600; ++i) std::this_thread::sleep_for(2ms);
  CHECK(p->durable_offset() == 600);
  CHECK(p->visible_offset() == 600);
  for (int i = 0; i < 500 && counter.last_visible < 600; ++i) std::this_thread::sleep_for(2ms);
  CHECK(counter.last_visible == 600);
  CHECK(counter.calls >= 1);
  CHECK(counter.calls <= 300);  // group commit: at most one per append
  CHECK(read_all(*p, 0).size() == 600);

  // One append's wait for durability stays around the fsync time.
  auto b = make_batch(1);
  auto t0 = std::chrono::steady_clock::now();
  auto r = p->append(b, 1);
  while (p->durable_offset() < r.next_offset &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5))
    std::this_thread::yield();
  CHECK(p->durable_offset() == r.next_offset);
}
