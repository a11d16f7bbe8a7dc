// syntax/fast_parse.h against the ANTLR path (parse_file_with_antlr, built from
// grammar/Parseltongue.g4): whenever the fast parser returns a module, the ANTLR path must report
// no diagnostic and build the same AST (syntax/ast_dump.h: every field, every source range). On
// every .pt file of the repository and the fuzz corpus, on tricky snippets, and on seeded random
// and mutated inputs. Most valid files must take the fast path.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compiler_test_support.h"
#include "diag/diagnostic.h"
#include "syntax/ast_dump.h"
#include "syntax/fast_parse.h"
#include "syntax/parse.h"

namespace fs = std::filesystem;

namespace {

struct Counts {
  std::size_t inputs = 0;
  std::size_t fast = 0;      // the fast parser returned a module
  std::size_t eligible = 0;  // ANTLR: no diagnostic and only core declarations
  std::size_t eligible_fast = 0;
};

bool core_only(const pt::Module& m) {
  for (const auto& d : m.decls) {
    switch (d->kind) {
      case pt::DeclKind::kSchema:
      case pt::DeclKind::kEnum:
      case pt::DeclKind::kFunction:
      case pt::DeclKind::kRuntimeFunction:
      case pt::DeclKind::kProgram:
        break;
      default:
        return false;
    }
  }
  return true;
}

// Parses `text` both ways and checks the fast parser's contract.
void check_same(const std::string& text, const std::string& what, Counts& counts) {
  if (pt::invalid_utf8_at(text) != std::string_view::npos) return;  // neither path lexes it
  pt::SourceManager sources;
  std::uint32_t id = sources.add("test.pt", text);
  pt::DiagnosticSink sink;
  auto reference = pt::parse_file_with_antlr(sources, id, sink);
  auto fast = pt::fast_parse(text, id);
  ++counts.inputs;
  bool eligible = sink.all().empty() && core_only(*reference);
  counts.eligible += eligible;
  if (fast == nullptr) return;
  ++counts.fast;
  counts.eligible_fast += eligible;
  INFO(what);
  INFO(text.substr(0, 2000));
  if (!sink.all().empty()) {
    FAIL_CHECK(
        "the fast parser accepted a file the ANTLR path reports: " << sink.all().front().message);
    return;
  }
  std::string expected = pt::dump_ast(*reference);
  std::string actual = pt::dump_ast(*fast);
  if (expected != actual) {
    // The first differing line is what matters.
    std::istringstream e(expected), a(actual);
    std::string el, al;
    int line = 1;
    while (std::getline(e, el) && std::getline(a, al) && el == al) ++line;
    FAIL_CHECK("ASTs differ at dump line " << line << "\n  ANTLR: " << el << "\n  fast:  " << al);
  }
}

}  // namespace

