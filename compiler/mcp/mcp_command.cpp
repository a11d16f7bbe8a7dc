// `parsel mcp`: placeholder until the editor tooling lands (replaced by its owner).
#include <cstdio>

#include "driver/commands.h"
#include "driver/driver.h"

namespace pt {

int command_mcp(const std::vector<std::string>&) {
  std::fputs("parsel: `mcp` is not yet supported by this parsel\n", stderr);
  return kExitUsage;
}

}  // namespace pt
