// The front door of emit/: a checked program in, readable C++ and a CMake project out.
// Emission is deterministic: the same program always gives byte-identical files.
#pragma once

#include <string>
#include <vector>

#include "plan/plan.h"
#include "sema/check.h"

namespace pt {

struct EmittedFile {
  std::string path;  // relative to the project's build/ directory
  std::string content;
};

struct EmitOptions {
  std::string project_name;         // the binary's name
  std::string profile = "release";  // "release" or "debug"
  std::vector<std::string> extra_cxx_flags;
  std::string parsel_version;
  // Path of each source file as written into comments and #line directives, by file id.
  std::vector<std::string> display_paths;
  bool allow_oversubscription = false;  // parsel.toml [machine]: checked again at start-up
};

// Emits every module (and main.cpp when the program has an entry), with the system of `plan`.
std::vector<EmittedFile> emit_program(const Program& program, const SystemPlan& plan,
                                      const EmitOptions& options);
// The same for a program without partitions or channels (its plan is empty).
std::vector<EmittedFile> emit_program(const Program& program, const EmitOptions& options);

}  // namespace pt
