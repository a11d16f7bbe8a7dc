// The AST builder (syntax/): what parse_file makes of source text.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "compiler_test_support.h"

using namespace pt;
using namespace pt::testing;

namespace {

// Parses `let_immutable_var x = TEXT` inside a function; the parse result and the expression.
struct ParsedExpr {
  std::unique_ptr<Compiled> c;
  Expr* e = nullptr;
};

ParsedExpr parse_expr(const std::string& text) {
  ParsedExpr p;
  p.c = parse_source("module m\nfunction f() {\n  let_immutable_var x = " + text + "\n}\n");
  Decl* f = p.c->decl("f");
  if (f != nullptr && !f->body.empty() && f->body[0]->value) p.e = f->body[0]->value.get();
  return p;
}

std::string tree(const std::string& text) {
  ParsedExpr p = parse_expr(text);
  INFO(p.c->dump());
  REQUIRE(p.c->diagnostics().empty());
  REQUIRE(p.e != nullptr);
  return sexpr(*p.e);
}

std::int64_t duration_ns(const std::string& text) {
  ParsedExpr p = parse_expr(text);
  INFO(p.c->dump());
  REQUIRE(p.c->diagnostics().empty());
  REQUIRE(p.e->kind == ExprKind::kDurationLit);
  return p.e->int_value;
}

std::vector<std::string> names(const TypeRef& t) {
  return t.name;
}

}  // namespace

TEST_CASE("module line and imports", "[ast]") {
  auto c = parse_source(
      "module shop.orders\n"
      "\n"
      "import std.strings\n"
      "import shop.money\n");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Module& m = c->main();
  CHECK(m.name == "shop.orders");
  CHECK(m.has_module_decl);
  CHECK(m.name_range.line == 1);
  CHECK(m.name_range.column == 8);
  CHECK(m.name_range.end_column == 19);
  REQUIRE(m.imports.size() == 2);
  CHECK(m.imports[0].name == std::vector<std::string>{"std", "strings"});
  CHECK(m.imports[1].name == std::vector<std::string>{"shop", "money"});
  CHECK(m.imports[0].range.line == 3);
  CHECK(m.imports[0].range.column == 8);
  CHECK(m.imports[0].range.end_column == 19);
  CHECK(c->text_of(m.imports[1].range) == "shop.money");
  CHECK(m.decls.empty());
}

TEST_CASE("a file without a module line", "[ast]") {
  auto c = parse_source("function f() { }\n", "tools/helper.pt");
  REQUIRE(c->diagnostics().empty());
  CHECK_FALSE(c->main().has_module_decl);
  CHECK_FALSE(c->main().name_range.valid());
  REQUIRE(c->main().decls.size() == 1);
  CHECK(c->main().decls[0]->module == &c->main());
}

TEST_CASE("schema fields: types, defaults, validators, docs", "[ast]") {
  auto c = parse_source(R"(module m

/// An order.
/// Second line.
schema Order {
  /// The id.
  field id: string validate non_empty()
  field items: list<map<string, optional<i64>>>
  field qty: i64 = 1 validate between(1, 100) validate at_most(-5)
  field price: shop.Money
  field note: optional<string> = none
}
)");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Decl& s = function(*c, "Order");
  CHECK(s.kind == DeclKind::kSchema);
  CHECK(s.doc == "An order.\nSecond line.");
  CHECK(s.name_range.line == 5);
  CHECK(s.name_range.column == 8);
  CHECK(s.range.line == 5);
  CHECK(s.range.end_line == 12);
  CHECK(s.range.end_column == 2);
  REQUIRE(s.fields.size() == 5);

  const FieldDecl& id = s.fields[0];
  CHECK(id.name == "id");
  CHECK(id.doc == "The id.");
  CHECK(id.range.line == 7);
  CHECK(id.range.column == 9);
  CHECK(id.type.kind == TypeRef::Kind::kNamed);
  CHECK(names(id.type) == std::vector<std::string>{"string"});
  CHECK(id.default_value == nullptr);
  REQUIRE(id.validators.size() == 1);
  CHECK(id.validators[0].name == "non_empty");
  CHECK(id.validators[0].args.empty());
  CHECK(c->text_of(id.validators[0].range) == "validate non_empty()");

  const TypeRef& items = s.fields[1].type;
  CHECK(s.fields[1].doc.empty());
  REQUIRE(items.kind == TypeRef::Kind::kList);
  REQUIRE(items.args.size() == 1);
  const TypeRef& map = items.args[0];
  REQUIRE(map.kind == TypeRef::Kind::kMap);
  REQUIRE(map.args.size() == 2);
  CHECK(names(map.args[0]) == std::vector<std::string>{"string"});
  REQUIRE(map.args[1].kind == TypeRef::Kind::kOptional);
  REQUIRE(map.args[1].args.size() == 1);
  CHECK(names(map.args[1].args[0]) == std::vector<std::string>{"i64"});
  CHECK(c->text_of(items.range) == "list<map<string, optional<i64>>>");
  CHECK(c->text_of(map.args[1].range) == "optional<i64>");

  const FieldDecl& qty = s.fields[2];
  REQUIRE(qty.default_value != nullptr);
  CHECK(qty.default_value->kind == ExprKind::kIntLit);
  CHECK(qty.default_value->int_value == 1);
  REQUIRE(qty.validators.size() == 2);
  CHECK(qty.validators[0].name == "between");
  REQUIRE(qty.validators[0].args.size() == 2);
  CHECK(qty.validators[0].args[0]->int_value == 1);
  CHECK(qty.validators[0].args[1]->int_value == 100);
  CHECK(qty.validators[1].name == "at_most");
  REQUIRE(qty.validators[1].args.size() == 1);
  CHECK(qty.validators[1].args[0]->kind == ExprKind::kIntLit);
  CHECK(qty.validators[1].args[0]->int_value == -5);

  CHECK(names(s.fields[3].type) == std::vector<std::string>{"shop", "Money"});
  CHECK(c->text_of(s.fields[3].type.range) == "shop.Money");
  REQUIRE(s.fields[4].default_value != nullptr);
  CHECK(s.fields[4].default_value->kind == ExprKind::kNoneLit);
}

