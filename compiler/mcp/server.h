// The protocol side of `parsel mcp`: one JSON-RPC 2.0 message in, at most one out, following the
// Model Context Protocol (revision 2025-06-18; 2025-03-26 and 2024-11-05 clients are answered in
// their own revision). The transport (mcp_command.cpp) moves lines; this holds no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "driver/project.h"

namespace pt::mcp {

inline constexpr const char* kLatestProtocol = "2025-06-18";

class Server {
 public:
  explicit Server(Toolchain toolchain) : toolchain_(std::move(toolchain)) {}

  // Handles one line of input (one JSON-RPC message). Returns the response to write on one
  // line, or nothing (notifications, responses from the client, blank lines).
  std::optional<std::string> handle_line(std::string_view line);

 private:
  nlohmann::ordered_json handle_request(const std::string& method,
                                        const nlohmann::ordered_json& params);
  nlohmann::ordered_json initialize(const nlohmann::ordered_json& params);

  Toolchain toolchain_;
  std::string protocol_ = kLatestProtocol;
};

}  // namespace pt::mcp
