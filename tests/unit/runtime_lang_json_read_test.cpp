#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hallows/lang/json.h"

using hallows::Bytes;
using hallows::Cow;
using hallows::DecodeResult;
using hallows::Duration;
using hallows::from_json;
using hallows::i64;
using hallows::JsonDecoder;
using hallows::JsonObject;
using hallows::JsonValue;
using hallows::Timestamp;
using hallows::to_json;

namespace shop {
enum class Size { small, large };

struct Item {
  std::string name;
  i64 count = 0;
  std::optional<double> price;
  Size size = Size::small;
  bool operator==(const Item&) const = default;
};

struct Order {
  std::vector<Item> items;
  std::map<std::string, std::string> notes;
  Timestamp placed;
  bool operator==(const Order&) const = default;
};

void write_json(hallows::JsonWriter& w, Size size) {
  w.string(size == Size::small ? "small" : "large");
}

void write_json(hallows::JsonWriter& w, const Item& item) {
  w.begin_object();
  w.key("name");
  write_json(w, item.name);
  w.key("count");
  write_json(w, item.count);
  w.key("price");
  write_json(w, item.price);
  w.key("size");
  write_json(w, item.size);
  w.end_object();
}

void write_json(hallows::JsonWriter& w, const Order& order) {
  w.begin_object();
  w.key("items");
  write_json(w, order.items);
  w.key("notes");
  write_json(w, order.notes);
  w.key("placed");
  write_json(w, order.placed);
  w.end_object();
}

bool read_json(const JsonValue& value, Size& out, JsonDecoder& d) {
  std::string text;
  if (!read_json(value, text, d)) return false;
  if (text == "small") {
    out = Size::small;
  } else if (text == "large") {
    out = Size::large;
  } else {
    return d.fail("expected one of \"small\", \"large\", found \"" + text + "\"");
  }
  return true;
}

bool read_json(const JsonValue& value, Item& out, JsonDecoder& d) {
  JsonObject object;
  return hallows::as_object(value, object, d) &&
         hallows::reject_unknown_fields(object, {"name", "count", "price", "size"}, d) &&
         hallows::read_field(object, "name", out.name, d) &&
         hallows::read_field(object, "count", out.count, d) &&
         hallows::read_field(object, "price", out.price, d) &&
         hallows::read_field(object, "size", out.size, d);
}

bool read_json(const JsonValue& value, Order& out, JsonDecoder& d) {
  JsonObject object;
  return hallows::as_object(value, object, d) &&
         hallows::reject_unknown_fields(object, {"items", "notes", "placed"}, d) &&
         hallows::read_field(object, "items", out.items, d) &&
         hallows::read_field(object, "notes", out.notes, d) &&
         hallows::read_field(object, "placed", out.placed, d);
}
}  // namespace shop

namespace probe {
// A reader over raw values: records each value's kind (depth first), the object keys it saw and
// the deepest nesting.
struct Shape {
  int depth = 0;
  std::vector<hallows::JsonKind> kinds;
  std::vector<std::string> keys;
};

int walk(const JsonValue& value, Shape& shape, JsonDecoder& d) {
  shape.kinds.push_back(value.kind());
  int deepest = 0;
  if (value.kind() == hallows::JsonKind::array) {
    hallows::JsonArray array;
    if (!hallows::as_array(value, array, d)) return -1;
    for (JsonValue item : array) deepest = std::max(deepest, walk(item, shape, d));
    return deepest + 1;
  }
  if (value.kind() == hallows::JsonKind::object) {
    JsonObject object;
    if (!hallows::as_object(value, object, d)) return -1;
    for (std::string_view key : object.keys()) shape.keys.emplace_back(key);
    JsonValue first;
    if (object.size() > 0) REQUIRE(object.find(object.keys()[0], first));
    CHECK_FALSE(object.find("no such key", first));
    object.for_each([&](std::string_view, const JsonValue& item) {
      deepest = std::max(deepest, walk(item, shape, d));
      return true;
    });
    return deepest + 1;
  }
  return 0;
}

bool read_json(const JsonValue& value, Shape& out, JsonDecoder& d) {
  out.depth = walk(value, out, d);
  return out.depth >= 0;
}
}  // namespace probe

