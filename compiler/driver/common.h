// What the commands share: their options and how they print diagnostics.
#pragma once

#include <string>
#include <vector>

#include "driver/project.h"

namespace pt {

struct CommonOptions {
  std::string path;
  bool json = false;
  bool verbose = false;
  bool check = false;
  bool emit_only = false;
  std::vector<std::string> program_args;
  std::string error;
};

// PATH, --diagnostics=human|json, --verbose, and (with build_flags) --check and --emit-only.
CommonOptions parse_common(const std::vector<std::string>& args, bool build_flags);

// Prints every diagnostic and a summary; returns true when there were errors.
bool print_diagnostics(const LoadedProject& p, bool json);

}  // namespace pt
