// The front door of sema/: resolves names across modules, checks types, flow and validation
// clauses, and annotates the AST in place (Expr::type, Expr::decl, ...).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "sema/types.h"
#include "syntax/ast.h"

namespace pt {

struct Program {
  std::vector<std::unique_ptr<Module>> modules;  // after check: imports before importers
  TypeContext types;
  const Decl* entry = nullptr;  // the `program` block, if any
};

struct CheckOptions {
  bool require_entry = false;  // building a binary: exactly one `program` is needed
};

// The candidate closest to `name` if it is close enough to be a typo, else "".
std::string closest(const std::string& name, const std::vector<std::string>& candidates);

// Checks every module of `program`. Returns false when an error was reported.
bool check_program(Program& program, DiagnosticSink& sink, const CheckOptions& options);

}  // namespace pt
