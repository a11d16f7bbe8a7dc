// The checker (sema/): types, flow, validation clauses, warnings and their fixes.
#include <catch2/catch.hpp>

#include "compiler_test_support.h"
#include "plan/plan.h"

using namespace pt;
using namespace pt::testing;

namespace {

const char* kPreamble = R"(module main

schema Order {
  field id: string
  field qty: i64
  field tags: list<string>
  field note: optional<string>
  field prio: i64 = 3
}

enum Color { red, green, blue }

)";

// Checks a module made of the preamble and `decls`.
std::unique_ptr<Compiled> check_decls(const std::string& decls) {
  return check_source(std::string(kPreamble) + decls);
}

// Checks `function f(PARAMS) { BODY }` after the preamble.
std::unique_ptr<Compiled> check_body(const std::string& body,
                                     const std::string& signature = "f()") {
  return check_decls("function " + signature + " {\n" + body + "\n}\n");
}

// The type of an expression, bound with `let_immutable_var _v = EXPR` in f(PARAMS).
std::string type_of(const std::string& expr, const std::string& params = "") {
  auto c = check_body("  let_immutable_var _v = " + expr, "f(" + params + ")");
  INFO(expr << "\n" << c->dump());
  REQUIRE(c->sink.error_count() == 0);
  const Expr& e = *stmt(*c, "f", 0).value;
  REQUIRE(e.type != nullptr);
  return type_name(e.type);
}

// The codes of the errors only (warnings left out).
std::vector<std::string> error_codes(const Compiled& c) {
  std::vector<std::string> out;
  for (const Diagnostic& d : c.diagnostics()) {
    if (d.severity() == Severity::kError) out.emplace_back(info(d.kind).code);
  }
  return out;
}

// Applies every fix of `d` to the first file.
std::string fixed_text(const Compiled& c, const Diagnostic& d) {
  std::vector<const Fix*> fixes;
  for (const Fix& f : d.fixes) fixes.push_back(&f);
  return apply_fixes(c.sources.file(d.range.file).text, c.sources, d.range.file, fixes);
}

// The line of the preamble-based source holding the body's first statement.
constexpr std::uint32_t kFirstBodyLine = 14;

}  // namespace

TEST_CASE("types of expressions", "[check]") {
  CHECK(type_of("to_f64(x) * 2.0", "x: i64") == "f64");
  CHECK(type_of("t1 - t2", "t1: timestamp, t2: timestamp") == "duration");
  CHECK(type_of("t1 + 5 ms", "t1: timestamp") == "timestamp");
  CHECK(type_of("t1 - 5 ms", "t1: timestamp") == "timestamp");
  CHECK(type_of("5 ms * 3") == "duration");
  CHECK(type_of("1 second / 2") == "duration");
  CHECK(type_of("-(5 ms)") == "duration");
  CHECK(type_of("[1, 2]") == "list<i64>");
  CHECK(type_of("[[1], []]") == "list<list<i64>>");
  CHECK(type_of("[[], [1]]") == "list<list<i64>>");
  CHECK(type_of("[some(1), none]") == "list<optional<i64>>");
  CHECK(type_of("[none, some(1)]") == "list<optional<i64>>");
  CHECK(type_of(R"(["a": 1.5])") == "map<string, f64>");
  CHECK(type_of(R"(map_get(["a": 1.5], "a"))") == "optional<f64>");
  CHECK(type_of(R"(map_keys(["a": 1.5]))") == "list<string>");
  CHECK(type_of(R"(map_values(["a": true]))") == "list<bool>");
  CHECK(type_of(R"(some("x"))") == "optional<string>");
  CHECK(type_of(R"("n={x}")", "x: i64") == "string");
  CHECK(type_of("x > 3 and not false", "x: i64") == "bool");
  CHECK(type_of("x % 2", "x: i64") == "i64");
  CHECK(type_of("range(0, 3)") == "list<i64>");
  CHECK(type_of("length(\"abc\")") == "i64");
  CHECK(type_of("to_i64(2.5)") == "i64");
  CHECK(type_of("to_string(Color.red)") == "string");
  CHECK(type_of("to_json([1])") == "string");
  CHECK(type_of("Color.green") == "Color");
  CHECK(type_of(R"(Order { id: "a", qty: 1 })") == "Order");
  CHECK(type_of(R"(Order { id: "a", qty: 1 }.tags)") == "list<string>");
  CHECK(type_of("xs[0]", "xs: list<f64>") == "f64");
  CHECK(type_of(R"(decode_json("\{\}", Order))") == "optional<Order>");
  CHECK(type_of(R"(decode_json_error("\{\}", Order))") == "string");
  CHECK(type_of("list_contains(xs, 1.0)", "xs: list<f64>") == "bool");
  CHECK(type_of("o == none", "o: optional<i64>") == "bool");
  CHECK(type_of("none != o", "o: optional<i64>") == "bool");
  CHECK(type_of("\"a\" + \"b\"") == "string");
  CHECK(type_of("\"a\" < \"b\"") == "bool");
}

TEST_CASE("none, [] and [:] take their type from the context", "[check]") {
  auto c = check_decls(
      "function f() {\n"
      "  let_immutable_var a: optional<i64> = none\n"
      "  let_immutable_var b: list<string> = []\n"
      "  let_immutable_var c: map<string, bool> = [:]\n"
      "  g(none, [])\n"
      "  print_line(to_json([a, none]) + to_json(b) + to_json(c))\n"
      "}\n"
      "function g(x: optional<string>, y: list<Color>) {\n"
      "  print_line(to_json(x) + to_json(y))\n"
      "}\n");
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Decl& f = function(*c, "f");
  CHECK(type_name(f.body[0]->value->type) == "optional<i64>");
  CHECK(type_name(f.body[1]->value->type) == "list<string>");
  CHECK(type_name(f.body[2]->value->type) == "map<string, bool>");
  const Expr& call = *f.body[3]->value;
  CHECK(type_name(call.children[1]->type) == "optional<string>");
  CHECK(type_name(call.children[2]->type) == "list<Color>");

  auto bad = check_body(
      "  let_immutable_var a = none\n  let_immutable_var b = []\n"
      "  let_immutable_var c = [:]\n  print_line(to_json(a) + to_json(b) + to_json(c))");
  INFO(bad->dump());
  REQUIRE(error_codes(*bad) == std::vector<std::string>{"PT3018", "PT3018", "PT3018"});
  CHECK(bad->diagnostics()[0].message == "the type of 'a' cannot be inferred from `none`");
  CHECK(bad->diagnostics()[1].message == "the type of 'b' cannot be inferred from `[]`");
  CHECK(bad->diagnostics()[2].message == "the type of 'c' cannot be inferred from `[:]`");
  REQUIRE(bad->diagnostics()[0].notes.size() == 1);
  CHECK(bad->diagnostics()[0].notes[0].message ==
        "write the type: let_immutable_var a: TYPE = ...");
}

