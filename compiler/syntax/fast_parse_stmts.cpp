// The fast parser's statements (see fast_parser.h).
#include "ParseltongueLexer.h"
#include "syntax/fast_parser.h"

namespace pt {

namespace {
using L = ptgen::ParseltongueLexer;

// The tokens an expression can start with (FIRST(expression) in the grammar).
bool starts_expression(std::uint32_t type) {
  switch (type) {
    case L::NOT:
    case L::MINUS:
    case L::INT:
    case L::FLOAT:
    case L::DURATION:
    case L::STRING:
    case L::TRUE:
    case L::FALSE:
    case L::NONE:
    case L::SOME:
    case L::LBRACKET:
    case L::IDENT:
    case L::LPAREN:
      return true;
    default:
      return false;
  }
}
}  // namespace

// block: '{' statement* '}'
Block FastParser::block() {
  expect(L::LBRACE);
  Block body;
  while (!at(L::RBRACE)) body.push_back(statement());
  ++pos_;
  return body;
}

// statement: statementBody stray=';'?
// Bails at a stray ';' (build_ast.cpp reports it) and at anything that starts no statement.
StmtPtr FastParser::statement() {
  std::size_t first = pos_;
  StmtPtr stmt;
  switch (type()) {
    case L::LET_IMMUTABLE_VAR:
    case L::LET_MUT_VAR:
    case L::LET_COW_VAR:
    case L::LET_MUT_SHARED_VAR:
      stmt = let_stmt();
      break;
    case L::SET_VAR:
      stmt = set_stmt();
      break;
    case L::IF:
      stmt = if_stmt();
      break;
    case L::WHILE:
      stmt = while_stmt();
      break;
    case L::FOR_EACH:
      stmt = for_each_stmt();
      break;
    case L::MATCH:
      stmt = match_stmt();
      break;
    case L::RETURN:  // returnStmt: RETURN expression?
      ++pos_;
      stmt = std::make_unique<Stmt>(StmtKind::kReturn, SourceRange{});
      // Greedy, as ANTLR: `return` then an expression on the next line returns it.
      if (starts_expression(type())) stmt->value = expression();
      break;
    case L::BREAK:
      ++pos_;
      stmt = std::make_unique<Stmt>(StmtKind::kBreak, SourceRange{});
      break;
    case L::CONTINUE:
      ++pos_;
      stmt = std::make_unique<Stmt>(StmtKind::kContinue, SourceRange{});
      break;
    case L::UNSAFE_CPP:
      stmt = unsafe_cpp_stmt();
      break;
    default:  // expressionStmt: expression
      if (!starts_expression(type())) bail();
      stmt = std::make_unique<Stmt>(StmtKind::kExpr, SourceRange{});
      stmt->value = expression();
  }
  if (stmt->kind != StmtKind::kIf) stmt->range = span(first, pos_ - 1);  // if_stmt sets its own
  if (at(L::SEMI)) bail();
  return stmt;
}

// letStmt: (LET_IMMUTABLE_VAR | LET_MUT_VAR | LET_COW_VAR | LET_MUT_SHARED_VAR)
//          IDENT (':' typeRef)? ('=' expression)?
StmtPtr FastParser::let_stmt() {
  BindingKind kind = BindingKind::kImmutable;
  if (at(L::LET_MUT_VAR)) kind = BindingKind::kMut;
  if (at(L::LET_COW_VAR)) kind = BindingKind::kCow;
  if (at(L::LET_MUT_SHARED_VAR)) kind = BindingKind::kMutShared;
  ++pos_;
  auto stmt = std::make_unique<Stmt>(StmtKind::kLet, SourceRange{});
  stmt->binding = binding(kind);
  if (accept(L::COLON)) stmt->declared_type = std::make_unique<TypeRef>(type_ref());
  if (accept(L::ASSIGN)) stmt->value = expression();
  return stmt;
}

// setStmt: SET_VAR lvalue '=' expression
StmtPtr FastParser::set_stmt() {
  ++pos_;
  auto stmt = std::make_unique<Stmt>(StmtKind::kSet, SourceRange{});
  stmt->target = lvalue();
  expect(L::ASSIGN);
  stmt->value = expression();
  return stmt;
}

// lvalue: IDENT ('.' IDENT | '[' expression ']')*
// As AstBuilder::build_lvalue: a field ends at its name (no name_ranges), an index one column
// past its index expression.
ExprPtr FastParser::lvalue() {
  std::size_t first = expect(L::IDENT);
  auto e = std::make_unique<Expr>(ExprKind::kName, token_range(first));
  e->text = text(first);
  for (;;) {
    if (accept(L::DOT)) {
      std::size_t name = expect(L::IDENT);
      auto f = std::make_unique<Expr>(ExprKind::kField, e->range);
      SourceRange nr = token_range(name);
      f->range.end_line = nr.end_line;
      f->range.end_column = nr.end_column;
      f->text = text(name);
      f->children.push_back(std::move(e));
      e = std::move(f);
    } else if (accept(L::LBRACKET)) {
      auto x = std::make_unique<Expr>(ExprKind::kIndex, e->range);
      x->children.push_back(std::move(e));
      x->children.push_back(nested_expression());
      expect(L::RBRACKET);
      x->range.end_line = x->children[1]->range.end_line;
      x->range.end_column = x->children[1]->range.end_column + 1;
      e = std::move(x);
    } else {
      return e;
    }
  }
}

// ifStmt: IF expression thenBlock=block (ELSE (ifStmt | elseBlock=block))?
// An else-if chain is read in a loop (not recursively); every `if` of it ends where the chain
// ends.
StmtPtr FastParser::if_stmt() {
  StmtPtr first;
  Stmt* last = nullptr;
  std::vector<std::pair<Stmt*, std::size_t>> chain;  // each `if` and its first token
  for (;;) {
    std::size_t start = pos_++;
    auto stmt = std::make_unique<Stmt>(StmtKind::kIf, SourceRange{});
    stmt->value = header_expression();
    stmt->body = block();
    Stmt* current = stmt.get();
    chain.emplace_back(current, start);
    if (last == nullptr) {
      first = std::move(stmt);
    } else {
      last->else_body.push_back(std::move(stmt));
    }
    last = current;
    if (!accept(L::ELSE)) break;
    current->has_else = true;
    if (!at(L::IF)) {
      current->else_body = block();
      break;
    }
  }
  for (auto& [stmt, start] : chain) stmt->range = span(start, pos_ - 1);
  return first;
}

// whileStmt: WHILE expression block
StmtPtr FastParser::while_stmt() {
  ++pos_;
  auto stmt = std::make_unique<Stmt>(StmtKind::kWhile, SourceRange{});
  stmt->value = header_expression();
  stmt->body = block();
  return stmt;
}

// forEachStmt: FOR_EACH IDENT (',' IDENT)? IN expression block
StmtPtr FastParser::for_each_stmt() {
  ++pos_;
  auto stmt = std::make_unique<Stmt>(StmtKind::kForEach, SourceRange{});
  stmt->binding = binding(BindingKind::kLoop);
  if (accept(L::COMMA)) stmt->binding2 = binding(BindingKind::kLoop);
  expect(L::IN);
  stmt->value = header_expression();
  stmt->body = block();
  return stmt;
}

// matchStmt: MATCH expression '{' matchArm* '}'
StmtPtr FastParser::match_stmt() {
  ++pos_;
  auto stmt = std::make_unique<Stmt>(StmtKind::kMatch, SourceRange{});
  stmt->value = header_expression();
  expect(L::LBRACE);
  while (!at(L::RBRACE)) stmt->arms.push_back(match_arm());
  ++pos_;
  return stmt;
}

// matchArm: WHEN SOME '(' IDENT ')' block | WHEN NONE block | WHEN IDENT (',' IDENT)* block
//         | OTHERWISE block
MatchArm FastParser::match_arm() {
  MatchArm arm;
  std::size_t first = pos_;
  if (accept(L::OTHERWISE)) {
    arm.kind = MatchArm::Kind::kOtherwise;
  } else {
    expect(L::WHEN);
    if (accept(L::SOME)) {
      arm.kind = MatchArm::Kind::kSome;
      expect(L::LPAREN);
      arm.capture = binding(BindingKind::kLoop);
      expect(L::RPAREN);
    } else if (accept(L::NONE)) {
      arm.kind = MatchArm::Kind::kNone;
    } else {
      arm.kind = MatchArm::Kind::kEnum;
      do {
        std::size_t member = expect(L::IDENT);
        arm.members.push_back(text(member));
        arm.member_ranges.push_back(token_range(member));
      } while (accept(L::COMMA));
    }
  }
  arm.body = block();
  arm.range = span(first, pos_ - 1);
  return arm;
}

// unsafeCppStmt: UNSAFE_CPP '(' INPUTS ':' identList? ';' OUTPUTS ':' outputList? ')' CPP_BLOCK
StmtPtr FastParser::unsafe_cpp_stmt() {
  ++pos_;
  auto stmt = std::make_unique<Stmt>(StmtKind::kUnsafeCpp, SourceRange{});
  expect(L::LPAREN);
  expect(L::INPUTS);
  expect(L::COLON);
  if (at(L::IDENT)) {  // identList: IDENT (',' IDENT)*
    do {
      std::size_t input = expect(L::IDENT);
      stmt->inputs.push_back(text(input));
      stmt->input_ranges.push_back(token_range(input));
    } while (accept(L::COMMA));
  }
  expect(L::SEMI);
  expect(L::OUTPUTS);
  expect(L::COLON);
  if (at(L::IDENT)) {
    for (Param& p : param_list(BindingKind::kOutput)) {
      stmt->outputs.push_back(std::move(p.binding));
      stmt->output_types.push_back(std::move(p.type));
    }
  }
  expect(L::RPAREN);
  std::size_t code = expect(L::CPP_BLOCK);
  std::string block_text = text(code);
  stmt->cpp_code = block_text.substr(1, block_text.size() - 2);
  stmt->cpp_range = token_range(code);
  return stmt;
}

// The expression after if, while, for_each ... in, match: the block or arms follow it.
ExprPtr FastParser::header_expression() {
  bool saved = block_may_follow_;
  block_may_follow_ = true;
  ExprPtr e = expression();
  block_may_follow_ = saved;
  return e;
}

}  // namespace pt
