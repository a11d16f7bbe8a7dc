#include "driver/build.h"

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace pt {

std::vector<EmittedFile> generate(const LoadedProject& project) {
  EmitOptions options;
  options.project_name = project.manifest ? project.manifest->name : "program";
  options.profile = project.manifest ? project.manifest->profile : "release";
  if (project.manifest) options.extra_cxx_flags = project.manifest->cxx_flags;
  options.parsel_version = PT_VERSION;
#ifdef PT_RUNTIME_SANITIZE
  options.runtime_flags = {"-fsanitize=address,undefined", "-fno-omit-frame-pointer",
                           "-fno-sanitize-recover=undefined"};
#endif
  options.display_paths = project.display_paths;
  if (project.manifest) {
    const Manifest& m = *project.manifest;
    options.allow_oversubscription = m.allow_oversubscription;
    options.slytherin.listen = m.slytherin_listen;
    options.slytherin.advertised_host = m.slytherin_advertised_host;
    options.slytherin.data_dir = m.slytherin_data_dir;
    options.slytherin.auto_create_topics = m.slytherin_auto_create_topics;
    options.slytherin.auto_create_partitions = m.slytherin_auto_create_partitions;
    options.slytherin.metrics_listen = m.metrics_listen;
    options.basilisk.host = m.basilisk_host;
    options.basilisk.access_log = m.basilisk_access_log;
  }
  return emit_program(project.program, project.plan, options);
}

namespace {
std::string read_all(const fs::path& path, bool& exists) {
  std::ifstream in(path, std::ios::binary);
  exists = static_cast<bool>(in);
  if (!exists) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs a command, passing its output through; returns its exit status.
int run_command(const std::string& command) {
  std::fflush(stdout);
  std::fflush(stderr);
  int status = std::system(command.c_str());
  if (status == -1) return 127;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}
}  // namespace

int write_changed(const fs::path& build_dir, const std::vector<EmittedFile>& files,
                  std::vector<std::string>& stale) {
  int written = 0;
  std::set<std::string> wanted;
  for (const EmittedFile& f : files) {
    wanted.insert(f.path);
    fs::path full = build_dir / f.path;
    bool exists = false;
    if (read_all(full, exists) == f.content && exists) continue;
    fs::create_directories(full.parent_path());
    fs::path tmp = full;
    tmp += ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << f.content;
    }
    fs::rename(tmp, full);
    ++written;
  }
  std::error_code ec;
  if (fs::is_directory(build_dir / "gen", ec)) {
    for (const auto& e : fs::directory_iterator(build_dir / "gen")) {
      std::string rel = "gen/" + e.path().filename().string();
      if (!wanted.count(rel)) {
        stale.push_back(rel);
        fs::remove(e.path(), ec);
      }
    }
  }
  return written;
}

std::vector<std::string> differing_files(const fs::path& build_dir,
                                         const std::vector<EmittedFile>& files) {
  std::vector<std::string> out;
  for (const EmittedFile& f : files) {
    bool exists = false;
    if (read_all(build_dir / f.path, exists) != f.content || !exists) out.push_back(f.path);
  }
  return out;
}

int compile_generated(const fs::path& build_dir, const Toolchain& toolchain,
                      const BuildOptions& options) {
  fs::path cmake_dir = build_dir / "cmake";
  fs::path cache = cmake_dir / "CMakeCache.txt";
  std::string root = toolchain.root.string();
  bool configured = false;
  bool exists = false;
  std::string cache_text = read_all(cache, exists);
  if (exists && cache_text.find("HALLOWS_ROOT:UNINITIALIZED=" + root + "\n") != std::string::npos) {
    configured = true;
  }
  // The toolchain's output goes to stderr: stdout belongs to the program (`parsel run`) and to
  // JSON diagnostics.
  std::string redirect =
      options.verbose ? " 1>&2" : " > " + quote((cmake_dir / "configure.log").string()) + " 2>&1";
  if (!configured) {
    fs::create_directories(cmake_dir);
    fmt::print(stderr, "  configuring the C++ build (once)\n");
    std::string launcher;
    if (std::system("command -v ccache > /dev/null 2>&1") == 0) {
      launcher = " -DCMAKE_CXX_COMPILER_LAUNCHER=ccache";
    }
    int status =
        run_command("cmake -S " + quote(build_dir.string()) + " -B " + quote(cmake_dir.string()) +
                    " -G Ninja -DHALLOWS_ROOT=" + quote(root) + launcher + redirect);
    if (status != 0) {
      if (!options.verbose) {
        fmt::print(stderr, "{}", read_all(cmake_dir / "configure.log", exists));
      }
      return status;
    }
  }
  // Ninja prints one progress line per compiled file.
  return run_command("cmake --build " + quote(cmake_dir.string()) + " 1>&2");
}

}  // namespace pt
