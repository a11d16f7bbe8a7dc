#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include <fmt/format.h>

#include "hallows/lang/base.h"

namespace hallows {

namespace {
thread_local bool t_panics_throw = false;
}  // namespace

namespace detail {
void set_panics_throw(bool on) noexcept {
  t_panics_throw = on;
}
bool panics_throw() noexcept {
  return t_panics_throw;
}
}  // namespace detail

void panic(std::string_view message) {
  if (t_panics_throw) throw Panic(std::string(message));
  // Only the first panicking thread reports; any other blocks here until the process exits.
  static std::mutex panic_mutex;
  panic_mutex.lock();
  std::fflush(stdout);
  std::string line = fmt::format("error: the program stopped: {}\n", message);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
  // _Exit, not exit: other threads may still be running, so static destructors must not run.
  std::_Exit(70);
}

namespace detail {

void panic_overflow(const char* op, i64 a, i64 b) {
  panic(fmt::format("integer overflow in {} {} {}", a, op, b));
}

void panic_negate_overflow(i64 a) {
  panic(fmt::format("integer overflow in -({})", a));
}

void panic_division_by_zero() {
  panic("division by zero");
}

void panic_index(i64 index, std::size_t length) {
  panic(fmt::format("index {} is out of range for a list of length {}", index, length));
}

void panic_to_i64(double value) {
  if (std::isnan(value)) panic("cannot convert nan to an integer");
  panic(fmt::format("cannot convert {} to an integer: it is outside the i64 range", value));
}

}  // namespace detail
}  // namespace hallows
