#include "driver/project.h"

#include <algorithm>
#include <set>

#include "driver/files.h"
#include "syntax/parse.h"

namespace fs = std::filesystem;

namespace pt {

Toolchain find_toolchain() {
  Toolchain t;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) exe = fs::current_path() / "parsel";
  t.root = exe.parent_path().parent_path();
  t.stdlib_dir = t.root / "share" / "parseltongue" / "stdlib";
  return t;
}

namespace {

std::uint32_t add_file(LoadedProject& p, const fs::path& path, const std::string& display) {
  std::string text, error;
  auto unsaved = p.overlay.empty() ? p.overlay.end()
                                   : p.overlay.find(fs::absolute(path).lexically_normal().string());
  if (unsaved != p.overlay.end()) {
    text = unsaved->second;
  } else if (!read_file(path, text, error)) {
    p.sink.report(diag::FileUnreadable(SourceRange{}, display, error));
    return UINT32_MAX;
  }
  std::uint32_t id = p.sources.add(display, std::move(text));
  p.display_paths.push_back(display);
  p.file_paths.push_back(fs::absolute(path).lexically_normal());
  return id;
}

std::unique_ptr<Module> parse_one(LoadedProject& p, std::uint32_t id, bool is_stdlib) {
  auto m = parse_file(p.sources, id, p.sink);
  m->is_stdlib = is_stdlib;
  return m;
}

// Loads the standard library modules that the program imports, transitively.
void load_stdlib(LoadedProject& p, const Toolchain& toolchain) {
  std::set<std::string> loaded;
  for (auto& m : p.program.modules) loaded.insert(m->name);
  for (std::size_t i = 0; i < p.program.modules.size(); ++i) {
    std::vector<std::string> wanted;
    for (const Import& imp : p.program.modules[i]->imports) {
      std::string name = join_name(imp.name);
      if (name.rfind("std.", 0) == 0 && !loaded.count(name)) wanted.push_back(name);
    }
    for (const std::string& name : wanted) {
      if (loaded.count(name)) continue;
      std::string rel = name.substr(4);
      std::replace(rel.begin(), rel.end(), '.', '/');
      fs::path file = toolchain.stdlib_dir / (rel + ".pt");
      if (!fs::exists(file)) continue;  // reported by sema as an unknown module
      std::uint32_t id = add_file(p, file, "<stdlib>/" + rel + ".pt");
      if (id == UINT32_MAX) continue;
      auto m = parse_one(p, id, true);
      m->name = name;
      loaded.insert(name);
      p.program.modules.push_back(std::move(m));
    }
  }
}

// A file without a `module` line is named after its file, made into an identifier.
std::string module_name_from_stem(std::string stem) {
  for (char& c : stem) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  }
  if (stem.empty() || std::isdigit(static_cast<unsigned char>(stem[0]))) stem = "m_" + stem;
  return stem;
}

void collect_sources(const fs::path& entry, std::vector<fs::path>& out) {
  if (fs::is_directory(entry)) {
    for (const auto& e : fs::recursive_directory_iterator(entry)) {
      if (e.is_regular_file() && e.path().extension() == ".pt") out.push_back(e.path());
    }
  } else {
    out.push_back(entry);
  }
}

}  // namespace

void load_project(const fs::path& path, const Toolchain& toolchain, bool require_entry,
                  LoadedProject& p) {
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    p.dir = path;
    fs::path manifest_path = path / "parsel.toml";
    std::string text, error;
    if (!fs::exists(manifest_path)) {
      p.sink.report(diag::ManifestMissing(SourceRange{}, path.string()));
      return;
    }
    if (!read_file(manifest_path, text, error)) {
      p.sink.report(diag::FileUnreadable(SourceRange{}, manifest_path.string(), error));
      return;
    }
    std::uint32_t manifest_id = p.sources.add("parsel.toml", text);
    p.display_paths.push_back("parsel.toml");
    p.file_paths.push_back(fs::absolute(manifest_path).lexically_normal());
    ManifestResult mr = parse_manifest(text, "parsel.toml");
    if (!mr.manifest) {
      auto line = static_cast<std::uint32_t>(std::max(mr.error_line, 1));
      auto column = static_cast<std::uint32_t>(std::max(mr.error_column, 1));
      p.sink.report(diag::ManifestInvalid(SourceRange{manifest_id, line, column, line, column + 1},
                                          mr.error));
      return;
    }
    p.manifest = mr.manifest;
    for (const std::string& entry : p.manifest->modules) {
      fs::path full = path / entry;
      if (!fs::exists(full)) {
        p.sink.report(diag::ModuleFileMissing(SourceRange{manifest_id, 1, 1, 1, 2}, entry));
        continue;
      }
      collect_sources(full, files);
    }
  } else if (fs::is_regular_file(path, ec)) {
    p.dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    files.push_back(path);
  } else {
    p.sink.report(diag::FileUnreadable(SourceRange{}, path.string(), "no such file or directory"));
    return;
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  for (const fs::path& f : files) {
    std::string display = p.manifest ? fs::relative(f, p.dir).generic_string() : f.string();
    std::uint32_t id = add_file(p, f, display);
    if (id == UINT32_MAX) continue;
    auto m = parse_one(p, id, false);
    if (m->name.empty()) {
      if (files.size() > 1) {
        p.sink.report(diag::MissingModuleDecl(SourceRange{id, 1, 1, 1, 2})
                          .fix("name the module after its file", SourceRange{id, 1, 1, 1, 1},
                               "module " + f.stem().string() + "\n\n"));
      }
      m->name = module_name_from_stem(f.stem().string());
    }
    p.program.modules.push_back(std::move(m));
  }
  load_stdlib(p, toolchain);
  CheckOptions options;
  options.require_entry = require_entry;
  // A file that did not parse would only add follow-on noise to the checker's report: syntax
  // errors are fixed first, then the program is checked.
  if (!p.sink.has_errors() && check_program(p.program, p.sink, options)) {
    MachineOptions machine;
    if (p.manifest) {
      machine.cores = p.manifest->machine_cores;
      machine.allow_oversubscription = p.manifest->allow_oversubscription;
    }
    p.plan = plan_system(p.program, machine, p.sink);
  }
  p.sink.sort();
}

}  // namespace pt
