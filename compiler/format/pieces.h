// The formatter's view of a .pt file: its tokens and comments in order ("pieces"), each with
// the number of line breaks before it. Whitespace is all that is left out. The tokens are the
// lexer's (syntax/scanner.h, which returns the comments too when asked).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pt::formatter {

enum class PieceKind : std::uint8_t {
  kWord,          // a name or a keyword
  kNumber,        // an integer or a float
  kDuration,      // `5 ms`: a number and a unit on one line
  kString,        // a string literal, interpolation holes included
  kCppBlock,      // the raw `{ ... }` of an unsafe_cpp statement
  kPunct,         // an operator or a bracket: `==`, `(`, `,`, ...
  kLineComment,   // `// ...` and `/// ...`, trailing blanks left out
  kBlockComment,  // `/* ... */`
  kUnknown,       // a character no token starts with (such a file does not parse)
};

struct Piece {
  PieceKind kind;
  std::string_view text;            // into the scanned text
  std::uint32_t breaks_before = 0;  // line breaks in the whitespace before the piece
  bool multi_line = false;          // the text holds a line break (block comments, C++ blocks)
};

// Every piece of `text`, in order. Never fails: any byte sequence scans to some pieces.
std::vector<Piece> scan_pieces(std::string_view text);

inline bool is_comment(const Piece& p) {
  return p.kind == PieceKind::kLineComment || p.kind == PieceKind::kBlockComment;
}

// The text that must survive formatting unchanged: the piece's text, except a duration's blanks
// (`5ms` and `5  ms` are both written `5 ms`).
std::string canonical_text(const Piece& p);

}  // namespace pt::formatter