TEST_CASE("no implicit conversions between i64 and f64", "[check]") {
  SECTION("a declared type") {
    auto c = check_body("  let_immutable_var a: f64 = 1\n  print_line(to_string(a))");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3001"});
    CHECK(c->diagnostics()[0].message == "expected f64 but this is i64");
    CHECK(c->diagnostics()[0].range.line == kFirstBodyLine);
    CHECK(c->diagnostics()[0].range.column == 30);
  }
  SECTION("mixed arithmetic offers to_f64 on the i64 side") {
    auto c = check_body("  print_line(to_string(x + 1.5))", "f(x: i64)");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3002"});
    const Diagnostic& d = c->diagnostics()[0];
    CHECK(d.message == "'+' cannot combine i64 and f64");
    CHECK(c->text_of(d.range) == "x + 1.5");
    REQUIRE(d.fixes.size() == 1);
    CHECK(d.fixes[0].description == "convert the left side with to_f64");
    CHECK(fixed_text(*c, d).find("print_line(to_string(to_f64(x) + 1.5))") != std::string::npos);

    auto r = check_body("  print_line(to_string(1.5 * x))", "f(x: i64)");
    REQUIRE(r->codes() == std::vector<std::string>{"PT3002"});
    REQUIRE(r->diagnostics()[0].fixes.size() == 1);
    CHECK(r->diagnostics()[0].fixes[0].description == "convert the right side with to_f64");
    CHECK(fixed_text(*r, r->diagnostics()[0]).find("to_string(1.5 * to_f64(x))") !=
          std::string::npos);

    auto cmp = check_body("  print_line(to_string(x < 1.5))", "f(x: i64)");
    REQUIRE(cmp->codes() == std::vector<std::string>{"PT3002"});
    CHECK(cmp->diagnostics()[0].fixes.size() == 1);
  }
  SECTION("`and` / `or` on numbers offer no numeric conversion") {
    auto c = check_body("  print_line(to_string(x and 1.5))", "f(x: i64)");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3002"});
    CHECK(c->diagnostics()[0].message == "'and' cannot combine i64 and f64");
    CHECK(c->diagnostics()[0].fixes.empty());
  }
  SECTION("arguments and returns") {
    auto c = check_decls(
        "function g(x: f64) returns f64 {\n  return x\n}\n"
        "function f() returns i64 {\n  return to_i64(g(2))\n}\n"
        "function h() returns i64 {\n  return 2.0\n}\n");
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT3001", "PT3009"});
    CHECK(c->diagnostics()[0].message == "expected f64 but this is i64");
    REQUIRE(c->diagnostics()[0].notes.size() == 1);
    CHECK(c->diagnostics()[0].notes[0].message == "parameter 'x' of g");
    CHECK(c->diagnostics()[1].message == "this function returns i64, but this value is f64");
  }
  SECTION("to_f64 and to_i64 take exactly one numeric type") {
    auto c = check_body("  print_line(to_string(to_f64(1.5) + to_f64(to_i64(2))))");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3001", "PT3001"});
    CHECK(c->diagnostics()[0].message == "expected i64 but this is f64");
    CHECK(c->diagnostics()[1].message == "expected f64 but this is i64");
  }
}

TEST_CASE("schema literals: missing, duplicate and unknown fields", "[check]") {
  SECTION("missing: fields without a default and not optional/list/map") {
    auto c = check_body("  print_line(to_json(Order { id: \"a\" }))");
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT3014"});
    const Diagnostic& d = c->diagnostics()[0];
    CHECK(d.message == "this Order literal is missing field 'qty'");
    CHECK(c->text_of(d.range) == "Order { id: \"a\" }");
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].range.line == 5);
  }
  SECTION("duplicate") {
    auto c = check_body("  print_line(to_json(Order { id: \"a\", qty: 1, id: \"b\" }))");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3015"});
    CHECK(c->diagnostics()[0].message == "field 'id' is given twice");
    CHECK(c->diagnostics()[0].range.column == 47);
  }
  SECTION("unknown, with a spelling fix") {
    auto c = check_body("  print_line(to_json(Order { id: \"a\", qty: 1, qtty: 2 }))");
    REQUIRE(c->codes() == std::vector<std::string>{"PT2006"});
    const Diagnostic& d = c->diagnostics()[0];
    CHECK(d.message == "schema 'Order' has no field 'qtty'");
    CHECK(c->text_of(d.range) == "qtty");
    REQUIRE(d.fixes.size() == 1);
    CHECK(d.fixes[0].edits[0].replacement == "qty");
  }
  SECTION("a field of the wrong type") {
    auto c = check_body("  print_line(to_json(Order { id: 1, qty: 1 }))");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3001"});
    CHECK(c->diagnostics()[0].message == "expected string but this is i64");
  }
  SECTION("not a schema") {
    auto c = check_body("  print_line(to_json(Color { id: 1 }))");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3001"});
    auto u = check_body("  print_line(to_json(Nope { id: 1 }))");
    REQUIRE(u->codes() == std::vector<std::string>{"PT2002"});
  }
}

