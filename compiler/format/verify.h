// The formatter's check of its own result: the pieces of the text before and after formatting
// must be the same, in the same order (format/pieces.h: canonical_text).
#pragma once

#include <cstddef>
#include <vector>

#include "format/pieces.h"

namespace pt::formatter {

inline constexpr std::size_t kSame = static_cast<std::size_t>(-1);

// The index of the first piece that differs (a missing piece counts), or kSame.
std::size_t first_difference(const std::vector<Piece>& before, const std::vector<Piece>& after);

}  // namespace pt::formatter
