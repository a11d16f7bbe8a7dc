// The MCP `outline` tool: each module of a project with its declarations (tooling/outline.h),
// and a summary that groups them by kind: schemas, services with their routes, topics,
// consumers, tables, components and the rest.
#include <algorithm>
#include <map>

#include "mcp/tools.h"
#include "tooling/outline.h"

namespace pt::mcp {

namespace {

json item_json(const OutlineItem& item) {
  json out = {{"kind", item.kind}, {"name", item.name}};
  if (!item.detail.empty()) out["detail"] = item.detail;
  if (!item.doc.empty()) out["doc"] = item.doc;
  out["line"] = item.range.line;
  out["column"] = item.range.column;
  out["end"] = {{"line", item.range.end_line}, {"column", item.range.end_column}};
  if (!item.children.empty()) {
    json children = json::array();
    for (const OutlineItem& c : item.children) children.push_back(item_json(c));
    out["children"] = std::move(children);
  }
  return out;
}

// The summary's group of a declaration kind; "" for kinds it leaves out.
const char* group_of(const std::string& kind) {
  static const std::map<std::string, const char*> kGroups = {{"schema", "schemas"},
                                                             {"enum", "enums"},
                                                             {"function", "functions"},
                                                             {"runtime_function", "functions"},
                                                             {"program", "programs"},
                                                             {"partition", "partitions"},
                                                             {"channel", "channels"},
                                                             {"partition_task", "tasks"},
                                                             {"channel_receiver", "receivers"},
                                                             {"slytherin_topic", "topics"},
                                                             {"slytherin_consumer", "consumers"},
                                                             {"basilisk_service", "services"},
                                                             {"oltp_table", "tables"},
                                                             {"olap_table", "tables"},
                                                             {"nagini_component", "components"}};
  auto it = kGroups.find(kind);
  return it == kGroups.end() ? "" : it->second;
}

json summary_entry(const OutlineItem& item, const std::string& module, const std::string& file) {
  json out = {{"name", item.name}, {"module", module}, {"file", file}, {"line", item.range.line}};
  if (!item.detail.empty()) out["detail"] = item.detail;
  if (item.kind == "runtime_function" || item.kind == "olap_table" || item.kind == "oltp_table") {
    out["kind"] = item.kind;
  }
  if (item.kind == "schema") {
    json fields = json::array();
    for (const OutlineItem& f : item.children) fields.push_back(f.name + ": " + f.detail);
    out["fields"] = std::move(fields);
  } else if (item.kind == "basilisk_service") {
    json routes = json::array();
    for (const OutlineItem& r : item.children) {
      // A route's name is its method, a space and its path as written.
      std::size_t space = r.name.find(' ');
      std::string method = space == std::string::npos ? r.name : r.name.substr(0, space);
      std::string path = space == std::string::npos ? "" : r.name.substr(space + 1);
      routes.push_back(
          {{"method", method}, {"path", path}, {"detail", r.detail}, {"line", r.range.line}});
    }
    out["routes"] = std::move(routes);
  }
  return out;
}

// One line per item, indented under its parent: what the agent reads in the text content.
void item_text(const OutlineItem& item, int depth, std::string& out) {
  std::string line(static_cast<std::size_t>(depth) * 2, ' ');
  if (item.kind == "route") {
    line += "route " + (item.detail.empty() ? item.name : item.detail);
  } else {
    line += item.kind + " " + item.name;
    if (!item.detail.empty()) {
      if (item.detail[0] == '(') {
        line += item.detail;
      } else if (item.kind == "field") {
        line += ": " + item.detail;
      } else {
        line += "  " + item.detail;
      }
    }
  }
  if (item.range.end_line > item.range.line) {
    line += "  [lines " + std::to_string(item.range.line) + "-" +
            std::to_string(item.range.end_line) + "]";
  } else {
    line += "  [line " + std::to_string(item.range.line) + "]";
  }
  if (!item.doc.empty()) line += "  /// " + item.doc.substr(0, item.doc.find('\n'));
  out += line + "\n";
  for (const OutlineItem& c : item.children) item_text(c, depth + 1, out);
}

}  // namespace

json outline_tool(const json& args, const Toolchain& toolchain) {
  std::string path = string_arg(args, "path", true);
  ResolvedPath where = resolve_path(path);
  if (!where.problem.empty()) return tool_failure(where.problem);

  LoadedProject p;
  load_project(where.path, toolchain, false, p);
  std::vector<const Module*> modules;
  for (const auto& m : p.program.modules) {
    if (!m->is_stdlib) modules.push_back(m.get());
  }
  std::sort(modules.begin(), modules.end(),
            [](const Module* a, const Module* b) { return a->file < b->file; });

  json summary = json::object();
  for (const char* g :
       {"schemas", "enums", "functions", "programs", "partitions", "channels", "tasks", "receivers",
        "topics", "consumers", "services", "tables", "components"}) {
    summary[g] = json::array();
  }
  json module_list = json::array();
  std::string text;
  for (const Module* m : modules) {
    std::string file = m->file < p.display_paths.size() ? p.display_paths[m->file] : "";
    text += "module " + m->name + "  (" + file + ")\n";
    json items = json::array();
    for (const OutlineItem& item : outline_module(*m)) {
      item_text(item, 1, text);
      items.push_back(item_json(item));
      const char* group = group_of(item.kind);
      if (*group != '\0') summary[group].push_back(summary_entry(item, m->name, file));
    }
    module_list.push_back({{"module", m->name}, {"file", file}, {"items", std::move(items)}});
  }
  if (modules.empty() && p.sink.has_errors()) {
    std::string lines;
    for (const json& d : diagnostics_json(p.sources, p.sink)) {
      lines += "\n" + d.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    return tool_failure("nothing to outline in " + path + ":" + lines);
  }
  json out = {{"path", path},
              {"modules", std::move(module_list)},
              {"summary", std::move(summary)},
              {"errors", p.sink.error_count()},
              {"warnings", p.sink.warning_count()}};
  std::string head =
      path + ": " + std::to_string(modules.size()) + (modules.size() == 1 ? " module" : " modules");
  if (p.sink.error_count() + p.sink.warning_count() != 0) {
    auto count = [](std::size_t n, const char* what) {
      return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
    };
    head += ", " + count(p.sink.error_count(), "error") + " and " +
            count(p.sink.warning_count(), "warning") + " (the check tool lists them)";
  }
  return tool_result(out, head + "\n" + text);
}

}  // namespace pt::mcp
