// format/format.h (`parsel fmt`): hand-written messy inputs against their canonical text; the kind,
// text and line breaks of each piece format/pieces.h scans; on every .pt file of the repository,
// that the pieces that are not `//` or `/* */` comments are the lexer's tokens, that
// formatting is idempotent, keeps every token and comment and builds the same AST (source ranges
// aside); that files with syntax errors are refused; seeded random and mutated inputs never crash
// it; and a 5,000-line file formats, idempotently. (Its speed is measured by
// tests/perf/tool_latency.py, not asserted here: the machines are shared.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compiler_test_support.h"
#include "diag/diagnostic.h"
#include "format/format.h"
#include "format/layout.h"
#include "format/pieces.h"
#include "format/verify.h"
#include "syntax/ast_dump.h"
#include "syntax/lexer.h"
#include "syntax/parse.h"

namespace fs = std::filesystem;

namespace {

struct Result {
  std::optional<std::string> text;
  std::vector<std::string> codes;
};

Result format(const std::string& text) {
  pt::SourceManager sources;
  std::uint32_t id = sources.add("test.pt", text);
  pt::DiagnosticSink sink;
  Result r;
  r.text = pt::format_file(sources, id, sink);
  for (const pt::Diagnostic& d : sink.all()) r.codes.emplace_back(pt::info(d.kind).code);
  return r;
}

std::string formatted(const std::string& text) {
  Result r = format(text);
  INFO(text);
  REQUIRE(r.text.has_value());
  return *r.text;
}

// The AST dump without its source ranges (`file:line:col-line:col`), which move with the layout.
std::string dump_without_ranges(const std::string& text) {
  pt::SourceManager sources;
  std::uint32_t id = sources.add("test.pt", text);
  pt::DiagnosticSink sink;
  std::string dump = pt::dump_ast(*pt::parse_file(sources, id, sink));
  std::string out;
  out.reserve(dump.size());
  for (std::size_t i = 0; i < dump.size();) {
    // A range: digits ':' digits ':' digits '-' digits ':' digits.
    std::size_t j = i;
    int groups = 0;
    const char seps[] = {':', ':', '-', ':', '\0'};
    while (groups < 5) {
      std::size_t start = j;
      while (j < dump.size() && std::isdigit(static_cast<unsigned char>(dump[j]))) ++j;
      if (j == start) break;
      ++groups;
      if (groups == 5) break;
      if (j < dump.size() && dump[j] == seps[groups - 1]) {
        ++j;
      } else {
        break;
      }
    }
    if (groups == 5 && (i == 0 || !std::isdigit(static_cast<unsigned char>(dump[i - 1])))) {
      out += "<range>";
      i = j;
    } else {
      out += dump[i++];
    }
  }
  // A duration's text is written with one space (`1\tsecond` becomes `1 second`): its value, not
  // its text, must be the same.
  std::istringstream lines(out);
  std::string line;
  std::string normalized;
  while (std::getline(lines, line)) {
    if (line.find("expr kind 2 ") != std::string::npos) {
      for (std::size_t at; (at = line.find("\\x09")) != std::string::npos;)
        line.replace(at, 4, " ");
      for (std::size_t at; (at = line.find("  ")) != std::string::npos;) line.erase(at, 1);
    }
    normalized += line + "\n";
  }
  return normalized;
}

// The lexer's tokens (doc comments included, trailing blanks cut as the formatter cuts them)
// against the formatter's pieces that are not `//` or `/* */` comments.
void check_scan_matches_lexer(const std::string& text) {
  pt::FastLexer lexer(text);
  std::vector<std::string> expected;
  for (const auto& t : lexer.getAllTokens()) {
    std::string s = t->getText();
    if (s.rfind("///", 0) == 0) s.erase(s.find_last_not_of(" \t") + 1);
    expected.push_back(s);
  }
  std::vector<std::string> actual;
  for (const pt::formatter::Piece& p : pt::formatter::scan_pieces(text)) {
    bool doc = p.kind == pt::formatter::PieceKind::kLineComment && p.text.rfind("///", 0) == 0;
    if (pt::formatter::is_comment(p) && !doc) continue;
    actual.emplace_back(p.text);
  }
  CHECK(actual == expected);
}

}  // namespace

