// The resolver (sema/resolve.cpp): modules, imports, declarations and types across modules.
#include <catch2/catch.hpp>

#include "compiler_test_support.h"

using namespace pt;
using namespace pt::testing;

namespace {

const char* kMoney = R"(module shop.money

schema Money {
  field cents: i64
}

enum Currency { eur, usd }

function zero() returns Money {
  return Money { cents: 0 }
}
)";

std::vector<std::string> module_names(const Compiled& c) {
  std::vector<std::string> out;
  for (const auto& m : c.program.modules) out.push_back(m->name);
  return out;
}

}  // namespace

TEST_CASE("imports: qualified and unqualified use of another module", "[resolve]") {
  auto c = check_sources({{"orders.pt", R"(module shop.orders

import shop.money

function total(currency: money.Currency) returns money.Money {
  let_immutable_var a = money.zero()
  let_immutable_var b: Money = zero()
  if a.cents == b.cents and currency == money.Currency.usd and currency != Currency.eur {
    return a
  }
  return b
}
)"},
                          {"money.pt", kMoney}});
  INFO(c->dump());
  CHECK(c->ok);
  CHECK(c->diagnostics().empty());
  // Imports come first after checking, whatever the order of the files.
  CHECK(module_names(*c) == std::vector<std::string>{"shop.money", "shop.orders"});
  Module& orders = *c->module("shop.orders");
  Module& money = *c->module("shop.money");
  REQUIRE(orders.imports.size() == 1);
  CHECK(orders.imports[0].target == &money);
  CHECK(orders.imports[0].used);

  Decl& zero = *money.decls[2];
  REQUIRE(zero.name == "zero");
  Decl& total = *orders.decls[0];
  const Expr& qualified = *total.body[0]->value;
  REQUIRE(qualified.kind == ExprKind::kCall);
  CHECK(qualified.decl == &zero);
  CHECK(qualified.type == money.decls[0]->type);
  const Expr& unqualified = *total.body[1]->value;
  CHECK(unqualified.decl == &zero);
  CHECK(total.type == money.decls[0]->type);
  CHECK(total.params[0].binding->type == money.decls[1]->type);
  CHECK(total.params[0].type.resolved->decl == money.decls[1].get());
  CHECK(total.body[1]->declared_type->resolved == money.decls[0]->type);
}

TEST_CASE("a qualified call to a missing member", "[resolve]") {
  auto c =
      check_sources({{"a.pt", "module a\nimport shop.money\nfunction f() {\n  money.nope()\n}\n"},
                     {"money.pt", kMoney}});
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT3007"});
  CHECK(c->diagnostics()[0].message == "module shop.money has no member 'nope'");
  CHECK(c->text_of(c->diagnostics()[0].range) == "money.nope");
}