TEST_CASE("enums", "[ast]") {
  auto c = parse_source("module m\n/// Colours.\nenum Color { red, green,\n  blue, }\n");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Decl& e = function(*c, "Color");
  CHECK(e.kind == DeclKind::kEnum);
  CHECK(e.doc == "Colours.");
  CHECK(e.members == std::vector<std::string>{"red", "green", "blue"});
  REQUIRE(e.member_ranges.size() == 3);
  CHECK(e.member_ranges[1].line == 3);
  CHECK(e.member_ranges[1].column == 19);
  CHECK(e.member_ranges[1].end_column == 24);
  CHECK(e.member_ranges[2].line == 4);
  CHECK(e.member_ranges[2].column == 3);
}

TEST_CASE("functions, runtime functions and programs", "[ast]") {
  auto c = parse_source(R"(module m

/// Adds.
function add(a: i64, b: list<f64>) returns optional<i64> {
  return none
}

function noop() {
}

runtime_function now() returns timestamp binds "hallows::now"

program main {
  noop()
}
)");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  REQUIRE(c->main().decls.size() == 4);

  Decl& add = function(*c, "add");
  CHECK(add.kind == DeclKind::kFunction);
  CHECK(add.doc == "Adds.");
  REQUIRE(add.params.size() == 2);
  CHECK(add.params[0].binding->name == "a");
  CHECK(add.params[0].binding->kind == BindingKind::kParam);
  CHECK(add.params[0].binding->range.line == 4);
  CHECK(add.params[0].binding->range.column == 14);
  CHECK(names(add.params[0].type) == std::vector<std::string>{"i64"});
  CHECK(add.params[1].binding->name == "b");
  CHECK(add.params[1].type.kind == TypeRef::Kind::kList);
  REQUIRE(add.return_type != nullptr);
  CHECK(add.return_type->kind == TypeRef::Kind::kOptional);
  CHECK(c->text_of(add.return_type->range) == "optional<i64>");
  REQUIRE(add.body.size() == 1);
  CHECK(add.range.line == 4);
  CHECK(add.range.end_line == 6);

  Decl& noop = function(*c, "noop");
  CHECK(noop.params.empty());
  CHECK(noop.return_type == nullptr);
  CHECK(noop.body.empty());
  CHECK(noop.doc.empty());

  Decl& now = function(*c, "now");
  CHECK(now.kind == DeclKind::kRuntimeFunction);
  CHECK(now.runtime_symbol == "hallows::now");
  REQUIRE(now.return_type != nullptr);
  CHECK(names(*now.return_type) == std::vector<std::string>{"timestamp"});

  Decl& main = function(*c, "main");
  CHECK(main.kind == DeclKind::kProgram);
  REQUIRE(main.body.size() == 1);
  CHECK(main.body[0]->kind == StmtKind::kExpr);
  CHECK(sexpr(*main.body[0]->value) == "(call noop)");
}

TEST_CASE("let statements: kinds, annotations, values", "[ast]") {
  auto c = parse_source(R"(module m
function f() {
  let_immutable_var a = 1
  let_mut_var b: i64
  let_cow_var c: list<i64> = []
  let_mut_shared_var d = 2
}
)");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Decl& f = function(*c, "f");
  REQUIRE(f.body.size() == 4);
  for (auto& s : f.body) CHECK(s->kind == StmtKind::kLet);
  CHECK(f.body[0]->binding->kind == BindingKind::kImmutable);
  CHECK(f.body[0]->binding->name == "a");
  CHECK(f.body[0]->declared_type == nullptr);
  CHECK(sexpr(*f.body[0]->value) == "1");
  CHECK(f.body[1]->binding->kind == BindingKind::kMut);
  REQUIRE(f.body[1]->declared_type != nullptr);
  CHECK(names(*f.body[1]->declared_type) == std::vector<std::string>{"i64"});
  CHECK(f.body[1]->value == nullptr);
  CHECK(f.body[2]->binding->kind == BindingKind::kCow);
  CHECK(f.body[2]->declared_type->kind == TypeRef::Kind::kList);
  CHECK(sexpr(*f.body[2]->value) == "(list)");
  CHECK(f.body[3]->binding->kind == BindingKind::kMutShared);
  // Ranges: the statement and the binding's name.
  CHECK(f.body[0]->range.line == 3);
  CHECK(f.body[0]->range.column == 3);
  CHECK(f.body[0]->range.end_column == 26);
  CHECK(f.body[0]->binding->range.column == 21);
  CHECK(f.body[0]->binding->range.end_column == 22);
  CHECK(c->text_of(f.body[2]->range) == "let_cow_var c: list<i64> = []");
}

