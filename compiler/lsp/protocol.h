// The compiler's values in LSP's JSON shapes: ranges, locations and diagnostics (with their
// suggested fixes as `data`), and the JSON-RPC error codes.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"
#include "lsp/text.h"

namespace pt::lsp {

using json = nlohmann::json;

// JSON-RPC and LSP error codes.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerNotInitialized = -32002;
inline constexpr int kRequestFailed = -32803;

// An error answer to a request, thrown by a handler.
struct RpcError {
  int code;
  std::string message;
};

// LSP's {line, character} for the compiler's 1-based line and column of file `file`.
json to_lsp_position(const SourceManager& sources, std::uint32_t file, std::uint32_t line,
                     std::uint32_t column, Encoding enc);
// LSP's {start, end} for `r` (an invalid range: the file's start).
json to_lsp_range(const SourceManager& sources, SourceRange r, Encoding enc);

// The URI of file `file` (the client's own spelling when the file is open).
using UriOf = std::function<std::string(std::uint32_t file)>;

// One LSP Diagnostic: range, severity, code, source "parsel", message, relatedInformation (the
// notes; a note without a place points at the diagnostic), and data: {"fixes": [{description,
// machine_applicable, edits: [{uri, range, newText}]}]}.
json to_lsp_diagnostic(const SourceManager& sources, const Diagnostic& d, Encoding enc,
                       const UriOf& uri_of);
// The fix as a WorkspaceEdit: {"changes": {uri: [TextEdit]}}.
json to_workspace_edit(const SourceManager& sources, const Fix& fix, Encoding enc,
                       const UriOf& uri_of);

// Serializes `j` for the wire; text that is not UTF-8 (from a file on disk) is replaced, never
// thrown over.
std::string dump(const json& j);

}  // namespace pt::lsp
