// Append, read, offsets, roll and retention of one partition through the Log.
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/log/consumer.h"
#include "hallows/log/log.h"
#include "runtime_log_test_support.h"

using namespace hallows::log;
using namespace hallows::log::testing;
namespace fs = std::filesystem;

namespace {

TopicConfig topic(std::string name, Durability d = Durability::none, int partitions = 1) {
  TopicConfig c;
  c.name = std::move(name);
  c.partitions = partitions;
  c.durability = d;
  return c;
}

std::vector<std::string> segment_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".log") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("append assigns offsets and read returns whole batches", "[log][partition]") {
  TempDir dir;
  Reports reports;
  Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
  REQUIRE(log.add_topic(topic("t")).empty());
  REQUIRE(log.open().empty());
  PartitionLog* p = log.partition("t", 0);
  REQUIRE(p != nullptr);
  CHECK(log.partition("t", 1) == nullptr);
  CHECK(log.partition("nope", 0) == nullptr);
  CHECK(p->start_offset() == 0);
  CHECK(p->end_offset() == 0);

  std::int64_t expected = 0;
  for (int i = 0; i < 200; ++i) {
    int n = 1 + i % 5;
    auto b = make_batch(n, 1000 + i, "b" + std::to_string(i) + "-");
    auto r = p->append(b, 5000);
    REQUIRE(r.error.empty());
    CHECK(r.base_offset == expected);
    expected += n;
    CHECK(r.next_offset == expected);
  }
  CHECK(p->end_offset() == expected);
  CHECK(p->visible_offset() == expected);

  auto all = read_all(*p, 0);
  REQUIRE(all.size() == static_cast<std::size_t>(expected));
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].first == static_cast<std::int64_t>(i));
  CHECK(all[0].second == "b0-0");
  CHECK(all[1].second == "b1-0");
  CHECK(all[2].second == "b1-1");

  // Reading from the middle of a batch starts at that batch.
  ReadSlice s;
  REQUIRE(p->read(2, 1, s) == ReadError::none);
  CHECK(s.first_offset == 1);
  CHECK(s.next_offset == 3);
  REQUIRE(check_batch(s.data) == BatchError::none);
  CHECK(read_batch_header(s.data)->base_offset == 1);
  CHECK(s.fd >= 0);
  CHECK(s.keep != nullptr);

  // The end: empty, no error; beyond it or below the start: out of range.
  REQUIRE(p->read(expected, 1000, s) == ReadError::none);
  CHECK(s.data.empty());
  CHECK(p->read(expected + 1, 1000, s) == ReadError::offset_out_of_range);
  CHECK(p->read(-1, 1000, s) == ReadError::offset_out_of_range);

  // A multi-batch append (one Produce's record set).
  auto a = make_batch(2, 9000, "x");
  auto b = make_batch(3, 9000, "y");
  std::vector<std::byte> both = a;
  both.insert(both.end(), b.begin(), b.end());
  auto r = p->append(both, 9000);
  REQUIRE(r.error.empty());
  CHECK(r.base_offset == expected);
  CHECK(r.next_offset == expected + 5);
  auto tail = read_all(*p, expected);
  REQUIRE(tail.size() == 5);
  CHECK(tail[2].second == "y0");
  CHECK(tail[4].first == expected + 4);
}

TEST_CASE("append refuses what is not a whole sequence of batches", "[log][partition]") {
  TempDir dir;
  Log log(LogConfig{dir.path(), {}, 1000ms});
  REQUIRE(log.add_topic(topic("t")).empty());
  REQUIRE(log.open().empty());
  PartitionLog* p = log.partition("t", 0);
  std::vector<std::byte> empty;
  CHECK(!p->append(empty, 1).error.empty());
  auto b = make_batch(3);
  auto cut = std::vector<std::byte>(b.begin(), b.end() - 1);
  CHECK(!p->append(cut, 1).error.empty());
  auto extra = b;
  extra.push_back(std::byte{0});
  CHECK(!p->append(extra, 1).error.empty());
  CHECK(p->end_offset() == 0);
  CHECK(p->append(b, 1).error.empty());
  CHECK(p->end_offset() == 3);
}

