// Character classes of HTTP's grammar (RFC 9110 5.6, RFC 9112) as 256-entry tables, and ASCII
// case-insensitive comparison. Private to runtime/src/http/.
#pragma once
#include <array>
#include <cstddef>
#include <string_view>

namespace hallows::http {

enum CharClass : unsigned char {
  kTchar = 1,       // token characters: method names, header field names, codings
  kFieldValue = 2,  // field-value bytes: VCHAR, SP, HTAB, obs-text (0x80-0xFF)
  kTarget = 4,      // request-target bytes: visible ASCII (0x21-0x7E)
};

inline constexpr std::array<unsigned char, 256> kCharClasses = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    unsigned char bits = 0;
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (alnum ||
        std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
      bits |= kTchar;
    }
    if (c == '\t' || c == ' ' || (c >= 0x21 && c <= 0x7E) || c >= 0x80) bits |= kFieldValue;
    if (c >= 0x21 && c <= 0x7E) bits |= kTarget;
    t[static_cast<std::size_t>(c)] = bits;
  }
  return t;
}();

inline bool is_class(char c, CharClass cls) noexcept {
  return (kCharClasses[static_cast<unsigned char>(c)] & cls) != 0;
}

// True when every byte of `text` is in `cls`.
inline bool all_of_class(std::string_view text, CharClass cls) noexcept {
  unsigned char bad = 0;
  // No early exit: the loop stays branch-free and vectorizes over header values.
  for (char c : text)
    bad |= static_cast<unsigned char>(~kCharClasses[static_cast<unsigned char>(c)] & cls);
  return bad == 0;
}

inline char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// The value of a hex digit, or -1.
inline int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline bool is_ows(char c) noexcept {
  return c == ' ' || c == '\t';
}

inline std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// Calls f(element) for each non-empty element of a comma-separated list (RFC 9110 5.6.1), with
// surrounding whitespace removed; stops when f returns false.
template <class F>
bool for_each_list_element(std::string_view list, F&& f) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty() && !f(element)) return false;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return true;
}

}  // namespace hallows::http
