// Decoding literal tokens and doc comments: shared by the AST builder over ANTLR
// (build_ast.cpp) and the hand-written fast parser (fast_parse*.cpp), so that both give the same
// values from the same token text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "diag/diagnostic.h"

namespace pt {

// The value of INT token `text` (digits with `_` separators), negated when `negative`. False when
// it does not fit in an int64 (the caller reports IntegerTooLarge).
bool decode_int(std::string_view text, bool negative, std::int64_t& value);

// The nanoseconds of DURATION token `text` (`5 ms`, `7days`). False on overflow (the caller
// reports BadDuration).
bool decode_duration(std::string_view text, std::int64_t& nanoseconds);

// The unit a common abbreviation the language does not have stands for (`s` -> "second",
// `min` -> "minute", `h` -> "hour", `d` -> "day", ...), or null. For the diagnostic that
// teaches `5 seconds` where `5 s` was written.
const char* duration_unit_for_abbreviation(std::string_view word);
// PT1001 at `range` (the number and the abbreviation), with the fix `5 seconds`. `word` must be
// an abbreviation duration_unit_for_abbreviation knows.
Diagnostic abbreviated_duration_error(SourceRange range, std::string_view number,
                                      std::string_view word);

// FLOAT token `text` without its `_` separators (what Expr::text holds), and its value.
std::string float_digits(std::string_view text);
double decode_float(const std::string& digits);

// The text of DOC_COMMENT token `token` (`/// text`): without `///` and one space after it.
std::string_view doc_comment_text(std::string_view token);

}  // namespace pt
