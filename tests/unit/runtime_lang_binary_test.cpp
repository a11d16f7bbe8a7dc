// The binary codec (hallows/lang/binary.h): exact bytes, round trips of every type a schema field
// can have, and strict reading (every error names the path of the value). The structs below are
// written as the compiler emits them for a schema (emit/emit_decls.cpp).
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/lang/binary.h"

namespace shop {

enum class Size { small, large };

void write_binary(hallows::BinaryWriter& out, Size value) {
  out.uvarint(static_cast<std::uint64_t>(value));
}

bool read_binary(hallows::BinaryReader& in, Size& out) {
  std::uint64_t index = 0;
  if (!in.uvarint(index)) return false;
  if (index >= 2) return in.fail("enum Size has no member number " + std::to_string(index));
  out = static_cast<Size>(index);
  return true;
}

// schema Line { product: string, quantity: i64 = 1 validate between(1, 100), size: Size,
//               note: optional<string>, prices: list<f64>, paid: bool }
struct Line {
  std::string product;
  std::int64_t quantity = 1;
  Size size = Size::small;
  std::optional<std::string> note;
  std::vector<double> prices;
  bool paid = false;
  bool operator==(const Line&) const = default;
};

std::optional<hallows::ValidationError> validate(const Line& value) {
  if (!(value.quantity >= 1 && value.quantity <= 100)) {
    return hallows::ValidationError{"quantity", "between(1, 100)", "must be between 1 and 100"};
  }
  return std::nullopt;
}

void write_binary(hallows::BinaryWriter& out, const Line& value) {
  write_binary(out, value.product);
  write_binary(out, value.quantity);
  write_binary(out, value.size);
  write_binary(out, value.note);
  write_binary(out, value.prices);
  write_binary(out, value.paid);
}

bool read_binary(hallows::BinaryReader& in, Line& out) {
  in.push_field("product");
  if (!read_binary(in, out.product)) return false;
  in.pop();
  in.push_field("quantity");
  if (!read_binary(in, out.quantity)) return false;
  in.pop();
  in.push_field("size");
  if (!read_binary(in, out.size)) return false;
  in.pop();
  in.push_field("note");
  if (!read_binary(in, out.note)) return false;
  in.pop();
  in.push_field("prices");
  if (!read_binary(in, out.prices)) return false;
  in.pop();
  in.push_field("paid");
  if (!read_binary(in, out.paid)) return false;
  in.pop();
  return true;
}

// schema Basket { lines: list<Line>, by_name: map<string, i64>, blob: bytes, at: timestamp,
//                 wait: duration, first: optional<Line> }
struct Basket {
  std::vector<Line> lines;
  std::map<std::string, std::int64_t> by_name;
  hallows::Bytes blob;
  hallows::Timestamp at;
  hallows::Duration wait;
  std::optional<Line> first;
  bool operator==(const Basket&) const = default;
};

std::optional<hallows::ValidationError> validate(const Basket& value) {
  for (std::size_t i = 0; i < value.lines.size(); ++i) {
    if (auto nested = validate(value.lines[i])) {
      nested->field = "lines[" + std::to_string(i) + "]." + nested->field;
      return nested;
    }
  }
  return std::nullopt;
}

void write_binary(hallows::BinaryWriter& out, const Basket& value) {
  write_binary(out, value.lines);
  write_binary(out, value.by_name);
  write_binary(out, value.blob);
  write_binary(out, value.at);
  write_binary(out, value.wait);
  write_binary(out, value.first);
}

bool read_binary(hallows::BinaryReader& in, Basket& out) {
  in.push_field("lines");
  if (!read_binary(in, out.lines)) return false;
  in.pop();
  in.push_field("by_name");
  if (!read_binary(in, out.by_name)) return false;
  in.pop();
  in.push_field("blob");
  if (!read_binary(in, out.blob)) return false;
  in.pop();
  in.push_field("at");
  if (!read_binary(in, out.at)) return false;
  in.pop();
  in.push_field("wait");
  if (!read_binary(in, out.wait)) return false;
  in.pop();
  in.push_field("first");
  if (!read_binary(in, out.first)) return false;
  in.pop();
  return true;
}

}  // namespace shop

namespace {

std::vector<std::byte> bytes(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

std::string error_of(const std::vector<std::byte>& message) {
  auto result = hallows::from_binary<shop::Line>(message);
  REQUIRE_FALSE(result.ok());
  return result.error.describe();
}

shop::Line doc_line() {
  return shop::Line{"tea", 2, shop::Size::large, std::nullopt, {2.5}, true};
}

}  // namespace

TEST_CASE("binary: the worked example of docs/slytherin-codec.md, byte for byte",
          "[lang][binary]") {
  std::vector<std::byte> expected = bytes({
      0x01,                                            // format
      0x03, 0x74, 0x65, 0x61,                          // product "tea"
      0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // quantity 2
      0x01,                                            // size large
      0x00,                                            // note absent
      0x01,                                            // prices: 1 element
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x40,  // 2.5
      0x01,                                            // paid true
  });
  CHECK(hallows::to_binary(doc_line()) == expected);
  auto back = hallows::decode_binary<shop::Line>(expected);
  REQUIRE(back.ok());
  CHECK(*back.value == doc_line());
}

TEST_CASE("binary: uvarints are LEB128, at most 10 bytes", "[lang][binary]") {
  auto encode = [](std::uint64_t v) {
    hallows::BinaryWriter w;
    w.uvarint(v);
    return w.take();
  };
  CHECK(encode(0) == bytes({0x00}));
  CHECK(encode(127) == bytes({0x7f}));
  CHECK(encode(128) == bytes({0x80, 0x01}));
  CHECK(encode(300) == bytes({0xac, 0x02}));
  CHECK(encode(UINT64_MAX).size() == 10);
  for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{1} << 35, UINT64_MAX}) {
    std::vector<std::byte> b = encode(v);
    hallows::BinaryReader r(b);
    std::uint64_t back = 0;
    REQUIRE(r.uvarint(back));
    CHECK(back == v);
  }
  // Eleven bytes, and a tenth byte holding more than bit 63.
  std::vector<std::byte> eleven(10, std::byte{0x80});
  eleven.push_back(std::byte{0x00});
  hallows::BinaryReader r1(eleven);
  std::uint64_t v = 0;
  CHECK_FALSE(r1.uvarint(v));
  CHECK(r1.error().message.find("does not fit in 64 bits") != std::string::npos);
  std::vector<std::byte> big(9, std::byte{0xff});
  big.push_back(std::byte{0x02});
  hallows::BinaryReader r2(big);
  CHECK_FALSE(r2.uvarint(v));
}

