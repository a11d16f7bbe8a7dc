// Small helpers shared by parser.cpp and chunked.cpp. Private to runtime/src/http/.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

// The offset of the first byte in data[from, end) that cannot be inside a field line (a control
// other than HTAB, or DEL; so CR and LF too), or kNpos. One pass finds a line's end and checks
// its bytes; 16 at a time with SSE2.
inline std::size_t find_field_stop(std::string_view data, std::size_t from,
                                   std::size_t end) noexcept {
  const char* p = data.data();
#ifdef __SSE2__
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i minus_one = _mm_set1_epi8(-1);
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i del = _mm_set1_epi8(0x7F);
  while (from < end && end - from >= 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + from));
    // Signed bytes: 0x80-0xFF (obs-text) are negative and allowed.
    __m128i control = _mm_and_si128(_mm_cmplt_epi8(x, space), _mm_cmpgt_epi8(x, minus_one));
    __m128i bad =
        _mm_or_si128(_mm_andnot_si128(_mm_cmpeq_epi8(x, tab), control), _mm_cmpeq_epi8(x, del));
    int mask = _mm_movemask_epi8(bad);
    if (mask != 0)
      return from + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    from += 16;
  }
#endif
  for (; from < end; ++from) {
    auto c = static_cast<unsigned char>(p[from]);
    if ((c < 0x20 && c != '\t') || c == 0x7F) return from;
  }
  return kNpos;
}

}  // namespace hallows::http
