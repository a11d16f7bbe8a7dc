// Recovery at open: torn tails are cut off, a corrupt middle segment is reported and not
// served, offsets continue from the recovered end.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "hallows/log/consumer.h"
#include "hallows/log/log.h"
#include "runtime_log_test_support.h"

using namespace hallows::log;
using namespace hallows::log::testing;
namespace fs = std::filesystem;

namespace {

TopicConfig topic(std::string name, std::int64_t segment_bytes = 64 << 20, int partitions = 1) {
  TopicConfig c;
  c.name = std::move(name);
  c.partitions = partitions;
  c.durability = Durability::fsync_every_write;
  c.segment_bytes = segment_bytes;
  c.index_interval_bytes = 256;
  return c;
}

std::vector<fs::path> segments(const std::string& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".log") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Appends `n` batches of 2 records; returns the size of one batch.
std::size_t fill(const std::string& data_dir, const TopicConfig& c, int n) {
  Log log(LogConfig{data_dir, {}, 1000ms});
  REQUIRE(log.add_topic(c).empty());
  REQUIRE(log.open().empty());
  std::size_t size = 0;
  for (int i = 0; i < n; ++i) {
    auto b = make_batch(2, 1000, "r" + std::to_string(i) + "-");
    size = b.size();
    REQUIRE(log.partition(c.name, 0)->append(b, 1000).error.empty());
  }
  return size;
}

}  // namespace

TEST_CASE("a tail cut mid-batch is truncated and offsets continue", "[log][recovery]") {
  TempDir dir;
  const std::size_t batch = fill(dir.path(), topic("t"), 10);
  auto file = segments(dir.path() + "/t-0").back();
  REQUIRE(fs::file_size(file) == 10 * batch);
  fs::resize_file(file, 10 * batch - 7);  // the last batch lost its last 7 bytes

  Reports reports;
  Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
  REQUIRE(log.add_topic(topic("t")).empty());
  REQUIRE(log.open().empty());
  PartitionLog* p = log.partition("t", 0);
  CHECK(p->end_offset() == 18);
  CHECK(reports.count_containing("slytherin: t-0: truncated a torn tail of " +
                                 std::to_string(batch - 7) + " bytes at offset 18") == 1);
  CHECK(fs::file_size(file) == 9 * batch);
  auto b = make_batch(2, 1000, "new-");
  auto r = p->append(b, 1000);
  REQUIRE(r.error.empty());
  CHECK(r.base_offset == 18);
  auto all = read_all(*p, 0);
  REQUIRE(all.size() == 20);
  CHECK(all[17].second == "r8-1");
  CHECK(all[18].second == "new-0");
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].first == static_cast<std::int64_t>(i));
}

