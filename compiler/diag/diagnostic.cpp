#include "diag/diagnostic.h"

#include <algorithm>
#include <stdexcept>

namespace pt {

const std::vector<DiagInfo>& all_diagnostics() {
  static const std::vector<DiagInfo> table = {
#define PT_DIAG(NAME, CODE, SEVERITY, FORMAT, SUMMARY, EXPLANATION, WRONG, RIGHT) \
  {DiagKind::NAME, CODE, SEVERITY, FORMAT, SUMMARY, EXPLANATION, WRONG, RIGHT},
#include "diag/diagnostics.def"
#undef PT_DIAG
  };
  return table;
}

const DiagInfo& info(DiagKind kind) {
  return all_diagnostics()[static_cast<std::size_t>(kind)];
}

const DiagInfo* find_diagnostic(std::string_view code) {
  std::string upper(code);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const DiagInfo& d : all_diagnostics()) {
    if (d.code == upper) return &d;
  }
  return nullptr;
}

void DiagnosticSink::report(Diagnostic d) {
  if (d.severity() == Severity::kError) ++errors_;
  diagnostics_.push_back(std::move(d));
}

void DiagnosticSink::sort() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.range.file, a.range.line, a.range.column) <
                            std::tie(b.range.file, b.range.line, b.range.column);
                   });
}

namespace {

std::string_view severity_word(Severity s) {
  return s == Severity::kError ? "error" : "warning";
}

void append_location(std::string& out, const SourceManager& sources, SourceRange r) {
  if (!r.valid()) {
    out += "parsel";  // a diagnostic about the project as a whole
    return;
  }
  if (r.file < sources.size()) out += sources.file(r.file).path;
  if (r.valid()) out += fmt::format(":{}:{}", r.line, r.column);
}

// The source line with a caret under the range (clipped to the first line).
void append_snippet(std::string& out, const SourceManager& sources, SourceRange r, bool color) {
  if (!r.valid() || r.file >= sources.size()) return;
  std::string_view line = sources.line_text(r.file, r.line);
  std::string number = std::to_string(r.line);
  std::string gutter(number.size(), ' ');
  out += fmt::format("{} |\n{} | {}\n{} | ", gutter, number, line, gutter);
  // Columns count code points: one pad character per code point, tabs kept as tabs.
  std::size_t start = r.column > 0 ? r.column - 1 : 0;
  std::size_t column = 0;  // code points of `line` seen so far
  for (unsigned char c : line) {
    if ((c & 0xC0) == 0x80) continue;
    if (column == start) break;
    out += c == '\t' ? '\t' : ' ';
    ++column;
  }
  std::size_t line_columns = code_points(line);
  std::size_t width = 1;
  if (r.end_line == r.line && r.end_column > r.column) width = r.end_column - r.column;
  if (r.end_line > r.line && line_columns > start) width = line_columns - start;
  if (color) out += "\x1b[1;32m";
  out += '^';
  out.append(width > 1 ? width - 1 : 0, '~');
  if (color) out += "\x1b[0m";
  out += '\n';
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void append_json_range(std::string& out, const SourceManager& sources, SourceRange r) {
  out += "\"file\":";
  append_json_string(out, r.valid() && r.file < sources.size() ? sources.file(r.file).path : "");
  out += fmt::format(",\"line\":{},\"column\":{},\"end\":{{\"line\":{},\"column\":{}}}", r.line,
                     r.column, r.end_line, r.end_column);
}

}  // namespace

std::string render_human(const SourceManager& sources, const Diagnostic& d, bool color) {
  const DiagInfo& i = info(d.kind);
  std::string out;
  if (color) out += "\x1b[1m";
  std::size_t before = out.size();
  append_location(out, sources, d.range);
  if (out.size() != before) out += ": ";  // no location at all: no leading ": "
  if (color) out += d.severity() == Severity::kError ? "\x1b[1;31m" : "\x1b[1;35m";
  out += fmt::format("{}[{}]", severity_word(d.severity()), i.code);
  if (color) out += "\x1b[0;1m";
  out += ": " + d.message;
  if (color) out += "\x1b[0m";
  out += '\n';
  append_snippet(out, sources, d.range, color);
  for (const Note& n : d.notes) {
    out += "  note: ";
    if (n.range.valid()) {
      append_location(out, sources, n.range);
      out += ": ";
    }
    out += n.message + '\n';
  }
  for (const Fix& f : d.fixes) out += "  fix: " + f.description + '\n';
  return out;
}

std::string render_json(const SourceManager& sources, const Diagnostic& d) {
  const DiagInfo& i = info(d.kind);
  std::string out = "{\"code\":";
  append_json_string(out, i.code);
  out += ",\"severity\":";
  append_json_string(out, severity_word(d.severity()));
  out += ',';
  append_json_range(out, sources, d.range);
  out += ",\"message\":";
  append_json_string(out, d.message);
  out += ",\"notes\":[";
  for (std::size_t k = 0; k < d.notes.size(); ++k) {
    if (k) out += ',';
    out += "{\"message\":";
    append_json_string(out, d.notes[k].message);
    if (d.notes[k].range.valid()) {
      out += ',';
      append_json_range(out, sources, d.notes[k].range);
    }
    out += '}';
  }
  out += "],\"fixes\":[";
  for (std::size_t k = 0; k < d.fixes.size(); ++k) {
    const Fix& f = d.fixes[k];
    if (k) out += ',';
    out += "{\"description\":";
    append_json_string(out, f.description);
    out += fmt::format(",\"machine_applicable\":{},\"edits\":[", f.machine_applicable);
    for (std::size_t e = 0; e < f.edits.size(); ++e) {
      if (e) out += ',';
      out += '{';
      append_json_range(out, sources, f.edits[e].range);
      out += ",\"replacement\":";
      append_json_string(out, f.edits[e].replacement);
      out += '}';
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

std::string apply_fixes(std::string_view text, const SourceManager& sources, std::uint32_t file,
                        const std::vector<const Fix*>& fixes) {
  struct Edit {
    std::size_t begin, end;
    const std::string* replacement;
  };
  const SourceFile& f = sources.file(file);
  // Columns count code points: walk from the start of the line to find the byte.
  auto offset = [&](std::uint32_t line, std::uint32_t column) -> std::size_t {
    if (line == 0 || line > f.line_starts.size()) return text.size();
    std::size_t at = f.line_starts[line - 1];
    for (std::uint32_t c = 1; c < column && at < text.size(); ++c) {
      ++at;
      while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
    }
    return std::min(at, text.size());
  };
  std::vector<Edit> edits;
  for (const Fix* fix : fixes) {
    for (const TextEdit& e : fix->edits) {
      if (e.range.file != file) continue;
      edits.push_back({offset(e.range.line, e.range.column),
                       offset(e.range.end_line, e.range.end_column), &e.replacement});
    }
  }
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t at = 0;
  for (const Edit& e : edits) {
    if (e.begin < at) continue;  // overlapping edits: keep the first
    out.append(text.substr(at, e.begin - at));
    out += *e.replacement;
    at = e.end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace pt
