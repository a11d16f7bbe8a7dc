#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "hallows/lang/base64.h"
#include "hallows/lang/rfc3339.h"
#include "hallows/lang/text.h"

using hallows::Bytes;
using hallows::Duration;
using hallows::i64;
using hallows::Timestamp;
using hallows::to_text;

namespace demo {
enum class Colour { red, green };
std::string to_text(Colour c) {
  return c == Colour::red ? "red" : "green";
}
}  // namespace demo

TEST_CASE("to_text of scalars", "[lang][text]") {
  CHECK(to_text(i64{-42}) == "-42");
  CHECK(to_text(42) == "42");
  CHECK(to_text(7u) == "7");
  CHECK(to_text(true) == "true");
  CHECK(to_text(false) == "false");
  CHECK(to_text(std::string("hi")) == "hi");
  CHECK(to_text("lit") == "lit");
}

TEST_CASE("to_text of doubles always reads as a float", "[lang][text]") {
  CHECK(to_text(2.0) == "2.0");
  CHECK(to_text(0.1) == "0.1");
  CHECK(to_text(-0.0) == "-0.0");
  CHECK(to_text(1.5) == "1.5");
  CHECK(to_text(1e20) == "1e+20");
  CHECK(to_text(123456.0) == "123456.0");
  CHECK(to_text(1.0 / 3.0) == "0.3333333333333333");
  CHECK(to_text(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(to_text(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(to_text(std::nan("")) == "nan");
  CHECK(to_text(-std::nan("")) == "nan");
}

TEST_CASE("to_text of durations uses the largest exact unit", "[lang][text]") {
  CHECK(to_text(Duration{0}) == "0 ns");
  CHECK(to_text(Duration{7}) == "7 ns");
  CHECK(to_text(Duration{3'000}) == "3 us");
  CHECK(to_text(Duration{5'000'000}) == "5 ms");
  CHECK(to_text(Duration{1'500'000'000}) == "1500 ms");
  CHECK(to_text(Duration{1'000'000'000}) == "1 second");
  CHECK(to_text(Duration{2'000'000'000}) == "2 seconds");
  CHECK(to_text(Duration{90'000'000'000}) == "90 seconds");
  CHECK(to_text(Duration{120'000'000'000}) == "2 minutes");
  CHECK(to_text(Duration{3'600'000'000'000}) == "1 hour");
  CHECK(to_text(Duration{7 * 86'400'000'000'000}) == "7 days");
  CHECK(to_text(Duration{86'400'000'000'000}) == "1 day");
  CHECK(to_text(Duration{-5'000'000}) == "-5 ms");
  CHECK(to_text(Duration{INT64_MIN}) == "-9223372036854775808 ns");
}

TEST_CASE("to_text of timestamps is RFC 3339 UTC", "[lang][text]") {
  CHECK(to_text(Timestamp{0}) == "1970-01-01T00:00:00Z");
  CHECK(to_text(Timestamp{1'795'686'660'000'000'000}) == "2026-11-26T09:51:00Z");
  CHECK(to_text(Timestamp{1'795'686'660'250'000'000}) == "2026-11-26T09:51:00.25Z");
  CHECK(to_text(Timestamp{1'795'686'660'000'000'001}) == "2026-11-26T09:51:00.000000001Z");
  CHECK(to_text(Timestamp{-1}) == "1969-12-31T23:59:59.999999999Z");
  CHECK(to_text(Timestamp{951'782'400'000'000'000}) == "2000-02-29T00:00:00Z");
  CHECK(to_text(Timestamp{INT64_MIN}) == "1677-09-21T00:12:43.145224192Z");
  CHECK(to_text(Timestamp{INT64_MAX}) == "2262-04-11T23:47:16.854775807Z");
}

TEST_CASE("parse_rfc3339 accepts offsets and fractions and refuses the rest", "[lang][text]") {
  using hallows::parse_rfc3339;
  CHECK(parse_rfc3339("2026-11-26T09:51:00Z") == Timestamp{1'795'686'660'000'000'000});
  CHECK(parse_rfc3339("2026-11-26t09:51:00z") == Timestamp{1'795'686'660'000'000'000});
  CHECK(parse_rfc3339("2026-11-26T10:51:00+01:00") == Timestamp{1'795'686'660'000'000'000});
  CHECK(parse_rfc3339("2026-11-26T04:21:00-05:30") == Timestamp{1'795'686'660'000'000'000});
  CHECK(parse_rfc3339("2026-11-26T09:51:00.25Z") == Timestamp{1'795'686'660'250'000'000});
  CHECK(parse_rfc3339("1969-12-31T23:59:59.999999999Z") == Timestamp{-1});
  CHECK(parse_rfc3339("2000-02-29T00:00:00Z").has_value());
  for (const char* bad :
       {"", "2026-11-26", "2026-11-26T09:51:00", "2026-11-26 09:51:00Z", "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-11-26T24:00:00Z",
        "2026-11-26T09:60:00Z", "2026-11-26T09:51:60Z", "2026-11-26T09:51:00.Z",
        "2026-11-26T09:51:00.1234567891Z", "2026-11-26T09:51:00+0100", "2026-11-26T09:51:00Zx",
        "9999-12-31T23:59:59Z", "1600-01-01T00:00:00Z", "+026-11-26T09:51:00Z"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc3339(bad).has_value());
  }
  for (i64 nanos : {i64{0}, i64{-1}, INT64_MIN, INT64_MAX, i64{1'795'686'660'123'456'789}}) {
    CHECK(parse_rfc3339(hallows::format_rfc3339(Timestamp{nanos})) == Timestamp{nanos});
  }
}

TEST_CASE("to_text of bytes is lower-case hex", "[lang][text]") {
  CHECK(to_text(Bytes{{0x00, 0xAB, 0x7f}}) == "00ab7f");
  CHECK(to_text(Bytes{}) == "");
}

TEST_CASE("interpolate appends strings and converts the rest", "[lang][text]") {
  i64 x = 3;
  std::string name = "Ada";
  std::string_view view = "!";
  CHECK(hallows::interpolate("total ", x, " items") == "total 3 items");
  CHECK(hallows::interpolate(name, " ", 2.0, " ", true, view) == "Ada 2.0 true!");
  CHECK(hallows::interpolate("wait ", Duration{5'000'000}) == "wait 5 ms");
  CHECK(hallows::interpolate("colour ", demo::Colour::green) == "colour green");
  CHECK(hallows::interpolate() == "");
  CHECK(hallows::concat({"a", "b", name}) == "abAda");
}

TEST_CASE("utf8 lengths and offsets count code points", "[lang][text]") {
  CHECK(hallows::utf8_length("") == 0);
  CHECK(hallows::utf8_length("abc") == 3);
  CHECK(hallows::utf8_length("h\xC3\xA9llo") == 5);      // héllo
  CHECK(hallows::utf8_length("\xF0\x9F\x90\x8D") == 1);  // snake emoji
  CHECK(hallows::utf8_offset("h\xC3\xA9llo", 2) == 3);
  CHECK(hallows::utf8_offset("abc", 3) == 3);
  CHECK(hallows::utf8_offset("abc", 4) == std::string_view::npos);
  CHECK(hallows::utf8_offset("abc", -1) == std::string_view::npos);
  CHECK(hallows::is_valid_utf8("h\xC3\xA9llo"));
  CHECK_FALSE(hallows::is_valid_utf8("\xC0\xAF"));          // overlong
  CHECK_FALSE(hallows::is_valid_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(hallows::is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(hallows::is_valid_utf8("\xE2\x82"));          // truncated
  std::string out;
  hallows::append_utf8_sanitized(out,
                                 "a\xFF"
                                 "b");
  CHECK(out ==
        "a\xEF\xBF\xBD"
        "b");
}

TEST_CASE("base64 round trips and is strict", "[lang][base64]") {
  using hallows::base64_decode;
  using hallows::base64_encode;
  CHECK(base64_encode(Bytes{}) == "");
  CHECK(base64_encode(Bytes{{'f'}}) == "Zg==");
  CHECK(base64_encode(Bytes{{'f', 'o'}}) == "Zm8=");
  CHECK(base64_encode(Bytes{{'f', 'o', 'o'}}) == "Zm9v");
  CHECK(base64_encode(Bytes{{'f', 'o', 'o', 'b', 'a', 'r'}}) == "Zm9vYmFy");
  CHECK(base64_encode(Bytes{{0xFB, 0xFF}}) == "+/8=");
  CHECK(base64_decode("Zm9vYmFy") == Bytes{{'f', 'o', 'o', 'b', 'a', 'r'}});
  CHECK(base64_decode("Zg==") == Bytes{{'f'}});
  CHECK(base64_decode("Zm8=") == Bytes{{'f', 'o'}});
  CHECK(base64_decode("") == Bytes{});
  for (const char* bad :
       {"Zg", "Zg=", "Zh==", "Zm9=", "Z===", "Zg==Zg==", "Zm9v\n", "Zm-v", "=Zm9", "Zm9vY_Fy"}) {
    INFO(bad);
    CHECK_FALSE(base64_decode(bad).has_value());
  }
  Bytes all;
  for (int i = 0; i < 256; ++i) all.data.push_back(static_cast<std::uint8_t>(i));
  CHECK(base64_decode(base64_encode(all)) == all);
}
