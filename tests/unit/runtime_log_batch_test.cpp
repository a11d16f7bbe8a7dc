// Record batch v2: CRC-32C, the builder and iterator, check_batch, murmur2.
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/log/log.h"
#include "hallows/log/record_batch.h"
#include "runtime_log_test_support.h"

namespace hallows::log::detail {
// Defined in runtime/src/log (not public API), declared here for the tests.
std::uint32_t crc32c_software(const void* data, std::size_t size, std::uint32_t crc) noexcept;
std::int32_t kafka_murmur2(std::span<const std::byte> key) noexcept;
}  // namespace hallows::log::detail

using namespace hallows::log;
using hallows::log::testing::bytes;
using hallows::log::testing::make_batch;
using hallows::log::testing::text;

TEST_CASE("crc32c matches the standard check value", "[log][crc]") {
  CHECK(crc32c("123456789", 9) == 0xE3069283u);
  CHECK(detail::crc32c_software("123456789", 9, 0) == 0xE3069283u);
  CHECK(crc32c("", 0) == 0u);
  // Incremental use agrees with one pass, and hardware agrees with the table at every length.
  std::string data;
  for (int i = 0; i < 300; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  for (std::size_t n = 0; n < data.size(); n += 13) {
    auto whole = crc32c(data.data(), n);
    CHECK(detail::crc32c_software(data.data(), n, 0) == whole);
    auto half = crc32c(data.data(), n / 2);
    CHECK(crc32c(data.data() + n / 2, n - n / 2, half) == whole);
  }
}

TEST_CASE("BatchBuilder round trips through for_each_record", "[log][batch]") {
  BatchBuilder b(1'700'000'000'000);
  std::byte hv[3] = {std::byte{1}, std::byte{2}, std::byte{3}};
  RecordHeader headers[2] = {{"trace", std::span<const std::byte>(hv, 3)}, {"empty", std::nullopt}};
  b.add(bytes("key-1"), bytes("value-1"), 1'700'000'000'000, headers);
  b.add(std::nullopt, bytes("no key"), 1'700'000'000'005);
  b.add(bytes("k3"), std::nullopt, 1'699'999'999'990);  // earlier than the base: negative delta
  REQUIRE(b.count() == 3);
  auto batch = b.finish();
  CHECK(b.count() == 0);
  REQUIRE(check_batch(batch) == BatchError::none);
  auto h = read_batch_header(batch);
  REQUIRE(h);
  CHECK(h->magic == 2);
  CHECK(h->records_count == 3);
  CHECK(h->last_offset_delta == 2);
  CHECK(h->max_timestamp == 1'700'000'000'005);
  CHECK(h->size() == batch.size());
  CHECK(h->producer_id == -1);

  set_base_offset(batch, 1000);  // outside the CRC: still valid
  REQUIRE(check_batch(batch) == BatchError::none);
  std::vector<RecordView> seen;
  std::vector<std::string> header_keys;
  CHECK(for_each_record(batch, [&](const RecordView& r) {
    seen.push_back(r);
    for_each_header(r, [&](const RecordHeader& rh) {
      header_keys.emplace_back(rh.key);
      if (rh.key == "trace") {
        REQUIRE(rh.value);
        CHECK(rh.value->size() == 3);
        CHECK((*rh.value)[2] == std::byte{3});
      } else {
        CHECK(!rh.value);
      }
    });
    return true;
  }));
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].offset == 1000);
  CHECK(seen[1].offset == 1001);
  CHECK(seen[2].offset == 1002);
  CHECK(text(*seen[0].key) == "key-1");
  CHECK(text(*seen[0].value) == "value-1");
  CHECK(seen[0].header_count == 2);
  CHECK(!seen[1].key);
  CHECK(seen[1].timestamp == 1'700'000'000'005);
  CHECK(text(*seen[2].key) == "k3");
  CHECK(!seen[2].value);
  CHECK(seen[2].timestamp == 1'699'999'999'990);
  CHECK(header_keys == std::vector<std::string>{"trace", "empty"});

  // Stopping early is not an error.
  int calls = 0;
  CHECK(for_each_record(batch, [&](const RecordView&) { return ++calls < 2; }));
  CHECK(calls == 2);
  CHECK(b.finish().empty());  // nothing added: no batch
}

