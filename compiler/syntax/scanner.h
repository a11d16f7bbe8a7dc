// The token rules of Parseltongue, without ANTLR: the Scanner that FastLexer (syntax/lexer.h),
// the fast parser (syntax/fast_parse.h) and the formatter (format/pieces.h) read tokens from.
// Token types are the ptgen::ParseltongueLexer numbers; code that does not include the generated
// header asks token_kind() what a type is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pt {

class Scanner {
 public:
  static constexpr size_t kEndOfInput = 0;  // the type `next` returns at the end of the text
  // With Comments::kReturn, `//` and `/* */` comments come out as tokens of these two types
  // (above every ptgen::ParseltongueLexer type). `///` doc comments are DOC_COMMENT either way.
  static constexpr size_t kLineComment = ~size_t{0} - 1;
  static constexpr size_t kBlockComment = ~size_t{0} - 2;

  enum class Comments : std::uint8_t { kSkip, kReturn };

  struct Position {
    size_t byte = 0;
    size_t index = 0;  // in code points
    size_t line = 1;
    size_t column = 0;  // in code points
  };

  // Positions count code points, as antlr4::ANTLRInputStream does. `text` should be valid UTF-8;
  // any other bytes still scan (to UNKNOWN_CHAR tokens), only the counts may be off.
  explicit Scanner(std::string_view text, Comments comments = Comments::kSkip)
      : text_(text), return_comments_(comments == Comments::kReturn) {}

  // Moves past the next token that is not skipped (whitespace always is, `//` and `/* */`
  // comments unless asked for) and returns its ptgen::ParseltongueLexer type, kLineComment,
  // kBlockComment or kEndOfInput. `start` is where the token begins; it ends at position().
  size_t next(Position& start);
  const Position& position() const { return pos_; }

 private:
  // The byte just past the token starting at `pos_`, and its type (0: skipped).
  size_t match(size_t& type);
  void advance_to(size_t end_byte, bool ascii_line);

  std::string_view text_;
  Position pos_;
  bool return_comments_ = false;
  bool cpp_block_pending_ = false;  // `unsafe_cpp` seen, its `{ ... }` not yet
};

// What a token type stands for, for code that does not include the generated lexer's header.
enum class TokenKind : std::uint8_t {
  kEndOfInput,
  kKeyword,       // `module`, `if`, `and`, ...
  kName,          // IDENT
  kInt,           // INT
  kFloat,         // FLOAT
  kDuration,      // DURATION: `5 ms`
  kString,        // STRING, interpolation holes included
  kCppBlock,      // CPP_BLOCK: the raw `{ ... }` after `unsafe_cpp`
  kOperator,      // an operator or a bracket: `==`, `(`, `,`, ...
  kDocComment,    // `/// ...`
  kLineComment,   // `// ...` (Scanner::kLineComment)
  kBlockComment,  // `/* ... */` (Scanner::kBlockComment)
  kUnknown,       // UNKNOWN_CHAR: a character no token starts with, or an unclosed string's `"`
};

TokenKind token_kind(size_t type);

// Every reserved word of grammar/Parseltongue.g4 (`module`, `schema`, `basilisk_service`, ...),
// in the grammar's order: what an editor offers as keywords.
const std::vector<std::string>& grammar_keywords();

}  // namespace pt