TEST_CASE("validate clauses: field types, arguments, bounds", "[check]") {
  auto check_field = [](const std::string& field) {
    return check_source("module main\nschema S {\n  " + field + "\n}\n");
  };
  SECTION("valid clauses") {
    auto c = check_source(R"(module main
schema S {
  field a: i64 = 5 validate between(1, 10) validate at_least(-3)
  field b: f64 validate between(-1.5, 2.5) validate at_most(3.0)
  field c: string validate non_empty() validate length_between(1, 20) validate matches("^[a-z]+$")
  field d: string validate one_of("x", "y")
  field e: i64 validate one_of(1, 2, 3)
  field f: optional<i64> validate at_least(0)
  field g: duration validate between(1 ms, 2 seconds)
  field h: list<i64> validate length_between(0, 3)
  field i: timestamp validate at_least(0)
}
)");
    INFO(c->dump());
    CHECK(c->diagnostics().empty());
  }
  SECTION("unknown validator, with a hint for a common name") {
    auto c = check_field("field a: i64 validate min(1) validate bogus()");
    REQUIRE(c->codes() == std::vector<std::string>{"PT5001", "PT5001"});
    CHECK(c->diagnostics()[0].message == "there is no validator named 'min'");
    REQUIRE(c->diagnostics()[0].notes.size() == 1);
    CHECK(c->diagnostics()[0].notes[0].message == "did you mean `at_least`?");
    CHECK(c->diagnostics()[1].notes.empty());
  }
  SECTION("the rule must fit the field's type") {
    auto c = check_field("field a: string validate between(1, 5)");
    REQUIRE(c->codes() == std::vector<std::string>{"PT5002"});
    CHECK(c->diagnostics()[0].message == "`between` does not apply to string fields");
    CHECK(c->text_of(c->diagnostics()[0].range) == "validate between(1, 5)");
    auto m = check_field("field a: i64 validate matches(\"x\")");
    REQUIRE(m->codes() == std::vector<std::string>{"PT5002"});
    CHECK(m->diagnostics()[0].message == "`matches` does not apply to i64 fields");
    auto l = check_field("field a: bool validate non_empty()");
    REQUIRE(l->codes() == std::vector<std::string>{"PT5002"});
  }
  SECTION("argument counts and types") {
    auto few = check_field("field a: i64 validate between(1)");
    REQUIRE(few->codes() == std::vector<std::string>{"PT5003"});
    CHECK(few->diagnostics()[0].message == "`between` takes two i64 values (low, high)");
    auto none = check_field("field a: string validate non_empty(1)");
    REQUIRE(none->codes() == std::vector<std::string>{"PT5003"});
    CHECK(none->diagnostics()[0].message == "`non_empty` takes no arguments: non_empty()");
    auto type = check_field("field a: i64 validate between(1.5, 3)");
    REQUIRE(type->codes() == std::vector<std::string>{"PT5003"});
    CHECK(type->diagnostics()[0].message ==
          "`between` takes two i64 values (low, high) literal(s)");
    CHECK(type->text_of(type->diagnostics()[0].range) == "1.5");
    auto computed = check_field("field a: i64 validate at_least(1 + 1)");
    REQUIRE(computed->codes() == std::vector<std::string>{"PT5003"});
    CHECK(computed->diagnostics()[0].message == "`at_least` takes one i64 literal(s)");
    auto one_of = check_field("field a: string validate one_of()");
    REQUIRE(one_of->codes() == std::vector<std::string>{"PT5003"});
    CHECK(one_of->diagnostics()[0].message == "`one_of` takes one or more values");
    auto mixed = check_field("field a: string validate one_of(\"a\", 1)");
    REQUIRE(mixed->codes() == std::vector<std::string>{"PT5003"});
  }
  SECTION("bounds in order") {
    auto c = check_field("field a: i64 validate between(10, 1)");
    REQUIRE(c->codes() == std::vector<std::string>{"PT5004"});
    CHECK(c->diagnostics()[0].message == "the lower bound 10 is above the upper bound 1");
    auto f = check_field("field a: f64 validate between(2.5, -0.5)");
    REQUIRE(f->codes() == std::vector<std::string>{"PT5004"});
    CHECK(f->diagnostics()[0].message == "the lower bound 2.5 is above the upper bound -0.5");
    auto eq = check_field("field a: i64 validate between(3, 3)");
    CHECK(eq->diagnostics().empty());
    auto len = check_field("field a: string validate length_between(5, 2)");
    REQUIRE(len->codes() == std::vector<std::string>{"PT5004"});
  }
  SECTION("patterns must compile") {
    auto c = check_field("field a: string validate matches(\"[a-\")");
    REQUIRE(c->codes() == std::vector<std::string>{"PT5005"});
    CHECK(c->diagnostics()[0].message.rfind(
              "the pattern \"[a-\" is not a valid regular expression: ", 0) == 0);
  }
  SECTION("defaults are literals that pass their own rules") {
    auto c = check_field("field a: i64 = 0 validate at_least(1) validate at_most(5)");
    REQUIRE(c->codes() == std::vector<std::string>{"PT5007"});
    CHECK(c->diagnostics()[0].message == "the default of 'a' breaks its own rule: at_least(...)");
    auto between = check_field("field a: i64 = 11 validate between(1, 10)");
    REQUIRE(between->codes() == std::vector<std::string>{"PT5007"});
    auto computed = check_field("field a: i64 = 1 + 1");
    REQUIRE(computed->codes() == std::vector<std::string>{"PT5006"});
    CHECK(computed->diagnostics()[0].message ==
          "a field default must be a literal, not a computed value");
    auto typed = check_field("field a: i64 = \"x\"");
    REQUIRE(typed->codes() == std::vector<std::string>{"PT3001"});
  }
}

