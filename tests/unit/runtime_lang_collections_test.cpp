#include <regex>

#include <catch2/catch.hpp>

#include "hallows/lang/collections.h"
#include "hallows/lang/validate.h"
#include "runtime_test_support.h"

using hallows::i64;

TEST_CASE("list intrinsics", "[lang][collections]") {
  std::vector<i64> list;
  CHECK(hallows::length(list) == 0);
  hallows::list_append(list, i64{4});
  hallows::list_append(list, i64{5});
  CHECK(hallows::length(list) == 2);
  CHECK(hallows::list_contains(list, i64{5}));
  CHECK_FALSE(hallows::list_contains(list, i64{6}));
  CHECK(hallows::length(std::string("h\xC3\xA9")) == 2);
}

TEST_CASE("range is end-exclusive and bounded", "[lang][collections]") {
  CHECK(hallows::range(0, 4) == std::vector<i64>{0, 1, 2, 3});
  CHECK(hallows::range(-2, 1) == std::vector<i64>{-2, -1, 0});
  CHECK(hallows::range(3, 3).empty());
  CHECK(hallows::range(5, 1).empty());
  CHECK(hallows::range(INT64_MAX - 1, INT64_MAX) == std::vector<i64>{INT64_MAX - 1});
  auto result = hallows::testing::run_in_child([] { (void)hallows::range(INT64_MIN, INT64_MAX); });
  CHECK(result.exit_status == 70);
  CHECK(result.stderr_text.find("would hold more than 100000000 elements") != std::string::npos);
  result = hallows::testing::run_in_child([] { (void)hallows::range(0, 100'000'001); });
  CHECK(result.exit_status == 70);
}

TEST_CASE("map intrinsics", "[lang][collections]") {
  std::map<std::string, i64> map;
  hallows::map_put(map, "b", i64{2});
  hallows::map_put(map, "a", i64{1});
  hallows::map_put(map, "b", i64{3});
  CHECK(hallows::length(map) == 2);
  CHECK(hallows::map_get(map, "b") == 3);
  CHECK(hallows::map_get(map, "z") == std::nullopt);
  CHECK(hallows::map_has(map, "a"));
  CHECK(hallows::map_keys(map) == std::vector<std::string>{"a", "b"});
  CHECK(hallows::map_values(map) == std::vector<i64>{1, 3});
  CHECK(hallows::map_remove(map, "a"));
  CHECK_FALSE(hallows::map_remove(map, "a"));
  CHECK_FALSE(hallows::map_has(map, "a"));
}

TEST_CASE("validation helpers", "[lang][validate]") {
  CHECK(hallows::in_range(i64{5}, 1, 10));
  CHECK_FALSE(hallows::in_range(i64{11}, 1, 10));
  CHECK(hallows::in_range(0.5, 0.0, 1.0));
  CHECK_FALSE(hallows::in_range(std::nan(""), 0.0, 1.0));
  CHECK(hallows::length_of(std::string("h\xC3\xA9")) == 2);
  CHECK(hallows::length_of(hallows::Bytes{{1, 2, 3}}) == 3);
  CHECK(hallows::length_of(std::vector<int>{1, 2}) == 2);
  CHECK(hallows::length_of(std::map<std::string, int>{{"a", 1}}) == 1);
  std::regex pattern("[a-z]+");
  CHECK(hallows::matches("abc", pattern));
  CHECK_FALSE(hallows::matches("abc1", pattern));
  CHECK_FALSE(hallows::matches("", pattern));
  hallows::ValidationError error{"items[0].name", "length", "must not be empty"};
  CHECK(error.rule == "length");
}
