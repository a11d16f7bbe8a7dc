#include <climits>

#include <catch2/catch.hpp>

#include "hallows/lang/base.h"
#include "hallows/lang/text.h"
#include "runtime_test_support.h"

using hallows::Duration;
using hallows::i64;
using hallows::Timestamp;
using hallows::testing::run_in_child;

namespace {

void expect_panic(void (*f)(), const std::string& message) {
  auto result = run_in_child(f);
  CHECK(result.exit_status == 70);
  CHECK(result.stderr_text == "error: the program stopped: " + message + "\n");
}

}  // namespace

TEST_CASE("checked arithmetic gives exact results inside the range", "[lang][base]") {
  CHECK(hallows::add(2, 3) == 5);
  CHECK(hallows::add(INT64_MAX, INT64_MIN) == -1);
  CHECK(hallows::sub(INT64_MIN + 1, 1) == INT64_MIN);
  CHECK(hallows::mul(-4, 5) == -20);
  CHECK(hallows::mul(INT64_MIN, 1) == INT64_MIN);
  CHECK(hallows::div(-7, 2) == -3);
  CHECK(hallows::rem(-7, 2) == -1);
  CHECK(hallows::div(INT64_MIN, 1) == INT64_MIN);
  CHECK(hallows::neg(INT64_MAX) == -INT64_MAX);
}

TEST_CASE("checked arithmetic panics on overflow and division by zero", "[lang][base][panic]") {
  expect_panic([] { (void)hallows::add(INT64_MAX, 1); },
               "integer overflow in 9223372036854775807 + 1");
  expect_panic([] { (void)hallows::sub(INT64_MIN, 1); },
               "integer overflow in -9223372036854775808 - 1");
  expect_panic([] { (void)hallows::mul(INT64_MAX, 2); },
               "integer overflow in 9223372036854775807 * 2");
  expect_panic([] { (void)hallows::div(1, 0); }, "division by zero");
  expect_panic([] { (void)hallows::rem(1, 0); }, "division by zero");
  expect_panic([] { (void)hallows::div(INT64_MIN, -1); },
               "integer overflow in -9223372036854775808 / -1");
  expect_panic([] { (void)hallows::rem(INT64_MIN, -1); },
               "integer overflow in -9223372036854775808 % -1");
  expect_panic([] { (void)hallows::neg(INT64_MIN); },
               "integer overflow in -(-9223372036854775808)");
}

TEST_CASE("panic flushes stdout first", "[lang][base][panic]") {
  auto result = run_in_child([] {
    hallows::print_line("before");
    hallows::panic("stop");
  });
  CHECK(result.exit_status == 70);
  CHECK(result.stdout_text == "before\n");
  CHECK(result.stderr_text == "error: the program stopped: stop\n");
}

TEST_CASE("print_line output is flushed at exit", "[lang][base]") {
  auto result = run_in_child([] {
    hallows::print_line("one");
    hallows::print_line("two");
    std::exit(0);
  });
  CHECK(result.exit_status == 0);
  CHECK(result.stdout_text == "one\ntwo\n");
}

TEST_CASE("duration and timestamp arithmetic", "[lang][base]") {
  Duration a{1500};
  Duration b{500};
  CHECK((a + b).nanos == 2000);
  CHECK((a - b).nanos == 1000);
  CHECK((-a).nanos == -1500);
  CHECK(hallows::scale(a, 3).nanos == 4500);
  CHECK(a > b);
  Timestamp t{1000};
  CHECK((t + a).nanos == 2500);
  CHECK((t - a).nanos == -500);
  CHECK((Timestamp{5000} - t).nanos == 4000);
  expect_panic([] { (void)(Duration{INT64_MAX} + Duration{1}); },
               "integer overflow in 9223372036854775807 + 1");
  expect_panic([] { (void)hallows::scale(Duration{INT64_MAX / 2 + 1}, 2); },
               "integer overflow in 4611686018427387904 * 2");
}

TEST_CASE("element checks the index", "[lang][base]") {
  std::vector<i64> list{10, 20, 30};
  CHECK(hallows::element(list, 0) == 10);
  CHECK(hallows::element(list, 2) == 30);
  hallows::element_mut(list, 1) = 21;
  CHECK(list[1] == 21);
  std::vector<bool> flags{true, false};
  CHECK_FALSE(hallows::element(flags, 1));
  hallows::element_mut(flags, 1) = true;
  CHECK(flags[1]);
  expect_panic(
      [] {
        std::vector<i64> l{1, 2, 3};
        (void)hallows::element(l, 7);
      },
      "index 7 is out of range for a list of length 3");
  expect_panic(
      [] {
        std::vector<i64> l{1, 2, 3};
        (void)hallows::element_mut(l, -1);
      },
      "index -1 is out of range for a list of length 3");
}

TEST_CASE("to_i64 truncates toward zero and refuses what does not fit", "[lang][base]") {
  CHECK(hallows::to_i64(2.9) == 2);
  CHECK(hallows::to_i64(-2.9) == -2);
  CHECK(hallows::to_i64(-9223372036854775808.0) == INT64_MIN);
  CHECK(hallows::to_i64(9223372036854774784.0) == 9223372036854774784);
  CHECK(hallows::to_f64(3) == 3.0);
  expect_panic([] { (void)hallows::to_i64(9223372036854775808.0); },
               "cannot convert 9.223372036854776e+18 to an integer: it is outside the i64 range");
  expect_panic([] { (void)hallows::to_i64(std::nan("")); }, "cannot convert nan to an integer");
}
