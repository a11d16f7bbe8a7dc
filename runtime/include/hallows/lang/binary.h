// The binary codec of the language's values: what Slytherin topics with `encoding: binary` hold.
// docs/slytherin-codec.md specifies it for clients in any language; in short:
//
//   message   = 0x01 (the format byte), then the schema's fields in declaration order, no names
//   i64       = 8 bytes, two's complement, little-endian
//   f64       = 8 bytes, IEEE 754 binary64, little-endian
//   bool      = 1 byte, 0x00 or 0x01 (anything else is an error)
//   string    = uvarint byte length, then that many bytes of well-formed UTF-8
//   bytes     = uvarint length, then the bytes
//   timestamp = i64 nanoseconds since 1970-01-01T00:00:00Z;  duration = i64 nanoseconds
//   enum      = uvarint index of the member, in declaration order
//   list<T>   = uvarint count, then the elements
//   map<string, T> = uvarint count, then (string key, T value) pairs; keys are distinct
//   optional<T>    = 0x00 (absent) or 0x01 followed by T
//   schema (nested) = its fields inline
//   uvarint   = unsigned LEB128: 7 bits per byte, least significant group first, high bit set
//               on every byte but the last; at most 10 bytes
//
// Reading is strict: truncation, bytes left over, a bad bool, bad UTF-8, an unknown enum
// member, a duplicate map key, an over-long uvarint or a count larger than the bytes left are
// errors, reported with the path of the value ("$.lines[2].product: ...") like JSON decoding.
// Generated code adds write_binary/read_binary overloads for its structs and enums in the
// user's namespace; the templates here call them unqualified so argument-dependent lookup finds
// them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hallows/lang/base.h"
#include "hallows/lang/cow.h"
#include "hallows/lang/json_read.h"  // DecodeError, DecodeResult
#include "hallows/lang/validate.h"

namespace hallows {

// The first byte of every encoded message: the codec's version.
inline constexpr std::uint8_t kBinaryFormat = 0x01;

class BinaryWriter {
 public:
  void byte(std::uint8_t b) { out_.push_back(static_cast<std::byte>(b)); }
  void fixed64(std::uint64_t v);  // little-endian
  void uvarint(std::uint64_t v);
  void raw(const void* data, std::size_t size);

  [[nodiscard]] const std::vector<std::byte>& data() const { return out_; }
  [[nodiscard]] std::vector<std::byte> take() { return std::move(out_); }

 private:
  std::vector<std::byte> out_;
};

void write_binary(BinaryWriter& w, i64 value);
void write_binary(BinaryWriter& w, double value);
void write_binary(BinaryWriter& w, bool value);
void write_binary(BinaryWriter& w, const std::string& value);
void write_binary(BinaryWriter& w, const Bytes& value);
void write_binary(BinaryWriter& w, Duration value);
void write_binary(BinaryWriter& w, Timestamp value);

template <class T>
void write_binary(BinaryWriter& w, const std::vector<T>& value);
template <class T>
void write_binary(BinaryWriter& w, const std::map<std::string, T>& value);
template <class T>
void write_binary(BinaryWriter& w, const std::optional<T>& value);
template <class T>
void write_binary(BinaryWriter& w, const Cow<T>& value);

// Reads from a span it does not own, tracking the path of the value being read and keeping the
// first failure.
class BinaryReader {
 public:
  explicit BinaryReader(std::span<const std::byte> in) : in_(in) {}

  [[nodiscard]] bool byte(std::uint8_t& out);
  [[nodiscard]] bool fixed64(std::uint64_t& out);
  [[nodiscard]] bool uvarint(std::uint64_t& out);
  // A uvarint count of elements, refused when larger than the bytes left (every element of a
  // list or map takes at least one byte, except schemas without fields).
  [[nodiscard]] bool count(std::uint64_t& out, const char* what);
  // The next `n` bytes; fails when fewer are left.
  [[nodiscard]] bool take(std::size_t n, std::span<const std::byte>& out);

  [[nodiscard]] std::size_t remaining() const { return in_.size() - pos_; }
  [[nodiscard]] std::size_t position() const { return pos_; }

  void push_field(std::string_view name);
  void push_index(std::size_t index);
  void push_key(std::string_view key);
  void pop();
  // Records `message` (with the current path and byte offset) unless a failure is already
  // recorded; returns false for `return in.fail(...)`.
  bool fail(std::string message);

  [[nodiscard]] bool failed() const { return failed_; }
  [[nodiscard]] const DecodeError& error() const { return error_; }
  [[nodiscard]] std::string path() const;

 private:
  bool truncated(std::size_t needed, const char* what);

