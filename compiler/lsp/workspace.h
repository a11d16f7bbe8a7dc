// The language server's documents and projects: the editor's open buffers, which project each
// belongs to, and the analyses of each project (the latest, and the latest that checked).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "driver/project.h"
#include "lsp/index.h"

namespace pt::lsp {

// One open buffer.
struct Document {
  std::string uri;   // as the client spelled it
  std::string path;  // absolute, lexically normal
  std::string text;
  std::int64_t version = 0;
  std::string project;   // the key of its Project
  bool scratch = false;  // not a file (`untitled:`): analysed alone, through an empty stand-in
};

// One run of the compiler's front end over a project, with the editor's buffers in place of
// the files on disk.
struct Analysis {
  std::unique_ptr<LoadedProject> project;
  // The checker ran: no file had a syntax error and the manifest was read. Only then are names
  // resolved and types known (and `index` made).
  bool checked = false;
  std::unique_ptr<Index> index;
  std::map<std::string, std::uint32_t> files;  // absolute path -> file id
  double millis = 0;                           // how long it took

  std::optional<std::uint32_t> file_of(const std::string& path) const;
  const Module* module_of(std::uint32_t file) const;
  const SourceManager& sources() const { return project->sources; }
};

struct Project {
  std::string key;  // the project directory, or the lone file's path
  bool single_file = false;
  std::shared_ptr<const Analysis> current;  // the latest
  std::shared_ptr<const Analysis> good;     // the latest that checked
  bool dirty = true;
  std::set<std::string> published;           // URIs whose diagnostics the client was sent
  const Analysis* published_from = nullptr;  // the analysis those diagnostics came from
};

class Workspace {
 public:
  explicit Workspace(Toolchain toolchain) : toolchain_(std::move(toolchain)) {}
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  Document& open(const std::string& uri, const std::string& path, std::string text,
                 std::int64_t version);
  // A document that is not a file (`untitled:Untitled-1`): the compiler reads files, so it gets
  // an empty stand-in file in a directory of the server's own (removed on close and at exit),
  // which its buffer replaces; it is analysed alone. Null when no stand-in can be made. (A
  // lone `file:` document not on disk gets a stand-in for the time of each analysis.)
  Document* open_scratch(const std::string& uri, std::string text, std::int64_t version);
  Document* find(const std::string& uri);
  void close(const std::string& uri);
  // Marks the document's project (and every project, for a change on disk) for re-analysis.
  void touch(const Document& doc);
  void touch_all();

  // The project of `doc`, analysed if it changed since its last analysis. A file in a directory
  // with parsel.toml belongs to that project (the nearest such directory up the tree), unless
  // the manifest does not list it: then, as a file outside any project, it is analysed alone.
  Project& project_of(Document& doc);
  // Analyses `p` if it changed; returns whether it did.
  bool refresh(Project& p);
  std::vector<Project*> dirty_projects();
  Project* project(const std::string& key);
  void forget(const std::string& key) { projects_.erase(key); }

  // Open documents of project `key`.
  std::vector<const Document*> documents_of(const std::string& key) const;
  const Document* document_at(const std::string& path) const;

 private:
  std::string project_key_for(const std::string& path) const;
  Project& ensure_project(const Document& doc);
  // An empty file named `name` in a new directory of the server's own, or "" when none can be
  // made; remove_stand_in removes it with its directory.
  std::string stand_in(const std::string& name);
  void remove_stand_in(const std::string& path);

  Toolchain toolchain_;
  std::string scratch_dir_;  // made on the first scratch document
  int scratch_count_ = 0;
  std::map<std::string, Document> documents_;  // by URI
  std::map<std::string, Project> projects_;    // by key
};

// The project directory of `path`: the nearest directory up from it with a parsel.toml, or "".
std::string find_project_dir(const std::string& path);
// Whether load_project ran the checker (it does not when the project or a file's syntax is
// wrong): only then are names resolved and types known.
bool checker_ran(const LoadedProject& p);

}  // namespace pt::lsp
