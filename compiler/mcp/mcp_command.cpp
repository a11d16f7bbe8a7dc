// `parsel mcp`: the Model Context Protocol server over stdio (docs/mcp.md). One JSON-RPC message
// per line on stdin, one answer per line on stdout; anything else the process prints goes to
// stderr, so stdout carries only the protocol. Exits 0 at the end of its input.
#include <cstdio>
#include <iostream>
#include <string>

#include "driver/commands.h"
#include "driver/driver.h"
#include "driver/files.h"
#include "mcp/server.h"

namespace pt {

int command_mcp(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fputs(
        "usage: parsel mcp\n"
        "  a Model Context Protocol server on stdin/stdout for coding agents (docs/mcp.md)\n",
        stderr);
    return kExitUsage;
  }
  // Only protocol messages go to stdout; a client that went away ends the loop.
  int protocol_fd = take_stdout_for_protocol();
  FILE* out = protocol_fd < 0 ? nullptr : ::fdopen(protocol_fd, "w");
  if (out == nullptr) {
    std::perror("parsel mcp: stdout");
    return kExitUsage;
  }

  mcp::Server server(find_toolchain());
  std::string line;
  while (std::getline(std::cin, line)) {
    std::optional<std::string> answer = server.handle_line(line);
    if (!answer) continue;
    answer->push_back('\n');
    if (std::fwrite(answer->data(), 1, answer->size(), out) != answer->size() ||
        std::fflush(out) != 0) {
      std::fputs("parsel mcp: the client closed the connection\n", stderr);
      break;
    }
  }
  std::fclose(out);
  return kExitOk;
}

}  // namespace pt
