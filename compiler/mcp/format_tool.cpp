// The MCP `format` tool: the canonical layout of one .pt file or of text the agent passes
// (format/format.h, the same as `parsel fmt`); writes the file back only when asked.
#include "driver/files.h"
#include "format/format.h"
#include "mcp/tools.h"

namespace pt::mcp {

json format_tool(const json& args) {
  bool has_text = args.contains("text") && !args["text"].is_null();
  std::string path = string_arg(args, "path", false);
  std::string text = string_arg(args, "text", false);
  bool write = bool_arg(args, "write");
  if (has_text == !path.empty()) {
    throw BadParams("give either 'path' (a .pt file) or 'text' (Parseltongue source), not both");
  }
  if (write && has_text) throw BadParams("'write' goes with 'path': text has no file to write");

  std::string display = "<text>";
  ResolvedPath where;
  if (!has_text) {
    where = resolve_path(path);
    if (!where.problem.empty()) return tool_failure(where.problem);
    if (where.is_directory) {
      return tool_failure(path +
                          " is a directory: format takes one .pt file at a time (the outline "
                          "tool lists a project's files)");
    }
    if (where.path.extension() != ".pt") {
      return tool_failure(path + " is not a .pt file: format lays out Parseltongue source only");
    }
    std::string error;
    if (!read_file(where.path, text, error)) {
      return tool_failure("cannot read " + path + ": " + error);
    }
    display = path;
  }

  SourceManager sources;
  DiagnosticSink sink;
  std::uint32_t id = sources.add(display, text);
  std::optional<std::string> formatted = format_file(sources, id, sink);
  if (!formatted) {
    sink.sort();
    json diagnostics = diagnostics_json(sources, sink);
    std::string lines;
    for (const json& d : diagnostics) {
      lines += "\n" + d.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    return tool_failure(display +
                        " does not parse, so it was not formatted; fix these first (the "
                        "check tool gives the same diagnostics):" +
                        lines);
  }
  bool changed = *formatted != text;
  bool written = false;
  if (write && changed) {
    std::string error;
    if (!replace_file(where.path, *formatted, error)) {
      return tool_failure("formatted, but could not write " + path + ": " + error);
    }
    written = true;
  }
  json out = {{"formatted", *formatted}, {"changed", changed}, {"written", written}};
  if (!has_text) out["path"] = path;
  return tool_result(out, *formatted);
}

}  // namespace pt::mcp
