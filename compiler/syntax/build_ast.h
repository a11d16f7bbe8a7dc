// AstBuilder: turns one ANTLR parse tree into the AST of syntax/ast.h. Private to syntax/.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ParseltongueParser.h"
#include "diag/diagnostic.h"
#include "syntax/parse.h"

namespace pt {

class AstBuilder {
 public:
  using P = ptgen::ParseltongueParser;

  AstBuilder(std::uint32_t file, DiagnosticSink& sink, antlr4::BufferedTokenStream* tokens)
      : file_(file), sink_(sink), tokens_(tokens) {}

  std::unique_ptr<Module> build_file(P::File_Context* ctx);
  ExprPtr build_expr(P::ExpressionContext* ctx);

  // Positions of a sub-parse (an interpolation hole) inside its string token.
  void set_offsets(std::uint32_t line_offset, std::uint32_t column_offset) {
    line_offset_ = line_offset;
    column_offset_ = column_offset;
  }

 private:
  SourceRange token_range(antlr4::Token* t) const;
  SourceRange range(antlr4::ParserRuleContext* ctx) const;
  std::vector<std::string> qualified_parts(P::QualifiedNameContext* ctx);
  std::string qualified(P::QualifiedNameContext* ctx);
  std::string doc_comment(antlr4::ParserRuleContext* ctx);

  std::unique_ptr<Decl> build_decl(P::DeclarationContext* ctx);
  std::unique_ptr<Decl> make_decl(DeclKind kind, antlr4::ParserRuleContext* ctx,
                                  antlr4::tree::TerminalNode* name);
  std::unique_ptr<Decl> build_schema(P::SchemaDeclContext* ctx);
  // build_system.cpp: partitions, channels, tasks, receivers.
  std::unique_ptr<Decl> build_system_decl(P::DeclarationContext* ctx);
  std::vector<Setting> build_settings(P::SettingsContext* ctx);
  Setting build_topic_setting(P::TopicSettingContext* ctx);
  std::unique_ptr<Decl> build_consumer(P::ConsumerDeclContext* ctx);
  // build_service.cpp: Basilisk's services and routes.
  std::unique_ptr<Decl> build_service(P::ServiceDeclContext* ctx);
  std::unique_ptr<Decl> build_route(P::RouteDeclContext* ctx);
  void build_route_clauses(P::RouteDeclContext* ctx, Decl& route);
  void build_path(Decl& route);
  void expect_word(antlr4::Token* t, const char* want, const std::string& example);
  std::vector<Param> build_params(const std::vector<P::ParamContext*>& params, BindingKind kind);
  TypeRef build_type(P::TypeRefContext* ctx);

  Block build_block(P::BlockContext* ctx);
  StmtPtr build_stmt(P::StatementContext* ctx);
  StmtPtr build_let(P::LetStmtContext* ctx);
  StmtPtr build_if(P::IfStmtContext* ctx);
  MatchArm build_arm(P::MatchArmContext* ctx);
  std::unique_ptr<Binding> make_binding(antlr4::tree::TerminalNode* name, BindingKind kind);

  ExprPtr build_lvalue(P::LvalueContext* ctx);
  ExprPtr build_or(P::OrExprContext* ctx);
  ExprPtr build_and(P::AndExprContext* ctx);
  ExprPtr build_not(P::NotExprContext* ctx);
  ExprPtr build_additive(P::AdditiveContext* ctx);
  ExprPtr build_multiplicative(P::MultiplicativeContext* ctx);
  ExprPtr build_unary(P::UnaryContext* ctx);
  ExprPtr build_postfix(P::PostfixContext* ctx);
  ExprPtr build_primary(P::PrimaryContext* ctx);
  ExprPtr string_literal(antlr4::tree::TerminalNode* node);
  ExprPtr int_literal(antlr4::Token* token, SourceRange r, bool negative);
  ExprPtr duration_literal(antlr4::Token* token, SourceRange r);
  ExprPtr binary(ExprPtr lhs, BinaryOp op, ExprPtr rhs);
  ExprPtr error_expr(antlr4::ParserRuleContext* ctx);
  void check_chain(antlr4::ParserRuleContext* ctx, std::size_t operands);
  // Parses the text of an interpolation hole; null when it is not one expression.
  ExprPtr parse_hole(const std::string& text, std::uint32_t line, std::uint32_t column);

  std::uint32_t file_;
  DiagnosticSink& sink_;
  antlr4::BufferedTokenStream* tokens_;
  std::uint32_t line_offset_ = 0;
  std::uint32_t column_offset_ = 0;
  bool too_complex_ = false;
};

}  // namespace pt