namespace {

template <class T>
void expect_failure(std::string_view text, const std::string& path, const std::string& message) {
  DecodeResult<T> result = from_json<T>(text);
  INFO(text);
  CHECK_FALSE(result.ok());
  CHECK(result.error.path == path);
  CHECK(result.error.message == message);
}

template <class T>
T decode(std::string_view text) {
  DecodeResult<T> result = from_json<T>(text);
  INFO(text << " -> " << result.error.describe());
  REQUIRE(result.ok());
  return *result.value;
}

std::string nested_arrays(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

}  // namespace

TEST_CASE("scalars decode", "[lang][json]") {
  CHECK(decode<i64>("42") == 42);
  CHECK(decode<i64>(" -9223372036854775808 ") == INT64_MIN);
  CHECK(decode<double>("1.5") == 1.5);
  CHECK(decode<double>("3") == 3.0);
  CHECK(decode<double>("18446744073709551615") == 18446744073709551615.0);
  CHECK(decode<double>("-1e-3") == -0.001);
  CHECK(decode<bool>("false") == false);
  CHECK(decode<std::string>(R"("a\"\u00e9\ud83d\udc0d")") == "a\"\xC3\xA9\xF0\x9F\x90\x8D");
  CHECK(decode<Bytes>(R"("Zm8=")") == Bytes{{'f', 'o'}});
  CHECK(decode<Duration>("1500") == Duration{1500});
  CHECK(decode<Timestamp>(R"("2026-11-26T10:51:00+01:00")") ==
        Timestamp{1'795'686'660'000'000'000});
  CHECK(decode<std::optional<i64>>("null") == std::nullopt);
  CHECK(decode<std::optional<i64>>("5") == 5);
  CHECK(decode<Cow<std::vector<i64>>>("[1,2]").get() == std::vector<i64>{1, 2});
  CHECK(decode<std::map<std::string, bool>>(R"({"b":true,"a":false})") ==
        std::map<std::string, bool>{{"a", false}, {"b", true}});
  CHECK(decode<std::vector<std::vector<i64>>>("[[],[1],[2,3]]") ==
        std::vector<std::vector<i64>>{{}, {1}, {2, 3}});
}

TEST_CASE("scalar mismatches say what was expected and found", "[lang][json]") {
  expect_failure<i64>("\"7\"", "$", "expected an integer (i64), found a string");
  expect_failure<i64>("1.0", "$", "expected an integer (i64), found a floating-point number");
  expect_failure<i64>("1e3", "$", "expected an integer (i64), found a floating-point number");
  expect_failure<i64>("9223372036854775808", "$",
                      "expected an integer (i64), found an integer outside the i64 range");
  expect_failure<i64>("null", "$", "expected an integer (i64), found null");
  expect_failure<double>("true", "$", "expected a number (f64), found a boolean");
  expect_failure<bool>("0", "$", "expected a boolean, found an integer");
  expect_failure<std::string>("[]", "$", "expected a string, found an array");
  expect_failure<std::string>("{}", "$", "expected a string, found an object");
  expect_failure<Bytes>("\"Zm8\"", "$",
                        "expected a base64 string, found a string that is not valid base64");
  expect_failure<Bytes>("3", "$", "expected a base64 string, found an integer");
  expect_failure<Duration>("1.5", "$",
                           "expected a duration (integer nanoseconds), found a floating-point "
                           "number");
  expect_failure<Timestamp>("\"2026-11-26\"", "$",
                            "expected a timestamp (RFC 3339 string), found a string that is not "
                            "an RFC 3339 timestamp");
  expect_failure<Timestamp>("0", "$", "expected a timestamp (RFC 3339 string), found an integer");
  expect_failure<std::vector<i64>>("{}", "$", "expected an array, found an object");
  expect_failure<std::map<std::string, i64>>("[]", "$", "expected an object, found an array");
  expect_failure<std::optional<i64>>("\"x\"", "$", "expected an integer (i64), found a string");
}

TEST_CASE("container failures carry the path", "[lang][json]") {
  expect_failure<std::vector<i64>>("[1,2,\"x\"]", "$[2]",
                                   "expected an integer (i64), found a string");
  expect_failure<std::map<std::string, i64>>(R"({"a":1,"b c":true})", "$[\"b c\"]",
                                             "expected an integer (i64), found a boolean");
  expect_failure<std::map<std::string, std::vector<i64>>>(R"({"k":[0,null]})", "$.k[1]",
                                                          "expected an integer (i64), found null");
  expect_failure<std::map<std::string, i64>>(R"({"a":1,"a":2})", "$", "duplicate field \"a\"");
}

TEST_CASE("structs round trip and fail strictly", "[lang][json]") {
  shop::Order order{{{"pen", 2, 1.5, shop::Size::large}, {"ink", 1, std::nullopt, {}}},
                    {{"gift", "yes"}},
                    Timestamp{1'795'686'660'000'000'000}};
  std::string text = to_json(order);
  CHECK(text == R"({"items":[{"name":"pen","count":2,"price":1.5,"size":"large"},)"
                R"({"name":"ink","count":1,"price":null,"size":"small"}],"notes":{"gift":"yes"},)"
                R"("placed":"2026-11-26T09:51:00Z"})");
  CHECK(decode<shop::Order>(text) == order);

  // A missing optional field is empty.
  CHECK(decode<shop::Item>(R"({"name":"a","count":1,"size":"small"})") ==
        shop::Item{"a", 1, std::nullopt, shop::Size::small});

  const char* placed = R"("placed":"2026-11-26T09:51:00Z")";
  expect_failure<shop::Order>(
      std::string(R"({"items":[{"name":"a","count":1,"size":"small"},)") +
          R"({"name":"b","count":1,"price":"cheap","size":"small"}],"notes":{},)" + placed + "}",
      "$.items[1].price", "expected a number (f64), found a string");
  expect_failure<shop::Order>(
      std::string(R"({"items":[{"name":"a","size":"small"}],"notes":{},)") + placed + "}",
      "$.items[0]", "missing required field \"count\"");
  expect_failure<shop::Order>(
      std::string(R"({"items":[{"name":"a","count":1,"size":"huge"}],"notes":{},)") + placed + "}",
      "$.items[0].size", "expected one of \"small\", \"large\", found \"huge\"");
  expect_failure<shop::Order>(std::string(R"({"items":[],"notes":{},"colour":1,)") + placed + "}",
                              "$", "unknown field \"colour\"");
  expect_failure<shop::Order>(R"({"items":[],"notes":{"x":1},"placed":"2026-11-26T09:51:00Z"})",
                              "$.notes.x", "expected a string, found an integer");
  expect_failure<shop::Order>(R"({"items":[],"notes":{},"placed":"yesterday"})", "$.placed",
                              "expected a timestamp (RFC 3339 string), found a string that is "
                              "not an RFC 3339 timestamp");
  expect_failure<shop::Order>("[]", "$", "expected an object, found an array");
  expect_failure<shop::Order>(R"({"items":[],"items":[],"notes":{}})", "$",
                              "duplicate field \"items\"");
}

TEST_CASE("text that is not JSON is refused at $", "[lang][json]") {
  auto result = from_json<i64>("{\"a\":");
  CHECK_FALSE(result.ok());
  CHECK(result.error.path == "$");
  CHECK(result.error.message.rfind("not valid JSON: ", 0) == 0);
  for (const char* bad : {"", "   ", "[1,]", "{\"a\" 1}", "tru", "01", "1 2", "'x'", "[1] x",
                          "\"\xFF\"", "NaN", "\"\\x\""}) {
    auto r = from_json<std::vector<i64>>(bad);
    INFO(bad);
    CHECK_FALSE(r.ok());
    CHECK(r.error.path == "$");
    CHECK(r.error.message.rfind("not valid JSON: ", 0) == 0);
  }
}

TEST_CASE("nesting is limited to 256 levels", "[lang][json]") {
  CHECK(decode<probe::Shape>(nested_arrays(256)).depth == 256);
  auto too_deep = from_json<probe::Shape>(nested_arrays(257));
  CHECK_FALSE(too_deep.ok());
  CHECK(too_deep.error.path == "$");
  CHECK(too_deep.error.message ==
        "not valid JSON: arrays and objects are nested deeper than 256 levels");
  CHECK(from_json<probe::Shape>(nested_arrays(100000)).error.message ==
        "not valid JSON: arrays and objects are nested deeper than 256 levels");
  std::string objects;
  for (int i = 0; i < 256; ++i) objects += "{\"a\":";
  objects += "1" + std::string(256, '}');
  CHECK(decode<probe::Shape>(objects).depth == 256);
  CHECK(from_json<probe::Shape>("[" + objects + "]").error.message ==
        "not valid JSON: arrays and objects are nested deeper than 256 levels");
  // Brackets inside strings do not count.
  std::string in_string = "[\"" + std::string(300, '[') + "\\\"\"]";
  CHECK(decode<probe::Shape>(in_string).depth == 1);
}

TEST_CASE("json values expose kinds, keys and arrays", "[lang][json]") {
  probe::Shape shape = decode<probe::Shape>(R"({"z":[1,2.5,"s",true,null,{}],"a":{}})");
  CHECK(shape.depth == 3);
  CHECK(shape.keys == std::vector<std::string>{"z", "a"});
  using hallows::JsonKind;
  CHECK(shape.kinds == std::vector<JsonKind>{JsonKind::object, JsonKind::array, JsonKind::integer,
                                             JsonKind::floating, JsonKind::string,
                                             JsonKind::boolean, JsonKind::null_, JsonKind::object,
                                             JsonKind::object});
}

TEST_CASE("large documents and repeated parses work", "[lang][json]") {
  std::vector<i64> big(300000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<i64>(i) * 3;
  std::string text = to_json(big);
  CHECK(text.size() > (1 << 20));
  CHECK(decode<std::vector<i64>>(text) == big);
  for (int i = 0; i < 3; ++i) CHECK(decode<std::vector<i64>>("[1,2]") == std::vector<i64>{1, 2});
}
