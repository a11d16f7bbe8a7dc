// Diagnostics (diag/): the table, rendering for humans and tools, and applying fixes.
#include <catch2/catch.hpp>

#include <cctype>
#include <set>

#include "compiler_test_support.h"

using namespace pt;
using namespace pt::testing;

namespace {

bool is_code(std::string_view code) {
  if (code.size() != 6 || code.substr(0, 2) != "PT") return false;
  for (char c : code.substr(2)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

SourceRange at(std::uint32_t line, std::uint32_t column, std::uint32_t end_line,
               std::uint32_t end_column, std::uint32_t file = 0) {
  return SourceRange{file, line, column, end_line, end_column};
}

// The caret line under a one-digit line number: `  | `, padding, `^~~~`.
std::string caret(std::size_t pad, std::size_t width) {
  return "  | " + std::string(pad, ' ') + "^" + std::string(width - 1, '~') + "\n";
}

Fix replace(SourceRange r, std::string text, bool machine = true) {
  return Fix{"edit", {{r, std::move(text)}}, machine};
}

}  // namespace

TEST_CASE("every row of the diagnostics table is complete and unique", "[diag]") {
  const auto& table = all_diagnostics();
  REQUIRE(table.size() >= 60);
  std::set<std::string_view> codes;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const DiagInfo& d = table[i];
    INFO("row " << i << " " << d.code);
    CHECK(is_code(d.code));
    CHECK(codes.insert(d.code).second);
    CHECK(static_cast<std::size_t>(d.kind) == i);
    CHECK(&info(d.kind) == &d);
    CHECK_FALSE(d.format.empty());
    CHECK_FALSE(d.summary.empty());
    CHECK_FALSE(d.explanation.empty());
    CHECK_FALSE(d.wrong_example.empty());
    CHECK_FALSE(d.right_example.empty());
    CHECK(d.wrong_example != d.right_example);
    // Warnings live in the flow range and the system range (an unused partition or channel).
    if (d.severity == Severity::kWarning) {
      CHECK((d.code.substr(0, 3) == "PT4" || d.code.substr(0, 3) == "PT6"));
    }
  }
  CHECK(codes.size() == table.size());
}

TEST_CASE("find_diagnostic is case-insensitive and exact", "[diag]") {
  const DiagInfo* upper = find_diagnostic("PT2001");
  REQUIRE(upper != nullptr);
  CHECK(upper->kind == DiagKind::UnknownName);
  CHECK(find_diagnostic("pt2001") == upper);
  CHECK(find_diagnostic("Pt2001") == upper);
  CHECK(find_diagnostic("pT2001") == upper);
  CHECK(find_diagnostic("PT4003")->kind == DiagKind::UnusedBinding);
  CHECK(find_diagnostic("PT9999") == nullptr);
  CHECK(find_diagnostic("PT200") == nullptr);
  CHECK(find_diagnostic("PT20011") == nullptr);
  CHECK(find_diagnostic("") == nullptr);
  CHECK(find_diagnostic(" PT2001") == nullptr);
}

TEST_CASE("diagnostic constructors format their message", "[diag]") {
  Diagnostic d = diag::ArgumentCount(at(1, 1, 1, 2), "range", "2", 1);
  CHECK(d.kind == DiagKind::ArgumentCount);
  CHECK(d.message == "'range' takes 2 argument(s), but 1 were given");
  CHECK(d.severity() == Severity::kError);
  CHECK(diag::UnusedBinding(at(1, 1, 1, 2), "x").severity() == Severity::kWarning);
  CHECK(diag::BadInterpolation(at(1, 1, 1, 2), "1 +").message ==
        "the interpolation hole '{1 +}' is not an expression");
}

TEST_CASE("the sink counts errors and warnings and sorts by position", "[diag]") {
  DiagnosticSink sink;
  sink.report(diag::UnusedBinding(at(3, 5, 3, 6, 1), "a"));
  sink.report(diag::UnknownName(at(2, 9, 2, 10, 1), "b"));
  sink.report(diag::UnknownName(at(2, 1, 2, 2, 1), "c"));
  sink.report(diag::UnknownName(at(9, 1, 9, 2, 0), "d"));
  sink.report(diag::UnusedBinding(at(2, 1, 2, 2, 1), "e"));
  CHECK(sink.error_count() == 3);
  CHECK(sink.warning_count() == 2);
  CHECK(sink.has_errors());
  sink.sort();
  std::vector<std::string> order;
  for (const Diagnostic& d : sink.all())
    order.push_back(d.message.substr(d.message.find('\'') + 1, 1));
  CHECK(order == std::vector<std::string>{"d", "c", "e", "b", "a"});

  DiagnosticSink quiet;
  quiet.report(diag::UnusedImport(at(1, 1, 1, 2), "m"));
  CHECK_FALSE(quiet.has_errors());
  CHECK(quiet.warning_count() == 1);
}

TEST_CASE("render_human: location, message, source line and caret", "[diag]") {
  SourceManager sources;
  sources.add("src/main.pt", "module m\nfunction f() {\n  let_immutable_var x = yy + 1\n}\n");
  Diagnostic d = diag::UnknownName(at(3, 25, 3, 27), "yy");
  d.note(at(2, 10, 2, 11), "in this function");
  d.note("a note without a place");
  d.fix("write y", at(3, 25, 3, 27), "y");
  CHECK(render_human(sources, d, false) ==
        "src/main.pt:3:25: error[PT2001]: nothing named 'yy' is in scope here\n"
        "  |\n"
        "3 |   let_immutable_var x = yy + 1\n" +
            caret(24, 2) +
            "  note: src/main.pt:2:10: in this function\n"
            "  note: a note without a place\n"
            "  fix: write y\n");

  SECTION("a warning, a one-character range and a wide gutter") {
    std::string text;
    for (int i = 1; i < 12; ++i) text += "\n";
    text += "x\n";
    SourceManager many;
    many.add("a.pt", text);
    Diagnostic w = diag::UnusedBinding(at(12, 1, 12, 2), "x");
    CHECK(render_human(many, w, false) ==
          "a.pt:12:1: warning[PT4003]: 'x' is never used\n"
          "   |\n"
          "12 | x\n"
          "   | ^\n");
  }
  SECTION("an empty range still gets one caret") {
    Diagnostic e = diag::UnknownName(at(3, 25, 3, 25), "yy");
    CHECK(render_human(sources, e, false).find("\n" + caret(24, 1)) != std::string::npos);
  }
  SECTION("a range over several lines is clipped to the first") {
    Diagnostic e = diag::UnknownName(at(2, 10, 3, 5), "f");
    CHECK(render_human(sources, e, false).find("2 | function f() {\n" + caret(9, 5)) !=
          std::string::npos);
  }
  SECTION("no range: the diagnostic is about the project, not a file") {
    Diagnostic e = diag::FileUnreadable(SourceRange{}, "x.pt", "gone");
    CHECK(render_human(sources, e, false) == "parsel: error[PT0004]: cannot read 'x.pt': gone\n");
  }
  SECTION("colour") {
    std::string out = render_human(sources, d, true);
    CHECK(out.find("\x1b[1;31merror[PT2001]") != std::string::npos);
    CHECK(out.find("\x1b[1;32m^~\x1b[0m") != std::string::npos);
    Diagnostic w = diag::UnusedBinding(at(3, 21, 3, 22), "x");
    CHECK(render_human(sources, w, true).find("\x1b[1;35mwarning[PT4003]") != std::string::npos);
  }
}

TEST_CASE("render_human counts columns in code points", "[diag]") {
  SourceManager sources;
  // `é` and `→` are two and three bytes long but one column each.
  sources.add("u.pt", "  print_line(\"héllo → {x}\" + yy)\n");
  Diagnostic d = diag::UnknownName(at(1, 30, 1, 32), "yy");
  CHECK(render_human(sources, d, false) ==
        "u.pt:1:30: error[PT2001]: nothing named 'yy' is in scope here\n"
        "  |\n"
        "1 |   print_line(\"héllo → {x}\" + yy)\n" +
            caret(29, 2));
  // A range over the non-ASCII text is as wide as its characters.
  Diagnostic s = diag::UnknownName(at(1, 14, 1, 27), "s");
  CHECK(render_human(sources, s, false).find("\n" + caret(13, 13)) != std::string::npos);
}

TEST_CASE("render_human keeps tabs in the caret line", "[diag]") {
  SourceManager sources;
  sources.add("t.pt", "\tif x {\n\"é\"\tyy\n");
  Diagnostic d = diag::UnknownName(at(1, 5, 1, 6), "x");
  CHECK(render_human(sources, d, false).find("1 | \tif x {\n  | \t   ^\n") != std::string::npos);
  // A tab after a non-ASCII character: the tab is still under the tab.
  Diagnostic e = diag::UnknownName(at(2, 5, 2, 7), "yy");
  CHECK(render_human(sources, e, false).find("2 | \"é\"\tyy\n  |    \t^~\n") != std::string::npos);
}

TEST_CASE("render_human clips a multi-line range at the end of the first line, in code points",
          "[diag]") {
  SourceManager sources;
  sources.add("m.pt", "x = \"ééé\"\n+ 1\n");
  Diagnostic d = diag::TypeMismatch(at(1, 5, 2, 4), "i64", "string");
  CHECK(render_human(sources, d, false).find("1 | x = \"ééé\"\n" + caret(4, 5)) !=
        std::string::npos);
}

TEST_CASE("render_json: fields, escapes, notes and fixes", "[diag]") {
  SourceManager sources;
  sources.add("dir/we\"ird.pt", "module m\nfunction f() {\n  let_immutable_var x = yy + 1\n}\n");
  Diagnostic d = diag::SyntaxError(at(3, 25, 3, 27),
                                   std::string("say \"hi\"\\ then\nnext\ttab\r\x01\x1f end"));
  d.note(at(1, 1, 1, 2), "first \"note\"");
  d.note("no place");
  d.fix("write y", at(3, 25, 3, 27), "y\n");
  d.fixes.push_back(Fix{"two edits", {{at(1, 1, 1, 1), "a"}, {at(2, 1, 2, 3), ""}}, false});
  CHECK(
      render_json(sources, d) ==
      R"({"code":"PT1001","severity":"error","file":"dir/we\"ird.pt","line":3,"column":25,)"
      R"("end":{"line":3,"column":27},)"
      R"("message":"say \"hi\"\\ then\nnext\ttab\r\u0001\u001f end",)"
      R"("notes":[{"message":"first \"note\"","file":"dir/we\"ird.pt","line":1,"column":1,)"
      R"("end":{"line":1,"column":2}},{"message":"no place"}],)"
      R"("fixes":[{"description":"write y","machine_applicable":true,"edits":[)"
      R"({"file":"dir/we\"ird.pt","line":3,"column":25,"end":{"line":3,"column":27},)"
      R"("replacement":"y\n"}]},)"
      R"({"description":"two edits","machine_applicable":false,"edits":[)"
      R"({"file":"dir/we\"ird.pt","line":1,"column":1,"end":{"line":1,"column":1},"replacement":"a"},)"
      R"({"file":"dir/we\"ird.pt","line":2,"column":1,"end":{"line":2,"column":3},"replacement":""}]}]})");
}

