// Hover, go to definition, find references and document symbols.
#include "lsp/completion.h"
#include "lsp/describe.h"
#include "lsp/server.h"
#include "tooling/outline.h"

namespace pt::lsp {

namespace {

const Occurrence* occurrence_at(const Place& pl) {
  if (pl.analysis == nullptr || !pl.file) return nullptr;
  return pl.analysis->index->at(*pl.file, pl.pos.line, pl.pos.column);
}

// LSP SymbolKind for an outline item's keyword.
int symbol_kind(const std::string& kind) {
  static const std::map<std::string, int> kKinds = {{"schema", 23},
                                                    {"enum", 10},
                                                    {"field", 8},
                                                    {"member", 22},
                                                    {"function", 12},
                                                    {"runtime_function", 12},
                                                    {"program", 12},
                                                    {"partition", 3},
                                                    {"channel", 24},
                                                    {"partition_task", 12},
                                                    {"channel_receiver", 5},
                                                    {"slytherin_topic", 24},
                                                    {"slytherin_consumer", 5},
                                                    {"basilisk_service", 5},
                                                    {"route", 6}};
  auto it = kKinds.find(kind);
  return it == kKinds.end() ? 19 : it->second;  // 19: Object (a reserved dialect declaration)
}

bool before(const json& a, const json& b) {
  return std::make_pair(a["line"].get<int>(), a["character"].get<int>()) <
         std::make_pair(b["line"].get<int>(), b["character"].get<int>());
}

json document_symbol(const SourceManager& sources, const OutlineItem& item, Encoding enc) {
  json range = to_lsp_range(sources, item.range, enc);
  json selection =
      to_lsp_range(sources, item.name_range.valid() ? item.name_range : item.range, enc);
  // The protocol wants the name inside the whole: widen the whole where it is not.
  if (before(selection["start"], range["start"])) range["start"] = selection["start"];
  if (before(range["end"], selection["end"])) range["end"] = selection["end"];
  json out = {{"name", item.name.empty() ? "(unnamed)" : item.name},
              {"kind", symbol_kind(item.kind)},
              {"range", range},
              {"selectionRange", selection}};
  if (!item.detail.empty()) out["detail"] = item.detail;
  json children = json::array();
  for (const OutlineItem& c : item.children) children.push_back(document_symbol(sources, c, enc));
  if (!children.empty()) out["children"] = std::move(children);
  return out;
}

}  // namespace

json Server::hover(const json& params) {
  Place pl = place(params, true);
  const Occurrence* o = occurrence_at(pl);
  if (o == nullptr) return nullptr;
  return {{"contents", {{"kind", "markdown"}, {"value", hover_markdown(o->target)}}},
          {"range", to_lsp_range(pl.analysis->sources(), o->range, encoding_)}};
}

json Server::definition(const json& params) {
  Place pl = place(params, true);
  const Occurrence* o = occurrence_at(pl);
  if (o == nullptr) return nullptr;
  SourceRange r = declaration_range(o->target);
  if (!r.valid()) return nullptr;  // a built-in function
  return json::array({location(*pl.analysis, r)});
}

json Server::references(const json& params) {
  Place pl = place(params, true);
  const Occurrence* o = occurrence_at(pl);
  if (o == nullptr) return nullptr;
  bool with_declaration = true;
  if (params.contains("context") && params["context"].is_object()) {
    with_declaration = params["context"].value("includeDeclaration", true);
  }
  json out = json::array();
  for (const Occurrence* r : pl.analysis->index->references(o->target)) {
    if (r->declaration && !with_declaration) continue;
    out.push_back(location(*pl.analysis, r->range));
  }
  return out;
}

json Server::completion(const json& params) {
  Place pl = place(params, true);
  CompletionRequest r;
  r.text = pl.doc->text;
  r.path = pl.doc->path;
  r.pos = pl.pos;
  r.encoding = encoding_;
  r.checked = pl.analysis;
  r.latest = pl.project->current.get();
  r.std_modules = std_modules_;
  return complete(r);
}

json Server::document_symbols(const json& params) {
  Document& doc = document(params);
  Project& p = project_for(doc);
  // The latest parse, even one with syntax errors: it holds the declarations that parsed.
  const Analysis* a = p.current.get();
  json out = json::array();
  if (a == nullptr) return out;
  std::optional<std::uint32_t> file = a->file_of(doc.path);
  const Module* m = file ? a->module_of(*file) : nullptr;
  if (m == nullptr) return out;
  for (const OutlineItem& item : outline_module(*m)) {
    out.push_back(document_symbol(a->sources(), item, encoding_));
  }
  return out;
}

}  // namespace pt::lsp
