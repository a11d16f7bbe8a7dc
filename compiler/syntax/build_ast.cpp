// Parse tree -> AST. The only file that walks ANTLR contexts.
#include "syntax/build_ast.h"

#include <charconv>
#include <limits>

#include "ParseltongueLexer.h"
#include "syntax/interpolation.h"
#include "syntax/literals.h"

namespace pt {

using P = ptgen::ParseltongueParser;

SourceRange AstBuilder::token_range(antlr4::Token* t) const {
  SourceRange r;
  r.file = file_;
  if (t == nullptr) return r;  // a token that error recovery left out
  r.line = static_cast<std::uint32_t>(t->getLine()) + line_offset_;
  r.column = static_cast<std::uint32_t>(t->getCharPositionInLine()) + 1 +
             (t->getLine() == 1 ? column_offset_ : 0);
  // Only an unsafe_cpp block spans lines: for every other token, the stream's indexes (in code
  // points) give the width without copying the token's text.
  if (t->getType() != P::CPP_BLOCK) {
    std::size_t width = t->getType() == antlr4::Token::EOF || t->getStopIndex() < t->getStartIndex()
                            ? 0
                            : t->getStopIndex() - t->getStartIndex() + 1;
    r.end_line = r.line;
    r.end_column = r.column + static_cast<std::uint32_t>(width);
    return r;
  }
  std::string text = t->getText();
  std::uint32_t line = r.line;
  std::uint32_t column = r.column;
  std::size_t last_newline = text.rfind('\n');
  if (last_newline == std::string::npos) {
    column += code_points(text);
  } else {
    for (char c : text) line += c == '\n';
    column = 1 + code_points(std::string_view(text).substr(last_newline + 1));
  }
  r.end_line = line;
  r.end_column = column;
  return r;
}

SourceRange AstBuilder::range(antlr4::ParserRuleContext* ctx) const {
  if (ctx == nullptr) return token_range(nullptr);  // a rule that error recovery left out
  SourceRange r = token_range(ctx->getStart());
  antlr4::Token* stop = ctx->getStop();
  if (stop != nullptr && stop->getTokenIndex() >= ctx->getStart()->getTokenIndex()) {
    SourceRange e = token_range(stop);
    r.end_line = e.end_line;
    r.end_column = e.end_column;
  }
  return r;
}

std::unique_ptr<Module> AstBuilder::build_file(P::File_Context* ctx) {
  auto module = std::make_unique<Module>();
  module->file = file_;
  if (auto* m = ctx->moduleDecl()) {
    module->name = qualified(m->qualifiedName());
    module->name_range = range(m->qualifiedName());
    module->has_module_decl = true;
  }
  for (auto* i : ctx->importDecl()) {
    Import imp;
    imp.name = qualified_parts(i->qualifiedName());
    imp.range = range(i->qualifiedName());
    module->imports.push_back(std::move(imp));
  }
  for (auto* d : ctx->declaration()) {
    if (auto decl = build_decl(d)) {
      decl->module = module.get();
      for (auto& route : decl->routes) route->module = module.get();
      module->decls.push_back(std::move(decl));
    }
  }
  return module;
}

std::vector<std::string> AstBuilder::qualified_parts(P::QualifiedNameContext* ctx) {
  std::vector<std::string> parts;
  if (ctx == nullptr) return parts;
  for (auto* id : ctx->IDENT()) parts.push_back(id->getText());
  return parts;
}

std::string AstBuilder::qualified(P::QualifiedNameContext* ctx) {
  return join_name(qualified_parts(ctx));
}

std::string AstBuilder::doc_comment(antlr4::ParserRuleContext* ctx) {
  if (tokens_ == nullptr) return {};
  std::string doc;
  for (antlr4::Token* t : tokens_->getHiddenTokensToLeft(ctx->getStart()->getTokenIndex())) {
    std::string text = t->getText();
    if (text.rfind("///", 0) != 0) continue;
    if (!doc.empty()) doc += '\n';
    doc += doc_comment_text(text);
  }
  return doc;
}

std::unique_ptr<Decl> AstBuilder::build_decl(P::DeclarationContext* ctx) {
  if (auto* s = ctx->schemaDecl()) return build_schema(s);
  if (auto* e = ctx->enumDecl()) {
    auto d = make_decl(DeclKind::kEnum, e, e->IDENT(0));
    for (std::size_t i = 1; i < e->IDENT().size(); ++i) {
      d->members.push_back(e->IDENT(i)->getText());
      d->member_ranges.push_back(token_range(e->IDENT(i)->getSymbol()));
    }
    return d;
  }
  if (auto* f = ctx->functionDecl()) {
    auto d = make_decl(DeclKind::kFunction, f, f->IDENT());
    if (f->paramList()) d->params = build_params(f->paramList()->param(), BindingKind::kParam);
    if (f->typeRef()) d->return_type = std::make_unique<TypeRef>(build_type(f->typeRef()));
    d->body = build_block(f->block());
    return d;
  }
  if (auto* f = ctx->runtimeFunctionDecl()) {
    auto d = make_decl(DeclKind::kRuntimeFunction, f, f->IDENT());
    if (f->paramList()) d->params = build_params(f->paramList()->param(), BindingKind::kParam);
    if (f->typeRef()) d->return_type = std::make_unique<TypeRef>(build_type(f->typeRef()));
    std::string text = f->STRING() ? f->STRING()->getText() : "";
    if (text.size() >= 2) d->runtime_symbol = text.substr(1, text.size() - 2);
    return d;
  }
  if (auto* p = ctx->programDecl()) {
    auto d = make_decl(DeclKind::kProgram, p, p->IDENT());
    d->body = build_block(p->block());
    return d;
  }
  if (auto d = build_system_decl(ctx)) return d;
  if (auto* x = ctx->dialectDecl()) {
    auto d = std::make_unique<Decl>();
    d->kind = DeclKind::kDialect;
    d->range = range(x);
    d->name_range = range(x->dialectKeyword());
    d->dialect_keyword = x->dialectKeyword() ? x->dialectKeyword()->getText() : "";
    if (!x->dialectToken().empty()) d->name = x->dialectToken(0)->getText();
    d->doc = doc_comment(x);
    return d;
  }
  return nullptr;
}

std::unique_ptr<Decl> AstBuilder::make_decl(DeclKind kind, antlr4::ParserRuleContext* ctx,
                                            antlr4::tree::TerminalNode* name) {
  auto d = std::make_unique<Decl>();
  d->kind = kind;
  d->range = range(ctx);
  if (name != nullptr) {
    d->name = name->getText();
    d->name_range = token_range(name->getSymbol());
  }
  d->doc = doc_comment(ctx);
  return d;
}

std::unique_ptr<Decl> AstBuilder::build_schema(P::SchemaDeclContext* ctx) {
  auto d = make_decl(DeclKind::kSchema, ctx, ctx->IDENT());
  for (auto* f : ctx->fieldDecl()) {
    if (f->IDENT() == nullptr) continue;  // a syntax error, already reported
    FieldDecl field;
    field.name = f->IDENT()->getText();
    field.range = token_range(f->IDENT()->getSymbol());
    field.type = build_type(f->typeRef());
    field.doc = doc_comment(f);
    if (f->expression()) field.default_value = build_expr(f->expression());
    for (auto* v : f->validateClause()) {
      if (v->IDENT() == nullptr) continue;
      Validator val;
      val.name = v->IDENT()->getText();
      val.range = range(v);
      for (auto* a : v->expression()) val.args.push_back(build_expr(a));
      field.validators.push_back(std::move(val));
    }
    d->fields.push_back(std::move(field));
  }
  return d;
}

std::vector<Param> AstBuilder::build_params(const std::vector<P::ParamContext*>& params,
                                            BindingKind kind) {
  std::vector<Param> out;
  for (auto* p : params) {
    Param param;
    param.binding = make_binding(p->IDENT(), kind);
    param.type = build_type(p->typeRef());
    out.push_back(std::move(param));
  }
  return out;
}

TypeRef AstBuilder::build_type(P::TypeRefContext* ctx) {
  TypeRef t;
  if (ctx == nullptr) return t;  // no name: sema treats it as an error type, already reported
  t.range = range(ctx);
  if (auto* l = dynamic_cast<P::ListTypeContext*>(ctx)) {
    t.kind = TypeRef::Kind::kList;
    t.args.push_back(build_type(l->typeRef()));
  } else if (auto* m = dynamic_cast<P::MapTypeContext*>(ctx)) {
    t.kind = TypeRef::Kind::kMap;
    t.args.push_back(build_type(m->typeRef(0)));
    t.args.push_back(build_type(m->typeRef(1)));
  } else if (auto* o = dynamic_cast<P::OptionalTypeContext*>(ctx)) {
    t.kind = TypeRef::Kind::kOptional;
    t.args.push_back(build_type(o->typeRef()));
  } else if (auto* n = dynamic_cast<P::NamedTypeContext*>(ctx)) {
    t.kind = TypeRef::Kind::kNamed;
    t.name = qualified_parts(n->qualifiedName());
  }
  return t;
}

Block AstBuilder::build_block(P::BlockContext* ctx) {
  Block block;
  if (ctx == nullptr) return block;
  for (auto* s : ctx->statement()) {
    if (auto stmt = build_stmt(s)) block.push_back(std::move(stmt));
  }
  return block;
}

std::unique_ptr<Binding> AstBuilder::make_binding(antlr4::tree::TerminalNode* name,
                                                  BindingKind kind) {
  auto b = std::make_unique<Binding>();
  b->kind = kind;
  if (name == nullptr) return b;  // a syntax error, already reported
  b->name = name->getText();
  b->range = token_range(name->getSymbol());
  return b;
}

StmtPtr AstBuilder::build_let(P::LetStmtContext* s) {
  auto stmt = std::make_unique<Stmt>(StmtKind::kLet, range(s));
  BindingKind kind = BindingKind::kImmutable;
  switch (s->bindingKind->getType()) {
    case P::LET_MUT_VAR:
      kind = BindingKind::kMut;
      break;
    case P::LET_COW_VAR:
      kind = BindingKind::kCow;
      break;
    case P::LET_MUT_SHARED_VAR:
      kind = BindingKind::kMutShared;
      break;
    default:
      break;
  }
  stmt->binding = make_binding(s->IDENT(), kind);
  if (s->typeRef()) stmt->declared_type = std::make_unique<TypeRef>(build_type(s->typeRef()));
  if (s->expression()) stmt->value = build_expr(s->expression());
  return stmt;
}

StmtPtr AstBuilder::build_stmt(P::StatementContext* outer) {
  if (outer->stray != nullptr) {
    SourceRange semi = token_range(outer->stray);
    sink_.report(diag::SyntaxError(semi, "unexpected ';' after a statement")
                     .note("statements end at the end of their expression: Parseltongue needs "
                           "no ';'")
                     .fix("remove the ';'", semi, ""));
  }
  P::StatementBodyContext* ctx = outer->statementBody();
  if (ctx == nullptr) return nullptr;
  SourceRange r = range(ctx);
  if (auto* s = ctx->letStmt()) return build_let(s);
  if (auto* s = ctx->setStmt()) {
    auto stmt = std::make_unique<Stmt>(StmtKind::kSet, r);
    stmt->target = build_lvalue(s->lvalue());
    stmt->value = build_expr(s->expression());
    return stmt;
  }
  if (auto* s = ctx->ifStmt()) return build_if(s);
  if (auto* s = ctx->whileStmt()) {
    auto stmt = std::make_unique<Stmt>(StmtKind::kWhile, r);
    stmt->value = build_expr(s->expression());
    stmt->body = build_block(s->block());
    return stmt;
  }
  if (auto* s = ctx->forEachStmt()) {
    auto stmt = std::make_unique<Stmt>(StmtKind::kForEach, r);
    stmt->binding = make_binding(s->IDENT(0), BindingKind::kLoop);
    if (s->IDENT().size() > 1) stmt->binding2 = make_binding(s->IDENT(1), BindingKind::kLoop);
    stmt->value = build_expr(s->expression());
    stmt->body = build_block(s->block());
    return stmt;
  }
  if (auto* s = ctx->matchStmt()) {
    auto stmt = std::make_unique<Stmt>(StmtKind::kMatch, r);
    stmt->value = build_expr(s->expression());
    for (auto* a : s->matchArm()) stmt->arms.push_back(build_arm(a));
    return stmt;
  }
  if (auto* s = ctx->returnStmt()) {
    auto stmt = std::make_unique<Stmt>(StmtKind::kReturn, r);
    if (s->expression()) stmt->value = build_expr(s->expression());
    return stmt;
  }
  if (ctx->breakStmt()) return std::make_unique<Stmt>(StmtKind::kBreak, r);
  if (ctx->continueStmt()) return std::make_unique<Stmt>(StmtKind::kContinue, r);
  if (auto* s = ctx->unsafeCppStmt()) {
    auto stmt = std::make_unique<Stmt>(StmtKind::kUnsafeCpp, r);
    if (s->identList()) {
      for (auto* id : s->identList()->IDENT()) {
        stmt->inputs.push_back(id->getText());
        stmt->input_ranges.push_back(token_range(id->getSymbol()));
      }
    }
    if (s->outputList()) {
      for (Param& p : build_params(s->outputList()->param(), BindingKind::kOutput)) {
        stmt->outputs.push_back(std::move(p.binding));
        stmt->output_types.push_back(std::move(p.type));
      }
    }
    if (s->CPP_BLOCK() == nullptr) {  // a syntax error, already reported
      stmt->cpp_range = r;
      return stmt;
    }
    antlr4::Token* block = s->CPP_BLOCK()->getSymbol();
    std::string code = block->getText();
    stmt->cpp_code = code.size() >= 2 ? code.substr(1, code.size() - 2) : "";
    stmt->cpp_range = token_range(block);
    return stmt;
  }
  if (auto* s = ctx->expressionStmt()) {
    auto stmt = std::make_unique<Stmt>(StmtKind::kExpr, r);
    stmt->value = build_expr(s->expression());
    return stmt;
  }
  return nullptr;
}

StmtPtr AstBuilder::build_if(P::IfStmtContext* ctx) {
  auto stmt = std::make_unique<Stmt>(StmtKind::kIf, range(ctx));
  stmt->value = build_expr(ctx->expression());
  stmt->body = build_block(ctx->thenBlock);
  if (ctx->ELSE()) {
    stmt->has_else = true;
    if (ctx->ifStmt()) {
      stmt->else_body.push_back(build_if(ctx->ifStmt()));
    } else {
      stmt->else_body = build_block(ctx->elseBlock);
    }
  }
  return stmt;
}

MatchArm AstBuilder::build_arm(P::MatchArmContext* ctx) {
  MatchArm arm;
  arm.kind = MatchArm::Kind::kEnum;  // a plain MatchArmContext left by error recovery: no members
  arm.range = range(ctx);
  if (auto* a = dynamic_cast<P::SomeArmContext*>(ctx)) {
    arm.kind = MatchArm::Kind::kSome;
    arm.capture = make_binding(a->IDENT(), BindingKind::kLoop);
    arm.body = build_block(a->block());
  } else if (auto* n = dynamic_cast<P::NoneArmContext*>(ctx)) {
    arm.kind = MatchArm::Kind::kNone;
    arm.body = build_block(n->block());
  } else if (auto* e = dynamic_cast<P::EnumArmContext*>(ctx)) {
    arm.kind = MatchArm::Kind::kEnum;
    for (auto* id : e->IDENT()) {
      arm.members.push_back(id->getText());
      arm.member_ranges.push_back(token_range(id->getSymbol()));
    }
    arm.body = build_block(e->block());
  } else if (auto* o = dynamic_cast<P::OtherwiseArmContext*>(ctx)) {
    arm.kind = MatchArm::Kind::kOtherwise;
    arm.body = build_block(o->block());
  }
  return arm;
}

ExprPtr AstBuilder::build_lvalue(P::LvalueContext* ctx) {
  // lvalue: IDENT ('.' IDENT | '[' expression ']')*
  if (ctx == nullptr) return error_expr(nullptr);
  auto first = ctx->IDENT(0);
  if (first == nullptr) return error_expr(ctx);  // `set_var 1 = 2`: recovery left no name
  auto e = std::make_unique<Expr>(ExprKind::kName, token_range(first->getSymbol()));
  e->text = first->getText();
  std::size_t ident = 1, index = 0;
  for (std::size_t i = 1; i < ctx->children.size(); ++i) {
    auto* tok = dynamic_cast<antlr4::tree::TerminalNode*>(ctx->children[i]);
    if (tok == nullptr) continue;
    if (tok->getSymbol()->getType() == P::DOT && ident < ctx->IDENT().size()) {
      auto* name = ctx->IDENT(ident++);
      auto f = std::make_unique<Expr>(ExprKind::kField, e->range);
      f->range.end_line = token_range(name->getSymbol()).end_line;
      f->range.end_column = token_range(name->getSymbol()).end_column;
      f->text = name->getText();
      f->children.push_back(std::move(e));
      e = std::move(f);
    } else if (tok->getSymbol()->getType() == P::LBRACKET && index < ctx->expression().size()) {
      auto x = std::make_unique<Expr>(ExprKind::kIndex, e->range);
      x->children.push_back(std::move(e));
      x->children.push_back(build_expr(ctx->expression(index++)));
      x->range.end_line = x->children[1]->range.end_line;
      x->range.end_column = x->children[1]->range.end_column + 1;
      e = std::move(x);
    }
  }
  return e;
}

ExprPtr AstBuilder::build_expr(P::ExpressionContext* ctx) {
  if (ctx == nullptr || ctx->orExpr() == nullptr) return error_expr(ctx);
  return build_or(ctx->orExpr());
}

ExprPtr AstBuilder::error_expr(antlr4::ParserRuleContext* ctx) {
  // Only reached after a syntax error was reported; a literal keeps later phases quiet.
  auto e = std::make_unique<Expr>(ExprKind::kBoolLit, ctx ? range(ctx) : SourceRange{});
  e->text = "<error>";
  return e;
}

ExprPtr AstBuilder::binary(ExprPtr lhs, BinaryOp op, ExprPtr rhs) {
  SourceRange r = lhs->range;
  r.end_line = rhs->range.end_line;
  r.end_column = rhs->range.end_column;
  auto e = std::make_unique<Expr>(ExprKind::kBinary, r);
  e->binary_op = op;
  e->children.push_back(std::move(lhs));
  e->children.push_back(std::move(rhs));
  return e;
}

void AstBuilder::check_chain(antlr4::ParserRuleContext* ctx, std::size_t operands) {
  if (operands > static_cast<std::size_t>(kMaxOperatorChain)) {
    sink_.report(diag::SyntaxError(
        range(ctx), fmt::format("this expression chains {} operands; the limit is {}: split it "
                                "with let_immutable_var bindings",
                                operands, kMaxOperatorChain)));
    too_complex_ = true;
  }
}

ExprPtr AstBuilder::build_or(P::OrExprContext* ctx) {
  if (ctx == nullptr) return error_expr(nullptr);
  std::vector<P::AndExprContext*> operands = ctx->andExpr();
  check_chain(ctx, operands.size());
  if (too_complex_ || operands.empty()) return error_expr(ctx);
  ExprPtr e = build_and(operands[0]);
  for (std::size_t i = 1; i < operands.size(); ++i) {
    e = binary(std::move(e), BinaryOp::kOr, build_and(operands[i]));
  }
  return e;
}

ExprPtr AstBuilder::build_and(P::AndExprContext* ctx) {
  if (ctx == nullptr) return error_expr(nullptr);
  std::vector<P::NotExprContext*> operands = ctx->notExpr();
  check_chain(ctx, operands.size());
  if (too_complex_ || operands.empty()) return error_expr(ctx);
  ExprPtr e = build_not(operands[0]);
  for (std::size_t i = 1; i < operands.size(); ++i) {
    e = binary(std::move(e), BinaryOp::kAnd, build_not(operands[i]));
  }
  return e;
}

ExprPtr AstBuilder::build_not(P::NotExprContext* ctx) {
  if (ctx == nullptr) return error_expr(nullptr);
  if (ctx->NOT()) {
    auto e = std::make_unique<Expr>(ExprKind::kUnary, range(ctx));
    e->unary_op = UnaryOp::kNot;
    e->children.push_back(build_not(ctx->notExpr()));
    return e;
  }
  auto* c = ctx->comparison();
  if (c == nullptr) return error_expr(ctx);
  std::vector<P::AdditiveContext*> sides = c->additive();
  if (sides.empty()) return error_expr(c);
  ExprPtr lhs = build_additive(sides[0]);
  if (c->op == nullptr || sides.size() < 2) return lhs;
  BinaryOp op = BinaryOp::kEq;
  switch (c->op->getType()) {
    case P::NE:
      op = BinaryOp::kNe;
      break;
    case P::LT:
      op = BinaryOp::kLt;
      break;
    case P::LE:
      op = BinaryOp::kLe;
      break;
    case P::GT:
      op = BinaryOp::kGt;
      break;
    case P::GE:
      op = BinaryOp::kGe;
      break;
    default:
      break;
  }
  return binary(std::move(lhs), op, build_additive(sides[1]));
}

ExprPtr AstBuilder::build_additive(P::AdditiveContext* ctx) {
  if (ctx == nullptr) return error_expr(nullptr);
  std::vector<P::MultiplicativeContext*> operands = ctx->multiplicative();
  check_chain(ctx, operands.size());
  if (too_complex_ || operands.empty()) return error_expr(ctx);
  ExprPtr e = build_multiplicative(operands[0]);
  for (std::size_t i = 1; i < operands.size() && i - 1 < ctx->op.size(); ++i) {
    BinaryOp op = ctx->op[i - 1]->getType() == P::PLUS ? BinaryOp::kAdd : BinaryOp::kSub;
    e = binary(std::move(e), op, build_multiplicative(operands[i]));
  }
  return e;
}

ExprPtr AstBuilder::build_multiplicative(P::MultiplicativeContext* ctx) {
  if (ctx == nullptr) return error_expr(nullptr);
  std::vector<P::UnaryContext*> operands = ctx->unary();
  check_chain(ctx, operands.size());
  if (too_complex_ || operands.empty()) return error_expr(ctx);
  ExprPtr e = build_unary(operands[0]);
  for (std::size_t i = 1; i < operands.size() && i - 1 < ctx->op.size(); ++i) {
    BinaryOp op = BinaryOp::kMul;
    if (ctx->op[i - 1]->getType() == P::SLASH) op = BinaryOp::kDiv;
    if (ctx->op[i - 1]->getType() == P::PERCENT) op = BinaryOp::kRem;
    e = binary(std::move(e), op, build_unary(operands[i]));
  }
  return e;
}

ExprPtr AstBuilder::build_unary(P::UnaryContext* ctx) {
  if (ctx == nullptr) return error_expr(nullptr);
  if (auto* inner = ctx->unary()) {
    // `-9223372036854775808` is a literal, not the negation of an out-of-range one.
    if (inner->postfix() && inner->postfix()->postfixOp().empty()) {
      if (auto* lit = dynamic_cast<P::IntLitContext*>(inner->postfix()->primary())) {
        return int_literal(lit->INT()->getSymbol(), range(ctx), true);
      }
    }
    auto e = std::make_unique<Expr>(ExprKind::kUnary, range(ctx));
    e->unary_op = UnaryOp::kNeg;
    e->children.push_back(build_unary(inner));
    return e;
  }
  auto* postfix = ctx->postfix();
  if (postfix == nullptr) return error_expr(ctx);
  return build_postfix(postfix);
}

ExprPtr AstBuilder::build_postfix(P::PostfixContext* ctx) {
  if (ctx == nullptr) return error_expr(nullptr);
  ExprPtr e = build_primary(ctx->primary());
  for (auto* op : ctx->postfixOp()) {
    SourceRange r = e->range;
    SourceRange opr = range(op);
    r.end_line = opr.end_line;
    r.end_column = opr.end_column;
    if (auto* f = dynamic_cast<P::FieldAccessContext*>(op)) {
      auto x = std::make_unique<Expr>(ExprKind::kField, r);
      x->text = f->IDENT() ? f->IDENT()->getText() : "";
      x->name_ranges.push_back(f->IDENT() ? token_range(f->IDENT()->getSymbol()) : opr);
      x->children.push_back(std::move(e));
      e = std::move(x);
    } else if (auto* c = dynamic_cast<P::CallOpContext*>(op)) {
      auto x = std::make_unique<Expr>(ExprKind::kCall, r);
      x->children.push_back(std::move(e));
      if (c->argList()) {
        for (auto* a : c->argList()->expression()) x->children.push_back(build_expr(a));
      }
      e = std::move(x);
    } else if (auto* i = dynamic_cast<P::IndexOpContext*>(op)) {
      auto x = std::make_unique<Expr>(ExprKind::kIndex, r);
      x->children.push_back(std::move(e));
      x->children.push_back(build_expr(i->expression()));
      e = std::move(x);
    }
  }
  return e;
}

ExprPtr AstBuilder::int_literal(antlr4::Token* token, SourceRange r, bool negative) {
  auto e = std::make_unique<Expr>(ExprKind::kIntLit, r);
  if (!decode_int(token->getText(), negative, e->int_value)) {
    sink_.report(diag::IntegerTooLarge(r, (negative ? "-" : "") + token->getText()));
  }
  return e;
}

ExprPtr AstBuilder::duration_literal(antlr4::Token* token, SourceRange r) {
  auto e = std::make_unique<Expr>(ExprKind::kDurationLit, r);
  std::string text = token->getText();
  if (!decode_duration(text, e->int_value)) sink_.report(diag::BadDuration(r, text));
  e->text = text;
  return e;
}

ExprPtr AstBuilder::build_primary(P::PrimaryContext* ctx) {
  if (ctx == nullptr) return error_expr(nullptr);
  SourceRange r = range(ctx);
  // The alternatives are tried from the most frequent (names) to the least.
  if (auto* c = dynamic_cast<P::NameRefContext*>(ctx)) {
    auto e = std::make_unique<Expr>(ExprKind::kName, r);
    e->text = c->IDENT()->getText();
    return e;
  }
  if (auto* c = dynamic_cast<P::StringLitContext*>(ctx)) return string_literal(c->STRING());
  if (auto* c = dynamic_cast<P::IntLitContext*>(ctx)) {
    return int_literal(c->INT()->getSymbol(), r, false);
  }
  if (auto* c = dynamic_cast<P::FloatLitContext*>(ctx)) {
    auto e = std::make_unique<Expr>(ExprKind::kFloatLit, r);
    e->text = float_digits(c->FLOAT()->getText());
    e->float_value = decode_float(e->text);
    return e;
  }
  if (auto* c = dynamic_cast<P::DurationLitContext*>(ctx)) {
    return duration_literal(c->DURATION()->getSymbol(), r);
  }

  if (auto* c = dynamic_cast<P::BoolLitContext*>(ctx)) {
    auto e = std::make_unique<Expr>(ExprKind::kBoolLit, r);
    e->int_value = c->TRUE() != nullptr;
    return e;
  }
  if (dynamic_cast<P::NoneLitContext*>(ctx)) return std::make_unique<Expr>(ExprKind::kNoneLit, r);
  if (auto* c = dynamic_cast<P::SomeLitContext*>(ctx)) {
    auto e = std::make_unique<Expr>(ExprKind::kSomeLit, r);
    e->children.push_back(build_expr(c->expression()));
    return e;
  }
  if (dynamic_cast<P::EmptyMapLitContext*>(ctx)) {
    return std::make_unique<Expr>(ExprKind::kMapLit, r);
  }
  if (auto* c = dynamic_cast<P::MapLitContext*>(ctx)) {
    auto e = std::make_unique<Expr>(ExprKind::kMapLit, r);
    for (auto* entry : c->mapEntry()) {
      e->children.push_back(build_expr(entry->expression(0)));
      e->children.push_back(build_expr(entry->expression(1)));
    }
    return e;
  }
  if (auto* c = dynamic_cast<P::ListLitContext*>(ctx)) {
    auto e = std::make_unique<Expr>(ExprKind::kListLit, r);
    for (auto* x : c->expression()) e->children.push_back(build_expr(x));
    return e;
  }
  if (auto* c = dynamic_cast<P::SchemaLitContext*>(ctx)) {
    auto e = std::make_unique<Expr>(ExprKind::kSchemaLit, r);
    e->text = c->IDENT()->getText();
    for (auto* f : c->fieldInit()) {
      if (f->IDENT() == nullptr) continue;  // a syntax error, already reported
      e->names.push_back(f->IDENT()->getText());
      e->name_ranges.push_back(token_range(f->IDENT()->getSymbol()));
      e->children.push_back(build_expr(f->expression()));
    }
    return e;
  }
  if (auto* c = dynamic_cast<P::ParenExprContext*>(ctx)) {
    ExprPtr inner = build_expr(c->expression());
    inner->range = r;
    return inner;
  }
  return error_expr(ctx);
}

ExprPtr AstBuilder::string_literal(antlr4::tree::TerminalNode* node) {
  antlr4::Token* token = node->getSymbol();
  SourceRange r = token_range(token);
  auto e = std::make_unique<Expr>(ExprKind::kStringLit, r);
  StringPieces pieces = split_string_literal(token->getText());
  for (const auto& bad : pieces.bad_escapes) {
    SourceRange er = r;
    er.column = r.column + bad.offset;
    er.end_line = er.line;
    er.end_column = er.column + 2;
    sink_.report(diag::BadEscape(er, std::string(1, bad.character)));
  }
  e->pieces = std::move(pieces.texts);
  for (const auto& hole : pieces.holes) {
    ExprPtr x = parse_hole(hole.text, r.line, r.column + hole.offset);
    if (x == nullptr) {
      SourceRange hr = r;
      hr.column = r.column + hole.offset - 1;
      hr.end_line = hr.line;
      hr.end_column = hr.column + code_points(hole.text) + 2;
      sink_.report(diag::BadInterpolation(hr, hole.text));
      x = std::make_unique<Expr>(ExprKind::kStringLit, hr);
      x->pieces.push_back("");
    }
    e->children.push_back(std::move(x));
  }
  return e;
}

}  // namespace pt