TEST_CASE("check_batch refuses damaged batches", "[log][batch]") {
  auto good = make_batch(4);
  REQUIRE(check_batch(good) == BatchError::none);

  SECTION("bad crc") {
    auto b = good;
    b[b.size() - 1] ^= std::byte{0x40};
    CHECK(check_batch(b) == BatchError::bad_crc);
  }
  SECTION("truncated") {
    CHECK(check_batch(std::span<const std::byte>(good).first(good.size() - 1)) ==
          BatchError::truncated);
    CHECK(check_batch(std::span<const std::byte>(good).first(30)) == BatchError::truncated);
    CHECK(check_batch({}) == BatchError::truncated);
  }
  SECTION("bad magic") {
    auto b = good;
    b[batch_field::magic] = std::byte{1};
    CHECK(check_batch(b) == BatchError::bad_magic);
  }
  SECTION("bad length") {
    auto b = good;
    b[batch_field::batch_length + 3] = std::byte{10};
    b[batch_field::batch_length + 2] = std::byte{0};
    CHECK(check_batch(b) == BatchError::bad_length);
  }
  SECTION("bad count") {
    // Claim 5 records (and a matching lastOffsetDelta) with a valid CRC: the records run out.
    auto b = good;
    b[batch_field::records_count + 3] = std::byte{5};
    b[batch_field::last_offset_delta + 3] = std::byte{4};
    std::uint32_t crc =
        crc32c(b.data() + batch_field::attributes, b.size() - batch_field::attributes);
    for (int i = 0; i < 4; ++i)
      b[batch_field::crc + i] = static_cast<std::byte>(crc >> (24 - 8 * i));
    CHECK(check_batch(b) != BatchError::none);
    CHECK(check_batch(b) != BatchError::bad_crc);
    // Fewer records claimed than present: trailing bytes.
    auto c = good;
    c[batch_field::records_count + 3] = std::byte{3};
    c[batch_field::last_offset_delta + 3] = std::byte{2};
    crc = crc32c(c.data() + batch_field::attributes, c.size() - batch_field::attributes);
    for (int i = 0; i < 4; ++i)
      c[batch_field::crc + i] = static_cast<std::byte>(crc >> (24 - 8 * i));
    CHECK(check_batch(c) == BatchError::bad_records);
    // A count that disagrees with lastOffsetDelta.
    auto d = good;
    d[batch_field::last_offset_delta + 3] = std::byte{7};
    crc = crc32c(d.data() + batch_field::attributes, d.size() - batch_field::attributes);
    for (int i = 0; i < 4; ++i)
      d[batch_field::crc + i] = static_cast<std::byte>(crc >> (24 - 8 * i));
    CHECK(check_batch(d) == BatchError::bad_records);
  }
  SECTION("a batch followed by more bytes is checked alone") {
    auto b = good;
    b.resize(b.size() + 10, std::byte{0x55});
    CHECK(check_batch(b) == BatchError::none);
  }
}

TEST_CASE("murmur2 agrees with Kafka's Java client", "[log][murmur2]") {
  // Vectors from Kafka's UtilsTest.
  CHECK(detail::kafka_murmur2(bytes("21")) == -973932308);
  CHECK(detail::kafka_murmur2(bytes("foobar")) == -790332482);
  CHECK(detail::kafka_murmur2(bytes("a-little-bit-long-string")) == -985981536);
  CHECK(detail::kafka_murmur2(bytes("a-little-bit-longer-string")) == -1486304829);
  CHECK(detail::kafka_murmur2(bytes("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")) ==
        -58897971);
  CHECK(detail::kafka_murmur2(bytes("abc")) == 479470107);
  // The partition: the hash with its sign bit masked, modulo the count.
  CHECK(kafka_partition_for_key(bytes("21"), 0x7fffffff) == (-973932308 & 0x7fffffff));
  CHECK(kafka_partition_for_key(bytes("abc"), 7) == 479470107 % 7);
  CHECK(kafka_partition_for_key(bytes("foobar"), 3) == (-790332482 & 0x7fffffff) % 3);
}
