// SIGINT and SIGTERM while Program::run() runs: the handler only records the signal; run()
// polls it. The previous handlers come back when the guard is destroyed.
#pragma once

#include <csignal>

namespace hallows::core::detail {

class SignalGuard {
 public:
  SignalGuard();
  ~SignalGuard();
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

  // The signal received since the guard was made (SIGINT or SIGTERM), or 0.
  static int received() noexcept;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace hallows::core::detail