TEST_CASE("read honours max_bytes but returns at least one batch", "[log][partition]") {
  TempDir dir;
  Log log(LogConfig{dir.path(), {}, 1000ms});
  REQUIRE(log.add_topic(topic("t")).empty());
  REQUIRE(log.open().empty());
  PartitionLog* p = log.partition("t", 0);
  auto one = make_batch(2);
  const std::size_t size = one.size();
  for (int i = 0; i < 10; ++i) {
    auto b = make_batch(2);
    REQUIRE(p->append(b, 1).error.empty());
  }
  ReadSlice s;
  REQUIRE(p->read(0, 1, s) == ReadError::none);
  CHECK(s.data.size() == size);
  CHECK(s.next_offset == 2);
  REQUIRE(p->read(0, 3 * size, s) == ReadError::none);
  CHECK(s.data.size() == 3 * size);
  CHECK(s.next_offset == 6);
  REQUIRE(p->read(0, 3 * size + size - 1, s) == ReadError::none);
  CHECK(s.data.size() == 3 * size);
  REQUIRE(p->read(4, 1 << 20, s) == ReadError::none);
  CHECK(s.first_offset == 4);
  CHECK(s.data.size() == 8 * size);
  CHECK(s.next_offset == 20);
  CHECK(s.file_position == static_cast<std::int64_t>(2 * size));
}

