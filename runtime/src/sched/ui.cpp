// ui: frame-deadline scheduling on the partition's first worker. Frame k is due at
// start + k * period; it runs as soon as it is due, before anything else. Work between frames
// (events, tasks, receivers) starts only while the next frame is not yet due. Other workers of
// a ui partition run tasks, receivers and events without frames.
#include "hallows/sched/ui.h"

#include "policy.h"
#include "worker.h"

namespace hallows::sched {
namespace detail {
namespace {

class UiPolicy final : public Policy {
 public:
  explicit UiPolicy(Worker& worker) : worker_(worker) {
    double rate = worker.partition().spec.frame_rate;
    period_ = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / (rate > 0 ? rate : 60.0)));
  }

  std::size_t round(Worker& w, Clock::time_point now) override {
    core::detail::PartitionState& p = w.partition();
    Ui& ui = *p.ui;
    bool frames = w.index() == 0 && ui.has_frame();
    if (frames) {
      ui.frame_changed(version_, frame_);
      if (next_frame_ == Clock::time_point{}) next_frame_ = now;
      if (now >= next_frame_ && frame_) return run_frame(w);
    }
    // Between frames: one unit at a time, while the next frame is not due.
    std::size_t n = 0;
    for (int i = 0; i < 64; ++i) {
      if (frames && Clock::now() >= next_frame_) break;
      if (w.run_ready(1) > 0) {
        ++n;
        continue;
      }
      Ui::Event event = ui.take_event();
      if (!event) break;
      w.run_unit("event", event);
      w.counters().add(WorkerCounters::events);
      p.program.live_sub(1);
      ++n;
    }
    if (!frames || Clock::now() < next_frame_) n += w.poll_receivers(p.spec.batch_size);
    return n;
  }

  Clock::time_point wake_deadline(Clock::time_point) const override {
    if (worker_.index() != 0 || !worker_.partition().ui->has_frame() ||
        next_frame_ == Clock::time_point{})
      return Clock::time_point::max();
    return next_frame_;
  }

  std::size_t drop_pending() override {
    core::detail::PartitionState& p = worker_.partition();
    std::size_t n = p.ui->drop_all();
    p.program.live_sub(static_cast<std::int64_t>(n));
    return n;
  }

 private:
  std::size_t run_frame(Worker& w) {
    Clock::time_point deadline = next_frame_ + period_;
    w.run_unit("frame", frame_);
    Clock::time_point end = Clock::now();
    w.counters().add(WorkerCounters::frames);
    if (end > deadline) w.counters().add(WorkerCounters::frames_missed);
    next_frame_ = deadline;
    if (next_frame_ <= end) {
      // Frames whose whole period has passed are skipped, and missed.
      auto skipped = (end - next_frame_) / period_ + 1;
      w.counters().add(WorkerCounters::frames_missed, static_cast<std::uint64_t>(skipped));
      next_frame_ += skipped * period_;
    }
    return 1;
  }

  Worker& worker_;
  std::chrono::nanoseconds period_;
  Clock::time_point next_frame_{};
  std::uint64_t version_ = 0;
  Ui::Frame frame_;
};

}  // namespace

std::unique_ptr<Policy> make_ui_policy(Worker& worker) {
  return std::make_unique<UiPolicy>(worker);
}

}  // namespace detail

void Ui::set_frame(Frame frame) {
  bool had;
  {
    std::lock_guard lock(mutex_);
    had = static_cast<bool>(frame_);
    frame_ = std::move(frame);
    has_frame_.store(static_cast<bool>(frame_), std::memory_order_release);
    frame_version_.fetch_add(1, std::memory_order_release);
    // A frame function keeps the program alive.
    if (!had && frame_) partition_.program.live_add(1);
    if (had && !frame_) partition_.program.live_sub(1);
  }
  partition_.parker.notify();
}

bool Ui::submit(Event event) {
  core::detail::ProgramState& program = partition_.program;
  if (!event || program.finished.load(std::memory_order_acquire) ||
      program.stopping.load(std::memory_order_acquire))
    return false;
  program.live_add(1);
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  partition_.parker.notify();
  return true;
}

std::uint64_t Ui::frames() const noexcept {
  return partition_.self->metrics().frames;
}

std::uint64_t Ui::frames_missed() const noexcept {
  return partition_.self->metrics().frames_missed;
}

std::chrono::nanoseconds Ui::frame_period() const noexcept {
  double rate = partition_.spec.frame_rate;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / (rate > 0 ? rate : 60.0)));
}

bool Ui::frame_changed(std::uint64_t& version, Frame& into) {
  std::uint64_t now = frame_version_.load(std::memory_order_acquire);
  if (now == version) return false;
  std::lock_guard lock(mutex_);
  into = frame_;
  version = frame_version_.load(std::memory_order_relaxed);
  return true;
}

Ui::Event Ui::take_event() {
  std::lock_guard lock(mutex_);
  if (events_.empty()) return {};
  Event event = std::move(events_.front());
  events_.pop_front();
  return event;
}

std::size_t Ui::drop_all() {
  std::lock_guard lock(mutex_);
  std::size_t n = events_.size();
  events_.clear();
  return n;
}

}  // namespace hallows::sched