TEST_CASE("match exhaustiveness", "[check]") {
  SECTION("an enum missing a member") {
    auto c = check_body("  match c {\n    when red { }\n    when green { }\n  }", "f(c: Color)");
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT3016"});
    const Diagnostic& d = c->diagnostics()[0];
    CHECK(d.message == "this match does not handle blue");
    CHECK(c->text_of(d.range) == "c");
    REQUIRE(d.fixes.size() == 1);
    CHECK(d.fixes[0].description == "add an otherwise arm");
  }
  SECTION("the otherwise fix, applied, makes the match exhaustive") {
    auto c = check_body("  match c {\n    when red { }\n  }", "f(c: Color)");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3016"});
    const Diagnostic& d = c->diagnostics()[0];
    REQUIRE(d.fixes.size() == 1);
    CHECK(c->text_of(d.fixes[0].edits[0].range) == "}");
    std::string fixed = fixed_text(*c, d);
    INFO(fixed);
    auto again = check_source(fixed);
    INFO(again->dump());
    CHECK(again->diagnostics().empty());
  }
  SECTION("several missing members are listed in order") {
    auto c = check_body("  match c {\n    when green { }\n  }", "f(c: Color)");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3016"});
    CHECK(c->diagnostics()[0].message == "this match does not handle red, blue");
  }
  SECTION("every member, or otherwise") {
    auto all =
        check_body("  match c {\n    when red, green { }\n    when blue { }\n  }", "f(c: Color)");
    CHECK(all->diagnostics().empty());
    auto other = check_body("  match c {\n    when red { }\n    otherwise { }\n  }", "f(c: Color)");
    CHECK(other->diagnostics().empty());
  }
  SECTION("a member twice, an unknown member, an arm after otherwise") {
    auto c = check_body(
        "  match c {\n    when red { }\n    when red, purple { }\n"
        "    otherwise { }\n    when blue { }\n  }",
        "f(c: Color)");
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT3017", "PT2007", "PT3017"});
    CHECK(c->diagnostics()[0].message == "`red` is already handled above");
    CHECK(c->diagnostics()[1].message == "enum 'Color' has no member 'purple'");
    CHECK(c->diagnostics()[2].message == "this arm comes after `otherwise` and never runs");
  }
  SECTION("optionals need some and none") {
    auto some = check_body("  match o {\n    when some(_v) { }\n  }", "f(o: optional<i64>)");
    REQUIRE(some->codes() == std::vector<std::string>{"PT3016"});
    CHECK(some->diagnostics()[0].message == "this match does not handle `none`");
    auto none = check_body("  match o {\n    when none { }\n  }", "f(o: optional<i64>)");
    REQUIRE(none->codes() == std::vector<std::string>{"PT3016"});
    CHECK(none->diagnostics()[0].message == "this match does not handle `some(...)`");
    auto both = check_body(
        "  match o {\n    when none { }\n    when some(v) { print_line(to_string(v)) }\n  }",
        "f(o: optional<i64>)");
    INFO(both->dump());
    CHECK(both->diagnostics().empty());
    auto other = check_body("  match o {\n    when some(_v) { }\n    otherwise { }\n  }",
                            "f(o: optional<i64>)");
    CHECK(other->diagnostics().empty());
  }
  SECTION("the capture has the optional's element type") {
    auto c = check_body("  match o {\n    when some(v) { print_line(v) }\n    when none { }\n  }",
                        "f(o: optional<string>)");
    INFO(c->dump());
    REQUIRE(c->diagnostics().empty());
    const MatchArm& arm = stmt(*c, "f", 0).arms[0];
    CHECK(type_name(arm.capture->type) == "string");
  }
  SECTION("only enums and optionals") {
    auto c = check_body("  match x {\n    otherwise { }\n  }", "f(x: i64)");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3017"});
    CHECK(c->diagnostics()[0].message == "`match` works on enums and optionals, not on i64");
    auto arms =
        check_body("  match c {\n    when some(_v) { }\n    otherwise { }\n  }", "f(c: Color)");
    REQUIRE(arms->codes() == std::vector<std::string>{"PT3017"});
  }
}

TEST_CASE("definite assignment", "[check]") {
  SECTION("assigned in both branches") {
    auto c = check_body(
        "  let_mut_var x: i64\n  if c {\n    set_var x = 1\n  } else {\n    set_var x = 2\n  }\n"
        "  return x",
        "f(c: bool) returns i64");
    INFO(c->dump());
    CHECK(c->diagnostics().empty());
  }
  SECTION("assigned in one branch") {
    auto c = check_body("  let_mut_var x: i64\n  if c {\n    set_var x = 1\n  }\n  return x",
                        "f(c: bool) returns i64");
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT4001"});
    const Diagnostic& d = c->diagnostics()[0];
    CHECK(d.message == "'x' may be used here before it has a value");
    CHECK(d.range.line == kFirstBodyLine + 4);
    CHECK(d.range.column == 10);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].message == "declared here without a value");
    CHECK(d.notes[0].range.line == kFirstBodyLine);
  }
  SECTION("the other branch leaves the function") {
    auto c = check_body(
        "  let_mut_var x: i64\n  if c {\n    set_var x = 1\n  } else {\n    return 0\n  }\n"
        "  return x",
        "f(c: bool) returns i64");
    INFO(c->dump());
    CHECK(c->diagnostics().empty());
  }
  SECTION("assigned only inside a while loop") {
    auto c = check_body("  let_mut_var x: i64\n  while c {\n    set_var x = 1\n  }\n  return x",
                        "f(c: bool) returns i64");
    REQUIRE(c->codes() == std::vector<std::string>{"PT4001"});
    CHECK(c->diagnostics()[0].range.line == kFirstBodyLine + 4);
  }
  SECTION("assigned only inside a for_each loop") {
    auto c = check_body(
        "  let_mut_var x: i64\n  for_each _i in xs {\n    set_var x = 1\n  }\n  return x",
        "f(xs: list<i64>) returns i64");
    REQUIRE(c->codes() == std::vector<std::string>{"PT4001"});
  }
  SECTION("assigned in every arm of an exhaustive match") {
    auto c = check_body(
        "  let_mut_var x: i64\n  match c {\n    when red { set_var x = 1 }\n"
        "    when green, blue { set_var x = 2 }\n  }\n  return x",
        "f(c: Color) returns i64");
    INFO(c->dump());
    CHECK(c->diagnostics().empty());
  }
  SECTION("reported once, at the first read") {
    auto c = check_body(
        "  let_mut_var x: i64\n  print_line(to_string(x))\n  print_line(to_string(x))\n"
        "  set_var x = 1");
    CHECK(c->codes() == std::vector<std::string>{"PT4001"});
  }
  SECTION("a binding needs a value or, for let_mut_var, a type") {
    auto c = check_body(
        "  let_immutable_var a: i64\n  let_mut_var b\n  set_var b = 1\n"
        "  print_line(to_string(a))");
    INFO(c->dump());
    REQUIRE(error_codes(*c) == std::vector<std::string>{"PT4006", "PT4006"});
    CHECK(c->diagnostics()[0].message ==
          "'a' needs a value: let_immutable_var bindings are set once, here");
    CHECK(c->diagnostics()[1].message == "'b' needs a type or a value");
  }
}

