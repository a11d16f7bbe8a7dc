// Shared by the runtime_chan_*_test.cpp files: bounded stress parameters and a checked message.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace hallows::chan::testing {

// Stress runs stop at whichever comes first: this many messages or this much time. Under a
// sanitizer the deadline is what bounds them; no test result depends on how many were sent.
inline constexpr std::uint64_t kStressMessages = 400'000;
inline constexpr std::chrono::milliseconds kStressTime{1500};

struct Deadline {
  std::chrono::steady_clock::time_point end = std::chrono::steady_clock::now() + kStressTime;
  bool passed() const { return std::chrono::steady_clock::now() >= end; }
};

// A message whose fields are all derived from (producer, seq), so a torn, stale or duplicated
// read shows up as a mismatch. The string member checks in-place reuse under ASan.
struct Msg {
  std::uint64_t producer = 0;
  std::uint64_t seq = 0;
  std::uint64_t check = 0;
  std::string text;

  static std::uint64_t mix(std::uint64_t p, std::uint64_t s) {
    return (p * 0x9E3779B97F4A7C15ULL) ^ (s * 0xC2B2AE3D27D4EB4FULL) ^ 0x5555;
  }
  void fill(std::uint64_t p, std::uint64_t s) {
    producer = p;
    seq = s;
    check = mix(p, s);
    text.assign(s % 7 == 0 ? 40 : 3, static_cast<char>('a' + s % 26));  // long ones allocate
  }
  bool valid() const {
    return check == mix(producer, seq) && !text.empty() &&
           text.size() == (seq % 7 == 0 ? 40u : 3u) && text[0] == static_cast<char>('a' + seq % 26);
  }
};

}  // namespace hallows::chan::testing
