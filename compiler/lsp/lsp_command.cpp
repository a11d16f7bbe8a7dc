// `parsel lsp`: runs the language server over stdin and stdout (docs/lsp.md).
#include <cstdio>

#include <unistd.h>

#include "driver/commands.h"
#include "driver/driver.h"
#include "driver/files.h"
#include "lsp/server.h"

namespace pt {

int command_lsp(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "--stdio") continue;  // what editors' LSP clients pass; stdio is the only transport
    if (a == "--help" || a == "-h") {
      std::fputs(
          "usage: parsel lsp [--stdio]\n"
          "Runs the Parseltongue language server: LSP 3.17, JSON-RPC on stdin and stdout,\n"
          "logs on stderr. See docs/lsp.md.\n",
          stderr);
      return kExitOk;
    }
    std::fprintf(stderr, "parsel lsp: unknown argument '%s' (usage: parsel lsp [--stdio])\n",
                 a.c_str());
    return kExitUsage;
  }
  // Only protocol messages go to stdout; a client that went away ends the loop.
  int protocol_out = take_stdout_for_protocol();
  if (protocol_out < 0) {
    std::perror("parsel lsp");
    return kExitUserError;
  }
  lsp::Transport transport(STDIN_FILENO, protocol_out);
  lsp::Server server(transport, find_toolchain());
  int status = server.run();
  ::close(protocol_out);
  return status;
}

}  // namespace pt
