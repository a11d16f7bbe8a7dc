// Log-linear latency buckets. Bucket b = 16 * p + s holds values in
//   [2^p * (16 + s) / 16, 2^p * (17 + s) / 16) microseconds,  p = 0..26, s = 0..15,
// so each power of two from 1 µs to 2^27 µs (~134 s) is split into 16 equal sub-buckets and a
// bucket's width is at most 1/16 of its lower bound. Values under 1 µs land in bucket 0 and values
// past the top in the last bucket. Internally a value is measured in sixteenths of a microsecond
// (62.5 ns), which makes the mapping a multiply, a bit_width and a shift.
#include <algorithm>
#include <bit>
#include <cmath>

#include "hallows/obs/metrics.h"

namespace hallows::obs {
namespace {

constexpr int kPowers = Histogram::kBuckets / Histogram::kSubBuckets;

// Sixteenths of a microsecond in `ns`, rounded down: ns / 62.5.
constexpr std::uint64_t sixteenths(std::uint64_t ns) noexcept {
  return ns * 2 / 125;
}

int bucket_of(std::int64_t ns) noexcept {
  if (ns < 1000) return 0;
  std::uint64_t w = sixteenths(static_cast<std::uint64_t>(ns));  // >= 16
  int p = std::bit_width(w) - 5;                                 // w in [16 << p, 32 << p)
  if (p >= kPowers) return Histogram::kBuckets - 1;
  int s = static_cast<int>(w >> p) - Histogram::kSubBuckets;
  return p * Histogram::kSubBuckets + s;
}

}  // namespace

void Histogram::record(std::chrono::nanoseconds value) noexcept {
  std::int64_t ns = value.count();
  buckets_[bucket_of(ns)].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(ns > 0 ? static_cast<std::uint64_t>(ns) : 0, std::memory_order_relaxed);
}

std::uint64_t Histogram::count() const noexcept {
  std::uint64_t total = 0;
  for (const auto& b : buckets_) total += b.load(std::memory_order_relaxed);
  return total;
}

std::uint64_t Histogram::sum_ns() const noexcept {
  return sum_ns_.load(std::memory_order_relaxed);
}

std::chrono::nanoseconds Histogram::quantile(double q) const noexcept {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(quantile_of(snapshot(), q)));
}

std::array<std::uint64_t, Histogram::kBuckets> Histogram::snapshot() const noexcept {
  std::array<std::uint64_t, kBuckets> counts{};
  for (int i = 0; i < kBuckets; ++i) counts[i] = buckets_[i].load(std::memory_order_relaxed);
  return counts;
}

std::chrono::nanoseconds Histogram::upper_bound(int bucket) noexcept {
  bucket = std::clamp(bucket, 0, kBuckets - 1);
  int p = bucket / kSubBuckets;
  int s = bucket % kSubBuckets;
  // (17 + s) << p sixteenths of a microsecond, in ns rounded up (only p = 0 has a half).
  std::uint64_t w = static_cast<std::uint64_t>(kSubBuckets + s + 1) << p;
  return std::chrono::nanoseconds(static_cast<std::int64_t>((w * 125 + 1) / 2));
}

double Histogram::quantile_of(const std::array<std::uint64_t, kBuckets>& counts,
                              double q) noexcept {
  std::uint64_t total = 0;
  for (std::uint64_t c : counts) total += c;
  if (total == 0) return 0;
  // The rank of the q-th value (1-based, nearest-rank): ceil(q * total), within [1, total].
  double wanted = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(total));
  std::uint64_t rank = std::clamp<std::uint64_t>(static_cast<std::uint64_t>(wanted), 1, total);
  std::uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts[i];
    if (seen >= rank) return static_cast<double>(upper_bound(i).count());
  }
  return static_cast<double>(upper_bound(kBuckets - 1).count());
}

}  // namespace hallows::obs
