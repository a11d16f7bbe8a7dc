// The Kafka wire protocol's primitive types: big-endian integers, varints, strings, bytes,
// arrays, and their compact (flexible-version) forms. A Reader never reads past its buffer:
// a short or malformed field sets failed() and every later read returns zero values, so a
// decoder reads a whole request and checks failed() once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hallows::log::wire {

class Reader {
 public:
  explicit Reader(std::span<const std::byte> data) : data_(data) {}

  bool failed() const noexcept { return failed_; }
  std::size_t remaining() const noexcept { return failed_ ? 0 : data_.size() - pos_; }
  std::size_t position() const noexcept { return pos_; }
  void fail() noexcept { failed_ = true; }

  std::int8_t i8() { return static_cast<std::int8_t>(be<std::uint8_t>()); }
  std::int16_t i16() { return static_cast<std::int16_t>(be<std::uint16_t>()); }
  std::int32_t i32() { return static_cast<std::int32_t>(be<std::uint32_t>()); }
  std::int64_t i64() { return static_cast<std::int64_t>(be<std::uint64_t>()); }
  std::uint32_t u32() { return be<std::uint32_t>(); }
  bool boolean() { return i8() != 0; }

  // Unsigned LEB128 (at most 5 bytes for 32 bits, 10 for 64).
  std::uint64_t uvarint(int max_bytes = 10) {
    std::uint64_t value = 0;
    for (int i = 0; i < max_bytes; ++i) {
      if (remaining() < 1) break;
      auto byte = static_cast<std::uint8_t>(data_[pos_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
      if ((byte & 0x80) == 0) return value;
    }
    failed_ = true;
    return 0;
  }
  // Zigzag-encoded signed varints, as record fields use them.
  std::int32_t varint() {
    auto u = uvarint(5);
    return static_cast<std::int32_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  std::int64_t varlong() {
    auto u = uvarint(10);
    return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }

  // STRING (i16 length); a negative length fails (use nullable_string for NULLABLE_STRING).
  std::string_view string() {
    auto n = i16();
    if (n < 0) {
      failed_ = true;
      return {};
    }
    return chars(static_cast<std::size_t>(n));
  }
  std::optional<std::string_view> nullable_string() {
    auto n = i16();
    if (n < 0) return std::nullopt;
    return chars(static_cast<std::size_t>(n));
  }
  // COMPACT_STRING / COMPACT_NULLABLE_STRING (uvarint length + 1; 0 = null).
  std::optional<std::string_view> compact_nullable_string() {
    auto n = uvarint(5);
    if (n == 0) return std::nullopt;
    return chars(static_cast<std::size_t>(n - 1));
  }
  std::string_view compact_string() {
    auto s = compact_nullable_string();
    if (!s) failed_ = true;
    return s.value_or(std::string_view{});
  }
  // BYTES / NULLABLE_BYTES (i32 length; -1 = null).
  std::optional<std::span<const std::byte>> nullable_bytes() {
    auto n = i32();
    if (n < 0) return std::nullopt;
    return bytes(static_cast<std::size_t>(n));
  }
  std::span<const std::byte> compact_bytes() {
    auto n = uvarint(5);
    if (n == 0) {
      failed_ = true;
      return {};
    }
    return bytes(static_cast<std::size_t>(n - 1));
  }
  // ARRAY length (i32; -1 = null array, returned as -1). Fails when the count could not fit
  // in the bytes left (each element takes at least min_element_bytes).
  std::int32_t array_length(std::size_t min_element_bytes = 1) {
    auto n = i32();
    if (n < -1 || (n > 0 && static_cast<std::size_t>(n) * min_element_bytes > remaining())) {
      failed_ = true;
      return 0;
    }
    return n;
  }
  // COMPACT_ARRAY length (uvarint N + 1; 0 = null, returned as -1).
  std::int32_t compact_array_length(std::size_t min_element_bytes = 1) {
    auto n = uvarint(5);
    if (n == 0) return -1;
    if ((n - 1) * min_element_bytes > remaining()) {
      failed_ = true;
      return 0;
    }
    return static_cast<std::int32_t>(n - 1);
  }
  // A tagged-field section of a flexible version: skipped (we know no tags).
  void skip_tagged_fields() {
    auto count = uvarint(5);
    for (std::uint64_t i = 0; i < count && !failed_; ++i) {
      uvarint(5);  // tag
      auto size = uvarint(5);
      bytes(static_cast<std::size_t>(size));
    }
  }
  std::span<const std::byte> bytes(std::size_t n) {
    if (remaining() < n) {
      failed_ = true;
      pos_ = data_.size();
      return {};
    }
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::span<const std::byte> rest() { return bytes(remaining()); }

 private:
  std::string_view chars(std::size_t n) {
    auto b = bytes(n);
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  template <typename T>
  T be() {
    if (remaining() < sizeof(T)) {
      failed_ = true;
      pos_ = data_.size();
      return 0;
    }
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      value = static_cast<T>((value << 8) | static_cast<std::uint8_t>(data_[pos_ + i]));
    pos_ += sizeof(T);
    return value;
  }

  std::span<const std::byte> data_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// Appends to a byte vector. Lengths that are known only later are reserved and patched.
class Writer {
 public:
  explicit Writer(std::vector<std::byte>& out) : out_(out) {}

  std::size_t size() const noexcept { return out_.size(); }
  void i8(std::int8_t v) { be(static_cast<std::uint8_t>(v)); }
  void i16(std::int16_t v) { be(static_cast<std::uint16_t>(v)); }
  void i32(std::int32_t v) { be(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) { be(static_cast<std::uint64_t>(v)); }
  void u32(std::uint32_t v) { be(v); }
  void boolean(bool v) { i8(v ? 1 : 0); }
  void uvarint(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<std::byte>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<std::byte>(v));
  }
  void varint(std::int32_t v) {
    uvarint(static_cast<std::uint32_t>((static_cast<std::uint32_t>(v) << 1) ^
                                       static_cast<std::uint32_t>(v >> 31)));
  }
  void varlong(std::int64_t v) {
    uvarint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void string(std::string_view s) {
    i16(static_cast<std::int16_t>(s.size()));
    raw(s.data(), s.size());
  }
  void nullable_string(std::optional<std::string_view> s) {
    if (!s) return i16(-1);
    string(*s);
  }
  void compact_string(std::string_view s) {
    uvarint(s.size() + 1);
    raw(s.data(), s.size());
  }
  void compact_nullable_string(std::optional<std::string_view> s) {
    if (!s) return uvarint(0);
    compact_string(*s);
  }
  void bytes(std::span<const std::byte> b) {
    i32(static_cast<std::int32_t>(b.size()));
    raw(b.data(), b.size());
  }
  void nullable_bytes(std::optional<std::span<const std::byte>> b) {
    if (!b) return i32(-1);
    bytes(*b);
  }
  void compact_bytes(std::span<const std::byte> b) {
    uvarint(b.size() + 1);
    raw(b.data(), b.size());
  }
  void array_length(std::int32_t n) { i32(n); }
  void compact_array_length(std::int32_t n) {
    uvarint(n < 0 ? 0 : static_cast<std::uint32_t>(n) + 1);
  }
  void empty_tagged_fields() { uvarint(0); }
  void raw(const void* data, std::size_t n) {
    auto p = static_cast<const std::byte*>(data);
    out_.insert(out_.end(), p, p + n);
  }

  // Reserves an i32 to fill in later with patch_i32 (a size or a CRC).
  std::size_t reserve_i32() {
    auto at = out_.size();
    i32(0);
    return at;
  }
  void patch_i32(std::size_t at, std::int32_t v) {
    auto u = static_cast<std::uint32_t>(v);
    for (int i = 0; i < 4; ++i) out_[at + i] = static_cast<std::byte>(u >> (24 - 8 * i));
  }

 private:
  template <typename T>
  void be(T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i)
      out_.push_back(static_cast<std::byte>(v >> (8 * (sizeof(T) - 1 - i))));
  }

  std::vector<std::byte>& out_;
};

}  // namespace hallows::log::wire