TEST_CASE("set_var targets with field and index chains", "[ast]") {
  auto c = parse_source(R"(module m
function f() {
  set_var x = 1
  set_var order.lines[i + 1].price = 2
  set_var grid[0][1] = 3
}
)");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Decl& f = function(*c, "f");
  REQUIRE(f.body.size() == 3);
  CHECK(f.body[0]->kind == StmtKind::kSet);
  CHECK(f.body[0]->target->kind == ExprKind::kName);
  CHECK(f.body[0]->target->text == "x");
  CHECK(sexpr(*f.body[0]->value) == "1");

  const Expr& t = *f.body[1]->target;
  CHECK(sexpr(t) == "(. ([] (. order lines) (+ i 1)) price)");
  CHECK(c->text_of(t.range) == "order.lines[i + 1].price");
  CHECK(c->text_of(t.children[0]->range) == "order.lines[i + 1]");
  CHECK(c->text_of(t.children[0]->children[0]->range) == "order.lines");

  CHECK(sexpr(*f.body[2]->target) == "([] ([] grid 0) 1)");
  CHECK(c->text_of(f.body[2]->target->range) == "grid[0][1]");
}

TEST_CASE("if / else-if / else chains, while, for_each", "[ast]") {
  auto c = parse_source(R"(module m
function f() {
  if a { g() } else if b { break } else if c { } else { continue }
  if d { }
  while n < 3 { g() g() }
  for_each item in items { }
  for_each key, value in entries { g() }
}
)");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Decl& f = function(*c, "f");
  REQUIRE(f.body.size() == 5);

  Stmt& if1 = *f.body[0];
  REQUIRE(if1.kind == StmtKind::kIf);
  CHECK(sexpr(*if1.value) == "a");
  CHECK(if1.body.size() == 1);
  CHECK(if1.has_else);
  REQUIRE(if1.else_body.size() == 1);
  Stmt& if2 = *if1.else_body[0];
  REQUIRE(if2.kind == StmtKind::kIf);
  CHECK(sexpr(*if2.value) == "b");
  REQUIRE(if2.body.size() == 1);
  CHECK(if2.body[0]->kind == StmtKind::kBreak);
  REQUIRE(if2.else_body.size() == 1);
  Stmt& if3 = *if2.else_body[0];
  CHECK(sexpr(*if3.value) == "c");
  CHECK(if3.body.empty());
  CHECK(if3.has_else);
  REQUIRE(if3.else_body.size() == 1);
  CHECK(if3.else_body[0]->kind == StmtKind::kContinue);
  CHECK(c->text_of(if2.range) == "if b { break } else if c { } else { continue }");

  CHECK_FALSE(f.body[1]->has_else);
  CHECK(f.body[1]->else_body.empty());

  Stmt& w = *f.body[2];
  CHECK(w.kind == StmtKind::kWhile);
  CHECK(sexpr(*w.value) == "(< n 3)");
  CHECK(w.body.size() == 2);

  Stmt& one = *f.body[3];
  CHECK(one.kind == StmtKind::kForEach);
  CHECK(one.binding->name == "item");
  CHECK(one.binding->kind == BindingKind::kLoop);
  CHECK(one.binding2 == nullptr);
  CHECK(sexpr(*one.value) == "items");

  Stmt& two = *f.body[4];
  CHECK(two.binding->name == "key");
  REQUIRE(two.binding2 != nullptr);
  CHECK(two.binding2->name == "value");
  CHECK(two.binding2->kind == BindingKind::kLoop);
  CHECK(two.binding2->range.column == 17);
  CHECK(sexpr(*two.value) == "entries");
  CHECK(two.body.size() == 1);
}

TEST_CASE("match arms of each kind", "[ast]") {
  auto c = parse_source(R"(module m
function f() {
  match v {
    when red, green { g() }
    when some(inner) { }
    when none { g() g() }
    otherwise { }
  }
}
)");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Stmt& m = stmt(*c, "f", 0);
  REQUIRE(m.kind == StmtKind::kMatch);
  CHECK(sexpr(*m.value) == "v");
  REQUIRE(m.arms.size() == 4);
  CHECK(m.arms[0].kind == MatchArm::Kind::kEnum);
  CHECK(m.arms[0].members == std::vector<std::string>{"red", "green"});
  REQUIRE(m.arms[0].member_ranges.size() == 2);
  CHECK(m.arms[0].member_ranges[1].line == 4);
  CHECK(m.arms[0].member_ranges[1].column == 15);
  CHECK(m.arms[0].body.size() == 1);
  CHECK(m.arms[1].kind == MatchArm::Kind::kSome);
  REQUIRE(m.arms[1].capture != nullptr);
  CHECK(m.arms[1].capture->name == "inner");
  CHECK(m.arms[1].capture->range.column == 15);
  CHECK(m.arms[2].kind == MatchArm::Kind::kNone);
  CHECK(m.arms[2].capture == nullptr);
  CHECK(m.arms[2].body.size() == 2);
  CHECK(m.arms[3].kind == MatchArm::Kind::kOtherwise);
  CHECK(c->text_of(m.arms[3].range) == "otherwise { }");
  CHECK(m.range.line == 3);
  CHECK(m.range.end_line == 8);
}

TEST_CASE("return, break, continue", "[ast]") {
  auto c = parse_source(
      "module m\nfunction f() {\n  return\n}\nfunction g() {\n  return 1 + x\n"
      "  break\n  continue\n}\n");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Stmt& r0 = stmt(*c, "f", 0);
  CHECK(r0.kind == StmtKind::kReturn);
  CHECK(r0.value == nullptr);
  CHECK(c->text_of(r0.range) == "return");
  Decl& g = function(*c, "g");
  REQUIRE(g.body.size() == 3);
  CHECK(g.body[0]->kind == StmtKind::kReturn);
  REQUIRE(g.body[0]->value != nullptr);
  CHECK(sexpr(*g.body[0]->value) == "(+ 1 x)");
  CHECK(g.body[1]->kind == StmtKind::kBreak);
  CHECK(g.body[2]->kind == StmtKind::kContinue);
  CHECK(c->text_of(g.body[2]->range) == "continue");
}