TEST_CASE("garbage after the last batch is truncated", "[log][recovery]") {
  TempDir dir;
  const std::size_t batch = fill(dir.path(), topic("g"), 4);
  auto file = segments(dir.path() + "/g-0").back();
  {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    std::string junk(333, '\x7f');
    out.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  Reports reports;
  Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
  REQUIRE(log.add_topic(topic("g")).empty());
  REQUIRE(log.open().empty());
  CHECK(reports.count_containing(
            "slytherin: g-0: truncated a torn tail of 333 bytes at offset 8") == 1);
  CHECK(fs::file_size(file) == 4 * batch);
  PartitionLog* p = log.partition("g", 0);
  CHECK(p->end_offset() == 8);
  auto b = make_batch(1);
  CHECK(p->append(b, 1).base_offset == 8);
  CHECK(read_all(*p, 0).size() == 9);
}

TEST_CASE("a corrupt batch in a middle segment is reported and not served", "[log][recovery]") {
  TempDir dir;
  const auto c = topic("m", 1000);
  const std::size_t batch = fill(dir.path(), c, 40);
  auto files = segments(dir.path() + "/m-0");
  REQUIRE(files.size() >= 4);
  const std::size_t per_segment = 1000 / batch;
  const std::int64_t seg1_base = static_cast<std::int64_t>(per_segment) * 2;
  REQUIRE(files[1].filename().string() ==
          fmt::format("{:020d}.log", seg1_base));  // two records per batch
  const auto size1 = fs::file_size(files[1]);
  {
    // Flip a byte inside the third batch of the second segment.
    std::fstream f(files[1], std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(2 * batch + batch / 2));
    char ch = 0;
    f.seekg(static_cast<std::streamoff>(2 * batch + batch / 2));
    f.get(ch);
    f.seekp(static_cast<std::streamoff>(2 * batch + batch / 2));
    f.put(static_cast<char>(ch ^ 0x20));
  }
  Reports reports;
  Log log(LogConfig{dir.path(), reports.sink(), 1000ms});
  REQUIRE(log.add_topic(c).empty());
  REQUIRE(log.open().empty());
  PartitionLog* p = log.partition("m", 0);
  CHECK(reports.count_containing("CORRUPT segment") == 1);
  CHECK(reports.count_containing("CRC mismatch") == 1);
  CHECK(fs::file_size(files[1]) == size1);  // evidence kept
  CHECK(p->end_offset() == 80);

  const std::int64_t bad = seg1_base + 4;  // first offset of the damaged batch
  const std::int64_t seg2_base = seg1_base + 2 * static_cast<std::int64_t>(per_segment);
  ReadSlice s;
  REQUIRE(p->read(seg1_base + 3, 1 << 20, s) == ReadError::none);
  CHECK(s.first_offset == seg1_base + 2);
  CHECK(s.next_offset == bad);  // stops at the sound prefix
  CHECK(p->read(bad, 1 << 20, s) == ReadError::corrupt);
  CHECK(s.next_offset == seg2_base);
  CHECK(p->read(seg2_base - 1, 1 << 20, s) == ReadError::corrupt);
  REQUIRE(p->read(seg2_base, 1 << 20, s) == ReadError::none);
  CHECK(s.first_offset == seg2_base);

  // A consumer skips the unreadable range (reported) and reads everything else in order.
  std::vector<std::int64_t> offsets;
  {
    LocalConsumer consumer(log, "m", "g", 0, 1);
    for (int i = 0; i < 20 && consumer.lag() > 0; ++i)
      consumer.poll(1000, [&](const RecordView& r) { offsets.push_back(r.offset); });
  }
  CHECK(offsets.size() == static_cast<std::size_t>(80 - (seg2_base - bad)));
  CHECK(std::is_sorted(offsets.begin(), offsets.end()));
  CHECK(std::find(offsets.begin(), offsets.end(), bad) == offsets.end());
  CHECK(reports.count_containing("unreadable (corrupt segment), skipped") == 1);
  // Appends continue at the end.
  auto b = make_batch(1);
  CHECK(p->append(b, 1).base_offset == 80);
}

TEST_CASE("a topic on disk with another partition count is an error", "[log][recovery]") {
  TempDir dir;
  {
    Log log(LogConfig{dir.path(), {}, 1000ms});
    REQUIRE(log.add_topic(topic("pc", 1 << 20, 2)).empty());
    REQUIRE(log.open().empty());
  }
  {
    Log log(LogConfig{dir.path(), {}, 1000ms});
    REQUIRE(log.add_topic(topic("pc", 1 << 20, 3)).empty());
    auto err = log.open();
    CHECK(err.find("2 partitions on disk") != std::string::npos);
  }
  Log log(LogConfig{dir.path(), {}, 1000ms});
  REQUIRE(log.open().empty());
  CHECK(!log.add_topic(topic("pc", 1 << 20, 1)).empty());  // after open: checked at once
  CHECK(log.add_topic(topic("pc", 1 << 20, 2)).empty());
}

TEST_CASE("index files are written at roll and close and rebuilt when missing or stale",
          "[log][recovery]") {
  TempDir dir;
  const auto c = topic("ix", 1000);
  fill(dir.path(), c, 40);
  auto files = segments(dir.path() + "/ix-0");
  REQUIRE(files.size() >= 4);
  auto index_of = [](fs::path p, const char* ext) { return p.replace_extension(ext); };
  for (const auto& f : files) {
    REQUIRE(fs::exists(index_of(f, ".index")));
    REQUIRE(fs::exists(index_of(f, ".timeindex")));
    // index_interval_bytes 256: one entry for the first batch and then every ~256 bytes.
    auto entries = fs::file_size(index_of(f, ".index")) / 8;
    CHECK(entries >= 1);
    CHECK(fs::file_size(index_of(f, ".timeindex")) == entries * 12);
  }
  const auto good_size = fs::file_size(index_of(files[1], ".index"));
  fs::remove(index_of(files[0], ".index"));
  fs::resize_file(index_of(files[1], ".index"), good_size - 8);  // stale
  {
    Log log(LogConfig{dir.path(), {}, 1000ms});
    REQUIRE(log.add_topic(c).empty());
    REQUIRE(log.open().empty());
  }
  CHECK(fs::exists(index_of(files[0], ".index")));
  CHECK(fs::file_size(index_of(files[1], ".index")) == good_size);
}
