// syntax/lexer.h's FastLexer against the ANTLR-generated lexer (the reference, from
// grammar/Parseltongue.g4): the same tokens on tricky inputs, on every .pt file of the repository
// and the fuzz corpus, and on random inputs. And syntax/scanner.h's Scanner asked for comments
// (as the formatter asks): the same tokens plus the comments; token_kind on each kind of type.
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
#include "syntax/scanner.h"

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

const char* const kTricky[] = {
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

// Scanner with Comments::kReturn against the default Scanner on `text`: the same tokens at the
// same places once its comments are taken out, each comment a `//` (not `///`) line or a whole
// `/* */` block, and nothing but whitespace between the tokens it returns.
void check_comments_returned(const std::string& text) {
  INFO(text);
  struct Span {
    size_t type, byte, end, line, column;
    bool operator==(const Span& o) const {
      return type == o.type && byte == o.byte && end == o.end && line == o.line &&
             column == o.column;
    }
  };
  auto scan = [&](pt::Scanner::Comments comments) {
    std::vector<Span> out;
    pt::Scanner scanner(text, comments);
    pt::Scanner::Position start;
    for (size_t type; (type = scanner.next(start)) != pt::Scanner::kEndOfInput;) {
      out.push_back({type, start.byte, scanner.position().byte, start.line, start.column});
    }
    return out;
  };
  std::vector<Span> plain = scan(pt::Scanner::Comments::kSkip);
  std::vector<Span> with = scan(pt::Scanner::Comments::kReturn);
  std::vector<Span> without_comments;
  size_t gap_start = 0;
  for (const Span& t : with) {
    std::string_view gap = std::string_view(text).substr(gap_start, t.byte - gap_start);
    CHECK(gap.find_first_not_of(" \t\r\n") == std::string_view::npos);
    gap_start = t.end;
    std::string_view body = std::string_view(text).substr(t.byte, t.end - t.byte);
    if (t.type == pt::Scanner::kLineComment) {
      CHECK(body.substr(0, 2) == "//");
      CHECK(body.substr(0, 3) != "///");
      CHECK(body.find_first_of("\r\n") == std::string_view::npos);
    } else if (t.type == pt::Scanner::kBlockComment) {
      CHECK(body.substr(0, 2) == "/*");
      CHECK(body.size() >= 4);
      CHECK(body.substr(body.size() - 2) == "*/");
    } else {
      without_comments.push_back(t);
    }
  }
  CHECK(std::string_view(text).substr(gap_start).find_first_not_of(" \t\r\n") ==
        std::string_view::npos);
  CHECK(without_comments == plain);
}

bool valid_utf8(const std::string& s) {
  return pt::invalid_utf8_at(s) == std::string_view::npos;
}

}  // namespace

TEST_CASE("FastLexer matches the generated lexer on tricky inputs", "[lexer]") {
  for (const char* c : kTricky) check_same(c, c);
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

TEST_CASE("Scanner returns comments when asked, and the same tokens", "[lexer]") {
  for (const char* c : kTricky) check_comments_returned(c);
  check_comments_returned("// a\n/* b */ x // c\n/**/ /*\n*/ y //");
  std::mt19937 rng(20261127);
  const std::string alphabet = "ax1 \t\r\n/*\"{}_\xC3\xA9";
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int n = static_cast<int>(rng() % 40); n > 0; --n)
      text += alphabet[rng() % alphabet.size()];
    check_comments_returned(text);
  }
}

TEST_CASE("token_kind names what a token type is", "[lexer]") {
  using L = ptgen::ParseltongueLexer;
  using pt::TokenKind;
  CHECK(pt::token_kind(pt::Scanner::kEndOfInput) == TokenKind::kEndOfInput);
  CHECK(pt::token_kind(L::MODULE) == TokenKind::kKeyword);
  CHECK(pt::token_kind(L::UNSAFE_CPP) == TokenKind::kKeyword);
  CHECK(pt::token_kind(L::IDENT) == TokenKind::kName);
  CHECK(pt::token_kind(L::INT) == TokenKind::kInt);
  CHECK(pt::token_kind(L::FLOAT) == TokenKind::kFloat);
  CHECK(pt::token_kind(L::DURATION) == TokenKind::kDuration);
  CHECK(pt::token_kind(L::STRING) == TokenKind::kString);
  CHECK(pt::token_kind(L::CPP_BLOCK) == TokenKind::kCppBlock);
  CHECK(pt::token_kind(L::EQ) == TokenKind::kOperator);
  CHECK(pt::token_kind(L::LT) == TokenKind::kOperator);
  CHECK(pt::token_kind(L::LBRACE) == TokenKind::kOperator);
  CHECK(pt::token_kind(L::DOT) == TokenKind::kOperator);
  CHECK(pt::token_kind(L::DOC_COMMENT) == TokenKind::kDocComment);
  CHECK(pt::token_kind(pt::Scanner::kLineComment) == TokenKind::kLineComment);
  CHECK(pt::token_kind(pt::Scanner::kBlockComment) == TokenKind::kBlockComment);
  CHECK(pt::token_kind(L::UNKNOWN_CHAR) == TokenKind::kUnknown);
  // Every type the scanner returns on real text has a kind other than the end of input.
  pt::Scanner scanner("module m\nfunction f() returns i64 { return 5 ms == 1.5 } \"s\" # é");
  pt::Scanner::Position start;
  size_t n = 0;
  for (size_t type; (type = scanner.next(start)) != pt::Scanner::kEndOfInput; ++n) {
    CHECK(pt::token_kind(type) != TokenKind::kEndOfInput);
  }
  CHECK(n == 17);
}
