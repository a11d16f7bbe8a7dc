// UTF-8 helpers. Strings are UTF-8 byte sequences; lengths and string indexes in the language
// count code points. Counting treats every byte that is not a continuation byte (10xxxxxx) as
// the start of a code point, which is exact for valid UTF-8 and never fails on invalid input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "hallows/lang/base.h"

namespace hallows {

// Number of code points in `text`.
[[nodiscard]] i64 utf8_length(std::string_view text);

// Byte offset of code point number `index` (0-based); `index == utf8_length(text)` gives
// text.size(). Returns std::string_view::npos when index is negative or past the end.
[[nodiscard]] std::size_t utf8_offset(std::string_view text, i64 index);

// Appends `text` to `out`, replacing every ill-formed sequence (overlong forms, surrogates,
// values above U+10FFFF, truncated or stray bytes) with U+FFFD.
void append_utf8_sanitized(std::string& out, std::string_view text);

// True when `text` is well-formed UTF-8.
[[nodiscard]] bool is_valid_utf8(std::string_view text);

}  // namespace hallows