TEST_CASE("unreachable code after return and break", "[check]") {
  SECTION("after return: one warning for the rest of the block") {
    auto c = check_body("  return 1\n  print_line(\"a\")\n  print_line(\"b\")", "f() returns i64");
    INFO(c->dump());
    CHECK(c->ok);
    REQUIRE(c->codes() == std::vector<std::string>{"PT4002"});
    const Diagnostic& d = c->diagnostics()[0];
    CHECK(d.severity() == Severity::kWarning);
    CHECK(d.message == "this statement can never run");
    CHECK(d.range.line == kFirstBodyLine + 1);
    CHECK(c->text_of(d.range) == "print_line(\"a\")");
  }
  SECTION("after break") {
    auto c = check_body("  while true {\n    break\n    print_line(\"a\")\n  }");
    REQUIRE(c->codes() == std::vector<std::string>{"PT4002"});
    CHECK(c->diagnostics()[0].range.line == kFirstBodyLine + 2);
  }
  SECTION("after an if whose branches both return") {
    auto c =
        check_body("  if c {\n    return 1\n  } else {\n    return 2\n  }\n  print_line(\"a\")",
                   "f(c: bool) returns i64");
    REQUIRE(c->codes() == std::vector<std::string>{"PT4002"});
  }
  SECTION("after stop_program") {
    auto c = check_body("  stop_program(\"no\")\n  print_line(\"a\")", "f() returns i64");
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT4002"});
  }
}

