// The fast parser's expressions, string literals and interpolation holes (see fast_parser.h).
//
// Where the grammar lets an expression continue or stop (`a` then `-b` or `(b)` on the next line,
// `return` then an expression), this parser continues, as ANTLR does: both parses are valid and
// ANTLR picks the first alternative, which is to continue. Where continuing leads to a syntax
// error, ANTLR may stop instead; this parser fails there and the file goes to the ANTLR path.
#include "ParseltongueLexer.h"
#include "syntax/fast_parser.h"
#include "syntax/interpolation.h"
#include "syntax/lexer.h"
#include "syntax/literals.h"
#include "syntax/parse.h"

namespace pt {

namespace {
using L = ptgen::ParseltongueLexer;

// AstBuilder::binary: the node spans both operands.
ExprPtr binary(ExprPtr lhs, BinaryOp op, ExprPtr rhs) {
  SourceRange r = lhs->range;
  r.end_line = rhs->range.end_line;
  r.end_column = rhs->range.end_column;
  auto e = std::make_unique<Expr>(ExprKind::kBinary, r);
  e->binary_op = op;
  e->children.push_back(std::move(lhs));
  e->children.push_back(std::move(rhs));
  return e;
}

// build_ast.cpp reports a chain of more operands than kMaxOperatorChain.
void count_operand(int& operands) {
  if (++operands > kMaxOperatorChain) throw FastParser::Bail{};
}
}  // namespace

// expression: orExpr
ExprPtr FastParser::expression() {
  return or_expr();
}

ExprPtr FastParser::nested_expression() {
  bool saved = block_may_follow_;
  block_may_follow_ = false;
  ExprPtr e = expression();
  block_may_follow_ = saved;
  return e;
}

// expressionEof: expression EOF (an interpolation hole)
ExprPtr FastParser::expression_eof() {
  ExprPtr e = expression();
  if (!at(Scanner::kEndOfInput)) bail();
  return e;
}

// orExpr: andExpr (OR andExpr)*
ExprPtr FastParser::or_expr() {
  int operands = 1;
  ExprPtr e = and_expr();
  while (accept(L::OR)) {
    count_operand(operands);
    e = binary(std::move(e), BinaryOp::kOr, and_expr());
  }
  return e;
}

// andExpr: notExpr (AND notExpr)*
ExprPtr FastParser::and_expr() {
  int operands = 1;
  ExprPtr e = not_expr();
  while (accept(L::AND)) {
    count_operand(operands);
    e = binary(std::move(e), BinaryOp::kAnd, not_expr());
  }
  return e;
}

// notExpr: NOT notExpr | comparison
// comparison: additive (op=('==' | '!=' | '<' | '<=' | '>' | '>=') additive)?
ExprPtr FastParser::not_expr() {
  if (at(L::NOT)) {
    std::size_t first = pos_++;
    ExprPtr operand = not_expr();
    auto e = std::make_unique<Expr>(ExprKind::kUnary, span(first, pos_ - 1));
    e->unary_op = UnaryOp::kNot;
    e->children.push_back(std::move(operand));
    return e;
  }
  ExprPtr lhs = additive();
  BinaryOp op;
  switch (type()) {
    case L::EQ:
      op = BinaryOp::kEq;
      break;
    case L::NE:
      op = BinaryOp::kNe;
      break;
    case L::LT:
      op = BinaryOp::kLt;
      break;
    case L::LE:
      op = BinaryOp::kLe;
      break;
    case L::GT:
      op = BinaryOp::kGt;
      break;
    case L::GE:
      op = BinaryOp::kGe;
      break;
    default:
      return lhs;
  }
  ++pos_;
  return binary(std::move(lhs), op, additive());
}

// additive: multiplicative (op+=('+' | '-') multiplicative)*
ExprPtr FastParser::additive() {
  int operands = 1;
  ExprPtr e = multiplicative();
  while (at(L::PLUS) || at(L::MINUS)) {
    BinaryOp op = at(L::PLUS) ? BinaryOp::kAdd : BinaryOp::kSub;
    ++pos_;
    count_operand(operands);
    e = binary(std::move(e), op, multiplicative());
  }
  return e;
}

// multiplicative: unary (op+=('*' | '/' | '%') unary)*
ExprPtr FastParser::multiplicative() {
  int operands = 1;
  ExprPtr e = unary();
  while (at(L::STAR) || at(L::SLASH) || at(L::PERCENT)) {
    BinaryOp op = at(L::STAR) ? BinaryOp::kMul : at(L::SLASH) ? BinaryOp::kDiv : BinaryOp::kRem;
    ++pos_;
    count_operand(operands);
    e = binary(std::move(e), op, unary());
  }
  return e;
}

// unary: '-' unary | postfix
// `-` before a bare integer literal (no postfix operator after it) is a negative literal, as in
// AstBuilder::build_unary: `-9223372036854775808` fits.
ExprPtr FastParser::unary() {
  if (!at(L::MINUS)) return postfix();
  std::size_t first = pos_++;
  if (at(L::INT) && type(1) != L::DOT && type(1) != L::LPAREN && type(1) != L::LBRACKET) {
    std::size_t literal = pos_++;
    return int_literal(literal, span(first, literal), true);
  }
  ExprPtr operand = unary();
  auto e = std::make_unique<Expr>(ExprKind::kUnary, span(first, pos_ - 1));
  e->unary_op = UnaryOp::kNeg;
  e->children.push_back(std::move(operand));
  return e;
}

// postfix: primary postfixOp*
// postfixOp: '.' IDENT | '(' argList? ')' | '[' expression ']'; argList: expression (','
// expression)*
ExprPtr FastParser::postfix() {
  ExprPtr e = primary();
  for (;;) {
    SourceRange r = e->range;
    if (accept(L::DOT)) {
      std::size_t name = expect(L::IDENT);
      SourceRange nr = token_range(name);
      r.end_line = nr.end_line;
      r.end_column = nr.end_column;
      auto x = std::make_unique<Expr>(ExprKind::kField, r);
      x->text = text(name);
      x->name_ranges.push_back(nr);
      x->children.push_back(std::move(e));
      e = std::move(x);
    } else if (accept(L::LPAREN)) {
      auto x = std::make_unique<Expr>(ExprKind::kCall, r);
      x->children.push_back(std::move(e));
      if (!at(L::RPAREN)) {
        x->children.push_back(nested_expression());
        while (accept(L::COMMA)) x->children.push_back(nested_expression());
      }
      SourceRange close = token_range(expect(L::RPAREN));
      x->range.end_line = close.end_line;
      x->range.end_column = close.end_column;
      e = std::move(x);
    } else if (accept(L::LBRACKET)) {
      auto x = std::make_unique<Expr>(ExprKind::kIndex, r);
      x->children.push_back(std::move(e));
      x->children.push_back(nested_expression());
      SourceRange close = token_range(expect(L::RBRACKET));
      x->range.end_line = close.end_line;
      x->range.end_column = close.end_column;
      e = std::move(x);
    } else {
      return e;
    }
  }
}

// primary: INT | FLOAT | DURATION | STRING | TRUE | FALSE | NONE | SOME '(' expression ')'
//        | list and map literals | IDENT '{' fieldInit, ... '}' | IDENT | '(' expression ')'
ExprPtr FastParser::primary() {
  std::size_t first = pos_;
  switch (type()) {
    case L::IDENT: {
      if (type(1) == L::LBRACE && schema_literal_ahead()) return schema_literal();
      auto e = std::make_unique<Expr>(ExprKind::kName, token_range(pos_));
      e->text = text(pos_++);
      return e;
    }
    case L::STRING:
      return string_literal();
    case L::INT:
      ++pos_;
      return int_literal(first, token_range(first), false);
    case L::FLOAT: {
      auto e = std::make_unique<Expr>(ExprKind::kFloatLit, token_range(first));
      e->text = float_digits(
          source_.substr(tokens_[first].begin, tokens_[first].end - tokens_[first].begin));
      e->float_value = decode_float(e->text);
      ++pos_;
      return e;
    }
    case L::DURATION: {
      auto e = std::make_unique<Expr>(ExprKind::kDurationLit, token_range(first));
      e->text = text(pos_++);
      if (!decode_duration(e->text, e->int_value)) bail();  // BadDuration
      return e;
    }
    case L::TRUE:
    case L::FALSE: {
      auto e = std::make_unique<Expr>(ExprKind::kBoolLit, token_range(first));
      e->int_value = at(L::TRUE);
      ++pos_;
      return e;
    }
    case L::NONE:
      ++pos_;
      return std::make_unique<Expr>(ExprKind::kNoneLit, token_range(first));
    case L::SOME: {
      ++pos_;
      expect(L::LPAREN);
      ExprPtr inner = nested_expression();
      auto e = std::make_unique<Expr>(ExprKind::kSomeLit, span(first, expect(L::RPAREN)));
      e->children.push_back(std::move(inner));
      return e;
    }
    case L::LBRACKET:
      return list_or_map_literal();
    case L::LPAREN: {  // parenExpr: the inner expression, with the parentheses' range
      ++pos_;
      ExprPtr inner = nested_expression();
      inner->range = span(first, expect(L::RPAREN));
      return inner;
    }
    default:
      bail();
  }
}

// At `Name {`: whether it starts a schema literal (`Name { field: ...}`, `Name {}`) rather than
// being a name followed by a block (`if ready {`, `match state {`). Only one of the two parses
// the input, and this is the one: `Name { field:` starts no block, and a block follows an
// expression only in the header of if, while, for_each and match (block_may_follow_). There,
// `Name {}` is a schema literal if the expression goes on after it (`{`, `.`, an operator) and
// the empty block otherwise; after `-`, `(` or `[`, which may go on or start the next
// statement, this parser bails rather than decide.
bool FastParser::schema_literal_ahead() const {
  if (type(2) == L::IDENT && type(3) == L::COLON) return true;
  if (type(2) != L::RBRACE) return false;
  if (!block_may_follow_) return true;
  switch (type(3)) {
    case L::LBRACE:
    case L::DOT:
    case L::STAR:
    case L::SLASH:
    case L::PERCENT:
    case L::PLUS:
    case L::EQ:
    case L::NE:
    case L::LT:
    case L::LE:
    case L::GT:
    case L::GE:
    case L::AND:
    case L::OR:
      return true;
    case L::MINUS:
    case L::LPAREN:
    case L::LBRACKET:
      bail();
    default:
      return false;
  }
}

// '[' ':' ']' | '[' mapEntry (',' mapEntry)* ','? ']' | '[' (expression (',' expression)* ','?)?
// ']' mapEntry: expression ':' expression
ExprPtr FastParser::list_or_map_literal() {
  std::size_t first = pos_++;
  bool saved = block_may_follow_;
  block_may_follow_ = false;
  ExprPtr e;
  if (at(L::COLON) && type(1) == L::RBRACKET) {  // `[:]`
    e = std::make_unique<Expr>(ExprKind::kMapLit, SourceRange{});
    ++pos_;
  } else if (!at(L::RBRACKET)) {
    ExprPtr head = expression();
    bool map = accept(L::COLON);
    e = std::make_unique<Expr>(map ? ExprKind::kMapLit : ExprKind::kListLit, SourceRange{});
    e->children.push_back(std::move(head));
    if (map) e->children.push_back(expression());
    while (accept(L::COMMA) && !at(L::RBRACKET)) {
      e->children.push_back(expression());
      if (map) {
        expect(L::COLON);
        e->children.push_back(expression());
      }
    }
  } else {
    e = std::make_unique<Expr>(ExprKind::kListLit, SourceRange{});
  }
  e->range = span(first, expect(L::RBRACKET));
  block_may_follow_ = saved;
  return e;
}

// schemaLit: IDENT '{' (fieldInit (',' fieldInit)* ','?)? '}'; fieldInit: IDENT ':' expression
ExprPtr FastParser::schema_literal() {
  std::size_t first = pos_;
  auto e = std::make_unique<Expr>(ExprKind::kSchemaLit, SourceRange{});
  e->text = text(first);
  pos_ += 2;
  bool saved = block_may_follow_;
  block_may_follow_ = false;
  if (!at(L::RBRACE)) {
    do {
      if (at(L::RBRACE)) break;  // the trailing ','
      std::size_t name = expect(L::IDENT);
      expect(L::COLON);
      e->names.push_back(text(name));
      e->name_ranges.push_back(token_range(name));
      e->children.push_back(expression());
    } while (accept(L::COMMA));
  }
  e->range = span(first, expect(L::RBRACE));
  block_may_follow_ = saved;
  return e;
}

ExprPtr FastParser::int_literal(std::size_t token, SourceRange r, bool negative) {
  auto e = std::make_unique<Expr>(ExprKind::kIntLit, r);
  std::string_view digits =
      source_.substr(tokens_[token].begin, tokens_[token].end - tokens_[token].begin);
  if (!decode_int(digits, negative, e->int_value)) bail();  // IntegerTooLarge
  return e;
}

// STRING: the pieces between holes, and each hole parsed as an expression (AstBuilder's
// string_literal and parse_hole). Bails at a bad escape or a hole that is not one expression.
ExprPtr FastParser::string_literal() {
  std::size_t token = pos_++;
  SourceRange r = token_range(token);
  auto e = std::make_unique<Expr>(ExprKind::kStringLit, r);
  const Token& t = tokens_[token];
  StringPieces pieces = split_string_literal(source_.substr(t.begin, t.end - t.begin));
  if (!pieces.bad_escapes.empty()) bail();
  e->pieces = std::move(pieces.texts);
  for (const auto& hole : pieces.holes) {
    if (hole.text.find_first_not_of(" \t") == std::string::npos) bail();
    FastParser sub(hole.text, file_id_, r.line - 1, r.column + hole.offset - 1, true);
    e->children.push_back(sub.expression_eof());
  }
  return e;
}

}  // namespace pt
