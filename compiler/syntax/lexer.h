// A hand-written lexer for Parseltongue that feeds the ANTLR parser: the same tokens as the
// generated ptgen::ParseltongueLexer, several times faster (see lexer.cpp).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "antlr4-runtime.h"

namespace pt {

// The scanning routine shared by FastLexer (tokens for the ANTLR parser) and the fast parser
// (syntax/fast_parse.h, which reads tokens without building antlr4::Token objects). Positions
// count code points, as antlr4::ANTLRInputStream does.
class Scanner {
 public:
  static constexpr size_t kEndOfInput = 0;  // the type `next` returns at the end of the text

  struct Position {
    size_t byte = 0;
    size_t index = 0;  // in code points
    size_t line = 1;
    size_t column = 0;  // in code points
  };

  explicit Scanner(std::string_view text) : text_(text) {}

  // Moves past the next token that is not skipped (`///` doc comments are returned, other
  // comments and whitespace are skipped) and returns its ptgen::ParseltongueLexer type, or
  // kEndOfInput. `start` is where the token begins; it ends at position().
  size_t next(Position& start);
  const Position& position() const { return pos_; }

 private:
  // The byte just past the token starting at `pos_`, and its type (0: skipped).
  size_t match(size_t& type);
  void advance_to(size_t end_byte, bool ascii_line);

  std::string_view text_;
  Position pos_;
  bool cpp_block_pending_ = false;  // `unsafe_cpp` seen, its `{ ... }` not yet
};

// Lexes `text` (valid UTF-8, which must outlive the lexer and its tokens). Tokens are
// antlr4::CommonTokens with their text set; indexes and columns count code points, as
// antlr4::ANTLRInputStream does. Comments and whitespace are skipped, except `///` doc comments,
// which go to the hidden channel.
class FastLexer : public antlr4::TokenSource {
 public:
  explicit FastLexer(std::string_view text, std::string source_name = "");

  std::unique_ptr<antlr4::Token> nextToken() override;
  // Every token before EOF, like antlr4::Lexer::getAllTokens.
  std::vector<std::unique_ptr<antlr4::Token>> getAllTokens();

  size_t getLine() const override { return scanner_.position().line; }
  size_t getCharPositionInLine() override { return scanner_.position().column; }
  // No CharStream: every token carries its own text.
  antlr4::CharStream* getInputStream() override { return nullptr; }
  std::string getSourceName() override { return source_name_; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override;

 private:
  std::string_view text_;
  std::string source_name_;
  Scanner scanner_;
};

}  // namespace pt
