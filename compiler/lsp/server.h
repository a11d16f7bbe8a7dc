// `parsel lsp`: the Language Server Protocol 3.17 server. One thread reads JSON-RPC messages
// from stdin, answers requests in order and publishes diagnostics once the input is quiet
// (docs/lsp.md).
#pragma once

#include <optional>
#include <string>

#include "lsp/protocol.h"
#include "lsp/transport.h"
#include "lsp/workspace.h"

namespace pt::lsp {

// Where a request points: its document, the document's project and the analysis to look
// names up in (the latest that checked), the document's file id there and the position.
struct Place {
  Document* doc = nullptr;
  Project* project = nullptr;
  const Analysis* analysis = nullptr;  // null: nothing checked yet
  std::optional<std::uint32_t> file;   // the document's file in `analysis`
  CodePoint pos;                       // 1-based, code points, in the document's current text
};

class Server {
 public:
  Server(Transport& transport, const Toolchain& toolchain);

  // Serves until `exit` or the end of the input. Returns the exit status: 0 when `shutdown` came
  // first, 1 otherwise.
  int run();

 private:
  void handle(const std::string& body);
  void handle_message(const json& message);
  json request(const std::string& method, const json& params);
  void notification(const std::string& method, const json& params);
  void send(const json& message);

  json initialize(const json& params);
  void did_open(const json& params);
  void did_change(const json& params);
  void did_close(const json& params);
  void analyse_quiet_projects();
  // Re-analyses the document's project if it changed and publishes what is new.
  Project& project_for(Document& doc);
  void publish(Project& p);
  std::string uri_of(const Analysis& a, std::uint32_t file) const;
  UriOf uri_function(const Analysis& a) const;

  Document& document(const json& params);
  Place place(const json& params, bool with_position);

  // Features (navigate.cpp, actions.cpp, completion.cpp).
  json hover(const json& params);
  json definition(const json& params);
  json references(const json& params);
  json document_symbols(const json& params);
  json formatting(const json& params);
  json code_actions(const json& params);
  json completion(const json& params);
  json location(const Analysis& a, SourceRange r) const;

  Transport& transport_;
  Workspace workspace_;
  std::vector<std::string> std_modules_;  // `std.strings`, ...: for completion after `import`
  Encoding encoding_ = Encoding::kUtf16;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exited_ = false;
};

}  // namespace pt::lsp
