// FastParser: the recursive-descent parser behind syntax/fast_parse.h. Private to syntax/.
//
// One member function per rule of grammar/Parseltongue.g4 that it accepts (named after the rule).
// Every function either consumes its rule and returns what build_ast.cpp builds for it (same
// node kinds, strings and source ranges), or calls bail(), which abandons the whole file: the
// ANTLR path of parse.cpp then parses it and reports what is wrong. Where the grammar needs more
// than one token of lookahead or ANTLR picks among several parses, the comments say which parse
// ANTLR gives and why this one is the same (or where it bails instead of deciding).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/ast.h"

namespace pt {

class FastParser {
 public:
  // `line_offset` and `column_offset` place a sub-parse (an interpolation hole) inside its string,
  // as AstBuilder::set_offsets does.
  FastParser(std::string_view text, std::uint32_t file, std::uint32_t line_offset = 0,
             std::uint32_t column_offset = 0, bool hole = false);

  // file_: moduleDecl? importDecl* declaration* EOF. Throws Bail.
  std::unique_ptr<Module> file_();
  // expressionEof: expression EOF (an interpolation hole). Throws Bail.
  ExprPtr expression_eof();

  struct Bail {};  // thrown by bail(); caught by fast_parse()

 private:
  struct Token {
    std::uint32_t type;   // ptgen::ParseltongueLexer type; Scanner::kEndOfInput at the end
    std::uint32_t begin;  // bytes of its text: [begin, end)
    std::uint32_t end;
    std::uint32_t line;    // as in a SourceRange: 1-based, offsets applied
    std::uint32_t column;  // 1-based, in code points
    std::uint32_t width;   // in code points
    std::uint32_t docs;    // doc comments seen before it: docs_[previous token's docs, docs)
  };

  [[noreturn]] static void bail() { throw Bail{}; }
  // Lexes the text into tokens_ and docs_, bailing where parse.cpp's scan_tokens would report
  // something (and, for a hole, where parse_hole would refuse it).
  void lex(std::string_view text);

  std::uint32_t type(std::size_t ahead = 0) const { return tokens_[pos_ + ahead].type; }
  bool at(std::uint32_t t) const { return tokens_[pos_].type == t; }
  bool accept(std::uint32_t t) {
    if (!at(t)) return false;
    ++pos_;
    return true;
  }
  // The index of the current token, consumed; bails unless it has type `t`.
  std::size_t expect(std::uint32_t t) {
    if (!at(t)) bail();
    return pos_++;
  }
  std::string text(std::size_t i) const {
    return std::string(source_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin));
  }
  SourceRange token_range(std::size_t i) const;
  // From the start of token `first` to the end of token `last` (AstBuilder::range of a rule).
  SourceRange span(std::size_t first, std::size_t last) const;
  // The `///` comments just above token `i`, joined (AstBuilder::doc_comment).
  std::string doc_comment(std::size_t i) const;

  // Declarations (fast_parse.cpp).
  std::vector<std::string> qualified_name(SourceRange* range);
  std::unique_ptr<Decl> declaration();
  std::unique_ptr<Decl> start_decl(DeclKind kind);
  std::unique_ptr<Decl> schema_decl();
  FieldDecl field_decl();
  Validator validate_clause();
  std::unique_ptr<Decl> enum_decl();
  std::unique_ptr<Decl> function_decl(DeclKind kind);
  std::unique_ptr<Decl> program_decl();
  std::vector<Param> param_list(BindingKind kind);
  Param param(BindingKind kind);
  TypeRef type_ref();
  std::unique_ptr<Binding> binding(BindingKind kind);

  // Statements (fast_parse_stmts.cpp).
  Block block();
  StmtPtr statement();
  StmtPtr let_stmt();
  StmtPtr set_stmt();
  StmtPtr if_stmt();
  StmtPtr while_stmt();
  StmtPtr for_each_stmt();
  StmtPtr match_stmt();
  MatchArm match_arm();
  StmtPtr unsafe_cpp_stmt();
  ExprPtr lvalue();
  // An if/while/match/for_each header expression: a block follows it.
  ExprPtr header_expression();

  // Expressions (fast_parse_exprs.cpp).
  ExprPtr expression();
  ExprPtr or_expr();
  ExprPtr and_expr();
  ExprPtr not_expr();
  ExprPtr additive();
  ExprPtr multiplicative();
  ExprPtr unary();
  ExprPtr postfix();
  ExprPtr primary();
  ExprPtr list_or_map_literal();
  bool schema_literal_ahead() const;
  ExprPtr schema_literal();
  ExprPtr string_literal();
  ExprPtr int_literal(std::size_t token, SourceRange r, bool negative);
  // An expression inside brackets, where no block can follow it.
  ExprPtr nested_expression();

  std::string_view source_;
  std::uint32_t file_id_;
  std::uint32_t line_offset_;
  std::uint32_t column_offset_;
  bool hole_;
  std::vector<Token> tokens_;           // default-channel tokens, then end-of-input tokens
  std::vector<std::string_view> docs_;  // `///` comment tokens
  std::size_t pos_ = 0;
  // Set while parsing a header expression outside brackets: `Name {` there may be a schema
  // literal or the name followed by the block.
  bool block_may_follow_ = false;
  int type_depth_ = 0;
};

}  // namespace pt
