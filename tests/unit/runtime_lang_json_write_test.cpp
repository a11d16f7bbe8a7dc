#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/lang/json.h"

using hallows::Bytes;
using hallows::Cow;
using hallows::Duration;
using hallows::i64;
using hallows::JsonWriter;
using hallows::Timestamp;
using hallows::to_json;

namespace store {
// What generated code looks like: a struct with overloads in the user's namespace.
struct Item {
  std::string name;
  i64 count = 0;
  std::optional<double> price;
  bool operator==(const Item&) const = default;
};

void write_json(JsonWriter& w, const Item& item) {
  w.begin_object();
  w.key("name");
  write_json(w, item.name);
  w.key("count");
  write_json(w, item.count);
  w.key("price");
  write_json(w, item.price);
  w.end_object();
}
}  // namespace store

TEST_CASE("JsonWriter places commas and colons", "[lang][json]") {
  JsonWriter w;
  w.begin_object();
  w.key("a");
  w.number(i64{1});
  w.key("b");
  w.begin_array();
  w.null();
  w.boolean(true);
  w.begin_object();
  w.end_object();
  w.begin_array();
  w.end_array();
  w.number(2.5);
  w.end_array();
  w.key("c");
  w.string("x");
  w.end_object();
  CHECK(w.text() == R"({"a":1,"b":[null,true,{},[],2.5],"c":"x"})");
  CHECK(w.take() == R"({"a":1,"b":[null,true,{},[],2.5],"c":"x"})");
  CHECK(w.text().empty());
  w.number(i64{3});
  CHECK(w.take() == "3");
}

TEST_CASE("JsonWriter numbers", "[lang][json]") {
  CHECK(to_json(i64{-9223372036854775807 - 1}) == "-9223372036854775808");
  CHECK(to_json(0.1) == "0.1");
  CHECK(to_json(2.0) == "2");
  CHECK(to_json(1e300) == "1e+300");
  CHECK(to_json(std::numeric_limits<double>::infinity()) == "null");
  CHECK(to_json(std::nan("")) == "null");
  CHECK(to_json(7) == "7");
}

TEST_CASE("JsonWriter escapes strings and repairs invalid UTF-8", "[lang][json]") {
  CHECK(to_json(std::string("a\"b\\c")) == R"("a\"b\\c")");
  CHECK(to_json(std::string("\n\r\t\b\f")) == R"("\n\r\t\b\f")");
  CHECK(to_json(std::string("\x01\x1f", 2)) == R"("\u0001\u001f")");
  CHECK(to_json(std::string("nul\0!", 5)) == R"("nul\u0000!")");
  CHECK(to_json(std::string("h\xC3\xA9/")) == "\"h\xC3\xA9/\"");
  CHECK(to_json(std::string("a\xFF"
                            "b")) ==
        "\"a\xEF\xBF\xBD"
        "b\"");
  CHECK(to_json(std::string("\xED\xA0\x80")) == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  CHECK(to_json("literal") == R"("literal")");
}

TEST_CASE("write_json for the language's types", "[lang][json]") {
  CHECK(to_json(true) == "true");
  CHECK(to_json(Bytes{{'f', 'o'}}) == R"("Zm8=")");
  CHECK(to_json(Duration{1500}) == "1500");
  CHECK(to_json(Timestamp{1'795'686'660'250'000'000}) == R"("2026-11-26T09:51:00.25Z")");
  CHECK(to_json(std::vector<i64>{1, 2, 3}) == "[1,2,3]");
  CHECK(to_json(std::vector<bool>{true, false}) == "[true,false]");
  CHECK(to_json(std::map<std::string, i64>{{"b", 2}, {"a", 1}}) == R"({"a":1,"b":2})");
  CHECK(to_json(std::optional<i64>()) == "null");
  CHECK(to_json(std::optional<i64>(4)) == "4");
  CHECK(to_json(Cow<std::vector<std::string>>(std::vector<std::string>{"x"})) == R"(["x"])");
  CHECK(to_json(std::vector<std::map<std::string, std::optional<i64>>>{{{"k", std::nullopt}}}) ==
        R"([{"k":null}])");
}

TEST_CASE("write_json finds user overloads through containers", "[lang][json]") {
  std::vector<store::Item> items{{"pen", 2, 1.5}, {"ink", 1, std::nullopt}};
  CHECK(to_json(items) ==
        R"([{"name":"pen","count":2,"price":1.5},{"name":"ink","count":1,"price":null}])");
  std::map<std::string, std::vector<Cow<store::Item>>> nested{
      {"x", {Cow<store::Item>(store::Item{"a", 0, 2.0})}}};
  CHECK(to_json(nested) == R"({"x":[{"name":"a","count":0,"price":2}]})");
}
