// Scans a .pt file into tokens and comments (format/pieces.h) with the compiler's own Scanner
// (syntax/scanner.h), asked to return comments too, so the token rules exist once.
#include "format/pieces.h"

#include "syntax/scanner.h"

namespace pt::formatter {

namespace {

bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

PieceKind piece_kind(TokenKind kind) {
  switch (kind) {
    case TokenKind::kKeyword:
    case TokenKind::kName:
      return PieceKind::kWord;
    case TokenKind::kInt:
    case TokenKind::kFloat:
      return PieceKind::kNumber;
    case TokenKind::kDuration:
      return PieceKind::kDuration;
    case TokenKind::kString:
      return PieceKind::kString;
    case TokenKind::kCppBlock:
      return PieceKind::kCppBlock;
    case TokenKind::kOperator:
      return PieceKind::kPunct;
    case TokenKind::kDocComment:
    case TokenKind::kLineComment:
      return PieceKind::kLineComment;
    case TokenKind::kBlockComment:
      return PieceKind::kBlockComment;
    case TokenKind::kEndOfInput:
    case TokenKind::kUnknown:
      break;
  }
  return PieceKind::kUnknown;
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
  Scanner scanner(s, Scanner::Comments::kReturn);
  Scanner::Position start;
  std::size_t blank_start = 0;
  for (std::size_t type; (type = scanner.next(start)) != Scanner::kEndOfInput;) {
    std::size_t b = start.byte;
    std::size_t e = scanner.position().byte;
    PieceKind kind = piece_kind(token_kind(type));
    Piece p{kind, s.substr(b, e - b), count_breaks(s.substr(blank_start, b - blank_start)), false};
    if (kind == PieceKind::kLineComment) {
      std::size_t last = p.text.find_last_not_of(" \t");
      p.text = p.text.substr(0, last + 1);
    }
    p.multi_line = p.text.find_first_of("\r\n") != std::string_view::npos;
    pieces.push_back(p);
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
