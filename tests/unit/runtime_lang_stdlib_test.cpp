#include <cmath>

#include <catch2/catch.hpp>

#include "hallows/lang/stdlib.h"
#include "runtime_test_support.h"

using hallows::Duration;
using hallows::i64;
using hallows::Timestamp;
using hallows::testing::run_in_child;

TEST_CASE("strings: case, trim, search", "[lang][stdlib]") {
  using namespace hallows::std_strings;
  CHECK(string_length("h\xC3\xA9llo") == 5);
  CHECK(to_upper("abc-\xC3\xA9z") == "ABC-\xC3\xA9Z");
  CHECK(to_lower("ABC-Z") == "abc-z");
  CHECK(trim(" \t a b \n") == "a b");
  CHECK(trim("   ") == "");
  CHECK(contains("haystack", "st"));
  CHECK(contains("x", ""));
  CHECK_FALSE(contains("haystack", "needle"));
  CHECK(starts_with("prefix", "pre"));
  CHECK_FALSE(starts_with("pre", "prefix"));
  CHECK(ends_with("suffix", "fix"));
  CHECK(index_of("h\xC3\xA9llo", "llo") == 2);
  CHECK(index_of("abc", "z") == -1);
  CHECK(index_of("abc", "") == 0);
}

TEST_CASE("strings: replace, split, join, substring, repeat", "[lang][stdlib]") {
  using namespace hallows::std_strings;
  CHECK(replace_all("a-b-c", "-", "+") == "a+b+c");
  CHECK(replace_all("aaa", "aa", "b") == "ba");
  CHECK(replace_all("abc", "", "x") == "abc");
  CHECK(split("a,b,,c", ",") == std::vector<std::string>{"a", "b", "", "c"});
  CHECK(split("", ",") == std::vector<std::string>{""});
  CHECK(split("a::b", "::") == std::vector<std::string>{"a", "b"});
  CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
  CHECK(join({}, ",") == "");
  CHECK(substring("h\xC3\xA9llo", 1, 3) == "\xC3\xA9ll");
  CHECK(substring("abc", 3, 0) == "");
  CHECK(substring("abc", 0, 3) == "abc");
  CHECK(repeat("ab", 3) == "ababab");
  CHECK(repeat("ab", 0) == "");

  auto r = run_in_child([] { (void)substring("abc", 2, 2); });
  CHECK(r.exit_status == 70);
  CHECK(r.stderr_text ==
        "error: the program stopped: substring(start 2, count 2) is out of range for a string of "
        "length 3\n");
  CHECK(run_in_child([] { (void)substring("abc", -1, 1); }).exit_status == 70);
  CHECK(run_in_child([] { (void)substring("abc", 0, -1); }).exit_status == 70);
  CHECK(run_in_child([] { (void)split("abc", ""); }).exit_status == 70);
  CHECK(run_in_child([] { (void)repeat("ab", -1); }).exit_status == 70);
  CHECK(run_in_child([] { (void)repeat("ab", i64{1} << 40); }).exit_status == 70);
}

TEST_CASE("strings: parsing numbers", "[lang][stdlib]") {
  using namespace hallows::std_strings;
  CHECK(parse_i64("42") == 42);
  CHECK(parse_i64("-9223372036854775808") == INT64_MIN);
  CHECK(parse_i64("9223372036854775808") == std::nullopt);
  for (const char* bad : {"", " 1", "1 ", "+1", "1.0", "0x10", "-", "12a"}) {
    INFO(bad);
    CHECK(parse_i64(bad) == std::nullopt);
  }
  CHECK(parse_f64("1.5") == 1.5);
  CHECK(parse_f64("-2e3") == -2000.0);
  CHECK(parse_f64("7") == 7.0);
  CHECK(std::isinf(*parse_f64("inf")));
  for (const char* bad : {"", " 1.5", "1.5x", "+1", "1e", "e5"}) {
    INFO(bad);
    CHECK(parse_f64(bad) == std::nullopt);
  }
}

TEST_CASE("math", "[lang][stdlib]") {
  using namespace hallows::std_math;
  CHECK(abs_i64(-5) == 5);
  CHECK(abs_i64(INT64_MAX) == INT64_MAX);
  CHECK(run_in_child([] { (void)abs_i64(INT64_MIN); }).exit_status == 70);
  CHECK(abs_f64(-2.5) == 2.5);
  CHECK(min_i64(3, -1) == -1);
  CHECK(max_i64(3, -1) == 3);
  CHECK(min_f64(1.0, 2.0) == 1.0);
  CHECK(max_f64(1.0, 2.0) == 2.0);
  CHECK(std::isnan(min_f64(std::nan(""), 1.0)));
  CHECK(std::isnan(max_f64(1.0, std::nan(""))));
  CHECK(clamp_i64(15, 0, 10) == 10);
  CHECK(clamp_i64(-5, 0, 10) == 0);
  CHECK(clamp_i64(5, 0, 10) == 5);
  CHECK(run_in_child([] { (void)clamp_i64(5, 10, 0); }).exit_status == 70);
  CHECK(hallows::std_math::sqrt(9.0) == 3.0);
  CHECK(hallows::std_math::pow(2.0, 10.0) == 1024.0);
  CHECK(hallows::std_math::floor(-1.5) == -2.0);
  CHECK(hallows::std_math::ceil(-1.5) == -1.0);
  CHECK(hallows::std_math::round(2.5) == 3.0);
  CHECK(hallows::std_math::round(-2.5) == -3.0);
  CHECK(pi() == Approx(3.141592653589793));
}

TEST_CASE("time", "[lang][stdlib]") {
  using namespace hallows::std_time;
  Timestamp a = now();
  CHECK(a.nanos > 1'700'000'000'000'000'000);
  CHECK(milliseconds(5) == Duration{5'000'000});
  CHECK(seconds(2) == Duration{2'000'000'000});
  CHECK(run_in_child([] { (void)seconds(INT64_MAX / 10); }).exit_status == 70);
  CHECK(to_milliseconds(Duration{2'999'999}) == 2);
  CHECK(to_milliseconds(Duration{-2'999'999}) == -2);
  CHECK(to_seconds(Duration{1'500'000'000}) == 1.5);
  CHECK(from_unix_milliseconds(1'795'686'660'000) == Timestamp{1'795'686'660'000'000'000});
  CHECK(to_unix_milliseconds(Timestamp{1'795'686'660'123'456'789}) == 1'795'686'660'123);
  CHECK(to_unix_milliseconds(Timestamp{-1}) == -1);
  CHECK(format_timestamp(Timestamp{1'795'686'660'000'000'000}) == "2026-11-26T09:51:00Z");
  CHECK(parse_timestamp("2026-11-26T09:51:00Z") == Timestamp{1'795'686'660'000'000'000});
  CHECK(parse_timestamp("not a time") == std::nullopt);
  sleep_for(milliseconds(2));
  sleep_for(Duration{-1});
  CHECK((now() - a) >= milliseconds(2));
}