TEST_CASE("missing return", "[check]") {
  auto c = check_body("  if c {\n    return 1\n  }", "f(c: bool) returns i64");
  REQUIRE(c->codes() == std::vector<std::string>{"PT3012"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.message == "`f` must return i64 on every path");
  CHECK(c->text_of(d.range) == "f");
  CHECK(d.range.line == kFirstBodyLine - 1);

  auto both = check_body(
      "  if c {\n    return 1\n  } else if not c {\n    return 2\n  } else {\n    return 3\n  }",
      "f(c: bool) returns i64");
  CHECK(both->diagnostics().empty());
  auto match = check_body("  match c {\n    when red { return 1 }\n    otherwise { return 2 }\n  }",
                          "f(c: Color) returns i64");
  CHECK(match->diagnostics().empty());
  // `while true` without a break only leaves through its returns.
  auto loop = check_body("  while true {\n    return 1\n  }", "f() returns i64");
  CHECK(loop->diagnostics().empty());
  auto broken = check_body("  while true {\n    break\n  }", "f() returns i64");
  CHECK(broken->codes() == std::vector<std::string>{"PT3012"});
  auto condition = check_body("  while c {\n    return 1\n  }", "f(c: bool) returns i64");
  CHECK(condition->codes() == std::vector<std::string>{"PT3012"});
  auto empty = check_body("", "f() returns string");
  CHECK(empty->codes() == std::vector<std::string>{"PT3012"});
  auto value = check_body("  return", "f() returns string");
  REQUIRE(value->codes() == std::vector<std::string>{"PT3010"});
  CHECK(value->diagnostics()[0].message == "this function returns string; `return` needs a value");
  auto nothing = check_body("  return 1");
  REQUIRE(nothing->codes() == std::vector<std::string>{"PT3011"});
  CHECK(nothing->diagnostics()[0].message == "`f` returns nothing, so `return` takes no value");
}

TEST_CASE("unused binding warning and its _name fix", "[check]") {
  auto c = check_body(
      "  let_immutable_var unused = 1\n  for_each item in range(0, 2) { }\n"
      "  let_immutable_var _quiet = 2");
  INFO(c->dump());
  CHECK(c->ok);
  REQUIRE(c->codes() == std::vector<std::string>{"PT4003", "PT4003"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.severity() == Severity::kWarning);
  CHECK(d.message == "'unused' is never used");
  CHECK(c->text_of(d.range) == "unused");
  REQUIRE(d.fixes.size() == 1);
  CHECK(d.fixes[0].description == "rename it to _unused to mark it unused on purpose");
  std::string fixed = fixed_text(*c, d);
  CHECK(fixed.find("  let_immutable_var _unused = 1\n") != std::string::npos);
  CHECK(c->diagnostics()[1].message == "'item' is never used");

  // After both fixes, the module is clean.
  std::vector<const Fix*> fixes{&c->diagnostics()[0].fixes[0], &c->diagnostics()[1].fixes[0]};
  std::string both = apply_fixes(c->sources.file(0).text, c->sources, 0, fixes);
  auto again = check_source(both);
  INFO(both);
  CHECK(again->diagnostics().empty());
}

TEST_CASE("unused parameters are warned about too", "[check]") {
  auto c = check_body("", "f(x: i64, _y: i64)");
  REQUIRE(c->codes() == std::vector<std::string>{"PT4003"});
  CHECK(c->diagnostics()[0].message == "'x' is never used");
}

TEST_CASE("never-mutated let_mut_var and its keyword fix", "[check]") {
  auto c = check_body("  let_mut_var n = 1\n  print_line(to_string(n))");
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT4005"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.severity() == Severity::kWarning);
  CHECK(d.message == "'n' is declared mutable but never changed");
  CHECK(c->text_of(d.range) == "n");
  REQUIRE(d.fixes.size() == 1);
  CHECK(d.fixes[0].description == "declare it with let_immutable_var");
  CHECK(c->text_of(d.fixes[0].edits[0].range) == "let_mut_var");
  std::string fixed = fixed_text(*c, d);
  CHECK(fixed.find("  let_immutable_var n = 1\n") != std::string::npos);
  CHECK(check_source(fixed)->diagnostics().empty());

  auto mutated = check_body("  let_mut_var n = 1\n  set_var n = n + 1\n  print_line(to_string(n))");
  CHECK(mutated->diagnostics().empty());
  auto appended =
      check_body("  let_mut_var xs = [1]\n  list_append(xs, 2)\n  print_line(to_json(xs))");
  CHECK(appended->diagnostics().empty());
}

TEST_CASE("assignment to an immutable binding, with the fix", "[check]") {
  auto c = check_body("  let_immutable_var n = 1\n  set_var n = 2\n  print_line(to_string(n))");
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT3013"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.message == "'n' cannot be changed: it is let_immutable_var");
  CHECK(c->text_of(d.range) == "set_var n = 2");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "declared here");
  CHECK(d.notes[0].range.line == kFirstBodyLine);
  REQUIRE(d.fixes.size() == 1);
  CHECK(d.fixes[0].description == "declare it with let_mut_var");
  CHECK(c->text_of(d.fixes[0].edits[0].range) == "let_immutable_var");
  std::string fixed = fixed_text(*c, d);
  CHECK(fixed.find("  let_mut_var n = 1\n  set_var n = 2\n") != std::string::npos);
  CHECK(check_source(fixed)->diagnostics().empty());

  SECTION("a field of an immutable binding") {
    auto f = check_body(
        "  let_immutable_var o = Order { id: \"a\", qty: 1 }\n  set_var o.qty = 2\n"
        "  print_line(to_json(o))");
    REQUIRE(f->codes() == std::vector<std::string>{"PT3013"});
    CHECK(f->diagnostics()[0].fixes.size() == 1);
  }
  SECTION("a parameter and a loop variable have no keyword to change") {
    auto p = check_body("  set_var x = 2", "f(x: i64)");
    REQUIRE(error_codes(*p) == std::vector<std::string>{"PT3013"});
    CHECK(p->diagnostics()[0].message == "'x' cannot be changed: it is a parameter");
    CHECK(p->diagnostics()[0].fixes.empty());
    auto l = check_body("  for_each i in range(0, 3) {\n    set_var i = 1\n  }");
    REQUIRE(error_codes(*l) == std::vector<std::string>{"PT3013"});
    CHECK(l->diagnostics()[0].message == "'i' cannot be changed: it is a loop or match variable");
  }
  SECTION("let_cow_var and let_mut_shared_var may change") {
    auto k = check_body(
        "  let_cow_var a = [1]\n  let_mut_shared_var b = 1\n  set_var a[0] = 2\n"
        "  set_var b = 3\n  print_line(to_json(a) + to_string(b))");
    INFO(k->dump());
    CHECK(k->diagnostics().empty());
  }
}

TEST_CASE("break and continue outside a loop", "[check]") {
  auto c = check_body("  break\n  continue");
  REQUIRE(c->codes() == std::vector<std::string>{"PT3022", "PT3022"});
  CHECK(c->diagnostics()[0].message == "`break` is only allowed inside while or for_each");
  CHECK(c->diagnostics()[1].message == "`continue` is only allowed inside while or for_each");
  CHECK(c->diagnostics()[0].range.line == kFirstBodyLine);
  auto inside = check_body(
      "  for_each _x in range(0, 3) {\n    if true {\n      continue\n    }\n    break\n  }");
  CHECK(inside->diagnostics().empty());
}

TEST_CASE("mutation builtins need a mutable binding", "[check]") {
  auto c = check_body(
      "  let_immutable_var xs = [1]\n  let_immutable_var m = [\"a\": 1]\n"
      "  list_append(xs, 2)\n  map_put(m, \"b\", 2)\n"
      "  print_line(to_string(map_remove(m, \"a\")))");
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT3013", "PT3013", "PT3013"});
  CHECK(c->diagnostics()[0].message == "'xs' cannot be changed: it is let_immutable_var");
  CHECK(c->text_of(c->diagnostics()[0].range) == "xs");
  CHECK(c->diagnostics()[0].range.line == kFirstBodyLine + 2);
  CHECK(c->diagnostics()[1].message == "'m' cannot be changed: it is let_immutable_var");
  CHECK(c->diagnostics()[2].range.line == kFirstBodyLine + 4);

  auto ok = check_body(
      "  let_mut_var xs = [1]\n  let_mut_var m = [\"a\": 1]\n"
      "  list_append(xs, 2)\n  map_put(m, \"b\", 2)\n"
      "  print_line(to_json(xs) + to_json(m))");
  INFO(ok->dump());
  CHECK(ok->diagnostics().empty());

  auto param = check_body("  list_append(xs, 1)", "f(xs: list<i64>)");
  REQUIRE(param->codes() == std::vector<std::string>{"PT3013"});
  CHECK(param->diagnostics()[0].message == "'xs' cannot be changed: it is a parameter");

  auto literal = check_body("  list_append([1], 2)");
  REQUIRE(literal->codes() == std::vector<std::string>{"PT3026"});
}

TEST_CASE("the builtins' signatures", "[check]") {
  SECTION("print_line takes a string, with a to_string fix") {
    auto c = check_body("  print_line(x)", "f(x: i64)");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3001"});
    const Diagnostic& d = c->diagnostics()[0];
    CHECK(d.message == "expected string but this is i64");
    REQUIRE(d.fixes.size() == 1);
    CHECK(fixed_text(*c, d).find("  print_line(to_string(x))\n") != std::string::npos);
    auto list = check_body("  print_line(xs)", "f(xs: list<i64>)");
    REQUIRE(list->codes() == std::vector<std::string>{"PT3001"});
    CHECK(list->diagnostics()[0].fixes.empty());
  }
  SECTION("argument counts") {
    auto c = check_body("  print_line(to_json(range(1)))\n  print_line(\"a\", \"b\")");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3006", "PT3006"});
    CHECK(c->diagnostics()[0].message == "'range' takes 2 argument(s), but 1 were given");
    CHECK(c->diagnostics()[1].message == "'print_line' takes 1 argument(s), but 2 were given");
    auto user =
        check_decls("function g(a: i64) { print_line(to_string(a)) }\nfunction f() {\n  g()\n}\n");
    REQUIRE(user->codes() == std::vector<std::string>{"PT3006"});
    CHECK(user->diagnostics()[0].message == "'g' takes 1 argument(s), but 0 were given");
  }
  SECTION("argument types") {
    auto c = check_body(
        "  print_line(to_string(length(1)))\n"
        "  print_line(to_json(map_get(xs, \"a\")))\n"
        "  print_line(to_string(list_contains(xs, \"s\")))\n"
        "  print_line(to_string(xs))\n"
        "  print_line(validation_error(1))",
        "f(xs: list<i64>)");
    INFO(c->dump());
    REQUIRE(c->codes() ==
            std::vector<std::string>{"PT3001", "PT3001", "PT3001", "PT3001", "PT3001"});
    CHECK(c->diagnostics()[0].message == "expected a list, map, string or bytes but this is i64");
    CHECK(c->diagnostics()[1].message == "expected a map<string, T> but this is list<i64>");
    CHECK(c->diagnostics()[2].message == "expected i64 but this is string");
    CHECK(c->diagnostics()[3].message ==
          "expected an i64, f64, bool, string, duration, timestamp or enum but this is list<i64>");
    CHECK(c->diagnostics()[4].message == "expected a schema value but this is i64");
  }
  SECTION("a builtin that returns nothing has no value") {
    auto c = check_body("  let_immutable_var v = print_line(\"a\")");
    INFO(c->dump());
    REQUIRE(error_codes(*c) == std::vector<std::string>{"PT3021"});
    CHECK(c->diagnostics()[0].message ==
          "'print_line' returns nothing, so its result cannot be used");
  }
  SECTION("decode_json needs a schema name") {
    auto c = check_body("  print_line(to_json(decode_json(\"\\{\\}\", Color)))");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3001"});
  }
  SECTION("map keys are strings") {
    auto c = check_body("  print_line(to_json([1: 2]))");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3001"});
    CHECK(c->diagnostics()[0].message == "expected string but this is i64");
    auto t = check_decls("schema S {\n  field m: map<i64, string>\n}\n");
    REQUIRE(t->codes() == std::vector<std::string>{"PT3023"});
    CHECK(t->diagnostics()[0].message == "map keys must be string, not i64");
  }
}

TEST_CASE("recursive schemas: via optional refused, via list allowed", "[check]") {
  SECTION("through optional") {
    auto c = check_source(
        "module m\nschema Node {\n  field value: i64\n  field next: optional<Node>\n}\n");
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT3024"});
    const Diagnostic& d = c->diagnostics()[0];
    CHECK(d.message == "schema 'Node' contains itself through field next");
    CHECK(c->text_of(d.range) == "Node");
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].message == "hold the nested values in a list<Node>");
  }
  SECTION("directly") {
    auto c = check_source("module m\nschema Node {\n  field self: Node\n}\n");
    REQUIRE(c->codes() == std::vector<std::string>{"PT3024"});
  }
  SECTION("through another schema") {
    auto c = check_source(
        "module m\nschema A {\n  field b: B\n}\nschema B {\n  field a: optional<A>\n}\n");
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT3024", "PT3024"});
    CHECK(c->diagnostics()[0].message == "schema 'A' contains itself through field b.a");
    CHECK(c->diagnostics()[1].message == "schema 'B' contains itself through field a.b");
  }
  SECTION("through a list or a map") {
    auto c = check_source(
        "module m\nschema Tree {\n  field children: list<Tree>\n"
        "  field named: map<string, Tree>\n}\n");
    INFO(c->dump());
    CHECK(c->diagnostics().empty());
  }
  SECTION("a schema used twice is not a cycle") {
    auto c = check_source(
        "module m\nschema P {\n  field x: i64\n}\nschema Line {\n  field a: P\n  field b: "
        "optional<P>\n}\n");
    CHECK(c->diagnostics().empty());
  }
}

