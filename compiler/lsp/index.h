// Every name in a checked program and what it refers to: the language server's hover, go to
// definition and find references look names up here.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sema/builtins.h"
#include "sema/check.h"

namespace pt::lsp {

// What a name refers to: a declaration, a schema's field, an enum's member, a local binding, a
// module or a built-in function.
struct Target {
  enum class Kind : std::uint8_t { kDecl, kField, kMember, kBinding, kModule, kBuiltin };
  Kind kind = Kind::kDecl;
  const void* ptr = nullptr;  // Decl (also for kField and kMember), Binding, Module, BuiltinInfo
  int index = -1;             // kField, kMember: the index in the Decl

  const Decl* decl() const {
    return kind == Kind::kDecl || kind == Kind::kField || kind == Kind::kMember
               ? static_cast<const Decl*>(ptr)
               : nullptr;
  }
  const Binding* binding() const {
    return kind == Kind::kBinding ? static_cast<const Binding*>(ptr) : nullptr;
  }
  const Module* module() const {
    return kind == Kind::kModule ? static_cast<const Module*>(ptr) : nullptr;
  }
  const BuiltinInfo* builtin() const {
    return kind == Kind::kBuiltin ? static_cast<const BuiltinInfo*>(ptr) : nullptr;
  }
  bool operator==(const Target& o) const {
    return kind == o.kind && ptr == o.ptr && index == o.index;
  }
};

// One name in the source: where it is written and what it names. `declaration` marks the name
// being declared (a declaration's, field's, member's, binding's or module's own name).
struct Occurrence {
  SourceRange range;
  Target target;
  bool declaration = false;
};

class Index {
 public:
  explicit Index(const Program& program, std::size_t files);

  // The name at 1-based `line`, `column` (code points) of `file`: a name whose range holds the
  // column, or ends just before it.
  const Occurrence* at(std::uint32_t file, std::uint32_t line, std::uint32_t column) const;
  // Every occurrence of `target`, declarations included, in file and position order.
  std::vector<const Occurrence*> references(const Target& target) const;
  const std::vector<Occurrence>& in_file(std::uint32_t file) const;

 private:
  std::vector<std::vector<Occurrence>> by_file_;
};

// Where `target` is declared: its name's range (a module without a `module` line: line 1; a
// built-in function: an invalid range).
SourceRange declaration_range(const Target& target);

// The range of the last `name`'s code points that end at `r`'s end: the name of a `a.b` field.
SourceRange tail_range(SourceRange r, const std::string& name);

}  // namespace pt::lsp