TEST_CASE("fmt lays out a messy file canonically", "[format]") {
  std::string messy =
      "\n\n// leading comment\nmodule   shop\n\n\n\nimport std.math   \n"
      "schema Item{\n  field name:string validate length_between( 1,40 )\n"
      "        field quantity :i64=1 validate between(1,100)   // how many\n"
      "  field note: optional< string >\n}\n"
      "/* a block\n   comment */\n"
      "function total( items:list<Item> )returns i64{\n"
      "let_mut_var sum=0 /* running */\n"
      "\tfor_each item in items{\n"
      "    if item.quantity>0 and not(item.quantity== -1){ set_var sum=sum+item.quantity*2 }\n"
      "           }\n\n\n"
      "  let_immutable_var m = [ \"a\" : 1 , \"b\":2 ]\n"
      "  let_immutable_var e: map<string, i64> = [ : ]\n"
      "  let_immutable_var wait = 5ms\n"
      "  let_immutable_var long = sum\n"
      "      +  1\n"
      "        - m[ \"a\" ]\n"
      "  print_line( \"{ sum }  kept {m[\"a\"]}\" )\n"
      "  return -sum   \n"
      "}\n\n\n";
  std::string expected =
      "// leading comment\nmodule shop\n\nimport std.math\n"
      "schema Item {\n"
      "    field name: string       validate length_between(1, 40)\n"
      "    field quantity: i64 = 1  validate between(1, 100) // how many\n"
      "    field note: optional<string>\n}\n"
      "/* a block\n   comment */\n"
      "function total(items: list<Item>) returns i64 {\n"
      "    let_mut_var sum = 0 /* running */\n"
      "    for_each item in items {\n"
      "        if item.quantity > 0 and not (item.quantity == -1) { set_var sum = sum + "
      "item.quantity * 2 }\n"
      "    }\n\n"
      "    let_immutable_var m = [\"a\": 1, \"b\": 2]\n"
      "    let_immutable_var e: map<string, i64> = [:]\n"
      "    let_immutable_var wait = 5 ms\n"
      "    let_immutable_var long = sum\n"
      "        + 1\n"
      "        - m[\"a\"]\n"
      "    print_line(\"{ sum }  kept {m[\"a\"]}\")\n"
      "    return -sum\n"
      "}\n";
  CHECK(formatted(messy) == expected);
  CHECK(formatted(expected) == expected);
}

TEST_CASE("fmt indents brackets, continued statements and blocks", "[format]") {
  // A call whose last argument is a schema literal opens one level, not two.
  std::string call =
      "program main {\nmap_put(c, \"k\", Product {\nsku: \"k\",\nname: \"n\",\n})\n}\n";
  CHECK(formatted(call) ==
        "program main {\n    map_put(c, \"k\", Product {\n        sku: \"k\",\n        name: "
        "\"n\",\n    })\n}\n");
  // An if condition over two lines: the block is indented from the `if`.
  std::string cond = "program main {\nif a and\nb {\nf()\n}\n}\n";
  CHECK(formatted(cond) == "program main {\n    if a and\n        b {\n        f()\n    }\n}\n");
  // Comments on their own lines take the indentation of the code around them; blank lines after
  // `{` and before `}` go.
  std::string comments = "program main {\n\n// first\nf()\n   // last\n\n}\n";
  CHECK(formatted(comments) == "program main {\n    // first\n    f()\n    // last\n}\n");
  // unsafe_cpp blocks are kept byte for byte, blanks included.
  std::string cpp =
      "function f(a: i64) returns i64 {\n  unsafe_cpp(inputs: a ; outputs: b: i64) {\n"
      "  b = a*2;   \n      { }\n  }\n  unsafe_cpp(inputs: ; outputs: ) {}\n  return b\n}\n";
  CHECK(formatted(cpp) ==
        "function f(a: i64) returns i64 {\n    unsafe_cpp(inputs: a; outputs: b: i64) {\n"
        "  b = a*2;   \n      { }\n  }\n    unsafe_cpp(inputs: ; outputs: ) {}\n    return b\n}\n");
  // Settings and routes.
  std::string system =
      "partition api {cores:1,scheduler:backend_api}\n"
      "channel jobs carries Job { kind: mpsc , capacity: 64 }\n";
  CHECK(formatted(system) ==
        "partition api { cores: 1, scheduler: backend_api }\n"
        "channel jobs carries Job { kind: mpsc, capacity: 64 }\n");
  // Empty files and files of blanks are empty; CRLF becomes LF.
  CHECK(formatted("") == "");
  CHECK(formatted(" \n\n\t\n") == "");
  CHECK(formatted("module a\r\n\r\nimport b\r\n") == "module a\n\nimport b\n");
}

