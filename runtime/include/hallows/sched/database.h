// database scheduling: foreground work (queries, commits, the partition's tasks and receivers)
// always runs before background work (compaction, checkpoints), and background work takes at
// most background_share of each worker's time, measured as wall time over a sliding budget.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace hallows::core::detail {
struct PartitionState;
}

namespace hallows::sched {

class Database {
 public:
  using Unit = std::function<void()>;

  explicit Database(core::detail::PartitionState& partition) : partition_(partition) {}

  // Queue a unit of work, run to completion on any of the partition's workers. Background
  // units should be short steps (a few ms): the share is enforced between units, not inside
  // one. False when the program has finished. Any thread.
  bool submit_foreground(Unit unit);
  bool submit_background(Unit unit);

  std::size_t foreground_queued() const;
  std::size_t background_queued() const;

  // Runtime-internal (worker threads): take the next unit, or an empty function.
  Unit take_foreground();
  Unit take_background();
  std::size_t drop_all();  // discards every queued unit; returns how many

 private:
  bool push(std::deque<Unit>& queue, Unit unit);

  core::detail::PartitionState& partition_;
  mutable std::mutex mutex_;
  std::deque<Unit> foreground_;  // guarded by mutex_
  std::deque<Unit> background_;  // guarded by mutex_
};

}  // namespace hallows::sched