TEST_CASE("render_json: a warning without a place, non-ASCII text kept as is", "[diag]") {
  SourceManager sources;
  sources.add("a.pt", "");
  Diagnostic d = diag::UnusedImport(SourceRange{}, "héllo");
  CHECK(render_json(sources, d) ==
        R"({"code":"PT4004","severity":"warning","file":"","line":0,"column":0,)"
        R"("end":{"line":0,"column":0},"message":"nothing from module 'héllo' is used",)"
        R"("notes":[],"fixes":[]})");
  // A range in no known file names no file.
  Diagnostic e = diag::UnknownName(SourceRange{7, 1, 1, 1, 2}, "x");
  CHECK(render_json(sources, e).find(R"("file":"","line":1)") != std::string::npos);
}

TEST_CASE("apply_fixes: replacements, insertions, deletions", "[diag]") {
  SourceManager sources;
  const std::string text = "abcdef\nghij\nklm";
  sources.add("a.pt", text);
  sources.add("b.pt", "other\n");

  SECTION("non-overlapping edits from several fixes, in any order") {
    Fix f1 = replace(at(2, 3, 2, 5), "IJ");   // ij -> IJ
    Fix f2 = replace(at(1, 2, 1, 4), "XYZ");  // bc -> XYZ
    Fix f3 = replace(at(2, 1, 2, 1), "++");   // insertion before g
    Fix f4 = replace(at(3, 1, 3, 4), "");     // delete klm
    Fix f5 = replace(at(1, 7, 2, 1), " ");    // join lines 1 and 2
    CHECK(apply_fixes(text, sources, 0, {&f1, &f2, &f3, &f4, &f5}) == "aXYZdef ++ghIJ\n");
  }
  SECTION("a fix with several edits") {
    Fix wrap{"wrap", {{at(2, 1, 2, 1), "to_f64("}, {at(2, 5, 2, 5), ")"}}, true};
    CHECK(apply_fixes(text, sources, 0, {&wrap}) == "abcdef\nto_f64(ghij)\nklm");
  }
  SECTION("overlapping edits: the first by position wins") {
    Fix a = replace(at(1, 2, 1, 5), "1");  // bcd
    Fix b = replace(at(1, 4, 1, 6), "2");  // de: overlaps a
    Fix c = replace(at(1, 6, 1, 7), "3");  // f: touches a's end only
    CHECK(apply_fixes(text, sources, 0, {&b, &a, &c}) == "a1e3\nghij\nklm");
  }
  SECTION("edits of other files are ignored") {
    Fix other = replace(at(1, 1, 1, 6, 1), "X");
    Fix mine = replace(at(1, 1, 1, 2), "A");
    CHECK(apply_fixes(text, sources, 0, {&other, &mine}) == "Abcdef\nghij\nklm");
    CHECK(apply_fixes("other\n", sources, 1, {&other, &mine}) == "X\n");
  }
  SECTION("an insertion at the very end and past the last line") {
    Fix end = replace(at(3, 4, 3, 4), "!");
    CHECK(apply_fixes(text, sources, 0, {&end}) == "abcdef\nghij\nklm!");
    Fix past = replace(at(9, 1, 9, 1), "\n");
    CHECK(apply_fixes(text, sources, 0, {&past}) == "abcdef\nghij\nklm\n");
  }
  SECTION("no fixes") {
    CHECK(apply_fixes(text, sources, 0, {}) == text);
  }
}

