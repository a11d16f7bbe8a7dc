// membarrier(2) registration and futex(2) calls behind hallows/chan/wait.h.
#include "hallows/chan/wait.h"

#include <linux/futex.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <pthread.h>

#include <climits>
#include <mutex>
#include <new>

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

// Registration belongs to an address space. Recent kernels keep it across fork; to be safe on
// any kernel, the child (single-threaded at that point) registers again whatever the parent had,
// and falls back to fences if that fails, so the flags never change while rings are in use.
std::mutex g_register_mutex;
bool g_private_tried = false;  // guarded by g_register_mutex
bool g_global_tried = false;   // guarded by g_register_mutex

void register_again_in_child() {
  new (&g_register_mutex) std::mutex();  // the parent may have held it while forking
  if (g_private_membarrier.load(std::memory_order_relaxed) &&
      membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0) {
    g_private_membarrier.store(false, std::memory_order_relaxed);
  }
  if (g_global_membarrier.load(std::memory_order_relaxed) &&
      membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) != 0) {
    g_global_membarrier.store(false, std::memory_order_relaxed);
  }
}

}  // namespace

bool membarrier_ready(Scope scope) {
  static const bool fork_handler = pthread_atfork(nullptr, nullptr, register_again_in_child) == 0;
  (void)fork_handler;
  std::lock_guard<std::mutex> lock(g_register_mutex);
  const bool private_scope = scope == Scope::kProcess;
  bool& tried = private_scope ? g_private_tried : g_global_tried;
  auto& flag = private_scope ? g_private_membarrier : g_global_membarrier;
  if (!tried) {
    tried = true;
    const int query =
        private_scope ? MEMBARRIER_CMD_PRIVATE_EXPEDITED : MEMBARRIER_CMD_GLOBAL_EXPEDITED;
    const int reg = private_scope ? MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED
                                  : MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED;
    if ((supported_commands() & query) != 0 && membarrier(reg) == 0) {
      flag.store(true, std::memory_order_release);
    }
  }
  return flag.load(std::memory_order_acquire);
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