TEST_CASE("unsafe_cpp: inputs, outputs, raw code", "[ast]") {
  auto c = parse_source(R"(module m
function f() {
  unsafe_cpp(inputs: a, b; outputs: total: i64, names: list<string>) { total = a + b; if (x) { y(); } }
  unsafe_cpp(inputs: ; outputs: ) {}
}
)");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Decl& f = function(*c, "f");
  REQUIRE(f.body.size() == 2);
  Stmt& u = *f.body[0];
  REQUIRE(u.kind == StmtKind::kUnsafeCpp);
  CHECK(u.inputs == std::vector<std::string>{"a", "b"});
  REQUIRE(u.input_ranges.size() == 2);
  CHECK(u.input_ranges[0].column == 22);
  CHECK(u.input_ranges[1].column == 25);
  REQUIRE(u.outputs.size() == 2);
  CHECK(u.outputs[0]->name == "total");
  CHECK(u.outputs[0]->kind == BindingKind::kOutput);
  CHECK(u.outputs[1]->name == "names");
  REQUIRE(u.output_types.size() == 2);
  CHECK(names(u.output_types[0]) == std::vector<std::string>{"i64"});
  CHECK(u.output_types[1].kind == TypeRef::Kind::kList);
  CHECK(u.cpp_code == " total = a + b; if (x) { y(); } ");
  CHECK(u.cpp_range.line == 3);
  CHECK(u.cpp_range.column == 70);
  CHECK(c->text_of(u.cpp_range) == "{ total = a + b; if (x) { y(); } }");

  // A raw block over several lines ends on its last line.
  auto multi = parse_source(
      "module m\nfunction f() {\n  unsafe_cpp(inputs: ; outputs: ) {\n"
      "    x();\n  }\n}\n");
  REQUIRE(multi->diagnostics().empty());
  const Stmt& m = stmt(*multi, "f", 0);
  CHECK(m.cpp_code == "\n    x();\n  ");
  CHECK(m.cpp_range.line == 3);
  CHECK(m.cpp_range.column == 35);
  CHECK(m.cpp_range.end_line == 5);
  CHECK(m.cpp_range.end_column == 4);
  CHECK(m.range.end_line == 5);

  Stmt& empty = *f.body[1];
  CHECK(empty.inputs.empty());
  CHECK(empty.outputs.empty());
  CHECK(empty.cpp_code.empty());
}

TEST_CASE("operator precedence and associativity", "[ast]") {
  CHECK(tree("1 + 2 * 3") == "(+ 1 (* 2 3))");
  CHECK(tree("1 * 2 + 3") == "(+ (* 1 2) 3)");
  CHECK(tree("a - b - c") == "(- (- a b) c)");
  CHECK(tree("a / b / c") == "(/ (/ a b) c)");
  CHECK(tree("a % b * c") == "(* (% a b) c)");
  CHECK(tree("(a - b) - (c - d)") == "(- (- a b) (- c d))");
  CHECK(tree("a - (b - c)") == "(- a (- b c))");
  CHECK(tree("not a and b") == "(and (not a) b)");
  CHECK(tree("not a == b") == "(not (== a b))");
  CHECK(tree("a or b and c") == "(or a (and b c))");
  CHECK(tree("a and b or c and d") == "(or (and a b) (and c d))");
  CHECK(tree("a or b or c") == "(or (or a b) c)");
  CHECK(tree("not not a") == "(not (not a))");
  CHECK(tree("a + 1 < b * 2") == "(< (+ a 1) (* b 2))");
  CHECK(tree("a == b") == "(== a b)");
  CHECK(tree("a != b") == "(!= a b)");
  CHECK(tree("a <= b") == "(<= a b)");
  CHECK(tree("a >= b") == "(>= a b)");
  CHECK(tree("a > b and c < d") == "(and (> a b) (< c d))");
  CHECK(tree("-x * 2") == "(* (- x) 2)");
  CHECK(tree("- -3") == "(- -3)");
  CHECK(tree("-(1 + 2)") == "(- (+ 1 2))");
  CHECK(tree("a.b(c, 1)[0].d") == "(. ([] (call (. a b) c 1) 0) d)");
  CHECK(tree("f()") == "(call f)");
  CHECK(tree("m.f(x)") == "(call (. m f) x)");
}

TEST_CASE("comparisons do not chain", "[ast]") {
  ParsedExpr p = parse_expr("a < b < c");
  CHECK(p.c->count("PT1001") >= 1);
}

TEST_CASE("integer literals and unary minus", "[ast]") {
  ParsedExpr min = parse_expr("-9223372036854775808");
  INFO(min.c->dump());
  REQUIRE(min.c->diagnostics().empty());
  REQUIRE(min.e->kind == ExprKind::kIntLit);
  CHECK(min.e->int_value == std::numeric_limits<std::int64_t>::min());
  CHECK(min.c->text_of(min.e->range) == "-9223372036854775808");

  ParsedExpr max = parse_expr("9223372036854775807");
  REQUIRE(max.c->diagnostics().empty());
  CHECK(max.e->int_value == std::numeric_limits<std::int64_t>::max());

  ParsedExpr over = parse_expr("9223372036854775808");
  REQUIRE(over.c->codes() == std::vector<std::string>{"PT1006"});
  CHECK(over.c->diagnostics()[0].message == "the integer 9223372036854775808 does not fit in i64");
  CHECK(over.c->diagnostics()[0].range.line == 3);
  CHECK(over.c->diagnostics()[0].range.column == 25);
  CHECK(over.c->diagnostics()[0].range.end_column == 44);

  ParsedExpr under = parse_expr("-9223372036854775809");
  REQUIRE(under.c->codes() == std::vector<std::string>{"PT1006"});
  CHECK(under.c->diagnostics()[0].message ==
        "the integer -9223372036854775809 does not fit in i64");

  ParsedExpr huge = parse_expr("99999999999999999999999");
  CHECK(huge.c->codes() == std::vector<std::string>{"PT1006"});

  CHECK(tree("1_000_000") == "1000000");
  CHECK(tree("-5") == "-5");
  ParsedExpr neg = parse_expr("-5");
  CHECK(neg.e->kind == ExprKind::kIntLit);
  CHECK(neg.c->text_of(neg.e->range) == "-5");
}

