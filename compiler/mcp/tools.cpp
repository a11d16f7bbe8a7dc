// The catalogue of `parsel mcp`'s tools (what tools/list answers: names, descriptions written
// for a model deciding which tool to call, input and output schemas), the dispatch of
// tools/call, and the helpers the tools share.
#include "mcp/tools.h"

#include <system_error>

namespace fs = std::filesystem;

namespace pt::mcp {

namespace {

// One diagnostic as `parsel check --diagnostics=json` writes it (docs/ci.md).
json diagnostic_schema() {
  return {{"type", "object"},
          {"properties",
           {{"code", {{"type", "string"}}},
            {"severity", {{"type", "string"}, {"enum", {"error", "warning"}}}},
            {"file", {{"type", "string"}}},
            {"line", {{"type", "integer"}}},
            {"column", {{"type", "integer"}}},
            {"end", {{"type", "object"}}},
            {"message", {{"type", "string"}}},
            {"notes", {{"type", "array"}}},
            {"fixes", {{"type", "array"}}}}},
          {"required", {"code", "severity", "message"}}};
}

json check_entry() {
  return {
      {"name", "check"},
      {"title", "Check a Parseltongue project"},
      {"description",
       "Type-check a Parseltongue project (a directory holding parsel.toml) or a single .pt file "
       "with the parsel compiler, without building it. Returns every error and warning as JSON: "
       "its code (PTxxxx), severity, file, 1-based line and column (columns count Unicode code "
       "points) with the end of the range, the message, notes, and fixes. A fix is a list of "
       "exact text edits: replace the text from (line, column) up to `end` with `replacement`. "
       "Call this after every change to .pt files or parsel.toml and before building; a project "
       "is clean when `errors` is 0. Pass `text` to check unsaved text instead of the file on "
       "disk: it replaces `path` when `path` is a .pt file, or the project file named by `file` "
       "when `path` is a directory. Use `explain` with a code for the rule behind a diagnostic."},
      {"inputSchema",
       {{"type", "object"},
        {"properties",
         {{"path",
           {{"type", "string"},
            {"description",
             "Project directory (with parsel.toml) or .pt file; relative paths are resolved "
             "against the server's working directory."}}},
          {"text",
           {{"type", "string"},
            {"description", "Optional unsaved contents that replace one file for this check."}}},
          {"file",
           {{"type", "string"},
            {"description",
             "With `text` and a project directory: the project file the text replaces, relative "
             "to the project directory (for example src/orders.pt)."}}}}},
        {"required", {"path"}}}},
      {"outputSchema",
       {{"type", "object"},
        {"properties",
         {{"path", {{"type", "string"}}},
          {"errors", {{"type", "integer"}}},
          {"warnings", {{"type", "integer"}}},
          {"diagnostics", {{"type", "array"}, {"items", diagnostic_schema()}}}}},
        {"required", {"errors", "warnings", "diagnostics"}}}},
      {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}};
}

json explain_entry() {
  return {
      {"name", "explain"},
      {"title", "Explain a diagnostic code"},
      {"description",
       "Explain a parsel diagnostic code such as PT8008: its severity, a one-line summary, why "
       "the rule exists, and a wrong and a right example. The text is the same as `parsel "
       "explain PT8008` prints. Use it when a diagnostic from `check` is not clear from its "
       "message and fixes. Pass `list: true` instead of a code to get every code with its "
       "severity and summary."},
      {"inputSchema",
       {{"type", "object"},
        {"properties",
         {{"code",
           {{"type", "string"},
            {"description", "The diagnostic code, for example PT8008 (case does not matter)."}}},
          {"list",
           {{"type", "boolean"},
            {"description", "List every diagnostic code instead of explaining one."}}}}}}},
      {"outputSchema",
       {{"type", "object"},
        {"properties",
         {{"code", {{"type", "string"}}},
          {"severity", {{"type", "string"}}},
          {"summary", {{"type", "string"}}},
          {"explanation", {{"type", "string"}}},
          {"wrong_example", {{"type", "string"}}},
          {"right_example", {{"type", "string"}}},
          {"text", {{"type", "string"}}},
          {"codes", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}},
      {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}};
}

json format_entry() {
  return {{"name", "format"},
          {"title", "Format Parseltongue source"},
          {"description",
           "Lay out one .pt file in parsel's canonical format (the same as `parsel fmt`): only the "
           "space between tokens changes, every comment stays. Give `text` to format source you "
           "hold, or `path` to format a file on disk; the formatted text is returned and the file "
           "is left alone unless `write` is true. Use it after writing or editing Parseltongue "
           "code so that it matches the project's style. Text that does not parse is not "
           "formatted: the result is an error carrying the syntax diagnostics."},
          {"inputSchema",
           {{"type", "object"},
            {"properties",
             {{"path",
               {{"type", "string"},
                {"description",
                 "A .pt file; relative paths are resolved against the server's "
                 "working directory."}}},
              {"text", {{"type", "string"}, {"description", "Parseltongue source to format."}}},
              {"write",
               {{"type", "boolean"},
                {"description", "With `path`: write the formatted text back to the file."}}}}}}},
          {"outputSchema",
           {{"type", "object"},
            {"properties",
             {{"formatted", {{"type", "string"}}},
              {"changed", {{"type", "boolean"}}},
              {"written", {{"type", "boolean"}}}}},
            {"required", {"formatted", "changed"}}}},
          {"annotations",
           {{"readOnlyHint", false},
            {"destructiveHint", false},
            {"idempotentHint", true},
            {"openWorldHint", false}}}};
}

json outline_entry() {
  json item = {{"type", "object"},
               {"properties",
                {{"kind", {{"type", "string"}}},
                 {"name", {{"type", "string"}}},
                 {"detail", {{"type", "string"}}},
                 {"doc", {{"type", "string"}}},
                 {"line", {{"type", "integer"}}},
                 {"column", {{"type", "integer"}}},
                 {"end", {{"type", "object"}}},
                 {"children", {{"type", "array"}, {"items", {{"type", "object"}}}}}}},
               {"required", {"kind", "name", "line", "column"}}};
  json list = {{"type", "array"}, {"items", {{"type", "object"}}}};
  return {{"name", "outline"},
          {"title", "Outline a Parseltongue project"},
          {"description",
           "List what a Parseltongue project (a directory with parsel.toml) or .pt file declares: "
           "per module, every declaration in source order with its kind (schema, enum, function, "
           "partition, channel, partition_task, channel_receiver, slytherin_topic, "
           "slytherin_consumer, basilisk_service, route, oltp_table, nagini_component, ...), name, "
           "a one-line detail (a function's signature, a route's method, path and types, a "
           "consumer's topic and group), its /// doc comment and its line range; schemas list "
           "their fields, services their routes. `summary` groups the same declarations by kind: "
           "schemas, services with their routes (method and path), topics, consumers, tables, "
           "components and the rest. Use it to learn a project's shape before reading or "
           "changing its files, or to find where something is declared."},
          {"inputSchema",
           {{"type", "object"},
            {"properties",
             {{"path",
               {{"type", "string"},
                {"description",
                 "Project directory (with parsel.toml) or .pt file; relative paths are resolved "
                 "against the server's working directory."}}}}},
            {"required", {"path"}}}},
          {"outputSchema",
           {{"type", "object"},
            {"properties",
             {{"path", {{"type", "string"}}},
              {"modules",
               {{"type", "array"},
                {"items",
                 {{"type", "object"},
                  {"properties",
                   {{"module", {{"type", "string"}}},
                    {"file", {{"type", "string"}}},
                    {"items", {{"type", "array"}, {"items", item}}}}}}}}},
              {"summary",
               {{"type", "object"},
                {"properties",
                 {{"schemas", list},
                  {"enums", list},
                  {"functions", list},
                  {"programs", list},
                  {"partitions", list},
                  {"channels", list},
                  {"tasks", list},
                  {"receivers", list},
                  {"topics", list},
                  {"consumers", list},
                  {"services", list},
                  {"tables", list},
                  {"components", list}}}}},
              {"errors", {{"type", "integer"}}},
              {"warnings", {{"type", "integer"}}}}},
            {"required", {"modules", "summary"}}}},
          {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}};
}

}  // namespace

json tool_catalogue() {
  return json::array({check_entry(), explain_entry(), format_entry(), outline_entry()});
}

json call_tool(const std::string& name, const json& arguments, const Toolchain& toolchain) {
  if (name == "check") return check_tool(arguments, toolchain);
  if (name == "explain") return explain_tool(arguments);
  if (name == "format") return format_tool(arguments);
  if (name == "outline") return outline_tool(arguments, toolchain);
  throw BadParams("unknown tool '" + name + "'; tools/list lists check, explain, format, outline");
}

json tool_result(const json& structured, const std::string& text) {
  std::string shown =
      text.empty() ? structured.dump(-1, ' ', false, json::error_handler_t::replace) : text;
  return {{"content", json::array({{{"type", "text"}, {"text", shown}}})},
          {"structuredContent", structured},
          {"isError", false}};
}

json tool_failure(const std::string& text) {
  return {{"content", json::array({{{"type", "text"}, {"text", text}}})}, {"isError", true}};
}

std::string string_arg(const json& args, const char* name, bool required) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) {
    if (required) throw BadParams(std::string("missing argument '") + name + "' (a string)");
    return "";
  }
  if (!it->is_string()) throw BadParams(std::string("argument '") + name + "' must be a string");
  return it->get<std::string>();
}

bool bool_arg(const json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) return false;
  if (!it->is_boolean()) throw BadParams(std::string("argument '") + name + "' must be a boolean");
  return it->get<bool>();
}

json diagnostics_json(const SourceManager& sources, const DiagnosticSink& sink) {
  json out = json::array();
  for (const Diagnostic& d : sink.all()) {
    std::string line = render_json(sources, d);
    json parsed = json::parse(line, nullptr, false);
    if (parsed.is_discarded()) {
      // Not expected: render_json writes valid JSON. Keep what can be kept.
      parsed = {{"code", std::string(info(d.kind).code)},
                {"severity", d.severity() == Severity::kError ? "error" : "warning"},
                {"message", d.message}};
    }
    out.push_back(std::move(parsed));
  }
  return out;
}

ResolvedPath resolve_path(const std::string& given) {
  ResolvedPath r;
  r.path = given;
  std::error_code ec;
  r.absolute = fs::absolute(r.path, ec).lexically_normal();
  if (given.empty()) {
    r.problem = "the path is empty: give a project directory (with parsel.toml) or a .pt file";
    return r;
  }
  fs::file_status st = fs::status(r.path, ec);
  if (ec || !fs::exists(st)) {
    std::error_code cwd_ec;
    r.problem = "no such file or directory: " + given +
                " (relative paths are resolved against the server's working directory " +
                fs::current_path(cwd_ec).string() + ")";
  } else if (fs::is_directory(st)) {
    r.is_directory = true;
  } else if (!fs::is_regular_file(st)) {
    r.problem = given + " is neither a directory nor a regular file";
  }
  return r;
}

}  // namespace pt::mcp
