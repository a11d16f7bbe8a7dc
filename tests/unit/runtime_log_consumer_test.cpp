// LocalConsumer: range assignment, order, commit and resume; the offsets store.
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/log/consumer.h"
#include "hallows/log/log.h"
#include "runtime_log_test_support.h"

using namespace hallows::log;
using namespace hallows::log::testing;

namespace {

TopicConfig topic(std::string name, int partitions) {
  TopicConfig c;
  c.name = std::move(name);
  c.partitions = partitions;
  c.durability = Durability::none;
  return c;
}

}  // namespace

TEST_CASE("LocalConsumer splits partitions as Kafka's range assignor", "[log][consumer]") {
  TempDir dir;
  Log log(LogConfig{dir.path(), {}, 1000ms});
  REQUIRE(log.add_topic(topic("seven", 7)).empty());
  REQUIRE(log.add_topic(topic("two", 2)).empty());
  REQUIRE(log.open().empty());
  CHECK(LocalConsumer(log, "seven", "g", 0, 3).partitions() == std::vector<int>{0, 1, 2});
  CHECK(LocalConsumer(log, "seven", "g", 1, 3).partitions() == std::vector<int>{3, 4});
  CHECK(LocalConsumer(log, "seven", "g", 2, 3).partitions() == std::vector<int>{5, 6});
  CHECK(LocalConsumer(log, "two", "g", 0, 3).partitions() == std::vector<int>{0});
  CHECK(LocalConsumer(log, "two", "g", 1, 3).partitions() == std::vector<int>{1});
  CHECK(LocalConsumer(log, "two", "g", 2, 3).partitions().empty());
  CHECK(LocalConsumer(log, "two", "g", 0, 1).partitions() == std::vector<int>{0, 1});
  CHECK_THROWS(LocalConsumer(log, "missing", "g", 0, 1));
  CHECK_THROWS(LocalConsumer(log, "two", "g", 3, 3));
}

TEST_CASE("LocalConsumer reads in order, commits and resumes after reopen", "[log][consumer]") {
  TempDir dir;
  std::map<int, std::vector<std::string>> got;
  {
    Log log(LogConfig{dir.path(), {}, 1000ms});
    REQUIRE(log.add_topic(topic("t", 3)).empty());
    REQUIRE(log.open().empty());
    for (int i = 0; i < 90; ++i) {
      std::string key = "key" + std::to_string(i % 9);
      REQUIRE(log.publish("t", bytes(key), bytes(std::to_string(i))) >= 0);
    }
    LocalConsumer c(log, "t", "grp", 0, 1, std::chrono::hours(1));
    CHECK(c.lag() == 90);
    std::size_t n = c.poll(50, [&](const RecordView& r) {
      int p = kafka_partition_for_key(*r.key, 3);
      got[p].push_back(text(*r.value));
      CHECK(produced_ns(r) > 0);
    });
    CHECK(n == 50);
    CHECK(c.lag() == 40);
    // Not committed yet (interval is an hour): a second consumer starts from the beginning.
    CHECK(log.committed_offset("grp", "t", 0) == -1);
    c.commit();
    std::int64_t committed = 0;
    for (int p = 0; p < 3; ++p)
      committed += std::max<std::int64_t>(0, log.committed_offset("grp", "t", p));
    CHECK(committed == 50);
    // A throwing handler: the record counts as consumed.
    CHECK_THROWS(c.poll(10, [&](const RecordView&) { throw std::runtime_error("boom"); }));
    CHECK(c.lag() == 39);
  }  // destructor commits
  {
    Log log(LogConfig{dir.path(), {}, 1000ms});
    REQUIRE(log.add_topic(topic("t", 3)).empty());
    REQUIRE(log.open().empty());
    LocalConsumer c(log, "t", "grp", 0, 1);
    CHECK(c.lag() == 39);
    std::size_t n = 0;
    for (int i = 0; i < 10 && c.lag() > 0; ++i)
      n += c.poll(100, [&](const RecordView& r) {
        got[kafka_partition_for_key(*r.key, 3)].push_back(text(*r.value));
      });
    CHECK(n == 39);
    // Another group reads from the beginning.
    LocalConsumer other(log, "t", "fresh", 0, 1);
    CHECK(other.lag() == 90);
  }
  // Per partition, values are in publish order, and all but the thrown one arrived once.
  std::size_t total = 0;
  for (auto& [p, values] : got) {
    total += values.size();
    for (std::size_t i = 1; i < values.size(); ++i)
      CHECK(std::stoi(values[i - 1]) < std::stoi(values[i]));
  }
  CHECK(total == 89);
}

