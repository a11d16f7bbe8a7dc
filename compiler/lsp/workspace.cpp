#include "lsp/workspace.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include <stdlib.h>

namespace fs = std::filesystem;

namespace pt::lsp {

std::optional<std::uint32_t> Analysis::file_of(const std::string& path) const {
  auto it = files.find(path);
  if (it == files.end()) return std::nullopt;
  return it->second;
}

const Module* Analysis::module_of(std::uint32_t file) const {
  for (const auto& m : project->program.modules) {
    if (m && m->file == file) return m.get();
  }
  return nullptr;
}

std::string find_project_dir(const std::string& path) {
  std::error_code ec;
  fs::path dir = fs::path(path).parent_path();
  for (int depth = 0; depth < 256 && !dir.empty(); ++depth) {
    if (fs::is_regular_file(dir / "parsel.toml", ec)) return dir.string();
    fs::path up = dir.parent_path();
    if (up == dir) break;
    dir = up;
  }
  return "";
}

bool checker_ran(const LoadedProject& p) {
  // The checker gives every schema, enum and function its type: when the program has one, that
  // says whether it ran. (Sema reports some PT1xxx codes of its own, such as `5 s`.)
  bool typed_kind = false;
  for (const auto& m : p.program.modules) {
    for (const auto& d : m->decls) {
      if (d->kind == DeclKind::kSchema || d->kind == DeclKind::kEnum ||
          d->kind == DeclKind::kFunction || d->kind == DeclKind::kRuntimeFunction) {
        if (d->type != nullptr) return true;
        typed_kind = true;
      }
    }
  }
  if (typed_kind) return false;
  // Otherwise: it runs only when nothing before it (the project, the syntax) failed.
  for (const Diagnostic& d : p.sink.all()) {
    std::string_view code = info(d.kind).code;
    if (d.severity() == Severity::kError &&
        (code.rfind("PT0", 0) == 0 || code.rfind("PT1", 0) == 0)) {
      return false;
    }
  }
  return true;
}

std::string Workspace::project_key_for(const std::string& path) const {
  std::string dir = find_project_dir(path);
  return dir.empty() ? path : dir;
}

Document& Workspace::open(const std::string& uri, const std::string& path, std::string text,
                          std::int64_t version) {
  Document& d = documents_[uri];
  d.uri = uri;
  d.path = path;
  d.text = std::move(text);
  d.version = version;
  d.project = project_key_for(path);
  ensure_project(d);
  touch(d);
  return d;
}

Workspace::~Workspace() {
  if (scratch_dir_.empty()) return;
  std::error_code ec;
  fs::remove_all(scratch_dir_, ec);
}

Document* Workspace::open_scratch(const std::string& uri, std::string text, std::int64_t version) {
  if (Document* d = find(uri); d != nullptr && d->scratch) {
    d->text = std::move(text);
    d->version = version;
    touch(*d);
    return d;
  }
  std::string path = stand_in("untitled.pt");
  if (path.empty()) return nullptr;
  Document& d = documents_[uri];
  d.uri = uri;
  d.path = path;
  d.text = std::move(text);
  d.version = version;
  d.project = path;
  d.scratch = true;
  ensure_project(d);
  touch(d);
  return &d;
}

std::string Workspace::stand_in(const std::string& name) {
  std::error_code ec;
  if (scratch_dir_.empty()) {
    std::string pattern = (fs::temp_directory_path(ec) / "parsel-lsp.XXXXXX").string();
    if (ec || ::mkdtemp(pattern.data()) == nullptr) return "";
    scratch_dir_ = pattern;
  }
  fs::path dir = fs::path(scratch_dir_) / std::to_string(++scratch_count_);
  fs::create_directory(dir, ec);
  std::string path = fs::absolute(dir / name, ec).lexically_normal().string();
  std::FILE* f = ec ? nullptr : std::fopen(path.c_str(), "w");
  if (f == nullptr) return "";
  std::fclose(f);
  return path;
}

void Workspace::remove_stand_in(const std::string& path) {
  std::error_code ec;
  fs::remove_all(fs::path(path).parent_path(), ec);
}

Document* Workspace::find(const std::string& uri) {
  auto it = documents_.find(uri);
  return it == documents_.end() ? nullptr : &it->second;
}

void Workspace::close(const std::string& uri) {
  auto it = documents_.find(uri);
  if (it == documents_.end()) return;
  touch(it->second);
  // A lone file's project goes with its buffer.
  auto p = projects_.find(it->second.project);
  if (p != projects_.end() && p->second.single_file) p->second.dirty = true;
  if (it->second.scratch) remove_stand_in(it->second.path);
  documents_.erase(it);
}

void Workspace::touch(const Document& doc) {
  auto it = projects_.find(doc.project);
  if (it != projects_.end()) it->second.dirty = true;
}

void Workspace::touch_all() {
  for (auto& [key, p] : projects_) p.dirty = true;
}

Project* Workspace::project(const std::string& key) {
  auto it = projects_.find(key);
  return it == projects_.end() ? nullptr : &it->second;
}

Project& Workspace::ensure_project(const Document& doc) {
  auto it = projects_.find(doc.project);
  if (it == projects_.end()) {
    it = projects_.emplace(doc.project, Project{}).first;
    it->second.key = doc.project;
    it->second.single_file = doc.project == doc.path;
  }
  return it->second;
}

Project& Workspace::project_of(Document& doc) {
  Project& p = ensure_project(doc);
  refresh(p);
  if (!p.single_file && p.current && p.current->project->manifest &&
      !p.current->file_of(doc.path)) {
    // In a project directory, but not one of the project's modules: a file of its own.
    doc.project = doc.path;
    return project_of(doc);
  }
  return p;
}

std::vector<Project*> Workspace::dirty_projects() {
  std::vector<Project*> out;
  for (auto& [key, p] : projects_) {
    if (p.dirty) out.push_back(&p);
  }
  return out;
}

std::vector<const Document*> Workspace::documents_of(const std::string& key) const {
  std::vector<const Document*> out;
  for (const auto& [uri, d] : documents_) {
    if (d.project == key) out.push_back(&d);
  }
  return out;
}

const Document* Workspace::document_at(const std::string& path) const {
  for (const auto& [uri, d] : documents_) {
    if (d.path == path) return &d;
  }
  return nullptr;
}

bool Workspace::refresh(Project& p) {
  if (!p.dirty && p.current) return false;
  p.dirty = false;
  auto start = std::chrono::steady_clock::now();
  auto a = std::make_shared<Analysis>();
  a->project = std::make_unique<LoadedProject>();
  for (const Document* d : documents_of(p.key)) a->project->overlay[d->path] = d->text;
  // A lone file that is no longer open (or not on disk) has nothing to analyse.
  if (p.single_file && a->project->overlay.empty() && !fs::exists(p.key)) {
    p.current.reset();
    p.good.reset();
    return true;
  }
  // A lone file not on disk (a new file not saved yet): the compiler reads files, so an empty
  // stand-in of the same name is analysed with the buffer in its place.
  std::string stand_in_path;
  if (p.single_file && !fs::exists(p.key)) {
    stand_in_path = stand_in(fs::path(p.key).filename().string());
    if (stand_in_path.empty()) return false;
    a->project->overlay = {{stand_in_path, a->project->overlay.begin()->second}};
  }
  const std::string& target = stand_in_path.empty() ? p.key : stand_in_path;
  try {
    load_project(target, toolchain_, false, *a->project);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parsel lsp: analysing %s failed: %s\n", p.key.c_str(), e.what());
    if (!stand_in_path.empty()) remove_stand_in(stand_in_path);
    return false;
  }
  LoadedProject& lp = *a->project;
  if (!stand_in_path.empty()) {
    remove_stand_in(stand_in_path);
    for (auto& path : lp.file_paths) {
      if (path == stand_in_path) path = p.key;
    }
  }
  for (std::uint32_t id = 0; id < lp.file_paths.size(); ++id) {
    a->files.emplace(lp.file_paths[id].string(), id);
  }
  a->checked = checker_ran(lp);
  if (a->checked) a->index = std::make_unique<Index>(lp.program, lp.sources.size());
  a->millis =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  p.current = a;
  if (a->checked) p.good = a;
  return true;
}

}  // namespace pt::lsp