TEST_CASE("fmt refuses a file that does not parse", "[format]") {
  Result r = format("module m\nfunction f() {\n  return $1\n}\n");
  CHECK_FALSE(r.text.has_value());
  CHECK(r.codes == std::vector<std::string>{"PT1002"});
  r = format("module m\nfunction f( {\n");
  CHECK_FALSE(r.text.has_value());
  REQUIRE_FALSE(r.codes.empty());
  CHECK(r.codes.front() == "PT1001");
  r = format(std::string("module m\n\xff\n"));
  CHECK_FALSE(r.text.has_value());
}

TEST_CASE("fmt's self-check finds a changed token or comment", "[format]") {
  using pt::formatter::first_difference;
  using pt::formatter::scan_pieces;
  std::string a = "module m // c\nimport x\n";
  auto before = scan_pieces(a);
  std::string same = "module   m    // c   \n\n\nimport x";
  std::string lost_comment = "module m\nimport x\n";
  std::string joined = "module m // c import x\n";
  std::string duration_blanks = "function f() { g(5ms) }";
  CHECK(first_difference(before, scan_pieces(same)) == pt::formatter::kSame);
  CHECK(first_difference(before, scan_pieces(lost_comment)) == 2);
  CHECK(first_difference(before, scan_pieces(joined)) == 2);
  CHECK(first_difference(scan_pieces("function f() { g(5 \t ms) }"),
                         scan_pieces(duration_blanks)) == pt::formatter::kSame);
}

TEST_CASE("scan_pieces gives each token and comment its kind, text and breaks", "[format]") {
  using K = pt::formatter::PieceKind;
  struct Expected {
    K kind;
    std::string text;
    std::uint32_t breaks;
    bool multi_line;
  };
  std::string text =
      "/// doc  \nmodule m\n\n// note \t\r\nfunction f() { let_mut_var x = 5  ms /* a\nb */ }\n"
      "unsafe_cpp { y{} }\r\"s {h}\" 1.5e3 <= # \xC3\xA9 \"open\n/* open";
  std::vector<Expected> expected = {
      {K::kLineComment, "/// doc", 0, false},
      {K::kWord, "module", 1, false},
      {K::kWord, "m", 0, false},
      {K::kLineComment, "// note", 2, false},
      {K::kWord, "function", 1, false},
      {K::kWord, "f", 0, false},
      {K::kPunct, "(", 0, false},
      {K::kPunct, ")", 0, false},
      {K::kPunct, "{", 0, false},
      {K::kWord, "let_mut_var", 0, false},
      {K::kWord, "x", 0, false},
      {K::kPunct, "=", 0, false},
      {K::kDuration, "5  ms", 0, false},
      {K::kBlockComment, "/* a\nb */", 0, true},
      {K::kPunct, "}", 0, false},
      {K::kWord, "unsafe_cpp", 1, false},
      {K::kCppBlock, "{ y{} }", 0, false},
      {K::kString, "\"s {h}\"", 1, false},
      {K::kNumber, "1.5e3", 0, false},
      {K::kPunct, "<=", 0, false},
      {K::kUnknown, "#", 0, false},
      {K::kUnknown, "\xC3\xA9", 0, false},
      {K::kUnknown, "\"", 0, false},
      {K::kWord, "open", 0, false},
      {K::kPunct, "/", 1, false},
      {K::kPunct, "*", 0, false},
      {K::kWord, "open", 0, false},
  };
  std::vector<pt::formatter::Piece> pieces = pt::formatter::scan_pieces(text);
  REQUIRE(pieces.size() == expected.size());
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    INFO("piece " << i << ": " << expected[i].text);
    CHECK(pieces[i].kind == expected[i].kind);
    CHECK(pieces[i].text == expected[i].text);
    CHECK(pieces[i].breaks_before == expected[i].breaks);
    CHECK(pieces[i].multi_line == expected[i].multi_line);
  }
  CHECK(pt::formatter::canonical_text(pieces[12]) == "5 ms");
  CHECK(pt::formatter::is_comment(pieces[0]));
  CHECK_FALSE(pt::formatter::is_comment(pieces[1]));
  // Bytes that are not UTF-8 still scan: a lead byte takes as many bytes as it announces, up
  // to the end of the text.
  std::string bad = "a \xF0 b \xC3";
  std::vector<pt::formatter::Piece> odd = pt::formatter::scan_pieces(bad);
  REQUIRE(odd.size() == 3);
  CHECK(odd[1].kind == K::kUnknown);
  CHECK(odd[1].text == "\xF0 b ");
  CHECK(odd[2].kind == K::kUnknown);
  CHECK(odd[2].text == "\xC3");
}

