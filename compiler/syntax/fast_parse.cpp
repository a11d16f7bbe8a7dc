// The fast parser's tokens, files, declarations and types (see fast_parse.h and fast_parser.h).
// Statements are in fast_parse_stmts.cpp, expressions in fast_parse_exprs.cpp.
#include "syntax/fast_parse.h"

#include <limits>

#include "ParseltongueLexer.h"
#include "syntax/fast_parser.h"
#include "syntax/lexer.h"
#include "syntax/literals.h"
#include "syntax/parse.h"

namespace pt {

namespace {
using L = ptgen::ParseltongueLexer;
}  // namespace

std::unique_ptr<Module> fast_parse(std::string_view text, std::uint32_t file) {
  if (text.size() >= std::numeric_limits<std::uint32_t>::max()) return nullptr;
  try {
    FastParser parser(text, file);
    return parser.file_();
  } catch (const FastParser::Bail&) {
    return nullptr;
  }
}

FastParser::FastParser(std::string_view text, std::uint32_t file, std::uint32_t line_offset,
                       std::uint32_t column_offset, bool hole)
    : source_(text),
      file_id_(file),
      line_offset_(line_offset),
      column_offset_(column_offset),
      hole_(hole) {
  lex(text);
}

void FastParser::lex(std::string_view text) {
  tokens_.reserve(text.size() / 4 + 4);
  Scanner scanner(text);
  Scanner::Position start;
  // parse.cpp's scan_tokens: bracket depth plus the run of `not`/`-` just before; parse_hole:
  // every `(`, `[`, `not` and `-` of the hole.
  int depth = 0, unary_run = 0, hole_depth = 0;
  std::size_t previous = Scanner::kEndOfInput;
  std::size_t previous_end = 0;
  for (;;) {
    std::size_t type = scanner.next(start);
    const Scanner::Position& end = scanner.position();
    if (type == Scanner::kEndOfInput) break;
    bool adjacent = previous_end == start.byte;
    // Unknown characters (an unterminated string is one), an unclosed `/*` and a duration unit
    // that runs into a name or number are reported by scan_tokens.
    if (type == L::UNKNOWN_CHAR) bail();
    if (type == L::STAR && previous == L::SLASH && adjacent) bail();
    if ((type == L::IDENT || type == L::INT) && previous == L::DURATION && adjacent) bail();
    if (type == L::LPAREN || type == L::LBRACKET || type == L::LBRACE) ++depth;
    if (type == L::RPAREN || type == L::RBRACKET || type == L::RBRACE)
      depth = std::max(0, depth - 1);
    unary_run = (type == L::NOT || type == L::MINUS) ? unary_run + 1 : 0;
    if (depth + unary_run > kMaxNesting) bail();
    if (hole_) {
      if (type == L::LBRACE || type == L::CPP_BLOCK) bail();
      if (type == L::LPAREN || type == L::LBRACKET || type == L::NOT || type == L::MINUS) {
        if (++hole_depth > kMaxNesting) bail();
      }
    }
    previous = type;
    previous_end = end.byte;
    if (type == L::DOC_COMMENT) {
      docs_.push_back(text.substr(start.byte, end.byte - start.byte));
      continue;
    }
    Token t;
    t.type = static_cast<std::uint32_t>(type);
    t.begin = static_cast<std::uint32_t>(start.byte);
    t.end = static_cast<std::uint32_t>(end.byte);
    t.line = static_cast<std::uint32_t>(start.line) + line_offset_;
    t.column =
        static_cast<std::uint32_t>(start.column) + 1 + (start.line == 1 ? column_offset_ : 0);
    t.width = static_cast<std::uint32_t>(end.index - start.index);
    t.docs = static_cast<std::uint32_t>(docs_.size());
    tokens_.push_back(t);
  }
  // End-of-input tokens: lookahead of up to 3 tokens never runs past the vector.
  Token eof{};
  eof.type = Scanner::kEndOfInput;
  eof.begin = eof.end = static_cast<std::uint32_t>(text.size());
  eof.docs = static_cast<std::uint32_t>(docs_.size());
  for (int i = 0; i < 4; ++i) tokens_.push_back(eof);
}

SourceRange FastParser::token_range(std::size_t i) const {
  const Token& t = tokens_[i];
  SourceRange r{file_id_, t.line, t.column, t.line, t.column + t.width};
  if (t.type == L::CPP_BLOCK) {  // the only token that spans lines
    std::string_view code = source_.substr(t.begin, t.end - t.begin);
    std::size_t last_newline = code.rfind('\n');
    if (last_newline == std::string_view::npos) return r;
    for (char c : code) r.end_line += c == '\n';
    r.end_column = 1 + code_points(code.substr(last_newline + 1));
  }
  return r;
}

SourceRange FastParser::span(std::size_t first, std::size_t last) const {
  SourceRange r = token_range(first);
  SourceRange e = token_range(last);
  r.end_line = e.end_line;
  r.end_column = e.end_column;
  return r;
}

std::string FastParser::doc_comment(std::size_t i) const {
  std::string doc;
  for (std::size_t k = i == 0 ? 0 : tokens_[i - 1].docs; k < tokens_[i].docs; ++k) {
    if (!doc.empty()) doc += '\n';
    doc += doc_comment_text(docs_[k]);
  }
  return doc;
}

// file_: moduleDecl? importDecl* declaration* EOF
std::unique_ptr<Module> FastParser::file_() {
  auto module = std::make_unique<Module>();
  module->file = file_id_;
  if (accept(L::MODULE)) {  // moduleDecl: MODULE qualifiedName
    module->name = join_name(qualified_name(&module->name_range));
    module->has_module_decl = true;
  }
  while (accept(L::IMPORT)) {  // importDecl: IMPORT qualifiedName
    Import imp;
    imp.name = qualified_name(&imp.range);
    module->imports.push_back(std::move(imp));
  }
  while (!at(Scanner::kEndOfInput)) {
    auto decl = declaration();
    decl->module = module.get();
    module->decls.push_back(std::move(decl));
  }
  return module;
}

// qualifiedName: IDENT ('.' IDENT)*
std::vector<std::string> FastParser::qualified_name(SourceRange* range) {
  std::size_t first = expect(L::IDENT);
  std::vector<std::string> parts{text(first)};
  while (accept(L::DOT)) parts.push_back(text(expect(L::IDENT)));
  if (range != nullptr) *range = span(first, pos_ - 1);
  return parts;
}

// declaration: schemaDecl | enumDecl | functionDecl | runtimeFunctionDecl | programDecl. Bails at
// every other declaration (partition, channel, the dialects): the ANTLR path builds those.
std::unique_ptr<Decl> FastParser::declaration() {
  std::size_t first = pos_;
  std::unique_ptr<Decl> d;
  switch (type()) {
    case L::SCHEMA:
      d = schema_decl();
      break;
    case L::ENUM:
      d = enum_decl();
      break;
    case L::FUNCTION:
      d = function_decl(DeclKind::kFunction);
      break;
    case L::RUNTIME_FUNCTION:
      d = function_decl(DeclKind::kRuntimeFunction);
      break;
    case L::PROGRAM:
      d = program_decl();
      break;
    default:
      bail();
  }
  d->range = span(first, pos_ - 1);
  return d;
}

// The keyword and name of a declaration (AstBuilder::make_decl, less the range).
std::unique_ptr<Decl> FastParser::start_decl(DeclKind kind) {
  auto d = std::make_unique<Decl>();
  d->kind = kind;
  d->doc = doc_comment(pos_);
  ++pos_;
  std::size_t name = expect(L::IDENT);
  d->name = text(name);
  d->name_range = token_range(name);
  return d;
}

// schemaDecl: SCHEMA IDENT '{' fieldDecl* '}'
std::unique_ptr<Decl> FastParser::schema_decl() {
  auto d = start_decl(DeclKind::kSchema);
  expect(L::LBRACE);
  while (at(L::FIELD)) d->fields.push_back(field_decl());
  expect(L::RBRACE);
  return d;
}

// fieldDecl: FIELD IDENT ':' typeRef ('=' expression)? validateClause*
FieldDecl FastParser::field_decl() {
  FieldDecl field;
  field.doc = doc_comment(pos_);
  ++pos_;
  std::size_t name = expect(L::IDENT);
  field.name = text(name);
  field.range = token_range(name);
  expect(L::COLON);
  field.type = type_ref();
  if (accept(L::ASSIGN)) field.default_value = expression();
  while (at(L::VALIDATE)) field.validators.push_back(validate_clause());
  return field;
}

// validateClause: VALIDATE IDENT '(' (expression (',' expression)*)? ')'
Validator FastParser::validate_clause() {
  Validator v;
  std::size_t first = pos_++;
  v.name = text(expect(L::IDENT));
  expect(L::LPAREN);
  if (!at(L::RPAREN)) {
    v.args.push_back(nested_expression());
    while (accept(L::COMMA)) v.args.push_back(nested_expression());
  }
  v.range = span(first, expect(L::RPAREN));
  return v;
}

// enumDecl: ENUM IDENT '{' IDENT (',' IDENT)* ','? '}'
std::unique_ptr<Decl> FastParser::enum_decl() {
  auto d = start_decl(DeclKind::kEnum);
  expect(L::LBRACE);
  do {
    if (at(L::RBRACE) && !d->members.empty()) break;  // the trailing ','
    std::size_t member = expect(L::IDENT);
    d->members.push_back(text(member));
    d->member_ranges.push_back(token_range(member));
  } while (accept(L::COMMA));
  expect(L::RBRACE);
  return d;
}

// functionDecl: FUNCTION IDENT '(' paramList? ')' (RETURNS typeRef)? block
// runtimeFunctionDecl: RUNTIME_FUNCTION IDENT '(' paramList? ')' (RETURNS typeRef)? BINDS STRING
std::unique_ptr<Decl> FastParser::function_decl(DeclKind kind) {
  auto d = start_decl(kind);
  expect(L::LPAREN);
  if (!at(L::RPAREN)) d->params = param_list(BindingKind::kParam);
  expect(L::RPAREN);
  if (accept(L::RETURNS)) d->return_type = std::make_unique<TypeRef>(type_ref());
  if (kind == DeclKind::kFunction) {
    d->body = block();
  } else {
    expect(L::BINDS);
    std::string symbol = text(expect(L::STRING));  // the raw text: no escapes, no holes
    d->runtime_symbol = symbol.substr(1, symbol.size() - 2);
  }
  return d;
}

// programDecl: PROGRAM IDENT block
std::unique_ptr<Decl> FastParser::program_decl() {
  auto d = start_decl(DeclKind::kProgram);
  d->body = block();
  return d;
}

// paramList: param (',' param)*, and unsafe_cpp's outputList (the same, other bindings)
std::vector<Param> FastParser::param_list(BindingKind kind) {
  std::vector<Param> params;
  params.push_back(param(kind));
  while (accept(L::COMMA)) params.push_back(param(kind));
  return params;
}

// param: IDENT ':' typeRef
Param FastParser::param(BindingKind kind) {
  Param p;
  p.binding = binding(kind);
  expect(L::COLON);
  p.type = type_ref();
  return p;
}

// A name that a declaration or statement binds (AstBuilder::make_binding).
std::unique_ptr<Binding> FastParser::binding(BindingKind kind) {
  auto b = std::make_unique<Binding>();
  b->kind = kind;
  std::size_t name = expect(L::IDENT);
  b->name = text(name);
  b->range = token_range(name);
  return b;
}

// typeRef: LIST '<' typeRef '>' | MAP '<' typeRef ',' typeRef '>' | OPTIONAL '<' typeRef '>'
//        | qualifiedName
// Bails past kMaxNesting nested types (scan_tokens does not count `<`).
TypeRef FastParser::type_ref() {
  if (++type_depth_ > kMaxNesting) bail();
  TypeRef t;
  std::size_t first = pos_;
  switch (type()) {
    case L::LIST:
    case L::OPTIONAL:
      t.kind = at(L::LIST) ? TypeRef::Kind::kList : TypeRef::Kind::kOptional;
      ++pos_;
      expect(L::LT);
      t.args.push_back(type_ref());
      expect(L::GT);
      break;
    case L::MAP:
      t.kind = TypeRef::Kind::kMap;
      ++pos_;
      expect(L::LT);
      t.args.push_back(type_ref());
      expect(L::COMMA);
      t.args.push_back(type_ref());
      expect(L::GT);
      break;
    default:
      t.kind = TypeRef::Kind::kNamed;
      t.name = qualified_name(nullptr);
  }
  t.range = span(first, pos_ - 1);
  --type_depth_;
  return t;
}

}  // namespace pt
