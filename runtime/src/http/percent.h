// Percent-decoding (RFC 3986 2.1) that appends, for params.cpp and the router. Private to
// runtime/src/http/.
#pragma once
#include <cstring>
#include <string>
#include <string_view>

#include "ascii.h"
#include "hallows/lang/utf8.h"

namespace hallows::http {

// Appends the decoded `text` to `out`. False on a malformed escape ('%' not followed by two hex
// digits) or when the decoded bytes are not valid UTF-8; `out` then holds a partial result.
inline bool append_percent_decoded(std::string_view text, std::string& out, bool plus_is_space) {
  if (text.empty()) return true;  // (memchr may not be given the null of an empty view)
  std::size_t start = out.size();
  bool escapes = std::memchr(text.data(), '%', text.size()) != nullptr ||
                 (plus_is_space && std::memchr(text.data(), '+', text.size()) != nullptr);
  if (!escapes) {
    out.append(text);
  } else {
    for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '%') {
        if (text.size() - i < 3) return false;
        int hi = hex_digit(text[i + 1]);
        int lo = hex_digit(text[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
      } else if (c == '+' && plus_is_space) {
        out += ' ';
      } else {
        out += c;
      }
    }
  }
  std::string_view added = std::string_view(out).substr(start);
  unsigned char high = 0;
  for (char c : added) high |= static_cast<unsigned char>(c);
  return high < 0x80 || is_valid_utf8(added);  // ASCII, the common case, is valid
}

}  // namespace hallows::http
