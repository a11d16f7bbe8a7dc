// A deterministic text dump of a parsed module: every syntax field of every node, source ranges
// included (not the slots sema fills in). Used to compare the fast parser with the ANTLR path
// (tests/unit/compiler_fast_parse_test.cpp, tests/fuzz/parse_check_fuzzer.cpp).
#pragma once

#include <string>

#include "syntax/ast.h"

namespace pt {

std::string dump_ast(const Module& module);

}  // namespace pt
