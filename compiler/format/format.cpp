// format_file: parse first (a file with a syntax error, PT1xxx, is refused with its errors), lay
// the pieces out (format/layout.h), then check the result before handing it back: the same tokens
// and comments in the same order, and a clean parse. A result that fails the check is a formatter
// bug, reported as PT1008; the caller keeps the file as it was.
#include "format/format.h"

#include <fmt/format.h>

#include "format/layout.h"
#include "format/pieces.h"
#include "format/verify.h"
#include "syntax/parse.h"

namespace pt {

namespace formatter {

std::size_t first_difference(const std::vector<Piece>& before, const std::vector<Piece>& after) {
  std::size_t n = std::min(before.size(), after.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (before[i].kind != after[i].kind || canonical_text(before[i]) != canonical_text(after[i])) {
      return i;
    }
  }
  return before.size() == after.size() ? kSame : n;
}

}  // namespace formatter

namespace {

// Syntax errors (PT1xxx) stop the formatter; errors the parser reports about what parsed (a bad
// path pattern, a reserved construct) do not: the layout does not depend on them.
bool has_syntax_errors(const DiagnosticSink& sink) {
  for (const Diagnostic& d : sink.all()) {
    if (d.severity() == Severity::kError && info(d.kind).code.starts_with("PT1")) return true;
  }
  return false;
}

// The place of piece `index` of `pieces` (scanned from `text`), or the end of the text.
SourceRange place(std::uint32_t file, std::string_view text,
                  const std::vector<formatter::Piece>& pieces, std::size_t index) {
  std::size_t offset = index < pieces.size()
                           ? static_cast<std::size_t>(pieces[index].text.data() - text.data())
                           : text.size();
  SourceRange r{file, 1, 1, 1, 2};
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++r.line;
      line_start = i + 1;
    }
  }
  r.column = code_points(text.substr(line_start, offset - line_start)) + 1;
  r.end_line = r.line;
  r.end_column = r.column + 1;
  return r;
}

}  // namespace

std::optional<std::string> format_file(const SourceManager& sources, std::uint32_t file,
                                       DiagnosticSink& sink) {
  DiagnosticSink parsed;
  parse_file(sources, file, parsed);
  if (has_syntax_errors(parsed)) {
    for (const Diagnostic& d : parsed.all()) sink.report(d);
    return std::nullopt;
  }
  const std::string& text = sources.file(file).text;
  std::vector<formatter::Piece> before = formatter::scan_pieces(text);
  std::string out = formatter::lay_out(before);

  std::vector<formatter::Piece> after = formatter::scan_pieces(out);
  std::size_t differ = formatter::first_difference(before, after);
  if (differ != formatter::kSame) {
    std::string what =
        differ < before.size() && formatter::is_comment(before[differ]) ? "comments" : "tokens";
    sink.report(diag::FormatChangedText(place(file, text, before, differ), what));
    return std::nullopt;
  }
  SourceManager again;
  std::uint32_t id = again.add(sources.file(file).path, out);
  DiagnosticSink reparsed;
  parse_file(again, id, reparsed);
  if (has_syntax_errors(reparsed)) {
    sink.report(diag::FormatChangedText(SourceRange{file, 1, 1, 1, 2}, "syntax"));
    return std::nullopt;
  }
  return out;
}

}  // namespace pt
