// The value types every generated program uses (i64, Duration, Timestamp, Bytes), the panic
// that stops a program, and checked integer arithmetic.
//
// Arithmetic never wraps: an overflow or a division by zero is a bug in the .pt program, so it
// panics with a message naming the operation and its operands.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hallows {

using i64 = std::int64_t;

// A signed span of time in nanoseconds (about +-292 years).
struct Duration {
  i64 nanos = 0;
  auto operator<=>(const Duration&) const = default;
};

// An instant: nanoseconds since the Unix epoch, UTC (years 1677 to 2262).
struct Timestamp {
  i64 nanos = 0;
  auto operator<=>(const Timestamp&) const = default;
};

// An immutable-by-convention sequence of bytes.
struct Bytes {
  std::vector<std::uint8_t> data;
  auto operator<=>(const Bytes&) const = default;
};

// What panic() throws on a partition worker thread, where supervision catches it (restart or
// stop the program). what() is the panic's message.
class Panic : public std::runtime_error {
 public:
  explicit Panic(const std::string& message) : std::runtime_error(message) {}
};

// Flushes stdout, prints "error: the program stopped: <message>" to stderr and exits with
// status 70 (EX_SOFTWARE) without running static destructors (other threads may still run).
// On a partition worker thread (see detail::set_panics_throw) it throws Panic(message) instead.
[[noreturn]] void panic(std::string_view message);

namespace detail {
// Makes panic() on the calling thread throw Panic instead of exiting. The runtime's partition
// workers set it for their whole life; nothing else should.
void set_panics_throw(bool on) noexcept;
bool panics_throw() noexcept;

// Cold paths kept out of line so the checked operations inline to a branch.
[[noreturn]] void panic_overflow(const char* op, i64 a, i64 b);
[[noreturn]] void panic_negate_overflow(i64 a);
[[noreturn]] void panic_division_by_zero();
[[noreturn]] void panic_index(i64 index, std::size_t length);
[[noreturn]] void panic_to_i64(double value);
}  // namespace detail

// Checked i64 arithmetic. div and rem truncate toward zero (as C++ does): -7 / 2 == -3 and
// -7 % 2 == -1. INT64_MIN / -1 and INT64_MIN % -1 are overflows.
[[nodiscard]] inline i64 add(i64 a, i64 b) {
  i64 r;
  if (__builtin_add_overflow(a, b, &r)) [[unlikely]]
    detail::panic_overflow("+", a, b);
  return r;
}

[[nodiscard]] inline i64 sub(i64 a, i64 b) {
  i64 r;
  if (__builtin_sub_overflow(a, b, &r)) [[unlikely]]
    detail::panic_overflow("-", a, b);
  return r;
}

[[nodiscard]] inline i64 mul(i64 a, i64 b) {
  i64 r;
  if (__builtin_mul_overflow(a, b, &r)) [[unlikely]]
    detail::panic_overflow("*", a, b);
  return r;
}

[[nodiscard]] inline i64 div(i64 a, i64 b) {
  if (b == 0) [[unlikely]]
    detail::panic_division_by_zero();
  if (b == -1 && a == INT64_MIN) [[unlikely]]
    detail::panic_overflow("/", a, b);
  return a / b;
}

[[nodiscard]] inline i64 rem(i64 a, i64 b) {
  if (b == 0) [[unlikely]]
    detail::panic_division_by_zero();
  if (b == -1 && a == INT64_MIN) [[unlikely]]
    detail::panic_overflow("%", a, b);
  return a % b;
}

[[nodiscard]] inline i64 neg(i64 a) {
  if (a == INT64_MIN) [[unlikely]]
    detail::panic_negate_overflow(a);
  return -a;
}

// Duration and Timestamp arithmetic, checked like i64.
[[nodiscard]] inline Duration operator+(Duration a, Duration b) {
  return {add(a.nanos, b.nanos)};
}
[[nodiscard]] inline Duration operator-(Duration a, Duration b) {
  return {sub(a.nanos, b.nanos)};
}
[[nodiscard]] inline Duration operator-(Duration a) {
  return {neg(a.nanos)};
}
[[nodiscard]] inline Duration scale(Duration d, i64 factor) {
  return {mul(d.nanos, factor)};
}
[[nodiscard]] inline Timestamp operator+(Timestamp t, Duration d) {
  return {add(t.nanos, d.nanos)};
}
[[nodiscard]] inline Timestamp operator-(Timestamp t, Duration d) {
  return {sub(t.nanos, d.nanos)};
}
[[nodiscard]] inline Duration operator-(Timestamp a, Timestamp b) {
  return {sub(a.nanos, b.nanos)};
}

// List indexing with a bounds check: "index 7 is out of range for a list of length 3".
template <class T>
[[nodiscard]] const T& element(const std::vector<T>& list, i64 index) {
  if (index < 0 || static_cast<std::size_t>(index) >= list.size()) [[unlikely]]
    detail::panic_index(index, list.size());
  return list[static_cast<std::size_t>(index)];
}

template <class T>
[[nodiscard]] T& element_mut(std::vector<T>& list, i64 index) {
  if (index < 0 || static_cast<std::size_t>(index) >= list.size()) [[unlikely]]
    detail::panic_index(index, list.size());
  return list[static_cast<std::size_t>(index)];
}

// std::vector<bool> hands out proxies, not references.
[[nodiscard]] inline bool element(const std::vector<bool>& list, i64 index) {
  if (index < 0 || static_cast<std::size_t>(index) >= list.size()) [[unlikely]]
    detail::panic_index(index, list.size());
  return list[static_cast<std::size_t>(index)];
}

[[nodiscard]] inline std::vector<bool>::reference element_mut(std::vector<bool>& list, i64 index) {
  if (index < 0 || static_cast<std::size_t>(index) >= list.size()) [[unlikely]]
    detail::panic_index(index, list.size());
  return list[static_cast<std::size_t>(index)];
}

// Truncates toward zero; panics on NaN or a value outside the i64 range.
[[nodiscard]] inline i64 to_i64(double value) {
  // -2^63 and 2^63 are exact doubles, and no double lies strictly between -2^63 - 1 and -2^63,
  // so this accepts exactly the values whose truncation fits. NaN fails both comparisons.
  if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0)) [[unlikely]]
    detail::panic_to_i64(value);
  return static_cast<i64>(value);
}

[[nodiscard]] inline double to_f64(i64 value) {
  return static_cast<double>(value);
}

}  // namespace hallows
