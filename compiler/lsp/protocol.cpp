#include "lsp/protocol.h"

namespace pt::lsp {

json to_lsp_position(const SourceManager& sources, std::uint32_t file, std::uint32_t line,
                     std::uint32_t column, Encoding enc) {
  if (line == 0 || file >= sources.size()) return {{"line", 0}, {"character", 0}};
  std::string_view text = sources.line_text(file, line);
  std::uint32_t points = column > 0 ? column - 1 : 0;
  return {{"line", line - 1}, {"character", code_points_to_units(text, points, enc)}};
}

json to_lsp_range(const SourceManager& sources, SourceRange r, Encoding enc) {
  if (!r.valid()) {
    json zero = {{"line", 0}, {"character", 0}};
    return {{"start", zero}, {"end", zero}};
  }
  std::uint32_t end_line = r.end_line != 0 ? r.end_line : r.line;
  std::uint32_t end_column = r.end_line != 0 ? r.end_column : r.column;
  return {{"start", to_lsp_position(sources, r.file, r.line, r.column, enc)},
          {"end", to_lsp_position(sources, r.file, end_line, end_column, enc)}};
}

json to_lsp_diagnostic(const SourceManager& sources, const Diagnostic& d, Encoding enc,
                       const UriOf& uri_of) {
  const DiagInfo& i = info(d.kind);
  json out = {{"range", to_lsp_range(sources, d.range, enc)},
              {"severity", d.severity() == Severity::kError ? 1 : 2},
              {"code", std::string(i.code)},
              {"source", "parsel"},
              {"message", d.message}};
  if (!d.notes.empty()) {
    json related = json::array();
    for (const Note& n : d.notes) {
      SourceRange at = n.range.valid() ? n.range : d.range;
      std::string uri = at.valid() ? uri_of(at.file) : "";
      if (uri.empty()) continue;  // neither the note nor the diagnostic has a place
      related.push_back({{"location", {{"uri", uri}, {"range", to_lsp_range(sources, at, enc)}}},
                         {"message", n.message}});
    }
    out["relatedInformation"] = std::move(related);
  }
  json fixes = json::array();
  for (const Fix& f : d.fixes) {
    json edits = json::array();
    for (const TextEdit& e : f.edits) {
      edits.push_back({{"uri", uri_of(e.range.file)},
                       {"range", to_lsp_range(sources, e.range, enc)},
                       {"newText", e.replacement}});
    }
    fixes.push_back({{"description", f.description},
                     {"machine_applicable", f.machine_applicable},
                     {"edits", std::move(edits)}});
  }
  out["data"] = {{"fixes", std::move(fixes)}};
  return out;
}

json to_workspace_edit(const SourceManager& sources, const Fix& fix, Encoding enc,
                       const UriOf& uri_of) {
  json changes = json::object();
  for (const TextEdit& e : fix.edits) {
    std::string uri = uri_of(e.range.file);
    if (!changes.contains(uri)) changes[uri] = json::array();
    changes[uri].push_back(
        {{"range", to_lsp_range(sources, e.range, enc)}, {"newText", e.replacement}});
  }
  return {{"changes", std::move(changes)}};
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace pt::lsp
