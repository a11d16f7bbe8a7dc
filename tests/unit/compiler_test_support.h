// Parsing and checking in-memory sources for the compiler's unit tests: no filesystem involved.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diag/diagnostic.h"
#include "sema/check.h"
#include "syntax/ast.h"
#include "syntax/parse.h"

namespace pt::testing {

// One source file: its display path and its text.
struct SourceText {
  std::string path;
  std::string text;
  bool is_stdlib = false;
};

// The result of one compilation. Kept behind a unique_ptr so that the AST's pointers into the
// Program and the TypeContext stay valid.
struct Compiled {
  SourceManager sources;
  DiagnosticSink sink;
  Program program;
  bool ok = false;  // check_program's answer; for parse-only results: no errors

  const std::vector<Diagnostic>& diagnostics() const { return sink.all(); }

  // The codes of every diagnostic, in report order.
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : sink.all()) out.emplace_back(info(d.kind).code);
    return out;
  }
  std::size_t count(std::string_view code) const {
    std::size_t n = 0;
    for (const Diagnostic& d : sink.all()) n += info(d.kind).code == code;
    return n;
  }
  // The first diagnostic with `code`, or null.
  const Diagnostic* find(std::string_view code) const {
    for (const Diagnostic& d : sink.all()) {
      if (info(d.kind).code == code) return &d;
    }
    return nullptr;
  }
  std::vector<const Diagnostic*> all_of(std::string_view code) const {
    std::vector<const Diagnostic*> out;
    for (const Diagnostic& d : sink.all()) {
      if (info(d.kind).code == code) out.push_back(&d);
    }
    return out;
  }
  // Every diagnostic as "PTxxxx line:col message", for failure messages.
  std::string dump() const {
    std::string out;
    for (const Diagnostic& d : sink.all()) {
      out += std::string(info(d.kind).code) + " " + std::to_string(d.range.line) + ":" +
             std::to_string(d.range.column) + " " + d.message + "\n";
    }
    return out;
  }

  Module* module(std::string_view name) const {
    for (const auto& m : program.modules) {
      if (m->name == name) return m.get();
    }
    return nullptr;
  }
  // The first module (the only one of single-source compilations).
  Module& main() const { return *program.modules.at(0); }
  // Declaration `name` of the first module that has one.
  Decl* decl(std::string_view name) const {
    for (const auto& m : program.modules) {
      for (const auto& d : m->decls) {
        if (d->name == name) return d.get();
      }
    }
    return nullptr;
  }
  // The text a range covers (single-line ranges only), for asserting positions readably.
  std::string text_of(SourceRange r) const {
    std::string_view line = sources.line_text(r.file, r.line);
    // Columns count code points: walk the line to find the byte offsets.
    std::size_t begin = line.size(), end = line.size();
    std::uint32_t column = 1;
    for (std::size_t i = 0; i <= line.size(); ++i) {
      if (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
      if (column == r.column) begin = i;
      if (column == r.end_column) end = i;
      ++column;
    }
    if (r.end_line != r.line || end < begin) return "<multi-line or invalid>";
    return std::string(line.substr(begin, end - begin));
  }
};

// The module name a file without a `module` line gets: its stem (as in driver/project.cpp).
inline std::string stem_of(const std::string& path) {
  std::string stem = path.substr(path.find_last_of('/') + 1);
  return stem.substr(0, stem.find('.'));
}

// Parses every file; does not check.
inline std::unique_ptr<Compiled> parse_sources(std::vector<SourceText> files) {
  auto c = std::make_unique<Compiled>();
  for (SourceText& f : files) {
    std::uint32_t id = c->sources.add(f.path, std::move(f.text));
    auto m = parse_file(c->sources, id, c->sink);
    m->is_stdlib = f.is_stdlib;
    if (m->name.empty()) m->name = stem_of(f.path);
    c->program.modules.push_back(std::move(m));
  }
  c->ok = !c->sink.has_errors();
  return c;
}