TEST_CASE("unknown module", "[resolve]") {
  auto c = check_source("module a\n\nimport shop.nowhere\n\nfunction f() { }\n");
  INFO(c->dump());
  CHECK_FALSE(c->ok);
  REQUIRE(c->codes() == std::vector<std::string>{"PT2003"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.message == "no module named 'shop.nowhere' in this project");
  CHECK(d.range.line == 3);
  CHECK(d.range.column == 8);
  CHECK(d.range.end_column == 20);
  CHECK(c->main().imports[0].target == nullptr);
}

TEST_CASE("import cycle with its path", "[resolve]") {
  auto c = check_sources({{"a.pt", "module a\nimport b\nfunction fa() { }\n"},
                          {"b.pt", "module b\nimport c\nfunction fb() { }\n"},
                          {"c.pt", "module c\n\nimport a\nfunction fc() { }\n"}});
  INFO(c->dump());
  CHECK_FALSE(c->ok);
  REQUIRE(c->codes() == std::vector<std::string>{"PT2009"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.message == "modules import each other in a cycle: a -> b -> c -> a");
  CHECK(c->sources.file(d.range.file).path == "c.pt");
  CHECK(d.range.line == 3);
  CHECK(c->text_of(d.range) == "a");
}

TEST_CASE("a module importing itself is a cycle", "[resolve]") {
  auto c = check_source("module a\nimport a\n");
  REQUIRE(c->codes() == std::vector<std::string>{"PT2009"});
  CHECK(c->diagnostics()[0].message == "modules import each other in a cycle: a -> a");
}

TEST_CASE("a cycle that does not include the first module", "[resolve]") {
  auto c = check_sources({{"app.pt", "module app\nimport x\nfunction f() { }\n"},
                          {"x.pt", "module x\nimport y\n"},
                          {"y.pt", "module y\nimport x\n"}});
  REQUIRE(c->codes() == std::vector<std::string>{"PT2009"});
  CHECK(c->diagnostics()[0].message == "modules import each other in a cycle: x -> y -> x");
}

TEST_CASE("ambiguous names between two imports", "[resolve]") {
  const SourceText one{"one.pt",
                       "module one\nfunction helper() returns i64 { return 1 }\n"
                       "schema Item { field n: i64 }\n"};
  const SourceText two{"two.pt",
                       "module two\nfunction helper() returns i64 { return 2 }\n"
                       "schema Item { field s: string }\n"};

  SECTION("an unqualified call") {
    auto c = check_sources({{"app.pt",
                             "module app\nimport one\nimport two\n"
                             "function f() returns i64 {\n  return helper()\n}\n"},
                            one,
                            two});
    INFO(c->dump());
    CHECK_FALSE(c->ok);
    REQUIRE(c->codes() == std::vector<std::string>{"PT2008"});
    const Diagnostic& d = c->diagnostics()[0];
    CHECK(d.message == "'helper' is declared by more than one imported module");
    CHECK(d.range.line == 5);
    CHECK(c->text_of(d.range) == "helper");
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].message == "write one.helper or two.helper");
  }
  SECTION("an unqualified type") {
    auto c = check_sources({{"app.pt",
                             "module app\nimport one\nimport two\n"
                             "function f(x: Item) returns i64 {\n  return 0\n}\n"},
                            one,
                            two});
    INFO(c->dump());
    // The parameter is unused (a warning); the imports count as used.
    REQUIRE(c->codes() == std::vector<std::string>{"PT2008", "PT4003"});
    CHECK(c->text_of(c->diagnostics()[0].range) == "Item");
  }
  SECTION("an unqualified schema literal") {
    auto c = check_sources({{"app.pt",
                             "module app\nimport one\nimport two\n"
                             "function f() {\n  print_line(to_json(Item { n: 1 }))\n}\n"},
                            one,
                            two});
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT2008"});
  }
  SECTION("an unqualified schema name given to decode_json") {
    auto c =
        check_sources({{"app.pt",
                        "module app\nimport one\nimport two\n"
                        "function f() {\n  print_line(decode_json_error(\"\\{\\}\", Item))\n}\n"},
                       one,
                       two});
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT2008"});
  }
  SECTION("an unqualified name used as a value") {
    auto c = check_sources({{"app.pt",
                             "module app\nimport one\nimport two\n"
                             "function f() {\n  print_line(to_json(helper))\n}\n"},
                            one,
                            two});
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT2008"});
  }
  SECTION("qualified names are not ambiguous") {
    auto c = check_sources({{"app.pt",
                             "module app\nimport one\nimport two\n"
                             "function f(a: one.Item, b: two.Item) returns i64 {\n"
                             "  return one.helper() + two.helper() + a.n + length(b.s)\n}\n"},
                            one,
                            two});
    INFO(c->dump());
    CHECK(c->ok);
    CHECK(c->diagnostics().empty());
  }
  SECTION("the module's own declaration wins over imports") {
    auto c = check_sources({{"app.pt",
                             "module app\nimport one\nimport two\n"
                             "function helper() returns i64 { return 3 }\n"
                             "function f() returns i64 {\n  return helper()\n}\n"},
                            one,
                            two});
    INFO(c->dump());
    CHECK(c->ok);
    // Neither import is used now.
    CHECK(c->codes() == std::vector<std::string>{"PT4004", "PT4004"});
  }
}

TEST_CASE("duplicate declarations", "[resolve]") {
  auto c = check_source(R"(module m

function f() { }

schema f { field x: i64 }

enum E { a }
enum E { b }
)");
  INFO(c->dump());
  CHECK_FALSE(c->ok);
  REQUIRE(c->codes() == std::vector<std::string>{"PT2004", "PT2004"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.message == "'f' is already declared in this module");
  CHECK(d.range.line == 5);
  CHECK(d.range.column == 8);
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].range.line == 3);
  CHECK(d.notes[0].range.column == 10);
  CHECK(d.notes[0].message == "the first declaration");
  CHECK(c->diagnostics()[1].range.line == 8);
}

