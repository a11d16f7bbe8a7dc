// The binary codec's scalars, varints and error paths. The byte layout is in
// hallows/lang/binary.h and docs/slytherin-codec.md.
#include "hallows/lang/binary.h"

#include <cstring>

#include <fmt/format.h>

#include "hallows/lang/utf8.h"

namespace hallows {

void BinaryWriter::fixed64(std::uint64_t v) {
  for (int i = 0; i < 8; ++i) byte(static_cast<std::uint8_t>(v >> (8 * i)));
}

void BinaryWriter::uvarint(std::uint64_t v) {
  while (v >= 0x80) {
    byte(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  byte(static_cast<std::uint8_t>(v));
}

void BinaryWriter::raw(const void* data, std::size_t size) {
  const auto* p = static_cast<const std::byte*>(data);
  out_.insert(out_.end(), p, p + size);
}

void write_binary(BinaryWriter& w, i64 value) {
  w.fixed64(static_cast<std::uint64_t>(value));
}

void write_binary(BinaryWriter& w, double value) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  w.fixed64(bits);
}

void write_binary(BinaryWriter& w, bool value) {
  w.byte(value ? 1 : 0);
}

void write_binary(BinaryWriter& w, const std::string& value) {
  w.uvarint(value.size());
  w.raw(value.data(), value.size());
}

void write_binary(BinaryWriter& w, const Bytes& value) {
  w.uvarint(value.data.size());
  w.raw(value.data.data(), value.data.size());
}

void write_binary(BinaryWriter& w, Duration value) {
  write_binary(w, value.nanos);
}

void write_binary(BinaryWriter& w, Timestamp value) {
  write_binary(w, value.nanos);
}

bool BinaryReader::truncated(std::size_t needed, const char* what) {
  return fail(fmt::format("truncated: {} needs {} byte{}, {} left", what, needed,
                          needed == 1 ? "" : "s", remaining()));
}

bool BinaryReader::byte(std::uint8_t& out) {
  if (remaining() < 1) return truncated(1, "a byte");
  out = static_cast<std::uint8_t>(in_[pos_++]);
  return true;
}

bool BinaryReader::fixed64(std::uint64_t& out) {
  if (remaining() < 8) return truncated(8, "an 8-byte value");
  out = 0;
  for (int i = 0; i < 8; ++i) {
    out |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in_[pos_ + i])) << (8 * i);
  }
  pos_ += 8;
  return true;
}

bool BinaryReader::uvarint(std::uint64_t& out) {
  out = 0;
  for (int i = 0; i < 10; ++i) {
    if (remaining() < 1) return truncated(1, "a varint");
    auto b = static_cast<std::uint8_t>(in_[pos_++]);
    // The tenth byte holds bit 63 only.
    if (i == 9 && b > 1) return fail("a varint does not fit in 64 bits");
    out |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) return true;
  }
  return fail("a varint is longer than 10 bytes");
}

bool BinaryReader::count(std::uint64_t& out, const char* what) {
  if (!uvarint(out)) return false;
  if (out > remaining()) {
    return fail(
        fmt::format("a {} of {} elements cannot fit in the {} bytes left", what, out, remaining()));
  }
  return true;
}

bool BinaryReader::take(std::size_t n, std::span<const std::byte>& out) {
  if (remaining() < n) return truncated(n, "the value");
  out = in_.subspan(pos_, n);
  pos_ += n;
  return true;
}

void BinaryReader::push_field(std::string_view name) {
  segments_.push_back(path_member(name));
}

void BinaryReader::push_index(std::size_t index) {
  segments_.push_back(fmt::format("[{}]", index));
}

void BinaryReader::push_key(std::string_view key) {
  // Always the quoted form: a map key is data, not a field name.
  std::string quoted = path_member(key);
  segments_.push_back(quoted[0] == '.' ? "[\"" + std::string(key) + "\"]" : quoted);
}

void BinaryReader::pop() {
  if (!segments_.empty()) segments_.pop_back();
}

bool BinaryReader::fail(std::string message) {
  if (!failed_) {
    failed_ = true;
    error_ = DecodeError{path(), fmt::format("{} (at byte {})", message, pos_)};
  }
  return false;
}

std::string BinaryReader::path() const {
  std::string out = "$";
  for (const std::string& s : segments_) out += s;
  return out;
}

bool read_binary(BinaryReader& r, i64& out) {
  std::uint64_t bits = 0;
  if (!r.fixed64(bits)) return false;
  out = static_cast<i64>(bits);
  return true;
}

bool read_binary(BinaryReader& r, double& out) {
  std::uint64_t bits = 0;
  if (!r.fixed64(bits)) return false;
  std::memcpy(&out, &bits, sizeof out);
  return true;
}

bool read_binary(BinaryReader& r, bool& out) {
  std::uint8_t b = 0;
  if (!r.byte(b)) return false;
  if (b > 1) return r.fail("a bool must be 0 or 1, found " + std::to_string(b));
  out = b == 1;
  return true;
}

bool read_binary(BinaryReader& r, std::string& out) {
  std::uint64_t n = 0;
  std::span<const std::byte> bytes;
  if (!r.uvarint(n)) return false;
  if (n > r.remaining()) {
    return r.fail(fmt::format("truncated: a string of {} bytes, {} left", n, r.remaining()));
  }
  if (!r.take(static_cast<std::size_t>(n), bytes)) return false;
  std::string_view text = as_text(bytes);
  if (!is_valid_utf8(text)) return r.fail("a string is not valid UTF-8");
  out.assign(text);
  return true;
}

bool read_binary(BinaryReader& r, Bytes& out) {
  std::uint64_t n = 0;
  std::span<const std::byte> bytes;
  if (!r.uvarint(n)) return false;
  if (n > r.remaining()) {
    return r.fail(fmt::format("truncated: bytes of length {}, {} left", n, r.remaining()));
  }
  if (!r.take(static_cast<std::size_t>(n), bytes)) return false;
  out.data.resize(bytes.size());
  if (!bytes.empty()) std::memcpy(out.data.data(), bytes.data(), bytes.size());
  return true;
}

bool read_binary(BinaryReader& r, Duration& out) {
  return read_binary(r, out.nanos);
}

bool read_binary(BinaryReader& r, Timestamp& out) {
  return read_binary(r, out.nanos);
}

namespace detail {

bool read_format_byte(BinaryReader& r) {
  std::uint8_t format = 0;
  if (r.remaining() == 0) return r.fail("empty message: expected the format byte 0x01");
  if (!r.byte(format)) return false;
  if (format != kBinaryFormat) {
    return r.fail(
        fmt::format("unknown format byte 0x{:02x} (this codec writes and reads 0x01)", format));
  }
  return true;
}

bool expect_end(BinaryReader& r) {
  if (r.remaining() == 0) return true;
  return r.fail(
      fmt::format("{} byte{} left after the value", r.remaining(), r.remaining() == 1 ? "" : "s"));
}

}  // namespace detail

}  // namespace hallows
