#include "hallows/lang/collections.h"

#include <fmt/format.h>

namespace hallows {

std::vector<i64> range(i64 start, i64 end) {
  constexpr i64 kMaxElements = 100'000'000;
  std::vector<i64> out;
  if (end <= start) return out;
  i64 count;
  if (__builtin_sub_overflow(end, start, &count) || count > kMaxElements) {
    panic(fmt::format("range({}, {}) would hold more than {} elements", start, end, kMaxElements));
  }
  out.reserve(static_cast<std::size_t>(count));
  for (i64 v = start; v < end; ++v) out.push_back(v);
  return out;
}

}  // namespace hallows
