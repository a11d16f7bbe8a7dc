// The fast path of syntax/: a hand-written recursive-descent parser that builds the AST of
// syntax/ast.h straight from the tokens of syntax/scanner.h's Scanner, without ANTLR.
//
// grammar/Parseltongue.g4 stays the one definition of the syntax, and the ANTLR path of
// parse.cpp stays the one that reports syntax errors. The fast parser accepts a subset of the
// grammar: on anything it does not accept, or anything the ANTLR path would report a diagnostic
// for (unknown characters, unterminated strings and comments, out-of-range numbers, a stray `;`,
// bad escapes or interpolation holes, nesting or operator chains over the limits of parse.h), it
// gives up and returns null, reporting nothing; parse_file then parses the file with ANTLR. When
// it returns a module, that module is the one the ANTLR path builds, field for field (enforced
// by tests/unit/compiler_fast_parse_test.cpp and the fuzz target).
//
// Dialect declarations (partition, channel, partition_task, basilisk_service, ...) always go to
// the ANTLR path: the fast parser knows only schema, enum, function, runtime_function and program.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "syntax/ast.h"

namespace pt {

// Parses `text` (valid UTF-8), file `file`; null when the ANTLR path must parse it.
std::unique_ptr<Module> fast_parse(std::string_view text, std::uint32_t file);

}  // namespace pt
