// libFuzzer target: one input is the text of one `.pt` file. It goes through parse_file and
// check_program, and through emit_program when the checker found no error, with a fresh
// SourceManager, DiagnosticSink and Program per input. First, the fast parser
// (syntax/fast_parse.h) is checked against the ANTLR path: when it accepts the input, the ANTLR
// path must report nothing and build the same AST (syntax/ast_dump.h), or the run aborts. Imported
// `std.*` modules are parsed from the source tree's stdlib/ (PT_FUZZ_STDLIB_DIR) so that
// cross-module checks are fuzzed too.
//
// Built only with -DPT_FUZZ=ON and clang (see scripts/fuzz.sh). The same file, compiled with
// PT_FUZZ_REPLAY_MAIN, is the `fuzz_replay` program that ctest runs over tests/fuzz/regressions/
// and tests/fuzz/corpus/ in the ordinary build.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "emit/emit.h"
#include "sema/check.h"
#include "syntax/ast_dump.h"
#include "syntax/fast_parse.h"
#include "syntax/parse.h"

#ifndef PT_FUZZ_STDLIB_DIR
#define PT_FUZZ_STDLIB_DIR "stdlib"
#endif

namespace {

// stdlib texts are read once per process: the fuzzer must not depend on the disk per input.
const std::string* stdlib_text(const std::string& rel) {
  static std::map<std::string, std::unique_ptr<std::string>> cache;
  auto it = cache.find(rel);
  if (it == cache.end()) {
    std::unique_ptr<std::string> text;
    std::ifstream in(std::string(PT_FUZZ_STDLIB_DIR) + "/" + rel + ".pt", std::ios::binary);
    if (in) {
      std::ostringstream s;
      s << in.rdbuf();
      text = std::make_unique<std::string>(s.str());
    }
    it = cache.emplace(rel, std::move(text)).first;
  }
  return it->second.get();
}

// The module path of a `std.*` import, or "" (only letters, digits, '_' and '.' are accepted so
// that fuzz input never names an arbitrary file).
std::string stdlib_rel(const std::string& name) {
  if (name.rfind("std.", 0) != 0 || name.size() > 64) return "";
  std::string rel = name.substr(4);
  for (char& c : rel) {
    if (c == '.') {
      c = '/';
    } else if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      return "";
    }
  }
  return rel;
}

// Aborts when the fast parser accepts file `id` but the ANTLR path reports a diagnostic or builds
// another AST.
void cross_check_fast_parser(const pt::SourceManager& sources, std::uint32_t id) {
  const std::string& text = sources.file(id).text;
  if (pt::invalid_utf8_at(text) != std::string_view::npos) return;  // parse_file stops earlier
  auto fast = pt::fast_parse(text, id);
  if (fast == nullptr) return;
  pt::DiagnosticSink sink;
  auto reference = pt::parse_file_with_antlr(sources, id, sink);
  if (!sink.all().empty()) {
    std::fprintf(stderr, "fast parser accepted an input the ANTLR path reports: %s\n",
                 sink.all().front().message.c_str());
    std::abort();
  }
  std::string expected = pt::dump_ast(*reference);
  std::string actual = pt::dump_ast(*fast);
  if (expected != actual) {
    std::fprintf(stderr, "fast parser and ANTLR path differ\n--- ANTLR:\n%s\n--- fast:\n%s\n",
                 expected.c_str(), actual.c_str());
    std::abort();
  }
}

}  // namespace

// Runs one input; returns true when it checked without errors.
static bool run_one(const std::uint8_t* data, std::size_t size) {
  pt::SourceManager sources;
  pt::DiagnosticSink sink;
  pt::Program program;
  std::vector<std::string> display_paths;

  std::uint32_t id = sources.add("fuzz.pt", std::string(reinterpret_cast<const char*>(data), size));
  display_paths.push_back("fuzz.pt");
  cross_check_fast_parser(sources, id);
  auto module = pt::parse_file(sources, id, sink);
  if (module->name.empty()) module->name = "fuzz";
  program.modules.push_back(std::move(module));

  // The standard library modules the input imports, transitively (as driver/project.cpp does).
  std::set<std::string> loaded{program.modules[0]->name};
  for (std::size_t i = 0; i < program.modules.size(); ++i) {
    std::vector<std::string> wanted;
    for (const pt::Import& imp : program.modules[i]->imports)
      wanted.push_back(pt::join_name(imp.name));
    for (const std::string& name : wanted) {
      if (loaded.count(name)) continue;
      std::string rel = stdlib_rel(name);
      if (rel.empty()) continue;
      const std::string* text = stdlib_text(rel);
      if (text == nullptr) continue;
      std::uint32_t sid = sources.add("<stdlib>/" + rel + ".pt", *text);
      display_paths.push_back("<stdlib>/" + rel + ".pt");
      auto m = pt::parse_file(sources, sid, sink);
      m->is_stdlib = true;
      m->name = name;
      loaded.insert(name);
      program.modules.push_back(std::move(m));
    }
  }

  pt::CheckOptions options;
  bool ok = pt::check_program(program, sink, options) && !sink.has_errors();
  sink.sort();
  // Rendering is part of what a user sees: fuzz it too.
  for (const pt::Diagnostic& d : sink.all()) {
    (void)pt::render_human(sources, d, false);
    (void)pt::render_json(sources, d);
  }
  if (ok) {
    pt::EmitOptions emit_options;
    emit_options.project_name = "fuzz";
    emit_options.parsel_version = "0.0.0";
    emit_options.display_paths = display_paths;
    auto files = pt::emit_program(program, emit_options);
    (void)files;
  }
  return ok;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  run_one(data, size);
  return 0;
}

#ifdef PT_FUZZ_REPLAY_MAIN
// fuzz_replay FILE...: runs each file through the same path as the fuzzer. A crash or a hang
// (ctest's timeout) fails the test; diagnostics are expected and fine. Prints one line per file.
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  int checked = 0, clean = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "fuzz_replay: cannot read %s\n", argv[i]);
      return 2;
    }
    std::ostringstream s;
    s << in.rdbuf();
    std::string bytes = s.str();
    bool ok = run_one(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    std::printf("%s: %s\n", argv[i], ok ? "no errors" : "diagnostics");
    ++checked;
    clean += ok ? 1 : 0;
  }
  std::printf("fuzz_replay: %d files replayed without a crash (%d without errors)\n", checked,
              clean);
  return 0;
}
#endif