TEST_CASE("reserved dialect constructs give PT9001", "[check]") {
  auto c = check_source(
      "module m\noltp_table orders by region { shards: 4 }\n"
      "olap_table facts\nnagini_component events\nfunction f() { }\n");
  INFO(c->dump());
  CHECK_FALSE(c->ok);
  REQUIRE(c->codes() == std::vector<std::string>{"PT9001", "PT9001", "PT9001"});
  CHECK(c->diagnostics()[0].message ==
        "`oltp_table` is not yet supported by this parsel: tables arrive with the OLTP store");
  CHECK(c->text_of(c->diagnostics()[0].range) == "oltp_table");
  CHECK(c->diagnostics()[1].message ==
        "`olap_table` is not yet supported by this parsel: tables arrive with the OLAP store");
  CHECK(c->diagnostics()[2].range.line == 4);
}

TEST_CASE("conditions and statements that compute nothing", "[check]") {
  auto c = check_body("  if x {\n  }\n  while 1 {\n  }", "f(x: optional<i64>)");
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT3004", "PT3004"});
  CHECK(c->diagnostics()[0].message == "the condition of `if` must be bool, not optional<i64>");
  CHECK(c->diagnostics()[1].message == "the condition of `while` must be bool, not i64");
  auto v = check_body("  x + 1\n  x", "f(x: i64)");
  REQUIRE(v->codes() == std::vector<std::string>{"PT3020", "PT3020"});
  CHECK(v->diagnostics()[0].message == "this expression is computed and then thrown away");
  CHECK(v->diagnostics()[1].message == "this name is computed and then thrown away");
}

