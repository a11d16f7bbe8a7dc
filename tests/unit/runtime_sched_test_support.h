// Helpers for the partition and scheduler tests: capturing the runtime's report lines, a
// busy-wait that never yields, and a timer.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/core/program.h"

namespace hallows::testing {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Collects report lines (start-up report, failures, stalls, shutdown) instead of stderr.
class Reports {
 public:
  core::ProgramSpec spec(std::string name) {
    core::ProgramSpec s;
    s.name = std::move(name);
    s.report = sink();
    return s;
  }
  // A report callback that keeps its lines here (for a program, a service, ...).
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
    };
  }
  bool contains(std::string_view text) const {
    std::lock_guard lock(mutex_);
    for (const auto& line : lines_)
      if (line.find(text) != std::string::npos) return true;
    return false;
  }
  std::size_t count(std::string_view text) const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& line : lines_)
      if (line.find(text) != std::string::npos) ++n;
    return n;
  }
  std::string all() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& line : lines_) out += line + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

// Burns CPU for `d` without suspending (what a stalling task does).
inline void busy_for(std::chrono::nanoseconds d) {
  auto until = Clock::now() + d;
  while (Clock::now() < until) {
  }
}

inline core::PartitionSpec partition(std::string name, core::SchedulerKind kind) {
  core::PartitionSpec s;
  s.name = std::move(name);
  s.scheduler = kind;
  return s;
}

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace hallows::testing