TEST_CASE("committed offsets survive reopen, a torn tail is cut off", "[log][offsets]") {
  TempDir dir;
  Reports reports;
  {
    Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
    REQUIRE(log.open().empty());
    CHECK(log.committed_offset("g", "t", 0) == -1);
    REQUIRE(log.commit_offset("g", "t", 0, 5, "meta").empty());
    REQUIRE(log.commit_offset("g", "t", 0, 7, "").empty());
    REQUIRE(log.commit_offset("g", "t", 1, 3, "").empty());
    REQUIRE(log.commit_offset("h", "t", 0, 11, "").empty());
    // Concurrent committers share fsyncs and all return after theirs.
    std::vector<std::thread> ts;
    std::atomic<int> failures{0};  // Catch2 assertions are not thread-safe
    for (int t = 0; t < 4; ++t)
      ts.emplace_back([&log, &failures, t] {
        for (int i = 0; i <= 50; ++i)
          if (!log.commit_offset("c", "t", t, i, "").empty()) failures++;
      });
    for (auto& t : ts) t.join();
    CHECK(failures == 0);
    CHECK(log.committed_offset("g", "t", 0) == 7);
  }
  // Append half an entry: a torn write.
  std::string path = dir.path() + "/__consumer_offsets/offsets.log";
  auto size = std::filesystem::file_size(path);
  {
    std::FILE* f = std::fopen(path.c_str(), "ab");
    REQUIRE(f != nullptr);
    std::fwrite("\x12\x34\x56\x78\x00\x00\x00\x30garbage", 1, 15, f);
    std::fclose(f);
  }
  {
    Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
    REQUIRE(log.open().empty());
    CHECK(log.committed_offset("g", "t", 0) == 7);
    CHECK(log.committed_offset("g", "t", 1) == 3);
    CHECK(log.committed_offset("h", "t", 0) == 11);
    CHECK(log.committed_offset("g", "t", 2) == -1);
    for (int t = 0; t < 4; ++t) CHECK(log.committed_offset("c", "t", t) == 50);
    CHECK(reports.count_containing("torn tail") == 1);
    CHECK(std::filesystem::file_size(path) == size);
    REQUIRE(log.commit_offset("g", "t", 0, 8, "").empty());
  }
  {
    Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
    REQUIRE(log.open().empty());
    CHECK(log.committed_offset("g", "t", 0) == 8);
  }
}

TEST_CASE("the offsets store compacts many stale entries at open", "[log][offsets]") {
  TempDir dir;
  Reports reports;
  {
    Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
    REQUIRE(log.open().empty());
    for (int i = 0; i < 1500; ++i) REQUIRE(log.commit_offset("g", "t", i % 3, i, "").empty());
    REQUIRE(log.commit_offset(std::string_view("odd\0group", 9), "t", 0, 42, "m").empty());
  }
  std::string path = dir.path() + "/__consumer_offsets/offsets.log";
  auto before = std::filesystem::file_size(path);
  {
    Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
    REQUIRE(log.open().empty());
    CHECK(reports.count_containing("compacted 1501 entries to 4") == 1);
    CHECK(log.committed_offset(std::string_view("odd\0group", 9), "t", 0) == 42);
    CHECK(log.committed_offset("odd", "t", 0) == -1);
    CHECK(log.committed_offset("g", "t", 0) == 1497);
    CHECK(log.committed_offset("g", "t", 1) == 1498);
    CHECK(log.committed_offset("g", "t", 2) == 1499);
    REQUIRE(log.commit_offset("g", "t", 2, 2000, "").empty());
  }
  CHECK(std::filesystem::file_size(path) < before / 100);
  Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
  REQUIRE(log.open().empty());
  CHECK(log.committed_offset("g", "t", 2) == 2000);
  CHECK(log.committed_offset("g", "t", 0) == 1497);
}
