// The explanation of one diagnostic code: what `parsel explain PTxxxx` prints and what the MCP
// `explain` tool returns.
#pragma once

#include <string>

#include "diag/diagnostic.h"

namespace pt {

// "PT8008 (error): summary", the explanation, a wrong and a right example; ends in a newline.
std::string explain_text(const DiagInfo& d);

}  // namespace pt
