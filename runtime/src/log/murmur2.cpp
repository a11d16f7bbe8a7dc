// Kafka's default partitioner for keyed records: murmur2 of the key bytes (the 32-bit variant
// of Kafka's Java client Utils.murmur2, seed 0x9747b28c) made positive by masking the sign bit,
// modulo the partition count. librdkafka's "murmur2_random" partitioner computes the same.
#include <cstdint>

#include "hallows/log/log.h"

namespace hallows::log {

namespace detail {
std::int32_t kafka_murmur2(std::span<const std::byte> key) noexcept {
  constexpr std::uint32_t m = 0x5bd1e995u;
  constexpr int r = 24;
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  const auto length = static_cast<std::uint32_t>(key.size());
  std::uint32_t h = 0x9747b28cu ^ length;
  const std::uint32_t length4 = length / 4;
  for (std::uint32_t i = 0; i < length4; ++i) {
    const unsigned char* p = data + 4 * i;
    std::uint32_t k = static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
                      static_cast<std::uint32_t>(p[2]) << 16 |
                      static_cast<std::uint32_t>(p[3]) << 24;
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const unsigned char* tail = data + (length & ~3u);
  switch (length % 4) {
    case 3:
      h ^= static_cast<std::uint32_t>(tail[2]) << 16;
      [[fallthrough]];
    case 2:
      h ^= static_cast<std::uint32_t>(tail[1]) << 8;
      [[fallthrough]];
    case 1:
      h ^= tail[0];
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<std::int32_t>(h);
}
}  // namespace detail

int kafka_partition_for_key(std::span<const std::byte> key, int partitions) noexcept {
  if (partitions <= 0) return 0;
  auto positive = static_cast<std::uint32_t>(detail::kafka_murmur2(key)) & 0x7fffffffu;
  return static_cast<int>(positive % static_cast<std::uint32_t>(partitions));
}

}  // namespace hallows::log
