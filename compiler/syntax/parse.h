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
//
// Valid files are parsed by the hand-written fast parser (syntax/fast_parse.h); a file it gives up
// on (a syntax error, a dialect declaration, anything to report) is parsed by ANTLR from
// grammar/Parseltongue.g4, the reference, which reports the errors.
std::unique_ptr<Module> parse_file(const SourceManager& sources, std::uint32_t file,
                                   DiagnosticSink& sink);

// parse_file without the fast parser: ANTLR only. For tests, the fuzzer and benchmarks.
std::unique_ptr<Module> parse_file_with_antlr(const SourceManager& sources, std::uint32_t file,
                                              DiagnosticSink& sink);

}  // namespace pt
