// `parsel fix PATH`: applies the machine-applicable fixes the checker suggests, then checks
// again, until nothing more applies (a fix can uncover another: a renamed name's next use), at
// most kMaxRounds times. Errors' fixes go first; warnings' only once no error is left. Only files
// inside the project are rewritten (never the standard library). What is left is printed as `parsel
// check` prints it; the exit status is check's.
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "driver/build.h"
#include "driver/commands.h"
#include "driver/common.h"
#include "driver/driver.h"
#include "driver/files.h"

namespace fs = std::filesystem;

namespace pt {
namespace {

constexpr int kMaxRounds = 10;

bool inside(const fs::path& dir, const fs::path& file) {
  std::error_code ec;
  fs::path d = fs::weakly_canonical(dir, ec);
  fs::path f = fs::weakly_canonical(file, ec);
  auto rel = f.lexically_relative(d);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

int command_fix(const std::vector<std::string>& args) {
  CommonOptions o = parse_common(args, false);
  if (!o.error.empty()) {
    fmt::print(stderr, "parsel fix: {}\n", o.error);
    return kExitUsage;
  }
  Toolchain toolchain = find_toolchain();
  std::size_t applied = 0;
  std::set<std::string> changed;
  for (int round = 0; round < kMaxRounds; ++round) {
    LoadedProject p;
    load_project(o.path, toolchain, false, p);
    // The first machine-applicable fix of each diagnostic, by the files it edits.
    std::map<std::uint32_t, std::vector<const Fix*>> by_file;
    std::size_t offered = 0;
    // While there are errors, only their fixes: a warning about a broken program (an "unused"
    // name that a misspelling hides) would fix the wrong thing. Warnings' fixes come after.
    const bool errors_only = p.sink.has_errors();
    for (const Diagnostic& d : p.sink.all()) {
      if (errors_only && d.severity() != Severity::kError) continue;
      for (const Fix& fix : d.fixes) {
        if (!fix.machine_applicable || fix.edits.empty()) continue;
        std::set<std::uint32_t> files;
        for (const TextEdit& e : fix.edits) files.insert(e.range.file);
        for (std::uint32_t f : files) by_file[f].push_back(&fix);
        ++offered;
        break;
      }
    }
    bool wrote = false;
    for (const auto& [file, fixes] : by_file) {
      const SourceFile& source = p.sources.file(file);
      // A project's files are named relative to its directory, a lone file as it was given;
      // the standard library's ("<stdlib>/...") are not the user's to change.
      fs::path on_disk = p.manifest ? p.dir / source.path : fs::path(source.path);
      if (source.path.starts_with("<") || !inside(p.dir, on_disk)) continue;
      std::string text = apply_fixes(source.text, p.sources, file, fixes);
      if (text == source.text) continue;
      std::string error;
      if (!replace_file(on_disk, text, error)) {
        fmt::print(stderr, "parsel fix: cannot write {}: {}\n", on_disk.string(), error);
        return kExitUsage;  // 2: usage or internal error
      }
      changed.insert(source.path);
      wrote = true;
    }
    if (!wrote) break;
    applied += offered;
  }
  LoadedProject p;
  load_project(o.path, toolchain, false, p);
  bool errors = print_diagnostics(p, o.json);
  fmt::print(stderr, "parsel fix: applied {} fix{} in {} file{}\n", applied,
             applied == 1 ? "" : "es", changed.size(), changed.size() == 1 ? "" : "s");
  for (const std::string& path : changed) fmt::print(stderr, "  changed {}\n", path);
  return errors ? kExitUserError : kExitOk;
}

}  // namespace pt
