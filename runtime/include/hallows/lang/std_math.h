// The runtime half of the .pt standard library module `math`.
#pragma once

#include "hallows/lang/base.h"

namespace hallows::std_math {

[[nodiscard]] i64 abs_i64(i64 value);  // panics on INT64_MIN
[[nodiscard]] double abs_f64(double value);
[[nodiscard]] i64 min_i64(i64 a, i64 b);
[[nodiscard]] i64 max_i64(i64 a, i64 b);
// NaN-propagating: if either argument is NaN the result is NaN.
[[nodiscard]] double min_f64(double a, double b);
[[nodiscard]] double max_f64(double a, double b);
// Panics when lo > hi.
[[nodiscard]] i64 clamp_i64(i64 value, i64 lo, i64 hi);
[[nodiscard]] double sqrt(double value);
[[nodiscard]] double pow(double base, double exponent);
[[nodiscard]] double floor(double value);
[[nodiscard]] double ceil(double value);
// Halfway cases away from zero: round(2.5) == 3.0, round(-2.5) == -3.0.
[[nodiscard]] double round(double value);
[[nodiscard]] double pi();

}  // namespace hallows::std_math
