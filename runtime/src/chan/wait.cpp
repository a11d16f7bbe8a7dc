// membarrier(2) registration and futex(2) calls behind hallows/chan/wait.h.
#include "hallows/chan/wait.h"

#include <linux/futex.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <mutex>

namespace hallows::chan::detail {

std::atomic<bool> g_private_membarrier{false};
std::atomic<bool> g_global_membarrier{false};

namespace {

long membarrier(int cmd) {
  return syscall(SYS_membarrier, cmd, 0, 0);
}

// Commands the kernel supports (MEMBARRIER_CMD_QUERY), asked once.
long supported_commands() {
  static const long commands = [] {
    long r = membarrier(MEMBARRIER_CMD_QUERY);
    return r < 0 ? 0L : r;
  }();
  return commands;
}

}  // namespace

bool membarrier_ready(Scope scope) {
  static std::once_flag private_once;
  static std::once_flag global_once;
  if (scope == Scope::kProcess) {
    std::call_once(private_once, [] {
      if ((supported_commands() & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0 &&
          membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0) {
        g_private_membarrier.store(true, std::memory_order_release);
      }
    });
    return g_private_membarrier.load(std::memory_order_acquire);
  }
  std::call_once(global_once, [] {
    if ((supported_commands() & MEMBARRIER_CMD_GLOBAL_EXPEDITED) != 0 &&
        membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) == 0) {
      g_global_membarrier.store(true, std::memory_order_release);
    }
  });
  return g_global_membarrier.load(std::memory_order_acquire);
}

void heavy_barrier(Scope scope) {
  full_fence();
  if (scope == Scope::kProcess) {
    if (g_private_membarrier.load(std::memory_order_acquire)) {
      (void)membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
    }
    return;
  }
  // The notifying process may have registered even if this one could not: always issue the
  // global barrier when the kernel has it (it reaches only registered processes).
  if ((supported_commands() & MEMBARRIER_CMD_GLOBAL_EXPEDITED) != 0) {
    (void)membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED);
  }
}

void futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t expected, Scope scope) {
  const int op = scope == Scope::kProcess ? FUTEX_WAIT_PRIVATE : FUTEX_WAIT;
  (void)syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), op, expected, nullptr, nullptr,
                0);
}

void futex_wake_all(std::atomic<std::uint32_t>* word, Scope scope) {
  const int op = scope == Scope::kProcess ? FUTEX_WAKE_PRIVATE : FUTEX_WAKE;
  (void)syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), op, INT_MAX, nullptr, nullptr,
                0);
}

}  // namespace hallows::chan::detail
