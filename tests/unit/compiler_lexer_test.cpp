// syntax/lexer.h's FastLexer against the ANTLR-generated lexer (the reference, from
// grammar/Parseltongue.g4): the same tokens on tricky inputs, on every .pt file of the repository
// and the fuzz corpus, and on random inputs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ParseltongueLexer.h"
#include "diag/source.h"
#include "syntax/lexer.h"

namespace fs = std::filesystem;

namespace {

struct Tok {
  size_t type, channel, line, column, start, stop;
  std::string text;
  bool operator==(const Tok& o) const {
    return type == o.type && channel == o.channel && line == o.line && column == o.column &&
           start == o.start && stop == o.stop && text == o.text;
  }
};

std::ostream& operator<<(std::ostream& out, const Tok& t) {
  return out << "{type " << t.type << ", channel " << t.channel << ", " << t.line << ":" << t.column
             << ", [" << t.start << ".." << t.stop << "], '" << t.text << "'}";
}

// Every token through EOF.
std::vector<Tok> drain(antlr4::TokenSource& source) {
  std::vector<Tok> out;
  for (;;) {
    std::unique_ptr<antlr4::Token> t = source.nextToken();
    out.push_back({t->getType(), t->getChannel(), t->getLine(), t->getCharPositionInLine(),
                   t->getStartIndex(), t->getStopIndex(), t->getText()});
    if (t->getType() == antlr4::Token::EOF) return out;
  }
}

std::vector<Tok> reference_tokens(const std::string& text) {
  antlr4::ANTLRInputStream input(text);
  ptgen::ParseltongueLexer lexer(&input);
  lexer.removeErrorListeners();
  return drain(lexer);
}

std::vector<Tok> fast_tokens(const std::string& text) {
  pt::FastLexer lexer(text, "test.pt");
  return drain(lexer);
}

// Compares both lexers on `text`; returns the number of tokens compared.
size_t check_same(const std::string& text, const std::string& what) {
  std::vector<Tok> expected = reference_tokens(text);
  std::vector<Tok> actual = fast_tokens(text);
  INFO(what);
  size_t n = std::min(expected.size(), actual.size());
  for (size_t i = 0; i < n; ++i) {
    if (!(expected[i] == actual[i])) {
      INFO("token " << i);
      CHECK(actual[i] == expected[i]);
      return i;
    }
  }
  CHECK(actual.size() == expected.size());
  return n;
}

bool valid_utf8(const std::string& s) {
  return pt::invalid_utf8_at(s) == std::string_view::npos;
}

}  // namespace

TEST_CASE("FastLexer matches the generated lexer on tricky inputs", "[lexer]") {
  const char* cases[] = {
      "",
      " \t\r\n",
      "module a.b\nimport c\nschema S { field x: i64 = 5 }",
      "modulex module_ _module iff if in int In IN unsafe_cppx",
      "5 msx 5 ms 5 s 5\tseconds 5  minutesx 7days 7 dayz 3 hour 3 hours 1_000ns 2us 5 \n ms",
      "1.5 1. 1.e5 1.5e 1.5e+ 1.5e-3 2.0E10 1_0.2_5 1__2 1_ _1 0x10 .5 5.",
      R"("plain" "esc \n \" \\ \{ \}" "hole {x + "y"} after" "{" "{}" "a\)",
      "\"unterminated\nnext \"line\" \"bad {hole\n\" \"esc at end\\",
      "\"hole {a \\} b}\" \"x\\\ny\" \"\\{{}\"",
      "unsafe_cpp { int x = 0; { x++; } }\nafter { }",
      "unsafe_cpp { unbalanced {\n} still pending { ok }",
      "unsafe_cpp\n\n  {\n}\n{ plain }",
      "{ unsafe_cpp }",
      "/// doc\n// line\n/* block\n */ a /* unterminated\n b",
      "/*/ x */ y /**/ z //// four\n///\r\n// end",
      "a == b != c <= d >= e < f > g = h ! i !! j",
      "+-*/%()[]{},:;. & && | || # @ $ ? ` ~ ^ '",
      "é λ 😀 \"é 😀 {λ}\" /* 😀 */ x\xC2\xA0y",
      "\r\n\r\nx\ry\n\tz",
      "9999999999999999999999 0 00 007",
  };
  for (const char* c : cases) check_same(c, c);
  check_same(std::string("nul\0inside\0\"str\0ing\"", 20), "NUL characters");
}

TEST_CASE("FastLexer matches the generated lexer on the repository's sources", "[lexer]") {
  fs::path root = fs::path(__FILE__).parent_path().parent_path().parent_path();
  std::vector<fs::path> files;
  for (const char* dir : {"tests/fuzz/corpus", "tests/fuzz/regressions"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
  }
  for (const char* dir : {"stdlib", "examples", "tests/lit"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      std::string p = e.path().string();
      if (!e.is_regular_file() || e.path().extension() != ".pt") continue;
      if (std::string(dir) == "examples" && p.find("/src/") == std::string::npos) continue;
      files.push_back(e.path());
    }
  }
  REQUIRE(files.size() > 100);
  size_t compared = 0, tokens = 0;
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    if (!valid_utf8(s.str())) continue;
    tokens += check_same(s.str(), p.string());
    ++compared;
  }
  WARN("lexer equivalence: " << compared << " files, " << tokens << " tokens");
}

TEST_CASE("FastLexer matches the generated lexer on random inputs", "[lexer]") {
  const std::vector<std::string> pieces = {"module",      "schema",
                                           "field",       "if",
                                           "in",          "unsafe_cpp",
                                           "let_mut_var", "x",
                                           "_",           "a1",
                                           "é",           "😀",
                                           "0",           "5",
                                           "1_2",         "_3",
                                           ".",           "e",
                                           "E",           "+",
                                           "-",           "ms",
                                           "s",           "ns",
                                           "second",      "seconds",
                                           "minute",      "hours",
                                           "day",         "days",
                                           " ",           " ",
                                           "\t",          "\n",
                                           "\r",          "\"",
                                           "\\",          "{",
                                           "}",           "{",
                                           "/",           "*",
                                           "//",          "/*",
                                           "*/",          "///",
                                           "=",           "!",
                                           "<",           ">",
                                           "==",          "(",
                                           ")",           "[",
                                           "]",           ",",
                                           ":",           ";",
                                           "%",           "&",
                                           "#",           std::string("\0", 1)};
  std::mt19937 rng(20261126);
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(1, 40);
  size_t tokens = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string text;
    for (int n = length(rng); n > 0; --n) text += pieces[piece(rng)];
    tokens += check_same(text, "random input " + std::to_string(i));
  }
  WARN("lexer equivalence: 4000 random inputs, " << tokens << " tokens");
}
