#include "hallows/lang/std_math.h"

#include <cmath>
#include <numbers>

#include <fmt/format.h>

namespace hallows::std_math {

i64 abs_i64(i64 value) {
  return value < 0 ? neg(value) : value;
}
double abs_f64(double value) {
  return std::fabs(value);
}
i64 min_i64(i64 a, i64 b) {
  return a < b ? a : b;
}
i64 max_i64(i64 a, i64 b) {
  return a > b ? a : b;
}

double min_f64(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::nan("");
  return a < b ? a : b;
}

double max_f64(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::nan("");
  return a > b ? a : b;
}

i64 clamp_i64(i64 value, i64 lo, i64 hi) {
  if (lo > hi)
    panic(fmt::format("clamp_i64: the lower bound {} is above the upper bound {}", lo, hi));
  return value < lo ? lo : value > hi ? hi : value;
}

double sqrt(double value) {
  return std::sqrt(value);
}
double pow(double base, double exponent) {
  return std::pow(base, exponent);
}
double floor(double value) {
  return std::floor(value);
}
double ceil(double value) {
  return std::ceil(value);
}
double round(double value) {
  return std::round(value);
}
double pi() {
  return std::numbers::pi;
}

}  // namespace hallows::std_math
