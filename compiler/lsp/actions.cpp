// Edits the server offers: quick fixes (the diagnostics' suggested fixes) and formatting.
#include <tuple>

#include "format/format.h"
#include "lsp/server.h"

namespace pt::lsp {

namespace {

CodePoint position_of(const std::string& text, const json& p, Encoding enc) {
  return to_code_point(text, p.at("line").get<std::uint32_t>(),
                       p.at("character").get<std::uint32_t>(), enc);
}

// Whether the diagnostic's range meets [from, to] (both ends included: a cursor touching it
// counts).
bool meets(const SourceRange& r, CodePoint from, CodePoint to) {
  std::uint32_t end_line = r.end_line != 0 ? r.end_line : r.line;
  std::uint32_t end_column = r.end_line != 0 ? r.end_column : r.column;
  return !(std::tie(end_line, end_column) < std::tie(from.line, from.column) ||
           std::tie(to.line, to.column) < std::tie(r.line, r.column));
}

bool wants_quickfix(const json& params) {
  if (!params.contains("context") || !params["context"].is_object()) return true;
  const json& context = params["context"];
  if (!context.contains("only") || !context["only"].is_array()) return true;
  for (const json& kind : context["only"]) {
    if (!kind.is_string()) continue;
    std::string k = kind.get<std::string>();
    if (k == "quickfix" || k.empty()) return true;  // "" is the parent of every kind
  }
  return false;
}

}  // namespace

json Server::code_actions(const json& params) {
  Document& doc = document(params);
  Project& p = project_for(doc);
  json out = json::array();
  const Analysis* a = p.current.get();  // the diagnostics the client was sent
  if (a == nullptr || !wants_quickfix(params)) return out;
  std::optional<std::uint32_t> file = a->file_of(doc.path);
  if (!file) return out;
  const json& range = params.at("range");
  CodePoint from = position_of(doc.text, range.at("start"), encoding_);
  CodePoint to = position_of(doc.text, range.at("end"), encoding_);
  UriOf uris = uri_function(*a);
  for (const Diagnostic& d : a->project->sink.all()) {
    if (d.fixes.empty() || d.range.file != *file || !d.range.valid() || !meets(d.range, from, to)) {
      continue;
    }
    json diagnostic = to_lsp_diagnostic(a->sources(), d, encoding_, uris);
    for (const Fix& f : d.fixes) {
      out.push_back({{"title", f.description},
                     {"kind", "quickfix"},
                     {"diagnostics", json::array({diagnostic})},
                     {"isPreferred", f.machine_applicable},
                     {"edit", to_workspace_edit(a->sources(), f, encoding_, uris)}});
    }
  }
  return out;
}

json Server::formatting(const json& params) {
  Document& doc = document(params);
  SourceManager sources;
  std::uint32_t id = sources.add(doc.path, doc.text);
  DiagnosticSink sink;
  std::optional<std::string> formatted = format_file(sources, id, sink);
  // A file that does not parse is left as it is: its syntax errors are already published.
  if (!formatted || *formatted == doc.text) return json::array();
  // One edit that replaces the whole text: from the start to the end of the last line.
  std::size_t last_break = doc.text.rfind('\n');
  std::string_view last_line = last_break == std::string::npos
                                   ? std::string_view(doc.text)
                                   : std::string_view(doc.text).substr(last_break + 1);
  std::uint32_t lines = line_count(doc.text);
  json end = {{"line", lines - 1},
              {"character", code_points_to_units(last_line, UINT32_MAX, encoding_)}};
  json start = {{"line", 0}, {"character", 0}};
  return json::array({{{"range", {{"start", start}, {"end", end}}}, {"newText", *formatted}}});
}

}  // namespace pt::lsp