TEST_CASE("fast parser matches the ANTLR path on tricky inputs", "[fast_parse]") {
  // Valid inputs: the fast parser must take them.
  const char* accepted[] = {
      "",
      "/// only a doc comment\n",
      "module a.b.c\nimport x.y\nimport z\n/// doc 1\n///doc 2\n///  doc 3\nschema S {\n"
      "  /// field doc\n  field a: i64 = -9223372036854775808 validate range(-1, 10)\n"
      "  field b: map<string, list<optional<x.T>>> = [:]\n  field c: list<i64> = [1, 2,]\n"
      "  field d: f64 = 1_000.5e-3\n  field e: duration = 5 ms validate min(1\tsecond) "
      "validate max(7days)\n}",
      "enum E { A, B, }\nenum F { X }\n/// f\n/// g\nfunction f(a: i64, b: list<S>) returns i64 {\n"
      "  return a\n}",
      "runtime_function now() returns timestamp binds \"hallows::now{x}\\q\"",
      "program main {\n  let_immutable_var x = 1\n  let_mut_var y: i64\n  let_cow_var z: S = "
      "S { a: 1, b: \"x\", }\n  let_mut_shared_var w = S {}\n  set_var y = x + 2 * 3 - 4 / 5 % 6\n"
      "  set_var s.a[i + 1].b[j] = not a and b or c == d\n}",
      "function g() {\n  if a < b { return } else if c { break } else if d { f() } else { continue "
      "}\n  while x != y { x() }\n  for_each k, v in m { print(k) }\n  for_each e in items { }\n"
      "  match o { when some(v) { } when none { } }\n  match e { when A, B { } otherwise { } }\n}",
      "function h() {\n  return\n  -1\n}",
      "function h() {\n  x\n  (y)\n  z\n  [1]\n  a\n  -b\n  return\n}",
      "function h() {\n  if S { a: 1 }.a { }\n  if f(S {}) { }\n  if (S {}) == s { }\n}",
      "function h() {\n  if ready {}\n  if ready {} else {}\n  while x {} return\n}",
      "function h() {\n  if S {} { }\n  if S {}.a == 1 { }\n  if S {} == s { }\n  match S {} { "
      "}\n}",
      "function h() { match x {} }",
      "function h() {\n  print(\"a {x} b {y.z(1, f(\"q\"))} c {-5} \\{ \\} \\n é {\"é\"} 😀 "
      "{w}\")\n}",
      "function h() { print(\"{  x  }\") print(\"{x /// doc}\") print(\"{x // c}\") }",
      "function h() { print(\"{[1,2]}\") print(\"{m[\"k\"]}\") print(\"x{-a}y{not b}\") }",
      "function h() {\n  unsafe_cpp(inputs: a, b; outputs: c: i64, d: list<string>) {\n"
      "    c = a + b; { d.push_back(1); }\n  é }\n  unsafe_cpp(inputs: ; outputs: ) {}\n"
      "  unsafe_cpp(inputs: ; outputs: ) { one line }\n}",
      "function h() { let_immutable_var x = - -9223372036854775808 }",
      "function h() { let_immutable_var x = -5.abs() + -(3) + -[1][0] - -1.5 - -2 ms }",
      "function h() { let_immutable_var x = some(1) == none }",
      "function h() { let_immutable_var x = [a: 1, b: 2,] let_immutable_var y = [[1], [], [:]] }",
      "schema S {}\r\n\r\nschema T {\r\n  field a: i64\r\n}\r\n",
      "function h() { set_var a[ b ] = 1 set_var a[(b)] = 1 set_var a.b.c = (1) }",
      "function h() { f(a)(b)[c].d(e) }",
      "function h() { let_immutable_var s = \"é😀\" + (\"λ\") + \"{x}\"[0] }",
      "function h() {\n  /// a doc comment in a body\n  f()\n}\n/// doc\n\n\n/// doc after blank "
      "lines\nschema S {\n  field a: i64 /// trailing\n  /// doc of b\n  field b: i64\n}",
      "/* block\n comment */ schema /* inside */ S { /**/ }",
  };
  // Inputs with a syntax error, a diagnostic or a dialect declaration: the fast parser may bail
  // (and must, where the ANTLR path reports something).
  const char* others[] = {
      "function h() { print(\"{ }\") }",
      "function h() { print(\"{x /* c}\") }",
      "function h() { print(\"{S {a: 1}}\") }",
      "function h() { x; }",
      "function h() { let_immutable_var x = 99999999999999999999 }",
      "function h() { let_immutable_var x = -9223372036854775809 }",
      "function h() { let_immutable_var x = 106751 days + 106752 days }",
      "function h() { let_immutable_var x = 5 msx }",
      "function h() { let_immutable_var x = \"bad \\q escape\" }",
      "function h() { let_immutable_var x = \"unterminated }",
      "function h() { let_immutable_var x = a /* unterminated }",
      "partition p { cores: 1 }",
      "function h() {}\nbasilisk_service s { }",
      "schema S { field x: list<i64>= [] }",
      "function h() { let_immutable_var y = [a: 1, b] }",
      "function h() { let_immutable_var x = a < b < c }",
      "\xEF\xBB\xBFschema S {}",
      "function h() { f(,) }",
      "function h() { if x { } else { } else { } }",
      "schema S { field x: i64 } module m",
      "import a\nmodule b",
      "function h() { let_immutable_var é = 1 }",
      "function h() { print(\"{é}\") }",
      "function h() {\n  if ready {}\n  -1\n}",
      "function h() {\n  if ready {}\n  (x)\n}",
      "function h() {\n  x\n  [1, 2]\n}",
      "function h() { return\n -9223372036854775808 }",
      "enum E {}",
      "enum E { , }",
      "function h() { let_immutable_var x = [,] }",
      "function h() { let_immutable_var x = [:, ] }",
      "function h() { let_immutable_var x = S { a: 1,, } }",
      "function h() { if S { a: 1 } }",
      "function h() { unsafe_cpp(inputs: ; outputs: ) { unbalanced }",
  };
  Counts counts;
  for (const char* c : accepted) {
    Counts one;
    check_same(c, c, one);
    INFO(c);
    CHECK(one.fast == 1);
    counts.fast += one.fast;
  }
  for (const char* c : others) check_same(c, c, counts);
  WARN("fast parser, tricky inputs: "
       << counts.fast << " of " << std::size(accepted) + counts.inputs << " took the fast path");
}

