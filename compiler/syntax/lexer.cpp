// The hand-written lexer that feeds the ANTLR parser (syntax/lexer.h): FastLexer wraps the
// tokens of syntax/scanner.cpp (where the token rules are) in antlr4::CommonTokens.
// tests/unit/compiler_lexer_test.cpp checks they are exactly ptgen::ParseltongueLexer's.
#include "syntax/lexer.h"

#include <utility>

#include "ParseltongueLexer.h"

namespace pt {

using L = ptgen::ParseltongueLexer;

FastLexer::FastLexer(std::string_view text, std::string source_name)
    : text_(text), source_name_(std::move(source_name)), scanner_(text) {}

antlr4::TokenFactory<antlr4::CommonToken>* FastLexer::getTokenFactory() {
  return antlr4::CommonTokenFactory::DEFAULT.get();
}

std::unique_ptr<antlr4::Token> FastLexer::nextToken() {
  std::pair<antlr4::TokenSource*, antlr4::CharStream*> source(this, nullptr);
  Scanner::Position start;
  size_t type = scanner_.next(start);
  const Scanner::Position& end = scanner_.position();
  if (type == Scanner::kEndOfInput) {
    auto eof = std::make_unique<antlr4::CommonToken>(
        source, antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL, start.index, start.index - 1);
    eof->setLine(start.line);
    eof->setCharPositionInLine(start.column);
    eof->setText("<EOF>");
    return eof;
  }
  size_t channel =
      type == L::DOC_COMMENT ? antlr4::Token::HIDDEN_CHANNEL : antlr4::Token::DEFAULT_CHANNEL;
  auto token =
      std::make_unique<antlr4::CommonToken>(source, type, channel, start.index, end.index - 1);
  token->setLine(start.line);
  token->setCharPositionInLine(start.column);
  token->setText(std::string(text_.substr(start.byte, end.byte - start.byte)));
  return token;
}

std::vector<std::unique_ptr<antlr4::Token>> FastLexer::getAllTokens() {
  std::vector<std::unique_ptr<antlr4::Token>> tokens;
  for (auto t = nextToken(); t->getType() != antlr4::Token::EOF; t = nextToken()) {
    tokens.push_back(std::move(t));
  }
  return tokens;
}

}  // namespace pt
