// Where in the .pt source the running code is: generated code stores a pointer to a static
// SourceLoc before each statement, so failure and stall reports can name the .pt line.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace hallows::core {

// A position in a .pt file. Generated code keeps these in static storage: the runtime holds
// pointers to them for as long as the program runs.
struct SourceLoc {
  const char* file;
  std::uint32_t line;
  std::uint32_t column;
};

namespace detail {
// The calling thread's current location. A relaxed atomic so that the stall monitor may read a
// worker's slot from its own thread; a relaxed store costs the same as a plain one.
inline thread_local constinit std::atomic<const SourceLoc*> t_location{nullptr};
}  // namespace detail

// Records `loc` (static storage, or null) as the calling thread's current location.
inline void set_location(const SourceLoc* loc) noexcept {
  detail::t_location.store(loc, std::memory_order_relaxed);
}

// The calling thread's last set_location, or null.
const SourceLoc* current_location() noexcept;

// "src/main.pt:23:9", or "an unknown location" when `loc` is null or has no file.
std::string describe(const SourceLoc* loc);

}  // namespace hallows::core

// Generated code writes `HALLOWS_AT("src/main.pt", 23, 9);` before each statement of a task or
// receiver: a SourceLoc in static storage, and one relaxed store when the statement runs.
#define HALLOWS_AT(file, line, column)                                            \
  do {                                                                            \
    static constexpr ::hallows::core::SourceLoc hallows_here{file, line, column}; \
    ::hallows::core::set_location(&hallows_here);                                 \
  } while (false)
