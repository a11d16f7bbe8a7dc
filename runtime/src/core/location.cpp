#include "hallows/core/location.h"

#include <fmt/format.h>

namespace hallows::core {

const SourceLoc* current_location() noexcept {
  return detail::t_location.load(std::memory_order_relaxed);
}

std::string describe(const SourceLoc* loc) {
  if (loc == nullptr || loc->file == nullptr || loc->file[0] == '\0') return "an unknown location";
  return fmt::format("{}:{}:{}", loc->file, loc->line, loc->column);
}

}  // namespace hallows::core