TEST_CASE("fmt on every .pt file of the repository", "[format]") {
  std::size_t formatted_files = 0;
  std::size_t refused = 0;
  for (const fs::path& path : pt::testing::repository_pt_files()) {
    std::string text = pt::testing::read_text(path);
    INFO(path.string());
    if (pt::invalid_utf8_at(text) == std::string_view::npos) check_scan_matches_lexer(text);
    Result once = format(text);
    if (!once.text) {
      ++refused;
      for (const std::string& code : once.codes) CHECK(code != "PT1008");
      continue;
    }
    ++formatted_files;
    Result twice = format(*once.text);
    REQUIRE(twice.text.has_value());
    CHECK(*twice.text == *once.text);
    CHECK(pt::formatter::first_difference(pt::formatter::scan_pieces(text),
                                          pt::formatter::scan_pieces(*once.text)) ==
          pt::formatter::kSame);
    CHECK(dump_without_ranges(text) == dump_without_ranges(*once.text));
  }
  CHECK(formatted_files > 200);
  CHECK(refused < formatted_files);
}

TEST_CASE("fmt survives random and mutated inputs", "[format]") {
  std::vector<std::string> seeds;
  for (const fs::path& path : pt::testing::repository_pt_files())
    seeds.push_back(pt::testing::read_text(path));
  REQUIRE_FALSE(seeds.empty());
  std::mt19937 rng(20261126);
  const std::string alphabet = "abz_09 \t\n\r{}()[]<>=!+-*/%.,:;\"\\#/*é";
  const char* words[] = {"unsafe_cpp", "//",  "/*",        "*/",     "{",  "}", "\"{x}\"", "5 ms",
                         "list<",      "if ", "validate ", "field ", "\n", "-", "not "};
  for (int round = 0; round < 1500; ++round) {
    std::string text = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      std::size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0:
          text.erase(at, 1 + rng() % 8);
          break;
        case 1:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 2:
          text.insert(at, words[rng() % std::size(words)]);
          break;
        default:
          text.insert(at, "\n\n   ");
          break;
      }
    }
    INFO(text.substr(0, 3000));
    Result once = format(text);
    if (!once.text) {
      for (const std::string& code : once.codes) CHECK(code != "PT1008");
      continue;
    }
    Result twice = format(*once.text);
    REQUIRE(twice.text.has_value());
    CHECK(*twice.text == *once.text);
  }
}

TEST_CASE("fmt formats a 5,000-line file, idempotently", "[format]") {
  std::string text = "module big\n\n";
  int n = 0;
  while (std::count(text.begin(), text.end(), '\n') < 5000) {
    std::string i = std::to_string(n++);
    text += "/// Function " + i + ".\nfunction f" + i +
            "(values: list<i64>, label: string) returns map<string, i64> {\n"
            "  let_mut_var counts: map<string, i64> = [:]   // end of line\n"
            "  for_each value in values {\n"
            "      if value > 10 and value < 100 {\n"
            "          map_put(counts, \"{label}-" +
            i +
            "\", value * 2 + -1)\n"
            "      } else {\n"
            "          /* block */ map_put(counts, label, value)\n"
            "      }\n"
            "  }\n"
            "  let_immutable_var total = 1\n      + 2\n"
            "  return counts\n}\n\n";
  }
  std::string out = formatted(text);
  CHECK(out != text);  // the input's 2-space bodies and continued line are re-laid out
  CHECK(formatted(out) == out);
}
