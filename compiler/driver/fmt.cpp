// `parsel fmt [--check] [--diagnostics=human|json] PATH...` and `parsel fmt --stdin`: lays .pt
// files out canonically (format/format.h, docs/fmt.md). Directories are searched for *.pt files,
// skipping build/, node_modules/ and hidden directories. A changed file is rewritten through a
// temporary file and a rename, keeping its permissions; a file that does not parse is left alone
// and its errors are printed as `parsel check` prints them. --check writes nothing and lists the
// files that would change. Exit status: 0 done (or nothing to change), 1 a file did not parse or
// (--check) would change, 2 usage or I/O error.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>

#include <fmt/format.h>

#include "driver/commands.h"
#include "driver/driver.h"
#include "driver/files.h"
#include "format/format.h"

namespace fs = std::filesystem;

namespace pt {
namespace {

constexpr const char* kUsage =
    "usage: parsel fmt [--check] [--diagnostics=human|json] PATH...\n"
    "       parsel fmt [--check] --stdin   (reads stdin, writes the formatted text to stdout)\n";

struct FmtOptions {
  bool check = false;
  bool json = false;
  bool stdin_mode = false;
  std::vector<std::string> paths;
  std::string error;
};

FmtOptions parse_options(const std::vector<std::string>& args) {
  FmtOptions o;
  bool only_paths = false;
  for (const std::string& a : args) {
    if (only_paths) {
      o.paths.push_back(a);
    } else if (a == "--") {
      only_paths = true;
    } else if (a == "--check") {
      o.check = true;
    } else if (a == "--stdin" || a == "-") {
      o.stdin_mode = true;
    } else if (a == "--diagnostics=json") {
      o.json = true;
    } else if (a == "--diagnostics=human") {
      o.json = false;
    } else if (!a.empty() && a[0] == '-') {
      o.error = "unknown option '" + a + "'";
    } else {
      o.paths.push_back(a);
    }
  }
  if (o.error.empty() && o.stdin_mode && !o.paths.empty()) {
    o.error = "--stdin takes no PATH";
  }
  if (o.error.empty() && !o.stdin_mode && o.paths.empty()) {
    o.error = "which files? give .pt files or directories, or --stdin";
  }
  return o;
}

bool skipped_directory(const fs::path& dir) {
  std::string name = dir.filename().string();
  return name == "build" || name == "node_modules" || (name.size() > 1 && name[0] == '.');
}

// The files PATH names: itself, or every *.pt file under it. False when it names nothing.
bool collect(const std::string& path, std::vector<std::string>& files) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    if (!fs::exists(path, ec)) return false;
    files.push_back(path);
    return true;
  }
  std::vector<std::string> found;
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::error_code type_ec;
    if (entry.is_directory(type_ec)) {
      if (skipped_directory(entry.path())) it.disable_recursion_pending();
      continue;
    }
    if (entry.path().extension() == ".pt" && entry.is_regular_file(type_ec)) {
      found.push_back(entry.path().string());
    }
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

void print_refusal(const SourceManager& sources, const DiagnosticSink& sink, bool json) {
  bool color = !json && isatty(STDERR_FILENO) && std::getenv("NO_COLOR") == nullptr;
  for (const Diagnostic& d : sink.all()) {
    if (json) {
      fmt::print("{}\n", render_json(sources, d));
    } else {
      fmt::print(stderr, "{}\n", render_human(sources, d, color));
    }
  }
  std::fflush(stdout);
}

int format_stdin(const FmtOptions& o) {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  SourceManager sources;
  std::uint32_t id = sources.add("<stdin>", text);
  DiagnosticSink sink;
  std::optional<std::string> formatted = format_file(sources, id, sink);
  if (!formatted) {
    print_refusal(sources, sink, o.json);
    return kExitUserError;
  }
  if (o.check) {
    if (*formatted == text) return kExitOk;
    fmt::print("<stdin>\n");
    return kExitUserError;
  }
  std::fwrite(formatted->data(), 1, formatted->size(), stdout);
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

}  // namespace

int command_fmt(const std::vector<std::string>& args) {
  FmtOptions o = parse_options(args);
  if (!o.error.empty()) {
    fmt::print(stderr, "parsel fmt: {}\n{}", o.error, kUsage);
    return kExitUsage;
  }
  if (o.stdin_mode) return format_stdin(o);

  std::vector<std::string> files;
  for (const std::string& path : o.paths) {
    if (!collect(path, files)) {
      fmt::print(stderr, "parsel fmt: '{}' does not exist\n", path);
      return kExitUsage;
    }
  }
  std::size_t refused = 0;
  std::size_t changed = 0;
  bool io_error = false;
  for (const std::string& path : files) {
    std::string text;
    std::string error;
    if (!read_file(path, text, error)) {
      fmt::print(stderr, "parsel fmt: cannot read {}: {}\n", path, error);
      io_error = true;
      continue;
    }
    SourceManager sources;
    std::uint32_t id = sources.add(path, text);
    DiagnosticSink sink;
    std::optional<std::string> formatted = format_file(sources, id, sink);
    if (!formatted) {
      print_refusal(sources, sink, o.json);
      ++refused;
      continue;
    }
    if (*formatted == text) continue;
    ++changed;
    if (o.check) {
      fmt::print("{}\n", path);
    } else if (!replace_file(path, *formatted, error)) {
      fmt::print(stderr, "parsel fmt: cannot write {}: {}\n", path, error);
      io_error = true;
    }
  }
  std::fflush(stdout);
  if (refused != 0 && !o.json) {
    fmt::print(stderr, "parsel fmt: {} file{} not formatted: {} not parse\n", refused,
               refused == 1 ? "" : "s", refused == 1 ? "it does" : "they do");
  }
  if (io_error) return kExitUsage;
  if (refused != 0 || (o.check && changed != 0)) return kExitUserError;
  return kExitOk;
}

}  // namespace pt
