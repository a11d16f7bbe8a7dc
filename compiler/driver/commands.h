// One function per parsel command.
#pragma once

#include <string>
#include <vector>

namespace pt {

int command_explain(const std::vector<std::string>& args);
int command_new(const std::vector<std::string>& args);
int command_check(const std::vector<std::string>& args);
int command_emit(const std::vector<std::string>& args);
int command_build(const std::vector<std::string>& args, bool run_after);
int command_openapi(const std::vector<std::string>& args);  // openapi/: the OpenAPI document
int command_fix(const std::vector<std::string>& args);      // fix.cpp: apply suggested fixes
int command_fmt(const std::vector<std::string>& args);      // fmt.cpp: format .pt files
int command_lsp(const std::vector<std::string>& args);      // lsp/: the language server
int command_mcp(const std::vector<std::string>& args);      // mcp/: the MCP server

}  // namespace pt
