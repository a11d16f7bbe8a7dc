// `parsel build`: generate C++, write what changed, build it with CMake and Ninja.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "driver/project.h"
#include "emit/emit.h"

namespace pt {

struct BuildOptions {
  bool verbose = false;  // show the C++ toolchain's configure output and commands
};

// Generates the project's files. Returns the files (paths relative to build/).
std::vector<EmittedFile> generate(const LoadedProject& project);

// Writes the files under `build_dir`, touching only those whose content changed. Returns the
// number written; `stale` lists files under gen/ that are no longer generated (removed).
int write_changed(const std::filesystem::path& build_dir, const std::vector<EmittedFile>& files,
                  std::vector<std::string>& stale);

// Lists the files whose content on disk differs from `files` (missing ones included).
std::vector<std::string> differing_files(const std::filesystem::path& build_dir,
                                         const std::vector<EmittedFile>& files);

// Configures (once) and builds the generated CMake project. Returns the C++ build's exit status.
int compile_generated(const std::filesystem::path& build_dir, const Toolchain& toolchain,
                      const BuildOptions& options);

}  // namespace pt
