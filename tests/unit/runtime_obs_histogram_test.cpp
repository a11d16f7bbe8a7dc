#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/obs/metrics.h"

using hallows::obs::Histogram;
using std::chrono::nanoseconds;

namespace {

// The nearest-rank q-quantile of `values`, exactly.
std::int64_t exact_quantile(std::vector<std::int64_t> values, double q) {
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// The histogram's answer is the upper bound of the bucket holding the exact value: never below
// it and at most 1/16 above (plus the half nanosecond the first power rounds up).
void check_close(std::int64_t estimate, std::int64_t exact) {
  INFO("exact " << exact << " ns, estimate " << estimate << " ns");
  CHECK(estimate > exact);
  CHECK(static_cast<double>(estimate - exact) <= static_cast<double>(exact) / 16.0 + 1.0);
}

}  // namespace

TEST_CASE("Histogram bucket bounds grow log-linearly from 1 us", "[obs][histogram]") {
  CHECK(Histogram::upper_bound(0) == nanoseconds(1063));  // 1062.5 rounded up
  CHECK(Histogram::upper_bound(15) == nanoseconds(2000));
  CHECK(Histogram::upper_bound(16) == nanoseconds(2125));
  CHECK(Histogram::upper_bound(31) == nanoseconds(4000));
  // The top of the last power: 2^27 us.
  CHECK(Histogram::upper_bound(Histogram::kBuckets - 1) == nanoseconds(134'217'728'000));
  for (int b = 1; b < Histogram::kBuckets; ++b) {
    auto lower = Histogram::upper_bound(b - 1).count();
    auto upper = Histogram::upper_bound(b).count();
    REQUIRE(upper > lower);
    REQUIRE(static_cast<double>(upper - lower) <= static_cast<double>(lower) / 16.0 + 1.0);
  }
}

TEST_CASE("Histogram puts each value in the bucket whose bounds hold it", "[obs][histogram]") {
  for (int b = 1; b < Histogram::kBuckets; ++b) {
    // The last value of bucket b-1 and the first of bucket b.
    auto first_of_b = Histogram::upper_bound(b - 1);
    Histogram below;
    below.record(first_of_b - nanoseconds(1));
    REQUIRE(below.quantile(1.0) == Histogram::upper_bound(b - 1));
    Histogram at;
    at.record(first_of_b);
    REQUIRE(at.quantile(1.0) == Histogram::upper_bound(b));
  }
}

TEST_CASE("Histogram sends values under 1 us to the first bucket and huge ones to the last",
          "[obs][histogram]") {
  Histogram h;
  h.record(nanoseconds(0));
  h.record(nanoseconds(-5));
  h.record(nanoseconds(999));
  CHECK(h.quantile(1.0) == Histogram::upper_bound(0));
  h.record(std::chrono::hours(1));
  CHECK(h.quantile(1.0) == Histogram::upper_bound(Histogram::kBuckets - 1));
  CHECK(h.count() == 4);
  CHECK(h.sum_ns() == 999 + 3'600'000'000'000ull);  // the negative value adds nothing
}

TEST_CASE("Histogram of nothing has zero quantiles", "[obs][histogram]") {
  Histogram h;
  CHECK(h.count() == 0);
  CHECK(h.quantile(0.99) == nanoseconds(0));
  CHECK(Histogram::quantile_of(h.snapshot(), 0.5) == 0.0);
}

TEST_CASE("Histogram quantiles of a uniform distribution are within 1/16", "[obs][histogram]") {
  Histogram h;
  std::vector<std::int64_t> values;
  for (std::int64_t us = 1; us <= 10'000; ++us) {
    values.push_back(us * 1000);
    h.record(std::chrono::microseconds(us));
  }
  REQUIRE(h.count() == 10'000);
  CHECK(h.sum_ns() == 1000ull * 10'000 * 10'001 / 2);
  for (double q : {0.0, 0.01, 0.5, 0.9, 0.99, 0.999, 1.0})
    check_close(h.quantile(q).count(), exact_quantile(values, q));
}

TEST_CASE("Histogram quantiles of a long-tailed distribution are within 1/16", "[obs][histogram]") {
  std::mt19937_64 random(42);
  std::lognormal_distribution<double> latency(std::log(200'000.0), 1.5);  // median 200 us
  Histogram h;
  std::vector<std::int64_t> values;
  for (int i = 0; i < 50'000; ++i) {
    auto ns =
        std::clamp<std::int64_t>(static_cast<std::int64_t>(latency(random)), 1000, 60'000'000'000);
    values.push_back(ns);
    h.record(nanoseconds(ns));
  }
  for (double q : {0.5, 0.9, 0.99, 0.999, 0.9999})
    check_close(h.quantile(q).count(), exact_quantile(values, q));
}

TEST_CASE("Histogram windows: quantile_of the difference of two snapshots", "[obs][histogram]") {
  Histogram h;
  for (int i = 0; i < 1000; ++i) h.record(std::chrono::milliseconds(50));  // an old, slow window
  auto start = h.snapshot();
  for (int i = 0; i < 1000; ++i) h.record(std::chrono::microseconds(100 + i % 10));
  auto now = h.snapshot();
  std::array<std::uint64_t, Histogram::kBuckets> window{};
  for (int i = 0; i < Histogram::kBuckets; ++i) window[i] = now[i] - start[i];
  double p99 = Histogram::quantile_of(window, 0.99);
  CHECK(p99 > 109'000);
  CHECK(p99 <= 109'000 * (1 + 1.0 / 16));
  CHECK(h.quantile(0.99) >= std::chrono::milliseconds(50));  // the whole history still sees it
}

TEST_CASE("Histogram records from two threads lose nothing", "[obs][histogram]") {
  Histogram h;
  constexpr int kPerThread = 200'000;
  auto work = [&h](int seed) {
    for (int i = 0; i < kPerThread; ++i)
      h.record(nanoseconds(1000 + (i * 7919 + seed) % 5'000'000));
  };
  std::uint64_t expected_sum = 0;
  for (int seed : {1, 2})
    for (int i = 0; i < kPerThread; ++i) expected_sum += 1000 + (i * 7919 + seed) % 5'000'000;
  std::thread a(work, 1);
  std::thread b(work, 2);
  a.join();
  b.join();
  CHECK(h.count() == 2u * kPerThread);
  CHECK(h.sum_ns() == expected_sum);
}
