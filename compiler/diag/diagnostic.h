// Diagnostics: one value type, built only through the functions generated from diagnostics.def.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "diag/source.h"

namespace pt {

enum class Severity : std::uint8_t { kError, kWarning };

enum class DiagKind : std::uint16_t {
#define PT_DIAG(NAME, CODE, SEVERITY, FORMAT, SUMMARY, EXPLANATION, WRONG, RIGHT) NAME,
#include "diag/diagnostics.def"
#undef PT_DIAG
};

// One row of the table, for `parsel explain` and docs/errors.md.
struct DiagInfo {
  DiagKind kind;
  std::string_view code;  // "PT2001"
  Severity severity;
  std::string_view format;
  std::string_view summary;
  std::string_view explanation;
  std::string_view wrong_example;
  std::string_view right_example;
};

const std::vector<DiagInfo>& all_diagnostics();
const DiagInfo& info(DiagKind kind);
const DiagInfo* find_diagnostic(std::string_view code);

struct TextEdit {
  SourceRange range;  // replaced text; an empty range inserts at its start
  std::string replacement;
};

// A suggested fix. `machine_applicable` fixes are applied by `parsel fix` without review.
struct Fix {
  std::string description;
  std::vector<TextEdit> edits;
  bool machine_applicable = true;
};

struct Note {
  SourceRange range;  // may be invalid: a note without a place
  std::string message;
};

struct Diagnostic {
  DiagKind kind;
  SourceRange range;
  std::string message;
  std::vector<Note> notes;
  std::vector<Fix> fixes;

  Severity severity() const { return info(kind).severity; }
  Diagnostic& note(SourceRange r, std::string message) {
    notes.push_back({r, std::move(message)});
    return *this;
  }
  Diagnostic& note(std::string message) { return note(SourceRange{}, std::move(message)); }
  Diagnostic& fix(std::string description, SourceRange r, std::string replacement) {
    fixes.push_back({std::move(description), {{r, std::move(replacement)}}, true});
    return *this;
  }
  // A fix that surrounds the text of `r`: `before` goes at its start, `after` at its end.
  Diagnostic& wrap_fix(std::string description, SourceRange r, std::string before,
                       std::string after) {
    SourceRange start{r.file, r.line, r.column, r.line, r.column};
    SourceRange end{r.file, r.end_line, r.end_column, r.end_line, r.end_column};
    fixes.push_back(
        {std::move(description), {{start, std::move(before)}, {end, std::move(after)}}, true});
    return *this;
  }
};

// The constructors: `diag::UnknownName(range, name)`. The format string of each row is checked
// against its arguments at compile time by {fmt}.
namespace diag {
#define PT_DIAG(NAME, CODE, SEVERITY, FORMAT, SUMMARY, EXPLANATION, WRONG, RIGHT)         \
  template <typename... Args>                                                             \
  inline Diagnostic NAME(SourceRange range, Args&&... args) {                             \
    return Diagnostic{                                                                    \
        DiagKind::NAME, range, fmt::format(FORMAT, std::forward<Args>(args)...), {}, {}}; \
  }
#include "diag/diagnostics.def"
#undef PT_DIAG
}  // namespace diag

// Collects the diagnostics of one compilation, in the order they were reported.
class DiagnosticSink {
 public:
  void report(Diagnostic d);
  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  std::size_t error_count() const { return errors_; }
  std::size_t warning_count() const { return diagnostics_.size() - errors_; }
  bool has_errors() const { return errors_ != 0; }
  // Orders by file, line and column, keeping report order for equal positions.
  void sort();

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
};

// Human output: "file:line:col: error[PT2001]: message", the source line and a caret.
std::string render_human(const SourceManager& sources, const Diagnostic& d, bool color);
// One JSON object on one line: code, severity, file, line, column, end, message, notes, fixes.
std::string render_json(const SourceManager& sources, const Diagnostic& d);
// Applies machine-applicable fixes to `text` (of file `file`); returns the new text.
std::string apply_fixes(std::string_view text, const SourceManager& sources, std::uint32_t file,
                        const std::vector<const Fix*>& fixes);

}  // namespace pt