TEST_CASE("names: duplicates, shadowing, things that are not values", "[check]") {
  auto c = check_body(
      "  let_immutable_var a = 1\n  if true {\n    let_immutable_var a = 2\n"
      "    print_line(to_string(a))\n  }\n  print_line(to_string(a))");
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT2005"});
  CHECK(c->diagnostics()[0].message == "'a' is already bound in this function");
  CHECK(c->diagnostics()[0].range.line == kFirstBodyLine + 2);

  auto sibling = check_body(
      "  if true {\n    let_immutable_var a = 1\n    print_line(to_string(a))\n  }\n"
      "  if true {\n    let_immutable_var a = 2\n    print_line(to_string(a))\n  }");
  CHECK(sibling->diagnostics().empty());

  auto values = check_body(
      "  print_line(to_json(Order))\n  print_line(to_json(Color))\n"
      "  print_line(to_json(f))");
  REQUIRE(values->codes() == std::vector<std::string>{"PT2014", "PT2014", "PT2014"});
  CHECK(values->diagnostics()[0].message == "'Order' is a schema (a type), not a value");
  CHECK(values->diagnostics()[2].message == "'f' is a function; call it with ( ), not a value");

  auto member = check_body("  print_line(to_string(Color.purple))");
  REQUIRE(member->codes() == std::vector<std::string>{"PT2007"});
  CHECK(member->diagnostics()[0].message == "enum 'Color' has no member 'purple'");
}

TEST_CASE("a binding cannot change while for_each or match walks it", "[check]") {
  auto c = check_body(
      "  let_mut_var xs = [1, 2]\n"
      "  for_each x in xs {\n"
      "    list_append(xs, x)\n"
      "  }\n"
      "  list_append(xs, 3)\n"
      "  print_line(to_json(xs))");
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT3027"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.message == "'xs' cannot change inside the for_each that walks it");
  CHECK(d.range.line == kFirstBodyLine + 2);
  CHECK(c->text_of(d.range) == "xs");

  auto m = check_body(
      "  let_mut_var o: optional<i64> = some(1)\n"
      "  match o {\n"
      "    when some(v) { set_var o = some(v + 1) }\n"
      "    when none { }\n"
      "  }\n"
      "  set_var o = none\n"
      "  print_line(to_json(o))");
  INFO(m->dump());
  REQUIRE(m->codes() == std::vector<std::string>{"PT3027"});
  CHECK(m->diagnostics()[0].message == "'o' cannot change inside the match that walks it");
  CHECK(m->diagnostics()[0].range.line == kFirstBodyLine + 2);

  // Another binding may change inside the loop.
  auto other = check_body(
      "  let_mut_var total = 0\n"
      "  for_each x in [1, 2] {\n"
      "    set_var total = total + x\n"
      "  }\n"
      "  print_line(to_string(total))");
  CHECK(other->diagnostics().empty());
}

TEST_CASE("slytherin consumers: runs_on, reads, and publish_message from any code", "[check]") {
  auto c = check_source(
      "module m\n"
      "schema Order { field id: i64 }\n"
      "channel jobs carries Order { kind: spsc }\n"
      "slytherin_topic orders carries Order { partitions: 2 }\n"
      "slytherin_consumer a runs_on Order reads orders group \"a\" {\n"
      "  on_message(order: Order) { print_line(\"{order.id}\") }\n"
      "}\n"
      "slytherin_consumer b runs_on Order reads jobs group \"b\" {\n"
      "  on_message(order: Order) { print_line(\"{order.id}\") }\n"
      "}\n"
      "function place(id: i64) { publish_message(orders, Order { id: id }) }\n"
      "program main { publish_message(orders, Order { id: 1 }) }\n");
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT6004", "PT6004", "PT7011"});
  CHECK(c->diagnostics()[2].message == "'jobs' is not a slytherin_topic");
  REQUIRE(c->diagnostics()[2].notes.size() == 1);
  CHECK(c->diagnostics()[2].notes[0].message ==
        "it is a channel: a channel_receiver reads channels");
  const Decl& a = *c->main().decls[3];
  CHECK(a.kind == DeclKind::kConsumer);
  CHECK(a.topic == c->main().decls[2].get());
}

TEST_CASE("the plan of a topic: defaults, settings, and its consumers' partition in use",
          "[check]") {
  auto c = check_source(
      "module m\n"
      "schema Order { field id: i64  field customer: string }\n"
      "partition stream { cores: 1, scheduler: messaging }\n"
      "slytherin_topic plain carries Order { partitions: 1 }\n"
      "slytherin_topic full carries Order {\n"
      "  partitions: 8, retention: 2 hours, retention_bytes: 4096, segment_bytes: 2048\n"
      "  durability: none, latency_budget: p999 under 250 us, key: customer, encoding: json\n"
      "}\n"
      "slytherin_consumer count runs_on stream reads full group \"count\" members 8 {\n"
      "  on_message(order: Order) { print_line(\"{order.id}\") }\n"
      "}\n");
  INFO(c->dump());
  REQUIRE(c->ok);
  DiagnosticSink sink;
  SystemPlan plan = plan_system(c->program, MachineOptions{}, sink);
  CHECK(sink.all().empty());  // no PT6010: consumers use the partition
  REQUIRE(plan.topics.size() == 2);
  const TopicPlan& plain = plan.topics[0];
  CHECK(plain.partitions == 1);
  CHECK(plain.durability == Durability::kFsyncBatched);
  CHECK(plain.fsync_max_delay_ns == 5'000'000);
  CHECK(plain.retention_ms == 0);
  CHECK(plain.retention_bytes == -1);
  CHECK(plain.segment_bytes == 64LL << 20);
  CHECK_FALSE(plain.has_budget);
  CHECK(plain.key == nullptr);
  CHECK(plain.encoding == TopicEncoding::kBinary);
  const TopicPlan& full = plan.topics[1];
  CHECK(full.partitions == 8);
  CHECK(full.retention_ms == 2 * 3600 * 1000);
  CHECK(full.retention_bytes == 4096);
  CHECK(full.segment_bytes == 2048);
  CHECK(full.durability == Durability::kNone);
  CHECK(full.has_budget);
  CHECK(full.budget_quantile == "p999");
  CHECK(full.quantile == Approx(0.999));
  CHECK(full.budget_ns == 250'000);
  REQUIRE(full.key != nullptr);
  CHECK(full.key->name == "customer");
  CHECK(full.encoding == TopicEncoding::kJson);
  REQUIRE(full.consumers.size() == 1);
  CHECK(full.consumers[0]->group_members == 8);
  REQUIRE(plan.partitions.size() == 1);
  CHECK(plan.partitions[0].runs.size() == 1);
}
