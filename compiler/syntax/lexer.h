// A hand-written lexer for Parseltongue that feeds the ANTLR parser: the same tokens as the
// generated ptgen::ParseltongueLexer, several times faster. The token rules are Scanner's
// (syntax/scanner.h); this is the antlr4::TokenSource around it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "antlr4-runtime.h"
#include "syntax/scanner.h"

namespace pt {

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
