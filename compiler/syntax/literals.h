// Decoding literal tokens and doc comments: shared by the AST builder over ANTLR
// (build_ast.cpp) and the hand-written fast parser (fast_parse*.cpp), so that both give the same
// values from the same token text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pt {

// The value of INT token `text` (digits with `_` separators), negated when `negative`. False when
// it does not fit in an int64 (the caller reports IntegerTooLarge).
bool decode_int(std::string_view text, bool negative, std::int64_t& value);

// The nanoseconds of DURATION token `text` (`5 ms`, `7days`). False on overflow (the caller
// reports BadDuration).
bool decode_duration(std::string_view text, std::int64_t& nanoseconds);

// FLOAT token `text` without its `_` separators (what Expr::text holds), and its value.
std::string float_digits(std::string_view text);
double decode_float(const std::string& digits);

// The text of DOC_COMMENT token `token` (`/// text`): without `///` and one space after it.
std::string_view doc_comment_text(std::string_view token);

}  // namespace pt
