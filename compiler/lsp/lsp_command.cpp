// `parsel lsp`: placeholder until the editor tooling lands (replaced by its owner).
#include <cstdio>

#include "driver/commands.h"
#include "driver/driver.h"

namespace pt {

int command_lsp(const std::vector<std::string>&) {
  std::fputs("parsel: `lsp` is not yet supported by this parsel\n", stderr);
  return kExitUsage;
}

}  // namespace pt
