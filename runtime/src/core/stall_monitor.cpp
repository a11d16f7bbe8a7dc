#include "stall_monitor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "../sched/worker.h"
#include "state.h"

namespace hallows::core::detail {
namespace {

using Clock = std::chrono::steady_clock;

long long to_ms(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace

StallMonitor::StallMonitor(ProgramState& program) : program_(program) {
  std::size_t workers = 0;
  for (auto& p : program_.partitions) workers += p->state().workers.size();
  reported_seq_.assign(workers, 0);
  thread_ = std::thread([this] { run(); });
}

StallMonitor::~StallMonitor() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void StallMonitor::run() {
  // Look four times per the smallest bound, between 1 ms and 25 ms apart.
  auto bound = std::chrono::nanoseconds::max();
  for (auto& p : program_.partitions) bound = std::min(bound, p->spec().stall_bound);
  auto period = std::clamp<std::chrono::nanoseconds>(bound / 4, std::chrono::milliseconds(1),
                                                     std::chrono::milliseconds(25));
  // It also flushes stdout every 100 ms: a partitioned program runs for long, and its output
  // (print_line writes into stdio's buffer) should not wait for exit when stdout is a file or
  // a pipe.
  constexpr auto kFlushEvery = std::chrono::milliseconds(100);
  auto last_flush = Clock::now();
  std::unique_lock lock(mutex_);
  while (!cv_.wait_for(lock, period, [this] { return stop_; })) {
    lock.unlock();
    check();
    if (Clock::now() - last_flush >= kFlushEvery) {
      std::fflush(stdout);
      last_flush = Clock::now();
    }
    lock.lock();
  }
  std::fflush(stdout);
}

void StallMonitor::check() {
  std::int64_t now = Clock::now().time_since_epoch().count();
  std::size_t slot = 0;
  for (auto& partition : program_.partitions) {
    PartitionState& p = partition->state();
    for (auto& worker : p.workers) {
      sched::detail::SlicePublication& pub = worker->publication();
      std::int64_t start = pub.start_ns.load(std::memory_order_acquire);
      std::uint64_t seq = pub.seq.load(std::memory_order_relaxed);
      std::chrono::nanoseconds ran(now - start);
      if (start != 0 && ran > p.spec.stall_bound && reported_seq_[slot] != seq) {
        reported_seq_[slot] = seq;
        const char* what = pub.what.load(std::memory_order_relaxed);
        const char* name = pub.name.load(std::memory_order_relaxed);
        const SourceLoc* loc = nullptr;
        {
          std::lock_guard lock(pub.slot_mutex);
          if (pub.location_slot) loc = pub.location_slot->load(std::memory_order_relaxed);
        }
        std::string subject = name[0] != '\0' ? fmt::format("{} '{}'", what, name) : what;
        worker->counters().stalls.fetch_add(1, std::memory_order_relaxed);
        program_.report(fmt::format(
            "parsel: stall: partition '{}' {} has run {} ms without yielding at {} (bound {} ms)",
            p.spec.name, subject, to_ms(ran), describe(loc), to_ms(p.spec.stall_bound)));
      }
      ++slot;
    }
  }
}

}  // namespace hallows::core::detail
