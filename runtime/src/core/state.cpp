#include "state.h"

#include <cstdio>

#include "../sched/worker.h"

namespace hallows::core {

const char* to_string(SchedulerKind kind) noexcept {
  switch (kind) {
    case SchedulerKind::backend_api:
      return "backend_api";
    case SchedulerKind::messaging:
      return "messaging";
    case SchedulerKind::database:
      return "database";
    case SchedulerKind::ui:
      return "ui";
  }
  return "unknown";
}

namespace detail {

PartitionState::PartitionState(ProgramState& p, PartitionSpec s) : program(p), spec(std::move(s)) {
  int cores = spec.cores < 1 ? 1 : spec.cores;
  switch (spec.scheduler) {
    case SchedulerKind::backend_api:
      backend = std::make_unique<sched::BackendApi>(*this, cores);
      break;
    case SchedulerKind::database:
      database = std::make_unique<sched::Database>(*this);
      break;
    case SchedulerKind::ui:
      ui = std::make_unique<sched::Ui>(*this);
      break;
    case SchedulerKind::messaging:
      break;
  }
  for (int i = 0; i < cores; ++i)
    workers.push_back(std::make_unique<sched::detail::Worker>(*this, i));
}

PartitionState::~PartitionState() {
  workers.clear();  // frames and receivers before the queues they may refer to
}

void ProgramState::report(std::string_view line) {
  std::lock_guard lock(report_mutex_);
  if (spec.report) {
    spec.report(line);
    return;
  }
  std::string text(line);
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

void ProgramState::live_sub(std::int64_t n) noexcept {
  if (n == 0) return;
  if (live.fetch_sub(n, std::memory_order_acq_rel) == n) wake_main();
}

void ProgramState::wake_main() noexcept {
  { std::lock_guard lock(wait_mutex); }
  wait_cv.notify_all();
}

void ProgramState::wake_all_partitions() noexcept {
  for (auto& partition : partitions) partition->state().parker.wake_all();
}

void ProgramState::request_stop(bool failure) noexcept {
  if (failure) failed.store(true, std::memory_order_release);
  if (stopping.load(std::memory_order_acquire)) return;
  // The deadline goes first: workers read it once they see `stopping`.
  auto deadline = std::chrono::steady_clock::now() + spec.shutdown_timeout;
  std::int64_t expected = 0;
  stop_deadline_ns.compare_exchange_strong(expected, deadline.time_since_epoch().count(),
                                           std::memory_order_acq_rel);
  stopping.store(true, std::memory_order_release);
  if (running.load(std::memory_order_acquire)) wake_all_partitions();
  wake_main();
}

}  // namespace detail
}  // namespace hallows::core