TEST_CASE("duplicate modules", "[resolve]") {
  auto c = check_sources({{"a.pt", "module shop\nfunction fa() { }\n"},
                          {"b.pt", "\nmodule shop\nfunction fb() { }\n"}});
  INFO(c->dump());
  CHECK_FALSE(c->ok);
  REQUIRE(c->count("PT0006") == 1);
  const Diagnostic& d = *c->find("PT0006");
  CHECK(d.message == "two files declare module 'shop'");
  CHECK(c->sources.file(d.range.file).path == "b.pt");
  CHECK(d.range.line == 2);
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "the other file");
  CHECK(c->sources.file(d.notes[0].range.file).path == "a.pt");
  CHECK(c->codes() == std::vector<std::string>{"PT0006"});
}

TEST_CASE("types from other modules", "[resolve]") {
  auto c = check_sources({{"cart.pt", R"(module cart
import shop.money
schema Cart {
  field total: money.Money
  field totals: list<money.Money>
  field by_name: map<string, optional<money.Currency>>
}
)"},
                          {"money.pt", kMoney}});
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  Decl& cart = *c->decl("Cart");
  Module& money = *c->module("shop.money");
  const Type* m = cart.fields[0].type.resolved;
  REQUIRE(m != nullptr);
  CHECK(m->kind == Type::Kind::kSchema);
  CHECK(m->decl == money.decls[0].get());
  CHECK(type_name(cart.fields[1].type.resolved) == "list<Money>");
  CHECK(cart.fields[1].type.resolved->element == m);
  CHECK(type_name(cart.fields[2].type.resolved) == "map<string, optional<Currency>>");
}

TEST_CASE("unknown qualified types", "[resolve]") {
  auto c = check_sources({{"cart.pt", R"(module cart
import shop.money
schema Cart {
  field a: money.Nope
  field b: elsewhere.Thing
  field c: money.zero
}
)"},
                          {"money.pt", kMoney}});
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT2002", "PT2002", "PT2002"});
  CHECK(c->diagnostics()[0].message == "there is no type named 'money.Nope'");
  CHECK(c->text_of(c->diagnostics()[0].range) == "money.Nope");
  CHECK(c->diagnostics()[1].message == "there is no type named 'elsewhere.Thing'");
  CHECK(c->diagnostics()[2].message == "there is no type named 'money.zero'");
}

TEST_CASE("unknown types suggest the built-in spelling", "[resolve]") {
  auto c = check_source("module m\nschema S {\n  field a: int\n  field b: Widget\n}\n");
  REQUIRE(c->codes() == std::vector<std::string>{"PT2002", "PT2002"});
  const Diagnostic& a = c->diagnostics()[0];
  CHECK(a.message == "there is no type named 'int'");
  REQUIRE(a.fixes.size() == 1);
  CHECK(a.fixes[0].description == "write i64");
  CHECK(a.fixes[0].edits[0].replacement == "i64");
  CHECK(c->text_of(a.fixes[0].edits[0].range) == "int");
  CHECK(c->diagnostics()[1].fixes.empty());
}

TEST_CASE("modules are ordered imports-first after checking", "[resolve]") {
  auto c = check_sources({{"app.pt",
                           "module app\nimport util\nimport base\n"
                           "function f() returns i64 { return util.g() + base.h() }\n"},
                          {"util.pt",
                           "module util\nimport base\n"
                           "function g() returns i64 { return base.h() }\n"},
                          {"side.pt", "module side\nfunction s() { }\n"},
                          {"base.pt", "module base\nfunction h() returns i64 { return 1 }\n"}});
  INFO(c->dump());
  REQUIRE(c->diagnostics().empty());
  auto order = module_names(*c);
  REQUIRE(order.size() == 4);
  auto pos = [&](const std::string& n) {
    return std::find(order.begin(), order.end(), n) - order.begin();
  };
  CHECK(pos("base") < pos("util"));
  CHECK(pos("util") < pos("app"));
  // Depth-first from the files' order: base, util, app, then side.
  CHECK(order == std::vector<std::string>{"base", "util", "app", "side"});
}

