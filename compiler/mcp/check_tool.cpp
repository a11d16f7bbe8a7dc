// The MCP `check` tool (the diagnostics of a project or file, as `parsel check
// --diagnostics=json` gives them, optionally with one file's unsaved text) and the `explain` tool
// (the text of `parsel explain CODE`).
#include <algorithm>

#include "driver/explain.h"
#include "mcp/tools.h"

namespace fs = std::filesystem;

namespace pt::mcp {

json check_tool(const json& args, const Toolchain& toolchain) {
  std::string path = string_arg(args, "path", true);
  bool has_text = args.contains("text") && !args["text"].is_null();
  std::string text = string_arg(args, "text", false);
  std::string file = string_arg(args, "file", false);
  if (!file.empty() && !has_text) throw BadParams("argument 'file' goes with 'text'");
  ResolvedPath where = resolve_path(path);
  if (!where.problem.empty()) return tool_failure(where.problem);

  LoadedProject p;
  std::string replaced;
  if (has_text) {
    if (where.is_directory) {
      if (file.empty()) {
        throw BadParams(
            "with 'text' and a project directory, 'file' names the project file the text "
            "replaces (for example src/main.pt)");
      }
      fs::path f = fs::path(file).is_absolute() ? fs::path(file) : where.absolute / file;
      replaced = f.lexically_normal().string();
    } else {
      replaced = where.absolute.string();
    }
    p.overlay[replaced] = text;
  }
  load_project(where.path, toolchain, false, p);
  if (has_text && std::find(p.file_paths.begin(), p.file_paths.end(), fs::path(replaced)) ==
                      p.file_paths.end()) {
    return tool_failure("the text was not checked: " + replaced +
                        " is not a file of the project (its source files are the .pt files "
                        "under the directories parsel.toml lists in `modules`)");
  }
  json out = {{"path", path},
              {"errors", p.sink.error_count()},
              {"warnings", p.sink.warning_count()},
              {"diagnostics", diagnostics_json(p.sources, p.sink)}};
  return tool_result(out);
}

json explain_tool(const json& args) {
  if (bool_arg(args, "list")) {
    json codes = json::array();
    for (const DiagInfo& d : all_diagnostics()) {
      codes.push_back({{"code", std::string(d.code)},
                       {"severity", d.severity == Severity::kError ? "error" : "warning"},
                       {"summary", std::string(d.summary)}});
    }
    std::string text;
    for (const json& c : codes) {
      text += c["code"].get<std::string>() + "  " + c["severity"].get<std::string>() + "  " +
              c["summary"].get<std::string>() + "\n";
    }
    return tool_result({{"codes", codes}}, text);
  }
  std::string code = string_arg(args, "code", true);
  const DiagInfo* d = find_diagnostic(code);
  if (d == nullptr) {
    return tool_failure("no diagnostic " + code +
                        "; codes look like PT8008, and explain with {\"list\": true} lists them");
  }
  std::string text = explain_text(*d);
  json out = {{"code", std::string(d->code)},
              {"severity", d->severity == Severity::kError ? "error" : "warning"},
              {"summary", std::string(d->summary)},
              {"explanation", std::string(d->explanation)},
              {"wrong_example", std::string(d->wrong_example)},
              {"right_example", std::string(d->right_example)},
              {"text", text}};
  return tool_result(out, text);
}

}  // namespace pt::mcp
