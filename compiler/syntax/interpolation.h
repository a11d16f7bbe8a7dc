// Splitting a string literal token into text pieces and `{expression}` holes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pt {

struct StringPieces {
  struct Hole {
    std::string text;
    std::uint32_t offset;  // code points from the opening quote to the hole's first character
  };
  struct BadEscape {
    char character;
    std::uint32_t offset;  // code points from the opening quote to the backslash
  };
  std::vector<std::string> texts;  // always holes.size() + 1 pieces, escapes decoded
  std::vector<Hole> holes;
  std::vector<BadEscape> bad_escapes;
};

// `token` is the whole literal, quotes included, as the lexer matched it.
StringPieces split_string_literal(std::string_view token);

}  // namespace pt