inline std::unique_ptr<Compiled> parse_source(std::string text, std::string path = "main.pt") {
  return parse_sources({{std::move(path), std::move(text)}});
}

// Parses and checks several modules, each a string.
inline std::unique_ptr<Compiled> check_sources(std::vector<SourceText> files,
                                               CheckOptions options = {}) {
  auto c = parse_sources(std::move(files));
  c->ok = check_program(c->program, c->sink, options);
  return c;
}

inline std::unique_ptr<Compiled> check_source(std::string text, std::string path = "main.pt") {
  return check_sources({{std::move(path), std::move(text)}});
}

// ---- AST navigation ----

inline Decl& function(const Compiled& c, std::string_view name) {
  Decl* d = c.decl(name);
  if (d == nullptr) throw std::runtime_error("no declaration " + std::string(name));
  return *d;
}

// Statement `i` of function `name`'s body.
inline Stmt& stmt(const Compiled& c, std::string_view name, std::size_t i) {
  return *function(c, name).body.at(i);
}

// A textual picture of an expression tree: `(+ 1 (* 2 3))`, names bare, literals as values.
inline std::string sexpr(const Expr& e) {
  auto kids = [&](std::string head) {
    std::string out = "(" + head;
    for (const auto& c : e.children) out += " " + sexpr(*c);
    return out + ")";
  };
  switch (e.kind) {
    case ExprKind::kIntLit:
      return std::to_string(e.int_value);
    case ExprKind::kFloatLit:
      return e.text;
    case ExprKind::kDurationLit:
      return std::to_string(e.int_value) + "ns";
    case ExprKind::kStringLit: {
      std::string out = "\"" + e.pieces.at(0);
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        out += "{" + sexpr(*e.children[i]) + "}" + e.pieces.at(i + 1);
      }
      return out + "\"";
    }
    case ExprKind::kBoolLit:
      return e.int_value ? "true" : "false";
    case ExprKind::kNoneLit:
      return "none";
    case ExprKind::kSomeLit:
      return kids("some");
    case ExprKind::kListLit:
      return kids("list");
    case ExprKind::kMapLit:
      return kids("map");
    case ExprKind::kSchemaLit: {
      std::string out = "(" + e.text + "{";
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        out += (i ? " " : "") + e.names.at(i) + ":" + sexpr(*e.children[i]);
      }
      return out + "})";
    }
    case ExprKind::kName:
      return e.text;
    case ExprKind::kField:
      return "(. " + sexpr(*e.children.at(0)) + " " + e.text + ")";
    case ExprKind::kCall:
      return kids("call");
    case ExprKind::kIndex:
      return kids("[]");
    case ExprKind::kUnary:
      return kids(spelling(e.unary_op));
    case ExprKind::kBinary:
      return kids(spelling(e.binary_op));
  }
  return "?";
}

// A `function f() { BODY }` wrapper for checker tests about statements.
inline std::string in_function(std::string_view body, std::string_view signature = "f()") {
  return "module main\n\nfunction " + std::string(signature) + " {\n" + std::string(body) + "\n}\n";
}

// The whole of file `p` ("" when it cannot be read).
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every .pt file of the repository that tests sweep over (stdlib, examples, lit tests, fuzz
// seeds and regressions, perf projects), sorted; lit's Output/ and build/ directories skipped.
inline std::vector<std::filesystem::path> repository_pt_files() {
  namespace fs = std::filesystem;
  fs::path root = fs::path(__FILE__).parent_path().parent_path().parent_path();
  std::vector<fs::path> files;
  for (const char* dir : {"stdlib", "examples", "tests/lit", "tests/fuzz/corpus",
                          "tests/fuzz/regressions", "tests/perf"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      std::string path = e.path().string();
      if (path.find("/Output/") != std::string::npos || path.find("/build/") != std::string::npos) {
        continue;
      }
      if (e.is_regular_file() && e.path().extension() == ".pt") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace pt::testing
