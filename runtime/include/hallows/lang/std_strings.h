// The runtime half of the .pt standard library module `strings`. Positions and counts are in
// code points; case mapping and trimming are ASCII only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hallows/lang/base.h"

namespace hallows::std_strings {

[[nodiscard]] i64 string_length(const std::string& text);
[[nodiscard]] std::string to_upper(const std::string& text);
[[nodiscard]] std::string to_lower(const std::string& text);
// Removes ASCII whitespace (space, \t, \n, \v, \f, \r) from both ends.
[[nodiscard]] std::string trim(const std::string& text);
[[nodiscard]] bool contains(const std::string& text, const std::string& part);
[[nodiscard]] bool starts_with(const std::string& text, const std::string& prefix);
[[nodiscard]] bool ends_with(const std::string& text, const std::string& suffix);
// An empty `from` returns `text` unchanged.
[[nodiscard]] std::string replace_all(const std::string& text, const std::string& from,
                                      const std::string& to);
// "a,,b" split by "," is ["a", "", "b"]; "" is [""]. Panics on an empty separator.
[[nodiscard]] std::vector<std::string> split(const std::string& text, const std::string& separator);
[[nodiscard]] std::string join(const std::vector<std::string>& parts, const std::string& separator);
// `count` code points from code point `start`; panics when that is not inside the text.
[[nodiscard]] std::string substring(const std::string& text, i64 start, i64 count);
// Code point index of the first occurrence of `part`, or -1 (0 for an empty part).
[[nodiscard]] i64 index_of(const std::string& text, const std::string& part);
// Panics when `times` is negative or the result would exceed 1 GiB.
[[nodiscard]] std::string repeat(const std::string& text, i64 times);
// Decimal with an optional leading '-', nothing else (no spaces, no '+').
[[nodiscard]] std::optional<i64> parse_i64(const std::string& text);
// Decimal or exponent form with an optional leading '-', or "inf"/"nan"; the whole text must
// be a number.
[[nodiscard]] std::optional<double> parse_f64(const std::string& text);

}  // namespace hallows::std_strings