TEST_CASE("float literals", "[ast]") {
  ParsedExpr p = parse_expr("2.5e3");
  REQUIRE(p.c->diagnostics().empty());
  CHECK(p.e->kind == ExprKind::kFloatLit);
  CHECK(p.e->float_value == 2500.0);
  ParsedExpr q = parse_expr("1_0.2_5");
  REQUIRE(q.c->diagnostics().empty());
  CHECK(q.e->float_value == 10.25);
  ParsedExpr neg = parse_expr("-0.5");
  REQUIRE(neg.e->kind == ExprKind::kUnary);
  CHECK(neg.e->children[0]->float_value == 0.5);
}

TEST_CASE("duration literals in nanoseconds", "[ast]") {
  CHECK(duration_ns("3 ns") == 3);
  CHECK(duration_ns("4us") == 4'000);
  CHECK(duration_ns("5 ms") == 5'000'000);
  CHECK(duration_ns("1 second") == 1'000'000'000);
  CHECK(duration_ns("30 seconds") == 30'000'000'000);
  CHECK(duration_ns("1 minute") == 60'000'000'000);
  CHECK(duration_ns("10 minutes") == 600'000'000'000);
  CHECK(duration_ns("2 hours") == 7'200'000'000'000);
  CHECK(duration_ns("1 hour") == 3'600'000'000'000);
  CHECK(duration_ns("1 day") == 86'400'000'000'000);
  CHECK(duration_ns("7 days") == 604'800'000'000'000);
  CHECK(duration_ns("1_000 ms") == 1'000'000'000);
  CHECK(tree("5 ms + 1 second") == "(+ 5000000ns 1000000000ns)");

  ParsedExpr over = parse_expr("200000 days");
  REQUIRE(over.c->codes() == std::vector<std::string>{"PT1007"});
  CHECK(over.c->diagnostics()[0].message ==
        "the duration 200000 days does not fit in i64 nanoseconds");
  // A unit must stand alone: `5 msx` is refused with the list of units.
  ParsedExpr glued = parse_expr("5 msx");
  INFO(glued.c->dump());
  REQUIRE(glued.c->codes() == std::vector<std::string>{"PT1001"});
  CHECK(glued.c->diagnostics()[0].message ==
        "'5 msx' is not a duration: the unit must be one of ns, us, ms, second(s), minute(s), "
        "hour(s), day(s)");
}

TEST_CASE("string escapes", "[ast]") {
  ParsedExpr p = parse_expr(R"("a\n\t\r\"\\\{x\}")");
  INFO(p.c->dump());
  REQUIRE(p.c->diagnostics().empty());
  REQUIRE(p.e->kind == ExprKind::kStringLit);
  REQUIRE(p.e->pieces.size() == 1);
  CHECK(p.e->pieces[0] == "a\n\t\r\"\\{x}");
  CHECK(p.e->children.empty());

  ParsedExpr bad = parse_expr(R"("ab\q")");
  REQUIRE(bad.c->codes() == std::vector<std::string>{"PT1004"});
  const Diagnostic& d = bad.c->diagnostics()[0];
  CHECK(d.message == "unknown escape '\\q' in a string");
  CHECK(d.range.line == 3);
  CHECK(d.range.column == 28);  // the backslash
  CHECK(d.range.end_column == 30);
  CHECK(bad.c->text_of(d.range) == "\\q");
}

TEST_CASE("string interpolation holes: expressions and columns", "[ast]") {
  // `  let_immutable_var x = ` is 24 columns: the quote is column 25.
  ParsedExpr p = parse_expr(R"("sum: {a + b} and {c.d}!")");
  INFO(p.c->dump());
  REQUIRE(p.c->diagnostics().empty());
  REQUIRE(p.e->kind == ExprKind::kStringLit);
  CHECK(p.e->pieces == std::vector<std::string>{"sum: ", " and ", "!"});
  REQUIRE(p.e->children.size() == 2);
  CHECK(sexpr(*p.e->children[0]) == "(+ a b)");
  CHECK(sexpr(*p.e->children[1]) == "(. c d)");
  const SourceRange& h0 = p.e->children[0]->range;
  CHECK(h0.line == 3);
  CHECK(h0.column == 32);
  CHECK(h0.end_column == 37);
  CHECK(p.c->text_of(h0) == "a + b");
  CHECK(p.c->text_of(p.e->children[0]->children[1]->range) == "b");
  CHECK(p.c->text_of(p.e->children[1]->range) == "c.d");
  CHECK(p.e->children[1]->range.column == 44);

  // Non-ASCII text before a hole: columns count code points.
  ParsedExpr u = parse_expr(R"("héllo → {name}")");
  INFO(u.c->dump());
  REQUIRE(u.c->diagnostics().empty());
  REQUIRE(u.e->children.size() == 1);
  CHECK(u.e->pieces == std::vector<std::string>{"héllo → ", ""});
  CHECK(u.e->children[0]->range.column == 35);
  CHECK(u.c->text_of(u.e->children[0]->range) == "name");

  // A hole may hold a string literal of its own, with escapes.
  ParsedExpr nested = parse_expr(R"("<{to_json("a\tb")}>")");
  INFO(nested.c->dump());
  REQUIRE(nested.c->diagnostics().empty());
  REQUIRE(nested.e->children.size() == 1);
  CHECK(sexpr(*nested.e->children[0]) == "(call to_json \"a\tb\")");
  CHECK(nested.e->children[0]->range.column == 28);
  CHECK(nested.c->text_of(nested.e->children[0]->children[1]->range) == R"("a\tb")");
  ParsedExpr nested_bad = parse_expr(R"("<{to_json("a\qb")}>")");
  REQUIRE(nested_bad.c->codes() == std::vector<std::string>{"PT1004"});
  CHECK(nested_bad.c->diagnostics()[0].range.column == 38);

  ParsedExpr bad = parse_expr(R"("x {1 +} y")");
  REQUIRE(bad.c->codes() == std::vector<std::string>{"PT1005"});
  CHECK(bad.c->diagnostics()[0].message == "the interpolation hole '{1 +}' is not an expression");
  CHECK(bad.c->text_of(bad.c->diagnostics()[0].range) == "{1 +}");
  REQUIRE(bad.e->children.size() == 1);  // a placeholder keeps pieces and holes parallel
  CHECK(bad.e->pieces.size() == 2);

  ParsedExpr empty = parse_expr(R"("{}")");
  CHECK(empty.c->codes() == std::vector<std::string>{"PT1005"});
}

TEST_CASE("list, map, schema, optional and bool literals", "[ast]") {
  CHECK(tree("[1, 2, 3]") == "(list 1 2 3)");
  CHECK(tree("[1, 2,]") == "(list 1 2)");
  CHECK(tree("[]") == "(list)");
  CHECK(tree("[[1], []]") == "(list (list 1) (list))");
  CHECK(tree("[:]") == "(map)");
  CHECK(tree(R"(["a": 1, "b": 2 + 3])") == R"((map "a" 1 "b" (+ 2 3)))");
  CHECK(tree(R"(Order { id: "x", qty: 2, })") == R"((Order{id:"x" qty:2}))");
  CHECK(tree("Empty {}") == "(Empty{})");
  CHECK(tree("some(1)") == "(some 1)");
  CHECK(tree("none") == "none");
  CHECK(tree("true") == "true");
  CHECK(tree("false") == "false");
  CHECK(tree("Color.red") == "(. Color red)");

  ParsedExpr s = parse_expr(R"(Order { id: "x", qty: 2 })");
  REQUIRE(s.e->kind == ExprKind::kSchemaLit);
  CHECK(s.e->text == "Order");
  CHECK(s.e->names == std::vector<std::string>{"id", "qty"});
  REQUIRE(s.e->name_ranges.size() == 2);
  CHECK(s.e->name_ranges[1].column == 42);
  CHECK(s.c->text_of(s.e->range) == R"(Order { id: "x", qty: 2 })");
}

TEST_CASE("source ranges of expressions", "[ast]") {
  ParsedExpr p = parse_expr("(a + bb) * ccc");
  REQUIRE(p.c->diagnostics().empty());
  CHECK(p.e->range.line == 3);
  CHECK(p.e->range.column == 25);
  CHECK(p.e->range.end_line == 3);
  CHECK(p.e->range.end_column == 39);
  CHECK(p.c->text_of(p.e->children[0]->range) == "(a + bb)");
  CHECK(p.c->text_of(p.e->children[0]->children[1]->range) == "bb");
  CHECK(p.c->text_of(p.e->children[1]->range) == "ccc");

  ParsedExpr call = parse_expr("first(x).name");
  CHECK(call.c->text_of(call.e->range) == "first(x).name");
  CHECK(call.c->text_of(call.e->children[0]->range) == "first(x)");
  REQUIRE(call.e->name_ranges.size() == 1);
  CHECK(call.c->text_of(call.e->name_ranges[0]) == "name");

  // A multi-line expression ends on its last line.
  auto c = parse_source("module m\nfunction f() {\n  let_immutable_var x = [1,\n    2]\n}\n");
  REQUIRE(c->diagnostics().empty());
  const Expr& list = *stmt(*c, "f", 0).value;
  CHECK(list.range.line == 3);
  CHECK(list.range.column == 25);
  CHECK(list.range.end_line == 4);
  CHECK(list.range.end_column == 7);
}

TEST_CASE("doc comments attach to the declaration below", "[ast]") {
  auto c = parse_source(R"(module m

/// Not attached to anything but f.
// an ordinary comment

///   Indented text keeps its inner spaces.
function f() { }

function g() { }

/// For the enum.
enum E { a }
)");
  REQUIRE(c->diagnostics().empty());
  CHECK(function(*c, "f").doc ==
        "Not attached to anything but f.\n  Indented text keeps its inner spaces.");
  CHECK(function(*c, "g").doc.empty());
  CHECK(function(*c, "E").doc == "For the enum.");
}

TEST_CASE("dialect constructs parse as reserved declarations", "[ast]") {
  auto c = parse_source("module m\noltp_table orders by region { shards: 4 }\nfunction f() { }\n");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  REQUIRE(c->main().decls.size() == 2);
  const Decl& d = *c->main().decls[0];
  CHECK(d.kind == DeclKind::kDialect);
  CHECK(d.dialect_keyword == "oltp_table");
  CHECK(d.name == "orders");
  CHECK(c->text_of(d.name_range) == "oltp_table");
}

TEST_CASE("slytherin topics and consumers", "[ast]") {
  auto c = parse_source(
      "module m\n"
      "slytherin_topic orders carries Order {\n"
      "  partitions: 4\n"
      "  retention: 7 days,\n"
      "  durability: fsync_batched(max_delay: 5 ms)\n"
      "  latency_budget: p99 under 2 ms\n"
      "  key: customer_id\n"
      "}\n"
      "slytherin_consumer count runs_on stream reads orders group \"counting\" members 2 {\n"
      "  let_mut_var seen: i64 = 0\n"
      "  on_message(order: Order) { set_var seen = seen + 1 }\n"
      "}\n"
      "function f() { publish_message(orders, Order { id: 1 }) }\n");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  REQUIRE(c->main().decls.size() == 3);
  const Decl& t = *c->main().decls[0];
  CHECK(t.kind == DeclKind::kTopic);
  CHECK(t.name == "orders");
  REQUIRE(t.carried != nullptr);
  REQUIRE(t.settings.size() == 5);
  CHECK(t.settings[0].name == "partitions");
  CHECK(t.settings[0].value->int_value == 4);
  CHECK(t.settings[1].value->kind == ExprKind::kDurationLit);
  const Setting& durability = t.settings[2];
  CHECK(durability.has_args);
  REQUIRE(durability.words.size() == 1);
  CHECK(durability.words[0] == "fsync_batched");
  REQUIRE(durability.args.size() == 1);
  CHECK(durability.args[0].name == "max_delay");
  CHECK(durability.args[0].value->int_value == 5'000'000);
  CHECK(c->text_of(durability.value_range) == "fsync_batched(max_delay: 5 ms)");
  const Setting& budget = t.settings[3];
  CHECK(budget.words == std::vector<std::string>{"p99", "under"});
  CHECK(budget.value->int_value == 2'000'000);
  CHECK(c->text_of(budget.word_ranges[1]) == "under");
  CHECK(t.settings[4].value->text == "customer_id");
  const Decl& k = *c->main().decls[1];
  CHECK(k.kind == DeclKind::kConsumer);
  CHECK(k.group == "counting");
  CHECK(c->text_of(k.group_range) == "\"counting\"");
  CHECK(k.group_members == 2);
  CHECK(k.has_members);
  CHECK(k.has_handler);
  CHECK(k.state.size() == 1);
  REQUIRE(k.params.size() == 1);
  CHECK(k.params[0].binding->name == "order");
  CHECK(join_name(k.reads) == "orders");
}

TEST_CASE("a consumer's misspelt group or members word is a syntax error with a fix", "[ast]") {
  auto c = parse_source(
      "module m\n"
      "slytherin_consumer count runs_on stream reads orders grop \"g\" member 2 {\n"
      "  on_message(order: Order) { print_line(\"x\") }\n"
      "}\n");
  REQUIRE(c->diagnostics().size() == 2);
  CHECK(c->codes() == std::vector<std::string>{"PT1001", "PT1001"});
  CHECK(c->diagnostics()[0].message.find("expected `group` here") != std::string::npos);
  REQUIRE(c->diagnostics()[0].fixes.size() == 1);
  CHECK(c->diagnostics()[1].message.find("expected `members` here") != std::string::npos);
}

TEST_CASE("partitions, channels, tasks and receivers", "[ast]") {
  auto c = parse_source(
      "module m\n"
      "partition workers { cores: 2, scheduler: messaging stall_bound: 5 ms }\n"
      "channel jobs carries Job { kind: mpsc }\n"
      "partition_task feed runs_on workers { send_message(jobs, Job { id: 1 }) }\n"
      "channel_receiver run runs_on other.workers reads jobs {\n"
      "  let_mut_var seen: i64 = 0\n"
      "  on_message(job: Job) { set_var seen = seen + 1 }\n"
      "  on_channel_closed { print_line(\"{seen}\") }\n"
      "}\n");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  REQUIRE(c->main().decls.size() == 4);
  const Decl& p = *c->main().decls[0];
  CHECK(p.kind == DeclKind::kPartition);
  REQUIRE(p.settings.size() == 3);
  CHECK(p.settings[0].name == "cores");
  CHECK(p.settings[0].value->int_value == 2);
  CHECK(p.settings[1].value->text == "messaging");
  CHECK(p.settings[2].value->kind == ExprKind::kDurationLit);
  CHECK(c->text_of(p.settings[2].range) == "stall_bound");
  const Decl& ch = *c->main().decls[1];
  CHECK(ch.kind == DeclKind::kChannel);
  REQUIRE(ch.carried != nullptr);
  CHECK(ch.carried->name == std::vector<std::string>{"Job"});
  const Decl& t = *c->main().decls[2];
  CHECK(t.kind == DeclKind::kTask);
  CHECK(t.runs_on == std::vector<std::string>{"workers"});
  CHECK(t.body.size() == 1);
  const Decl& r = *c->main().decls[3];
  CHECK(r.kind == DeclKind::kReceiver);
  CHECK(r.runs_on == std::vector<std::string>{"other", "workers"});
  CHECK(c->text_of(r.runs_on_range) == "other.workers");
  CHECK(r.reads == std::vector<std::string>{"jobs"});
  REQUIRE(r.state.size() == 1);
  CHECK(r.state[0]->binding->name == "seen");
  REQUIRE(r.params.size() == 1);
  CHECK(r.params[0].binding->name == "job");
  CHECK(r.body.size() == 1);
  CHECK(r.has_closed);
  CHECK(r.closed_body.size() == 1);
}

TEST_CASE("several syntax errors in one file, with recovery", "[ast]") {
  auto c = parse_source(R"(module m

function a() {
  let_immutable_var x = 1;
}

function b() {
  if x = 1 { }
}

function c() returns i64 {
  return 1
}

schema S { field f i64 }

enum E { one, two }
)");
  INFO(c->dump());
  // Three mistakes: the stray ';', the '=' in a condition and the missing ':'. ANTLR's recovery
  // after the '=' also trips over the if's '{' and the function's '}' (two follow-on errors).
  CHECK(c->codes() == std::vector<std::string>(5, "PT1001"));
  auto error_at = [&](std::uint32_t line, std::uint32_t column) -> const Diagnostic* {
    for (const Diagnostic& d : c->diagnostics()) {
      if (d.range.line == line && d.range.column == column) return &d;
    }
    return nullptr;
  };
  const Diagnostic* semi = error_at(4, 26);
  REQUIRE(semi != nullptr);
  CHECK(semi->message == "unexpected ';' after a statement");
  REQUIRE(semi->fixes.size() == 1);
  CHECK(semi->fixes[0].edits[0].replacement.empty());
  CHECK(c->text_of(semi->fixes[0].edits[0].range) == ";");

  const Diagnostic* assign = error_at(8, 8);
  REQUIRE(assign != nullptr);
  CHECK(assign->message == "unexpected '=' in a block; expected '{'");
  REQUIRE(assign->notes.size() == 1);
  CHECK(assign->notes[0].message == "compare with '=='; '=' only appears in bindings and set_var");
  REQUIRE(assign->fixes.size() == 1);
  CHECK(assign->fixes[0].edits[0].replacement == "==");
  CHECK(c->text_of(assign->fixes[0].edits[0].range) == "=");
  CHECK(error_at(8, 12) != nullptr);
  CHECK(error_at(9, 1) != nullptr);

  const Diagnostic* colon = error_at(15, 20);
  REQUIRE(colon != nullptr);
  CHECK(colon->message == "unexpected name 'i64' in a field; expected ':'");
  CHECK(colon->fixes.empty());

  // Declarations after the errors still parse.
  REQUIRE(c->decl("c") != nullptr);
  CHECK(function(*c, "c").body.size() == 1);
  REQUIRE(c->decl("E") != nullptr);
  CHECK(function(*c, "E").members == std::vector<std::string>{"one", "two"});
  REQUIRE(c->decl("a") != nullptr);
  CHECK(function(*c, "a").body.size() == 1);  // the statement before the ';' is kept
}

TEST_CASE("'=' inside a block is not taken for a comparison", "[ast]") {
  auto c = parse_source("module m\nfunction f() {\n  if c {\n    x = 1\n  }\n}\n");
  INFO(c->dump());
  REQUIRE(c->count("PT1001") >= 1);
  for (const Diagnostic& d : c->diagnostics()) CHECK(d.fixes.empty());
  auto w = parse_source("module m\nfunction f() {\n  while n = 2 { }\n}\n");
  INFO(w->dump());
  REQUIRE(w->find("PT1001") != nullptr);
  CHECK(w->find("PT1001")->range.column == 11);
  REQUIRE(w->find("PT1001")->fixes.size() == 1);
  CHECK(w->find("PT1001")->fixes[0].edits[0].replacement == "==");
}

TEST_CASE("empty files and files of comments parse to empty modules", "[ast]") {
  for (const char* text : {"", "// only a comment\n", "/// a doc comment\n", "\n\n  \n"}) {
    auto c = parse_source(text);
    INFO(text);
    CHECK(c->diagnostics().empty());
    CHECK(c->main().decls.empty());
    CHECK(c->main().imports.empty());
    CHECK_FALSE(c->main().has_module_decl);
  }
}

TEST_CASE("unknown characters and unterminated strings", "[ast]") {
  auto c = parse_source(
      "module m\nfunction f() {\n  let_immutable_var x = 1 @ 2\n"
      "  let_immutable_var s = \"open\n}\nfunction g() { }\n");
  INFO(c->dump());
  REQUIRE(c->find("PT1002") != nullptr);
  CHECK(c->find("PT1002")->message == "the character '@' is not part of Parseltongue");
  CHECK(c->find("PT1002")->range.line == 3);
  CHECK(c->find("PT1002")->range.column == 27);
  REQUIRE(c->find("PT1003") != nullptr);
  CHECK(c->find("PT1003")->range.line == 4);
  CHECK(c->find("PT1003")->range.column == 25);
  CHECK(c->decl("g") != nullptr);
}

TEST_CASE("a non-ASCII character outside a string is one column wide", "[ast]") {
  auto c = parse_source("module m\nfunction f() {\n  let_immutable_var é = 1\n}\n");
  REQUIRE(c->find("PT1002") != nullptr);
  const Diagnostic& d = *c->find("PT1002");
  CHECK(d.message == "the character 'é' is not part of Parseltongue");
  CHECK(d.range.column == 21);
  CHECK(d.range.end_column == 22);
}

TEST_CASE("invalid UTF-8 is refused with the offset", "[ast]") {
  auto c = parse_source("module m\n\"\xff\"\n");
  REQUIRE(c->codes() == std::vector<std::string>{"PT1001"});
  CHECK(c->diagnostics()[0].message == "the file is not valid UTF-8 text (bad byte at offset 10)");
  CHECK(c->diagnostics()[0].range.line == 2);
}

TEST_CASE("nesting deeper than the limit is refused, not recursed into", "[ast]") {
  std::string deep(kMaxNesting + 5, '(');
  deep += "1";
  deep += std::string(kMaxNesting + 5, ')');
  ParsedExpr p = parse_expr(deep);
  REQUIRE(p.c->count("PT1001") == 1);
  CHECK(p.c->diagnostics()[0].message.find("nested more than 200 levels") != std::string::npos);
}