TEST_CASE("fast parser matches the ANTLR path on the repository's sources", "[fast_parse]") {
  std::vector<fs::path> files = pt::testing::repository_pt_files();
  REQUIRE(files.size() > 100);
  Counts counts;
  for (const fs::path& p : files) check_same(pt::testing::read_text(p), p.string(), counts);
  WARN("fast parser, repository files: " << counts.inputs << " files, " << counts.fast
                                         << " took the fast path; " << counts.eligible_fast
                                         << " of the " << counts.eligible
                                         << " files that ANTLR parses cleanly without a dialect "
                                            "declaration");
  CHECK(counts.eligible_fast * 10 >= counts.eligible * 9);
}

TEST_CASE("fast parser matches the ANTLR path on random and mutated inputs", "[fast_parse]") {
  std::vector<std::string> texts;
  for (const fs::path& p : pt::testing::repository_pt_files())
    texts.push_back(pt::testing::read_text(p));
  const std::vector<std::string> pieces = {"x",        "y",
                                           "S",        " ",
                                           "\n",       "(",
                                           ")",        "[",
                                           "]",        "{",
                                           "}",        ",",
                                           ":",        ".",
                                           "-",        "+",
                                           "*",        "not ",
                                           " and ",    " or ",
                                           "==",       "<",
                                           "=",        "1",
                                           "0",        "5 ms",
                                           "1.5",      "\"s\"",
                                           "\"{x}\"",  "\"{",
                                           "}\"",      "true",
                                           "none",     "some",
                                           "if ",      "else ",
                                           "return",   "let_immutable_var ",
                                           "set_var ", "match",
                                           "when ",    "field ",
                                           "schema ",  "function ",
                                           "///d\n",   "// c\n",
                                           ";"};
  std::mt19937 rng(20261126);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  Counts counts;
  for (int i = 0; i < 3000; ++i) {
    std::string text = texts[pick(texts.size())];
    if (text.empty()) continue;
    int edits = 1 + static_cast<int>(pick(3));
    for (int k = 0; k < edits; ++k) {
      std::size_t at = pick(text.size() + 1);
      switch (pick(4)) {
        case 0:  // delete a run of bytes
          text.erase(at, 1 + pick(12));
          break;
        case 1:  // insert a piece
          text.insert(at, pieces[pick(pieces.size())]);
          break;
        case 2: {  // delete a line
          std::size_t begin = text.rfind('\n', at == 0 ? 0 : at - 1);
          std::size_t end = text.find('\n', at);
          begin = begin == std::string::npos ? 0 : begin;
          text.erase(begin, end == std::string::npos ? std::string::npos : end - begin);
          break;
        }
        default: {  // duplicate a line
          std::size_t begin = text.rfind('\n', at == 0 ? 0 : at - 1);
          std::size_t end = text.find('\n', at);
          begin = begin == std::string::npos ? 0 : begin;
          std::string line =
              text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
          text.insert(begin, line);
        }
      }
    }
    check_same(text, "mutated input " + std::to_string(i), counts);
  }
  for (int i = 0; i < 3000; ++i) {
    std::string text = "function f() {\n";
    for (int n = 1 + static_cast<int>(pick(30)); n > 0; --n) text += pieces[pick(pieces.size())];
    text += "\n}\n";
    check_same(text, "random input " + std::to_string(i), counts);
  }
  WARN("fast parser, random and mutated inputs: " << counts.inputs << " inputs, " << counts.fast
                                                  << " took the fast path");
  CHECK(counts.fast > 100);
}