TEST_CASE("a project module may not take a std. name", "[resolve]") {
  auto c = check_source("module std.mine\nfunction f() { }\n");
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT2015"});
  CHECK(c->diagnostics()[0].message ==
        "the standard library module 'std.mine' must be named as it is imported");
  CHECK(c->text_of(c->diagnostics()[0].range) == "std.mine");

  auto stdlib = check_sources({{"<stdlib>/mine.pt", "module std.mine\nfunction f() { }\n", true}});
  CHECK(stdlib->diagnostics().empty());
}

TEST_CASE("unused imports are warnings with a fix that removes the line", "[resolve]") {
  auto c = check_sources({{"app.pt",
                           "module app\n\nimport shop.money\nimport used\n\n"
                           "function f() returns i64 { return used.one() }\n"},
                          {"money.pt", kMoney},
                          {"used.pt", "module used\nfunction one() returns i64 { return 1 }\n"}});
  INFO(c->dump());
  CHECK(c->ok);  // warnings only
  REQUIRE(c->codes() == std::vector<std::string>{"PT4004"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.severity() == Severity::kWarning);
  CHECK(d.message == "nothing from module 'shop.money' is used");
  CHECK(d.range.line == 3);
  REQUIRE(d.fixes.size() == 1);
  const TextEdit& e = d.fixes[0].edits[0];
  CHECK(e.range.line == 3);
  CHECK(e.range.column == 1);
  CHECK(e.range.end_line == 4);
  CHECK(e.range.end_column == 1);
  CHECK(e.replacement.empty());
  std::string fixed =
      apply_fixes(c->sources.file(d.range.file).text, c->sources, d.range.file, {&d.fixes[0]});
  CHECK(fixed == "module app\n\nimport used\n\nfunction f() returns i64 { return used.one() }\n");
}

TEST_CASE("an import used only in a type counts as used", "[resolve]") {
  auto c = check_sources(
      {{"app.pt", "module app\nimport shop.money\nschema S { field m: money.Money }\n"},
       {"money.pt", kMoney}});
  INFO(c->dump());
  CHECK(c->diagnostics().empty());
}

TEST_CASE("standard library modules do not report unused imports", "[resolve]") {
  auto c = check_sources({{"<stdlib>/a.pt", "module std.a\nimport std.b\n", true},
                          {"<stdlib>/b.pt", "module std.b\n", true}});
  CHECK(c->diagnostics().empty());
}

TEST_CASE("programs: another module's program is not importable, one per project", "[resolve]") {
  SECTION("not visible through an import") {
    auto c = check_sources({{"a.pt", "module a\nimport b\nfunction f() {\n  main()\n}\n"},
                            {"b.pt", "module b\nprogram main { }\n"}});
    INFO(c->dump());
    CHECK(c->count("PT2001") == 1);
  }
  SECTION("two programs") {
    auto c = check_sources(
        {{"a.pt", "module a\nprogram one { }\n"}, {"b.pt", "module b\nprogram two { }\n"}});
    INFO(c->dump());
    REQUIRE(c->codes() == std::vector<std::string>{"PT2011"});
    CHECK(c->diagnostics()[0].message == "a second `program` 'two'; a project has one");
    CHECK(c->program.entry == c->decl("one"));
  }
  SECTION("a binary needs one") {
    CheckOptions options;
    options.require_entry = true;
    auto c = check_sources({{"a.pt", "module a\nfunction f() { }\n"}}, options);
    REQUIRE(c->codes() == std::vector<std::string>{"PT2010"});
    CHECK(c->program.entry == nullptr);
    auto ok = check_sources({{"a.pt", "module a\nprogram main { }\n"}}, options);
    CHECK(ok->diagnostics().empty());
    CHECK(ok->program.entry == ok->decl("main"));
  }
}

TEST_CASE("unknown names suggest a close one", "[resolve]") {
  auto c = check_source("module m\nfunction helper() { }\nfunction f() {\n  helpr()\n}\n");
  INFO(c->dump());
  REQUIRE(c->codes() == std::vector<std::string>{"PT2001"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.message == "nothing named 'helpr' is in scope here");
  REQUIRE(d.fixes.size() == 1);
  CHECK(d.fixes[0].edits[0].replacement == "helper");
  CHECK(c->text_of(d.fixes[0].edits[0].range) == "helpr");
}
