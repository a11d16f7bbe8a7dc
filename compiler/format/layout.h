// The canonical layout of a .pt file's pieces (format/pieces.h): the rules of docs/fmt.md.
// Only the blanks between pieces change; which pieces start a line is the author's choice.
#pragma once

#include <string>
#include <vector>

#include "format/pieces.h"

namespace pt::formatter {

inline constexpr int kIndentWidth = 4;

// The text of `pieces` laid out canonically: indentation from brackets and continued statements,
// one space or none between pieces on a line, at most one blank line in a row, no blank at the
// end of a line, and one line break at the end (nothing for a file without pieces).
std::string lay_out(const std::vector<Piece>& pieces);

}  // namespace pt::formatter