TEST_CASE("apply_fixes counts columns in code points", "[diag]") {
  SourceManager sources;
  const std::string text = "let é = \"→\" + 1\n";
  sources.add("u.pt", text);
  // Column 7 is `=`, columns 9-11 the string, column 15 the `1`.
  Fix eq = replace(at(1, 7, 1, 8), ":");
  Fix one = replace(at(1, 15, 1, 16), "2");
  Fix str = replace(at(1, 9, 1, 12), "\"x\"");
  CHECK(apply_fixes(text, sources, 0, {&eq, &one, &str}) == "let é : \"x\" + 2\n");
}

TEST_CASE("fixes produced by the checker apply to its own text", "[diag]") {
  // A parse error with a fix, applied to a file with non-ASCII text before it.
  auto c = parse_source("module m\nfunction f() {\n  print_line(\"é→\");\n}\n");
  REQUIRE(c->codes() == std::vector<std::string>{"PT1001"});
  const Diagnostic& d = c->diagnostics()[0];
  CHECK(d.range.column == 19);
  REQUIRE(d.fixes.size() == 1);
  CHECK(apply_fixes(c->sources.file(0).text, c->sources, 0, {&d.fixes[0]}) ==
        "module m\nfunction f() {\n  print_line(\"é→\")\n}\n");
}
