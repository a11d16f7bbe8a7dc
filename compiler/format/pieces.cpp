// Scans a .pt file into tokens and comments (format/pieces.h). The token boundaries follow
// syntax/lexer.cpp rule for rule (numbers, durations, strings, the unsafe_cpp block, two-character
// operators); tests/unit/compiler_format_test.cpp checks that they agree on every .pt file of the
// repository.
#include "format/pieces.h"

namespace pt::formatter {

namespace {

bool is_ident_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_char(unsigned char c) {
  return is_ident_start(c) || is_digit(c);
}

// The end of DIGITS: [0-9] ('_'? [0-9])*, starting at a digit.
std::size_t digits_end(std::string_view s, std::size_t i) {
  ++i;
  while (i < s.size()) {
    if (is_digit(s[i])) {
      ++i;
    } else if (s[i] == '_' && i + 1 < s.size() && is_digit(s[i + 1])) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

// The length of the longest duration unit at `i`, or 0.
std::size_t unit_length(std::string_view s, std::size_t i) {
  static constexpr std::string_view kUnits[] = {
      "seconds", "minutes", "second", "minute", "hours", "hour", "days", "day", "ns", "us", "ms"};
  std::string_view rest = s.substr(i);
  for (std::string_view unit : kUnits) {
    if (rest.substr(0, unit.size()) == unit) return unit.size();
  }
  return 0;
}

// The end of a string literal starting at `i`, or npos when it is not closed on its line.
std::size_t string_end(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') return i + 1;
    if (c == '\r' || c == '\n') return std::string_view::npos;
    if (c == '\\') {
      if (++i == s.size() || s[i] == '\r' || s[i] == '\n') return std::string_view::npos;
    } else if (c == '{') {
      std::size_t close = s.find_first_of("}\r\n", i + 1);
      if (close == std::string_view::npos || s[close] != '}') return std::string_view::npos;
      i = close;
    }
  }
  return std::string_view::npos;
}

std::size_t utf8_length(unsigned char c) {
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

bool is_two_char_operator(char a, char b) {
  return b == '=' && (a == '=' || a == '!' || a == '<' || a == '>');
}

// Line breaks in blank text: `\n`, `\r\n`, and a `\r` alone (which ends a line comment).
std::uint32_t count_breaks(std::string_view blank) {
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < blank.size(); ++i) {
    if (blank[i] == '\n' || (blank[i] == '\r' && (i + 1 == blank.size() || blank[i + 1] != '\n'))) {
      ++n;
    }
  }
  return n;
}

}  // namespace

std::vector<Piece> scan_pieces(std::string_view s) {
  std::vector<Piece> pieces;
  pieces.reserve(s.size() / 4 + 1);
  std::size_t b = 0;
  std::size_t blank_start = 0;
  bool cpp_block_pending = false;  // `unsafe_cpp` seen, its `{ ... }` not yet
  auto at = [&](std::size_t i, char expected) { return i < s.size() && s[i] == expected; };
  while (b < s.size()) {
    auto c = static_cast<unsigned char>(s[b]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++b;
      continue;
    }
    PieceKind kind = PieceKind::kPunct;
    std::size_t e = b + 1;
    if (is_ident_start(c)) {
      while (e < s.size() && is_ident_char(s[e])) ++e;
      kind = PieceKind::kWord;
      if (s.substr(b, e - b) == "unsafe_cpp") cpp_block_pending = true;
    } else if (is_digit(c)) {
      e = digits_end(s, b);
      kind = PieceKind::kNumber;
      if (at(e, '.') && e + 1 < s.size() && is_digit(s[e + 1])) {
        e = digits_end(s, e + 1);
        if (at(e, 'e') || at(e, 'E')) {
          std::size_t x = e + 1;
          if (at(x, '+') || at(x, '-')) ++x;
          if (x < s.size() && is_digit(s[x])) e = digits_end(s, x);
        }
      } else {
        std::size_t w = e;
        while (at(w, ' ') || at(w, '\t')) ++w;
        if (std::size_t unit = unit_length(s, w); unit != 0) {
          kind = PieceKind::kDuration;
          e = w + unit;
        }
      }
    } else if (c == '"') {
      std::size_t end = string_end(s, b);
      kind = end == std::string_view::npos ? PieceKind::kUnknown : PieceKind::kString;
      e = end == std::string_view::npos ? b + 1 : end;
    } else if (c == '/' && at(b + 1, '/')) {
      e = s.find_first_of("\r\n", b);
      if (e == std::string_view::npos) e = s.size();
      kind = PieceKind::kLineComment;
    } else if (c == '/' && at(b + 1, '*') && s.find("*/", b + 2) != std::string_view::npos) {
      e = s.find("*/", b + 2) + 2;
      kind = PieceKind::kBlockComment;
    } else if (c == '{' && cpp_block_pending) {
      std::size_t depth = 1;
      for (std::size_t i = b + 1; i < s.size(); ++i) {
        if (s[i] == '{') ++depth;
        if (s[i] == '}' && --depth == 0) {
          kind = PieceKind::kCppBlock;
          cpp_block_pending = false;
          e = i + 1;
          break;
        }
      }
    } else if (b + 1 < s.size() && is_two_char_operator(s[b], s[b + 1])) {
      e = b + 2;
    } else if (c >= 0x80 || std::string_view("(){}[],:;.=+-*/%<>").find(static_cast<char>(c)) ==
                                std::string_view::npos) {
      kind = PieceKind::kUnknown;
      e = std::min(s.size(), b + utf8_length(c));
    }
    Piece p{kind, s.substr(b, e - b), count_breaks(s.substr(blank_start, b - blank_start)), false};
    if (kind == PieceKind::kLineComment) {
      std::size_t last = p.text.find_last_not_of(" \t");
      p.text = p.text.substr(0, last + 1);
    }
    p.multi_line = p.text.find_first_of("\r\n") != std::string_view::npos;
    pieces.push_back(p);
    b = e;
    blank_start = e;
  }
  return pieces;
}

std::string canonical_text(const Piece& p) {
  if (p.kind != PieceKind::kDuration) return std::string(p.text);
  std::size_t digits = 0;
  while (digits < p.text.size() && (is_digit(p.text[digits]) || p.text[digits] == '_')) ++digits;
  std::size_t unit = p.text.find_first_not_of(" \t", digits);
  if (unit == std::string_view::npos) return std::string(p.text);
  return std::string(p.text.substr(0, digits)) + " " + std::string(p.text.substr(unit));
}

}  // namespace pt::formatter
