// One worker's counters, on their own cache lines. The worker is the only writer of `own`
// (plain load + store, no locked instruction); `stalls` is written by the stall monitor.
#pragma once

#include <atomic>
#include <cstdint>

#include "hallows/core/metrics.h"

namespace hallows::sched::detail {

struct alignas(64) WorkerCounters {
  enum Field {
    tasks_started,
    tasks_finished,
    tasks_cancelled,
    resumes,
    failures,
    restarts,
    messages,
    batches,
    parks,
    requests,
    dropped,
    foreground_units,
    background_units,
    background_ns,
    frames,
    frames_missed,
    events,
    kFields
  };
  std::atomic<std::uint64_t> own[kFields] = {};
  alignas(64) std::atomic<std::uint64_t> stalls{0};

  void add(Field f, std::uint64_t n = 1) noexcept {
    own[f].store(own[f].load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  std::uint64_t get(Field f) const noexcept { return own[f].load(std::memory_order_relaxed); }

  // Adds this worker's counts into `m`.
  void add_to(core::PartitionMetrics& m) const noexcept {
    m.tasks_started += get(tasks_started);
    m.tasks_finished += get(tasks_finished);
    m.tasks_cancelled += get(tasks_cancelled);
    m.resumes += get(resumes);
    m.failures += get(failures);
    m.restarts += get(restarts);
    m.messages += get(messages);
    m.batches += get(batches);
    m.parks += get(parks);
    m.requests += get(requests);
    m.dropped += get(dropped);
    m.foreground_units += get(foreground_units);
    m.background_units += get(background_units);
    m.background_ns += get(background_ns);
    m.frames += get(frames);
    m.frames_missed += get(frames_missed);
    m.events += get(events);
    m.stalls += stalls.load(std::memory_order_relaxed);
  }
};

}  // namespace hallows::sched::detail
