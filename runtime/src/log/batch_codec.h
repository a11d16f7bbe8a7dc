// Private helpers (little-endian hosts) shared by record_batch.cpp and log.cpp (publish builds its
// one-record batch in a reused buffer): big-endian fields, zigzag varints, one record's encoding,
// and sealing a batch (batchLength and CRC).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "hallows/log/record_batch.h"

namespace hallows::log::codec {

// Big-endian loads and stores (fixed-size memcpy and a byte swap: a single instruction each).
template <typename T>
T load_be(const std::byte* p) noexcept {
  static_assert(sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);
  if constexpr (sizeof(T) == 1) {
    return static_cast<T>(std::to_integer<std::uint8_t>(p[0]));
  } else if constexpr (sizeof(T) == 2) {
    std::uint16_t v;
    std::memcpy(&v, p, 2);
    return static_cast<T>(__builtin_bswap16(v));
  } else if constexpr (sizeof(T) == 4) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return static_cast<T>(__builtin_bswap32(v));
  } else {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return static_cast<T>(__builtin_bswap64(v));
  }
}

template <typename T>
void store_be(std::byte* p, T value) noexcept {
  static_assert(sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);
  if constexpr (sizeof(T) == 1) {
    p[0] = static_cast<std::byte>(value);
  } else if constexpr (sizeof(T) == 2) {
    auto v = __builtin_bswap16(static_cast<std::uint16_t>(value));
    std::memcpy(p, &v, 2);
  } else if constexpr (sizeof(T) == 4) {
    auto v = __builtin_bswap32(static_cast<std::uint32_t>(value));
    std::memcpy(p, &v, 4);
  } else {
    auto v = __builtin_bswap64(static_cast<std::uint64_t>(value));
    std::memcpy(p, &v, 8);
  }
}

// Zigzag varint as Kafka's records use (varint and varlong share the encoding).
inline void put_varint(std::vector<std::byte>& out, std::int64_t value) {
  auto z = (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
  while (z >= 0x80) {
    out.push_back(static_cast<std::byte>((z & 0x7F) | 0x80));
    z >>= 7;
  }
  out.push_back(static_cast<std::byte>(z));
}

inline std::size_t varint_size(std::int64_t value) noexcept {
  auto z = (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
  std::size_t n = 1;
  while (z >= 0x80) {
    z >>= 7;
    ++n;
  }
  return n;
}

// Reads a zigzag varint of at most `max_bytes` bytes (5 for varint, 10 for varlong).
inline bool get_varint(const std::byte*& p, const std::byte* end, std::int64_t& value,
                       int max_bytes) noexcept {
  std::uint64_t z = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (p == end) return false;
    auto b = std::to_integer<std::uint8_t>(*p++);
    z |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      value = static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1);
      return true;
    }
  }
  return false;
}

// Appends one record (length prefix included) to `out`.
void append_record(std::vector<std::byte>& out, std::int64_t timestamp_delta,
                   std::int32_t offset_delta, std::optional<std::span<const std::byte>> key,
                   std::optional<std::span<const std::byte>> value,
                   std::span<const RecordHeader> headers);

// Writes the 61-byte header of `h` at the start of `batch` (whose records follow it), with
// batchLength from batch.size() and the CRC over attributes..end.
void seal_batch(std::span<std::byte> batch, const BatchHeader& h) noexcept;

}  // namespace hallows::log::codec
