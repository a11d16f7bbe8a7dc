// Helpers that generated schema validation calls.
#pragma once

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "hallows/lang/base.h"
#include "hallows/lang/utf8.h"

namespace hallows {

struct ValidationError {
  std::string field;    // "items[2].price"
  std::string rule;     // "range", "length", "pattern", ...
  std::string message;  // "must be between 1 and 100, found 0"
};

[[nodiscard]] inline bool in_range(i64 value, i64 lo, i64 hi) {
  return lo <= value && value <= hi;
}
// False for NaN.
[[nodiscard]] inline bool in_range(double value, double lo, double hi) {
  return lo <= value && value <= hi;
}

[[nodiscard]] inline i64 length_of(const std::string& text) {
  return utf8_length(text);
}
[[nodiscard]] inline i64 length_of(const Bytes& bytes) {
  return static_cast<i64>(bytes.data.size());
}
template <class T>
[[nodiscard]] i64 length_of(const std::vector<T>& list) {
  return static_cast<i64>(list.size());
}
template <class T>
[[nodiscard]] i64 length_of(const std::map<std::string, T>& map) {
  return static_cast<i64>(map.size());
}

// True when the whole of `text` matches `pattern` (std::regex_match).
[[nodiscard]] bool matches(const std::string& text, const std::regex& pattern);

}  // namespace hallows
