// Small helpers shared by parser.cpp and chunked.cpp. Private to runtime/src/http/.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

namespace hallows::http {

inline constexpr std::size_t kNpos = std::string_view::npos;

inline std::uintptr_t address(const char* p) noexcept {
  return reinterpret_cast<std::uintptr_t>(p);
}

// a + b + c, or SIZE_MAX when that overflows (limits may be configured "unbounded").
inline std::size_t saturating_add(std::size_t a, std::size_t b, std::size_t c) noexcept {
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
  if (b > kMax - a) return kMax;
  a += b;
  return c > kMax - a ? kMax : a + c;
}

// The offset of the first LF in data[from, end), or kNpos.
inline std::size_t find_lf(std::string_view data, std::size_t from, std::size_t end) noexcept {
  if (from >= end) return kNpos;
  const void* p = std::memchr(data.data() + from, '\n', end - from);
  return p == nullptr ? kNpos : static_cast<std::size_t>(static_cast<const char*>(p) - data.data());
}

}  // namespace hallows::http
