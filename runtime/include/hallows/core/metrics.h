// Counters of one partition, summed over its workers when read. Each worker owns its own
// counters (one cache line apart); reading them from another thread is safe at any time.
#pragma once

#include <cstdint>

namespace hallows::core {

struct PartitionMetrics {
  std::uint64_t tasks_started = 0;    // task frames created (first start and restarts)
  std::uint64_t tasks_finished = 0;   // tasks that returned
  std::uint64_t tasks_cancelled = 0;  // tasks destroyed at a suspension point by shutdown
  std::uint64_t resumes = 0;          // times a task was resumed
  std::uint64_t failures = 0;         // exceptions and panics caught by supervision
  std::uint64_t restarts = 0;
  std::uint64_t stalls = 0;             // reports of the stall detector
  std::uint64_t messages = 0;           // messages handled by receivers
  std::uint64_t batches = 0;            // receiver polls that handled at least one message
  std::uint64_t parks = 0;              // times a worker went to sleep
  std::uint64_t requests = 0;           // backend_api requests run
  std::uint64_t shed = 0;               // backend_api requests refused because the queue was full
  std::uint64_t dropped = 0;            // queued units discarded at shutdown
  std::uint64_t foreground_units = 0;   // database
  std::uint64_t background_units = 0;   // database
  std::uint64_t background_ns = 0;      // database: wall time spent in background units
  std::uint64_t frames = 0;             // ui
  std::uint64_t frames_missed = 0;      // ui: frames that ended past their deadline, or skipped
  std::uint64_t events = 0;             // ui: events run between frames
  std::uint64_t arena_allocations = 0;  // coroutine frames served by the partition's arenas
  std::uint64_t arena_bytes_reserved = 0;
};

}  // namespace hallows::core
