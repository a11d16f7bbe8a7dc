// Loading a project (or one file) into a checked Program.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "diag/diagnostic.h"
#include "driver/manifest.h"
#include "plan/plan.h"
#include "sema/check.h"

namespace pt {

// Where parsel finds its runtime and standard library: the tree it was installed (or built) in.
struct Toolchain {
  std::filesystem::path root;        // holds include/hallows, lib/libhallows.a
  std::filesystem::path stdlib_dir;  // share/parseltongue/stdlib
};
Toolchain find_toolchain();

struct LoadedProject {
  std::filesystem::path dir;         // project directory (for a single file: its directory)
  std::optional<Manifest> manifest;  // empty when checking a single file
  SourceManager sources;
  DiagnosticSink sink;
  Program program;
  SystemPlan plan;                                // made when the program checked without errors
  std::vector<std::string> display_paths;         // by file id
  std::vector<std::filesystem::path> file_paths;  // by file id: absolute, lexically normal
  // Set before load_project: texts used instead of the files on disk (an editor's unsaved
  // buffers), keyed by absolute, lexically normal path. A path here that is not on disk is not
  // added to the project; only files the project already has are replaced.
  std::map<std::string, std::string> overlay;
};

// Reads, parses and checks `path`: a project directory with parsel.toml, or one .pt file.
// Problems are in `sink`; `program` holds what could be read.
void load_project(const std::filesystem::path& path, const Toolchain& toolchain, bool require_entry,
                  LoadedProject& out);

}  // namespace pt