TEST_CASE("binary: every field type round-trips", "[lang][binary]") {
  shop::Basket basket;
  basket.lines = {doc_line(),
                  shop::Line{"ÆØÅ ☕", 100, shop::Size::small, std::string("no sugar"), {}, false}};
  basket.by_name = {{"tea", -1}, {"", INT64_MIN}, {"cake", INT64_MAX}};
  basket.blob.data = {0x00, 0xff, 0x10};
  basket.at = hallows::Timestamp{-5};
  basket.wait = hallows::Duration{1'500'000};
  basket.first = basket.lines[1];
  std::vector<std::byte> message = hallows::to_binary(basket);
  auto back = hallows::decode_binary<shop::Basket>(message);
  INFO(back.error.describe());
  REQUIRE(back.ok());
  CHECK(*back.value == basket);

  shop::Basket empty;
  auto empty_back = hallows::from_binary<shop::Basket>(hallows::to_binary(empty));
  REQUIRE(empty_back.ok());
  CHECK(*empty_back.value == empty);
  // NaN survives bit for bit.
  shop::Line nan_line = doc_line();
  nan_line.prices = {std::numeric_limits<double>::quiet_NaN()};
  auto nan_back = hallows::from_binary<shop::Line>(hallows::to_binary(nan_line));
  REQUIRE(nan_back.ok());
  CHECK(std::isnan(nan_back.value->prices[0]));
}

TEST_CASE("binary: every truncation of a message is an error", "[lang][binary]") {
  std::vector<std::byte> message = hallows::to_binary(doc_line());
  for (std::size_t n = 0; n < message.size(); ++n) {
    std::vector<std::byte> prefix(message.begin(), message.begin() + static_cast<long>(n));
    auto result = hallows::from_binary<shop::Line>(prefix);
    INFO("prefix of " << n << " bytes");
    CHECK_FALSE(result.ok());
  }
  CHECK(error_of({}) == "$: empty message: expected the format byte 0x01 (at byte 0)");
  CHECK(error_of(bytes({0x01, 0x03, 0x74})) ==
        "$.product: truncated: a string of 3 bytes, 1 left (at byte 2)");
}

TEST_CASE("binary: strict reading names the value that is wrong", "[lang][binary]") {
  std::vector<std::byte> good = hallows::to_binary(doc_line());
  auto with = [&](std::size_t at, int value) {
    std::vector<std::byte> b = good;
    b[at] = static_cast<std::byte>(value);
    return b;
  };
  CHECK(error_of(with(0, 0x02)) ==
        "$: unknown format byte 0x02 (this codec writes and reads 0x01) (at byte 1)");
  CHECK(error_of(with(24, 0x02)) == "$.paid: a bool must be 0 or 1, found 2 (at byte 25)");
  CHECK(error_of(with(13, 0x05)) == "$.size: enum Size has no member number 5 (at byte 14)");
  CHECK(error_of(with(14, 0x07)) ==
        "$.note: an optional's presence byte must be 0 or 1, found 7 (at byte 15)");
  CHECK(error_of(with(2, 0xff)) == "$.product: a string is not valid UTF-8 (at byte 5)");
  CHECK(error_of(with(15, 0x7f)) ==
        "$.prices: a list of 127 elements cannot fit in the 9 bytes left (at byte 16)");
  std::vector<std::byte> trailing = good;
  trailing.push_back(std::byte{0x00});
  CHECK(error_of(trailing) == "$: 1 byte left after the value (at byte 25)");
}

TEST_CASE("binary: a map with a key twice is refused", "[lang][binary]") {
  hallows::BinaryWriter w;
  w.byte(hallows::kBinaryFormat);
  w.uvarint(2);
  for (int i = 0; i < 2; ++i) {
    write_binary(w, std::string("tea"));
    write_binary(w, std::int64_t{i});
  }
  auto result = hallows::from_binary<std::map<std::string, std::int64_t>>(w.data());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error.describe() == "$[\"tea\"]: duplicate map key (at byte 18)");
}

TEST_CASE("binary: decode_binary runs the schema's validate rules", "[lang][binary]") {
  shop::Basket basket;
  basket.lines = {doc_line(), doc_line()};
  basket.lines[1].quantity = 0;
  auto result = hallows::decode_binary<shop::Basket>(hallows::to_binary(basket));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error.describe() ==
        "$.lines[1].quantity: must be between 1 and 100 (between(1, 100))");
  // from_binary decodes without the rules.
  CHECK(hallows::from_binary<shop::Basket>(hallows::to_binary(basket)).ok());
}
