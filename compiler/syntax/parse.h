// The front door of syntax/: text in, AST out. No ANTLR type appears past this header.
#pragma once

#include <memory>

#include "diag/diagnostic.h"
#include "syntax/ast.h"

namespace pt {

// Limits that keep hostile input from exhausting the stack of later phases.
inline constexpr int kMaxNesting = 200;         // brackets, braces, unary operators
inline constexpr int kMaxOperatorChain = 2000;  // operands in one `a + b + c ...` chain

// Parses file `file` of `sources`. Syntax errors go to `sink`, several per file when the parser
// can recover; the module holds every declaration that parsed.
std::unique_ptr<Module> parse_file(const SourceManager& sources, std::uint32_t file,
                                   DiagnosticSink& sink);

}  // namespace pt
