// The explanation of one diagnostic code (driver/explain.h).
#include "driver/explain.h"

#include <fmt/format.h>

namespace pt {

std::string explain_text(const DiagInfo& d) {
  return fmt::format("{} ({}): {}\n\n{}\n\nWrong:\n\n{}\n\nRight:\n\n{}\n", d.code,
                     d.severity == Severity::kError ? "error" : "warning", d.summary, d.explanation,
                     d.wrong_example, d.right_example);
}

}  // namespace pt