TEST_CASE("segments roll by size, oversize batches get their own, age rolls too",
          "[log][partition]") {
  TempDir dir;
  Log log(LogConfig{dir.path(), {}, 1000ms});
  auto c = topic("roll");
  c.segment_bytes = 1000;
  c.segment_age = std::chrono::milliseconds(60'000);
  c.index_interval_bytes = 100;
  REQUIRE(log.add_topic(c).empty());
  REQUIRE(log.open().empty());
  PartitionLog* p = log.partition("roll", 0);
  std::int64_t now = 1'000'000;
  for (int i = 0; i < 50; ++i) {
    auto b = make_batch(3, now);
    REQUIRE(p->append(b, now).error.empty());
  }
  auto files = segment_files(dir.path() + "/roll-0");
  CHECK(files.size() >= 5);
  CHECK(files.front() == "00000000000000000000.log");
  for (const auto& f : files) CHECK(fs::file_size(dir.path() + "/roll-0/" + f) <= 1000);

  // A batch bigger than segment_bytes still goes in.
  BatchBuilder big(now);
  std::string large(5000, 'z');
  big.add(std::nullopt, bytes(large), now);
  auto bb = big.finish();
  auto r = p->append(bb, now);
  REQUIRE(r.error.empty());
  auto more = make_batch(1, now);
  REQUIRE(p->append(more, now).error.empty());
  auto all = read_all(*p, 0);
  REQUIRE(all.size() == 152);
  CHECK(all[150].second == large);
  CHECK(all[151].first == 151);

  // Age: an append a minute later starts a new segment.
  auto n1 = segment_files(dir.path() + "/roll-0").size();
  auto late = make_batch(1, now);
  REQUIRE(p->append(late, now + 60'001).error.empty());
  CHECK(segment_files(dir.path() + "/roll-0").size() == n1 + 1);

  // Every offset can be read from, through the sparse index.
  for (std::int64_t o = 0; o < p->end_offset(); ++o) {
    ReadSlice s;
    REQUIRE(p->read(o, 1, s) == ReadError::none);
    CHECK(s.first_offset <= o);
    CHECK(s.next_offset > o);
  }
  CHECK(p->offset_for_time(now) == 0);
  CHECK(p->offset_for_time(now + 1) == 1);  // batch 0's second record
  CHECK(p->offset_for_time(now + 100) == p->end_offset());
}

TEST_CASE("retention deletes old segments by size and by time", "[log][retention]") {
  TempDir dir;
  Reports reports;
  Log log(LogConfig{dir.path(), reports.sink(), 20ms});
  auto by_size = topic("size");
  by_size.segment_bytes = 1000;
  by_size.retention_bytes = 3000;
  auto by_time = topic("time");
  by_time.segment_bytes = 1000;
  by_time.retention_time = std::chrono::milliseconds(60'000);
  REQUIRE(log.add_topic(by_size).empty());
  REQUIRE(log.add_topic(by_time).empty());
  REQUIRE(log.open().empty());
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  PartitionLog* s = log.partition("size", 0);
  PartitionLog* t = log.partition("time", 0);
  // Hold a slice into the first segment: it must stay readable after the file is deleted.
  auto first = make_batch(3, now);
  REQUIRE(s->append(first, now).error.empty());
  ReadSlice held;
  REQUIRE(s->read(0, 1, held) == ReadError::none);
  for (int i = 0; i < 60; ++i) {
    auto b = make_batch(3, now);
    REQUIRE(s->append(b, now).error.empty());
    // Old timestamps for the first 40 batches of the time topic.
    std::int64_t ts = i < 40 ? now - 120'000 : now;
    auto c = make_batch(3, ts);
    REQUIRE(t->append(c, ts).error.empty());
  }
  const std::int64_t t_end = t->end_offset();
  for (int i = 0; i < 250 && (s->start_offset() == 0 || t->start_offset() == 0); ++i)
    std::this_thread::sleep_for(10ms);
  REQUIRE(s->start_offset() > 0);
  REQUIRE(t->start_offset() > 0);
  // Give retention a few more rounds to finish, then check its bounds.
  std::this_thread::sleep_for(100ms);
  std::int64_t total = 0;
  for (const auto& e : fs::directory_iterator(dir.path() + "/size-0")) total += fs::file_size(e);
  CHECK(total <= 3000 + 1000);
  CHECK(reports.count_containing("retention deleted") >= 2);
  ReadSlice s2;
  CHECK(s->read(0, 1, s2) == ReadError::offset_out_of_range);
  REQUIRE(s->read(s->start_offset(), 1, s2) == ReadError::none);
  CHECK(s2.first_offset == s->start_offset());
  // The held slice still reads the deleted bytes.
  CHECK(check_batch(held.data) == BatchError::none);
  // Time: everything from the old batches is gone, the recent ones stay.
  auto kept = read_all(*t, t->start_offset());
  CHECK(!kept.empty());
  CHECK(kept.back().first == t_end - 1);
  CHECK(t->start_offset() <= 40 * 3);
  CHECK(t->start_offset() >= 40 * 3 - 3 * 15);  // at most the active segment of old batches
}

TEST_CASE("publish picks partitions by key or round-robin and stamps pt.ns", "[log][publish]") {
  TempDir dir;
  Reports reports;
  Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
  REQUIRE(log.add_topic(topic("pub", Durability::none, 4)).empty());
  REQUIRE(log.open().empty());
  const auto key = bytes("21");
  const int keyed = kafka_partition_for_key(key, 4);
  for (int i = 0; i < 10; ++i) CHECK(log.publish("pub", key, bytes("k")) == i);
  CHECK(log.partition("pub", keyed)->end_offset() == 10);
  for (int i = 0; i < 8; ++i) CHECK(log.publish("pub", std::nullopt, bytes("rr")) >= 0);
  for (int p = 0; p < 4; ++p)
    CHECK(log.partition("pub", p)->end_offset() == 2 + (p == keyed ? 10 : 0));
  CHECK(log.publish("missing", std::nullopt, bytes("x")) == -1);
  CHECK(reports.count_containing("unknown topic missing") == 1);

  ReadSlice s;
  REQUIRE(log.partition("pub", keyed)->read(0, 1, s) == ReadError::none);
  REQUIRE(check_batch(s.data) == BatchError::none);
  std::int64_t ns = -1;
  for_each_record(s.data, [&](const RecordView& r) {
    ns = produced_ns(r);
    CHECK(text(*r.key) == "21");
    CHECK(text(*r.value) == "k");
    return true;
  });
  auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  CHECK(ns > now_ns - 60'000'000'000LL);
  CHECK(ns <= now_ns);
}

TEST_CASE("create_topic is safe alongside readers of the topic map", "[log][topics]") {
  TempDir dir;
  Log log(LogConfig{dir.path(), {}, 1000ms});
  REQUIRE(log.open().empty());
  std::atomic<bool> stop{false};
  std::atomic<bool> bad{false};
  std::atomic<int> seen{0};
  std::thread reader([&] {
    while (!stop.load()) {
      for (int i = 0; i < 20; ++i) {
        auto name = "auto" + std::to_string(i);
        if (auto* p = log.partition(name, 1)) {
          seen++;
          if (p->partition() != 1 || p->topic() != name) bad = true;
        }
        if (auto* c = log.topic_config(name))
          if (c->durability != Durability::fsync_batched || c->partitions != 2) bad = true;
      }
    }
  });
  std::vector<std::thread> creators;
  for (int t = 0; t < 2; ++t)
    creators.emplace_back([&] {
      for (int i = 0; i < 20; ++i)
        if (!log.create_topic("auto" + std::to_string(i), 2).empty()) bad = true;
    });
  for (auto& c : creators) c.join();
  stop = true;
  reader.join();
  CHECK(!bad);
  CHECK(log.topic_names().size() == 20);
  CHECK(log.topic_config("auto3")->partitions == 2);
  CHECK(!log.create_topic("bad name", 1).empty());
  CHECK(log.add_topic(topic("auto3")) != "");  // declared twice
}