  std::span<const std::byte> in_;
  std::size_t pos_ = 0;
  std::vector<std::string> segments_;  // ".name", "[2]", "[\"key\"]"
  DecodeError error_;
  bool failed_ = false;
};

[[nodiscard]] bool read_binary(BinaryReader& r, i64& out);
[[nodiscard]] bool read_binary(BinaryReader& r, double& out);
[[nodiscard]] bool read_binary(BinaryReader& r, bool& out);
[[nodiscard]] bool read_binary(BinaryReader& r, std::string& out);
[[nodiscard]] bool read_binary(BinaryReader& r, Bytes& out);
[[nodiscard]] bool read_binary(BinaryReader& r, Duration& out);
[[nodiscard]] bool read_binary(BinaryReader& r, Timestamp& out);

template <class T>
[[nodiscard]] bool read_binary(BinaryReader& r, std::vector<T>& out);
template <class T>
[[nodiscard]] bool read_binary(BinaryReader& r, std::map<std::string, T>& out);
template <class T>
[[nodiscard]] bool read_binary(BinaryReader& r, std::optional<T>& out);
template <class T>
[[nodiscard]] bool read_binary(BinaryReader& r, Cow<T>& out);

template <class T>
void write_binary(BinaryWriter& w, const std::vector<T>& value) {
  w.uvarint(value.size());
  for (const auto& item : value) write_binary(w, item);
}

// std::vector<bool> iterates by proxy.
inline void write_binary(BinaryWriter& w, const std::vector<bool>& value) {
  w.uvarint(value.size());
  for (bool item : value) write_binary(w, item);
}

template <class T>
void write_binary(BinaryWriter& w, const std::map<std::string, T>& value) {
  w.uvarint(value.size());
  for (const auto& [key, item] : value) {
    write_binary(w, key);
    write_binary(w, item);
  }
}

template <class T>
void write_binary(BinaryWriter& w, const std::optional<T>& value) {
  w.byte(value ? 1 : 0);
  if (value) write_binary(w, *value);
}

template <class T>
void write_binary(BinaryWriter& w, const Cow<T>& value) {
  write_binary(w, value.get());
}

template <class T>
bool read_binary(BinaryReader& r, std::vector<T>& out) {
  std::uint64_t n = 0;
  if (!r.count(n, "list")) return false;
  out.clear();
  out.reserve(static_cast<std::size_t>(n));
  for (std::uint64_t i = 0; i < n; ++i) {
    r.push_index(static_cast<std::size_t>(i));
    T element{};
    bool ok = read_binary(r, element);
    r.pop();
    if (!ok) return false;
    out.push_back(std::move(element));
  }
  return true;
}

template <class T>
bool read_binary(BinaryReader& r, std::map<std::string, T>& out) {
  std::uint64_t n = 0;
  if (!r.count(n, "map")) return false;
  out.clear();
  for (std::uint64_t i = 0; i < n; ++i) {
    std::string key;
    r.push_index(static_cast<std::size_t>(i));
    bool ok = read_binary(r, key);
    r.pop();
    if (!ok) return false;
    r.push_key(key);
    if (out.count(key)) return r.fail("duplicate map key");
    T element{};
    ok = read_binary(r, element);
    r.pop();
    if (!ok) return false;
    out.emplace(std::move(key), std::move(element));
  }
  return true;
}

template <class T>
bool read_binary(BinaryReader& r, std::optional<T>& out) {
  std::uint8_t present = 0;
  if (!r.byte(present)) return false;
  if (present == 0) {
    out.reset();
    return true;
  }
  if (present != 1) {
    return r.fail("an optional's presence byte must be 0 or 1, found " + std::to_string(present));
  }
  T element{};
  if (!read_binary(r, element)) return false;
  out = std::move(element);
  return true;
}

template <class T>
bool read_binary(BinaryReader& r, Cow<T>& out) {
  T element{};
  if (!read_binary(r, element)) return false;
  out = Cow<T>(std::move(element));
  return true;
}

// The whole message: the format byte, then the value.
template <class T>
[[nodiscard]] std::vector<std::byte> to_binary(const T& value) {
  BinaryWriter w;
  w.byte(kBinaryFormat);
  write_binary(w, value);
  return w.take();
}

namespace detail {
// Checks the format byte; on failure fills `error`.
[[nodiscard]] bool read_format_byte(BinaryReader& r);
// Fails when bytes are left after the value.
[[nodiscard]] bool expect_end(BinaryReader& r);
}  // namespace detail

// Decodes a whole message (format byte, value, nothing after it) without validation.
template <class T>
[[nodiscard]] DecodeResult<T> from_binary(std::span<const std::byte> bytes) {
  DecodeResult<T> result;
  BinaryReader r(bytes);
  T value{};
  if (detail::read_format_byte(r) && read_binary(r, value) && detail::expect_end(r)) {
    result.value = std::move(value);
  } else {
    result.error = r.error();
  }
  return result;
}

// Decodes a whole message and checks T's validate rules (found by argument-dependent lookup);
// a broken rule is reported with the field's path, as decode_and_validate does for JSON.
template <class T>
[[nodiscard]] DecodeResult<T> decode_binary(std::span<const std::byte> bytes) {
  DecodeResult<T> result = from_binary<T>(bytes);
  if (!result.ok()) return result;
  if (std::optional<ValidationError> broken = validate(*result.value)) {
    result.error = DecodeError{"$." + broken->field, broken->message + " (" + broken->rule + ")"};
    result.value.reset();
  }
  return result;
}

// Bytes as text (for JSON-encoded records) and text as bytes (for keys), without copying.
[[nodiscard]] inline std::string_view as_text(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}
[[nodiscard]] inline std::span<const std::byte> as_byte_span(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

}  // namespace hallows
