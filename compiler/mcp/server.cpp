// The Model Context Protocol over JSON-RPC 2.0 (mcp/server.h): requests are checked, answered
// or refused with the JSON-RPC error codes; notifications get no answer.
#include "mcp/server.h"

#include "mcp/tools.h"

#ifndef PT_VERSION
#define PT_VERSION "dev"
#endif

namespace pt::mcp {

namespace {

constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;

// A request refused with a JSON-RPC error.
struct RpcError {
  int code;
  std::string message;
};

std::string serialize(const json& message) {
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string error_response(const json& id, int code, const std::string& message) {
  return serialize(
      {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

// Whether `line` nests arrays and objects deeper than any MCP message does. Such a value would
// be copied and serialized by recursion, so it is refused before it is parsed.
bool too_deep(std::string_view line) {
  constexpr int kMaxDepth = 256;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : line) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

bool valid_id(const json& id) {
  return id.is_string() || id.is_number_integer() || id.is_number_unsigned();
}

const char* const kInstructions =
    "parsel is the compiler of Parseltongue (.pt files; a project is a directory with "
    "parsel.toml). Call `check` after editing .pt files: it returns the compiler's diagnostics "
    "with exact fix edits. `explain` gives the rule behind a diagnostic code, `format` the "
    "canonical layout of a file, and `outline` the schemas, services and routes, topics, "
    "consumers and other declarations of a project.";

}  // namespace

std::optional<std::string> Server::handle_line(std::string_view line) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return std::nullopt;
  if (too_deep(line)) {
    return error_response(nullptr, kParseError, "parse error: nested deeper than 256 levels");
  }
  json message = json::parse(line, nullptr, false);
  if (message.is_discarded()) {
    return error_response(nullptr, kParseError, "parse error: the line is not one JSON value");
  }
  if (message.is_array()) {
    return error_response(nullptr, kInvalidRequest,
                          "invalid request: batches are not supported; send one message a line");
  }
  if (!message.is_object()) {
    return error_response(nullptr, kInvalidRequest, "invalid request: not a JSON-RPC object");
  }
  auto method_it = message.find("method");
  auto id_it = message.find("id");
  bool is_request = id_it != message.end();
  if (method_it == message.end()) {
    // A response from the client (this server sends no requests): nothing to answer.
    if (message.contains("result") || message.contains("error")) return std::nullopt;
    return error_response(is_request && valid_id(*id_it) ? *id_it : json(nullptr), kInvalidRequest,
                          "invalid request: no method");
  }
  if (is_request && !valid_id(*id_it)) {
    return error_response(nullptr, kInvalidRequest,
                          "invalid request: the id must be a string or an integer");
  }
  json id = is_request ? *id_it : json(nullptr);
  auto version = message.find("jsonrpc");
  if (version == message.end() || *version != "2.0" || !method_it->is_string()) {
    if (!is_request) return std::nullopt;
    return error_response(id, kInvalidRequest,
                          "invalid request: needs \"jsonrpc\": \"2.0\" and a method name");
  }
  const std::string method = method_it->get<std::string>();
  json params = json::object();
  if (auto p = message.find("params"); p != message.end() && !p->is_null()) params = *p;

  if (!is_request) return std::nullopt;  // notifications/initialized, cancelled, ...: no answer
  if (!params.is_object()) {
    return error_response(id, kInvalidParams, "invalid params: params must be an object");
  }
  try {
    json result = handle_request(method, params);
    return serialize({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
  } catch (const RpcError& e) {
    return error_response(id, e.code, e.message);
  } catch (const BadParams& e) {
    return error_response(id, kInvalidParams, std::string("invalid params: ") + e.what());
  } catch (const std::exception& e) {
    return error_response(id, kInternalError, std::string("internal error: ") + e.what());
  }
}

json Server::handle_request(const std::string& method, const json& params) {
  if (method == "initialize") return initialize(params);
  if (method == "ping") return json::object();
  if (method == "tools/list") return {{"tools", tool_catalogue()}};
  if (method == "tools/call") {
    auto name = params.find("name");
    if (name == params.end() || !name->is_string()) {
      throw BadParams("tools/call needs the tool's \"name\" (a string)");
    }
    json arguments = json::object();
    if (auto a = params.find("arguments"); a != params.end() && !a->is_null()) {
      if (!a->is_object()) throw BadParams("\"arguments\" must be an object");
      arguments = *a;
    }
    std::string tool = name->get<std::string>();
    try {
      return call_tool(tool, arguments, toolchain_);
    } catch (const BadParams&) {
      throw;
    } catch (const std::exception& e) {
      // A failure of the tool itself (a file system error, ...): the agent reads it.
      return tool_failure("the " + tool + " tool failed: " + e.what());
    }
  }
  throw RpcError{kMethodNotFound, "method not found: " + method};
}

json Server::initialize(const json& params) {
  protocol_ = kLatestProtocol;
  auto asked = params.find("protocolVersion");
  if (asked != params.end() && asked->is_string()) {
    for (const char* known : {"2025-06-18", "2025-03-26", "2024-11-05"}) {
      if (*asked == known) protocol_ = known;
    }
  }
  return {{"protocolVersion", protocol_},
          {"capabilities", {{"tools", {{"listChanged", false}}}}},
          {"serverInfo",
           {{"name", "parsel"}, {"title", "Parseltongue compiler"}, {"version", PT_VERSION}}},
          {"instructions", kInstructions}};
}

}  // namespace pt::mcp
