// Text conversion for string interpolation and printing.
#pragma once

#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

#include "hallows/lang/base.h"
#include "hallows/lang/utf8.h"

namespace hallows {

[[nodiscard]] std::string to_text(i64 value);
// Shortest round-trip form that always reads as a float: "2.0", "0.1", "1e+20", "inf", "nan".
[[nodiscard]] std::string to_text(double value);
[[nodiscard]] std::string to_text(bool value);
[[nodiscard]] std::string to_text(const std::string& value);
// Without this, a string literal would convert to bool.
[[nodiscard]] std::string to_text(const char* value);
// The language's literal syntax, in the largest exact unit: "5 ms", "1 second", "7 days".
[[nodiscard]] std::string to_text(Duration value);
// RFC 3339 in UTC: "2026-11-26T09:51:00Z".
[[nodiscard]] std::string to_text(Timestamp value);
// Lower-case hex.
[[nodiscard]] std::string to_text(const Bytes& value);

// Other integer types (int, unsigned, ...), which would otherwise be ambiguous.
template <std::integral T>
requires(!std::same_as<T, bool> && !std::same_as<T, char> && !std::same_as<T, i64>)
    [[nodiscard]] std::string to_text(T value) {
  if constexpr (std::is_signed_v<T>) {
    return to_text(static_cast<i64>(value));
  } else {
    return std::to_string(value);
  }
}

[[nodiscard]] std::string concat(std::initializer_list<std::string_view> parts);

namespace detail {
template <class Part>
void append_part(std::string& out, const Part& part) {
  if constexpr (std::is_convertible_v<const Part&, std::string_view>) {
    out += std::string_view(part);
  } else {
    using hallows::to_text;  // plus, by ADL, the generated to_text overloads for user enums
    out += to_text(part);
  }
}
}  // namespace detail

// interpolate("total ", x, " items"): strings are appended as they are, anything else as
// to_text(part).
template <class... Parts>
[[nodiscard]] std::string interpolate(const Parts&... parts) {
  std::string out;
  (detail::append_part(out, parts), ...);
  return out;
}

// Writes `text` and a newline to stdout (buffered; flushed at exit and before a panic).
void print_line(std::string_view text);

}  // namespace hallows
