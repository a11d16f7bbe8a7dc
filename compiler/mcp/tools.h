// The tools `parsel mcp` offers coding agents: their catalogue (tools/list) and their calls
// (tools/call). Each tool works on the files as they are on disk, or on text the agent passes.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"
#include "driver/project.h"

namespace pt::mcp {

using json = nlohmann::ordered_json;

// Arguments that do not fit the tool's input schema: answered with JSON-RPC error -32602.
struct BadParams : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The `tools` array of a tools/list result.
json tool_catalogue();

// Runs tool `name` with `arguments` (an object) and returns the CallToolResult. Unknown tools
// and bad arguments throw BadParams; failures of the tool itself are results with isError.
json call_tool(const std::string& name, const json& arguments, const Toolchain& toolchain);

// ---- shared by the tools (tools.cpp) ----

// A result whose structuredContent is `structured` and whose text is `text` (the serialized
// JSON when `text` is empty).
json tool_result(const json& structured, const std::string& text = "");
// A failed call: isError with `text` for the agent to read.
json tool_failure(const std::string& text);

// Argument `name` of `args`: a string (empty when absent and not required), a bool.
std::string string_arg(const json& args, const char* name, bool required);
bool bool_arg(const json& args, const char* name);

// Every diagnostic of `sink`, as `parsel check --diagnostics=json` prints them.
json diagnostics_json(const SourceManager& sources, const DiagnosticSink& sink);

// What a path the agent gave names on this machine (relative: against the working directory),
// or an explanation of why it names nothing.
struct ResolvedPath {
  std::filesystem::path path;  // as given
  std::filesystem::path absolute;
  bool is_directory = false;
  std::string problem;  // non-empty: the path is missing or neither a directory nor a file
};
ResolvedPath resolve_path(const std::string& given);

// The tools (check_tool.cpp, format_tool.cpp, outline_tool.cpp).
json check_tool(const json& args, const Toolchain& toolchain);
json explain_tool(const json& args);
json format_tool(const json& args);
json outline_tool(const json& args, const Toolchain& toolchain);

}  // namespace pt::mcp
