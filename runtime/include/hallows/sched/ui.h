// ui scheduling: the partition's first worker calls the frame function at every frame boundary
// (1 / frame_rate apart). Between frames it runs events, tasks and receivers, but never starts
// one once the next frame is due. A frame that ends after its deadline (its start + one period)
// is missed; frames skipped because an earlier one overran are missed too. Both are counted.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>

namespace hallows::core::detail {
struct PartitionState;
}

namespace hallows::sched {

class Ui {
 public:
  using Frame = std::function<void()>;
  using Event = std::function<void()>;

  explicit Ui(core::detail::PartitionState& partition) : partition_(partition) {}

  // Sets (or, with an empty function, clears) the frame function. While one is set the
  // program does not finish on its own: a UI runs until it is stopped. Any thread.
  void set_frame(Frame frame);

  // Queues an event (input, a message for the UI) to run between frames. Any thread.
  bool submit(Event event);

  std::uint64_t frames() const noexcept;
  std::uint64_t frames_missed() const noexcept;
  std::chrono::nanoseconds frame_period() const noexcept;

  // Runtime-internal (the first worker): the current frame function when it changed since
  // `version`, and the next event.
  bool frame_changed(std::uint64_t& version, Frame& into);
  bool has_frame() const noexcept { return has_frame_.load(std::memory_order_acquire); }
  Event take_event();
  std::size_t drop_all();

 private:
  core::detail::PartitionState& partition_;
  mutable std::mutex mutex_;
  Frame frame_;               // guarded by mutex_
  std::deque<Event> events_;  // guarded by mutex_
  std::atomic<std::uint64_t> frame_version_{0};
  std::atomic<bool> has_frame_{false};
};

}  // namespace hallows::sched
