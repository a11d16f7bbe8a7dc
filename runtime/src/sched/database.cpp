// database: foreground first (ready tasks, receivers, foreground units); a background unit runs
// only when a round found no foreground work and the worker's background budget is positive.
// The budget is a token bucket: it fills at background_share of wall time, holds at most
// kBurst worth of it, and each background unit's wall time is taken out of it (it may go
// negative, and then background work waits until it has filled back above zero).
#include "hallows/sched/database.h"

#include <algorithm>

#include "policy.h"
#include "worker.h"

namespace hallows::sched {
namespace detail {
namespace {

constexpr std::chrono::milliseconds kBurst{100};  // the bucket's size, in wall time

class DatabasePolicy final : public Policy {
 public:
  explicit DatabasePolicy(Worker& worker)
      : worker_(worker),
        share_(std::clamp(worker.partition().spec.background_share, 0.0, 1.0)),
        last_fill_(Clock::now()) {}

  std::size_t round(Worker& w, Clock::time_point now) override {
    core::detail::PartitionState& p = w.partition();
    fill(now);
    std::size_t n = w.run_ready(64);
    n += w.poll_receivers(p.spec.batch_size);
    for (int i = 0; i < 64; ++i) {
      Database::Unit unit = p.database->take_foreground();
      if (!unit) break;
      w.run_unit("foreground work", unit);
      w.counters().add(WorkerCounters::foreground_units);
      p.program.live_sub(1);
      ++n;
      if (p.program.stopping.load(std::memory_order_relaxed)) return n;
    }
    if (n > 0 || budget_ns_ <= 0 || share_ <= 0) return n;
    Database::Unit unit = p.database->take_background();
    if (!unit) return n;
    Clock::time_point start = Clock::now();
    w.run_unit("background work", unit);
    auto spent = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start);
    budget_ns_ -= static_cast<double>(spent.count());
    w.counters().add(WorkerCounters::background_units);
    w.counters().add(WorkerCounters::background_ns, static_cast<std::uint64_t>(spent.count()));
    p.program.live_sub(1);
    return 1;
  }

  Clock::time_point wake_deadline(Clock::time_point now) const override {
    if (budget_ns_ > 0 || share_ <= 0 || worker_.partition().database->background_queued() == 0)
      return Clock::time_point::max();
    auto wait = std::chrono::nanoseconds(static_cast<std::int64_t>(-budget_ns_ / share_) + 1);
    return now + wait;
  }

  std::size_t drop_pending() override {
    // Every worker calls this; the first one takes the shared queues' contents.
    core::detail::PartitionState& p = worker_.partition();
    std::size_t n = p.database->drop_all();
    p.program.live_sub(static_cast<std::int64_t>(n));
    return n;
  }

 private:
  void fill(Clock::time_point now) {
    double elapsed = static_cast<double>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now - last_fill_).count());
    last_fill_ = now;
    double cap = share_ * static_cast<double>(std::chrono::nanoseconds(kBurst).count());
    budget_ns_ = std::min(cap, budget_ns_ + elapsed * share_);
  }

  Worker& worker_;
  double share_;
  double budget_ns_ = 0;  // starts empty: no burst of background work at start-up
  Clock::time_point last_fill_;
};

}  // namespace

std::unique_ptr<Policy> make_database_policy(Worker& worker) {
  return std::make_unique<DatabasePolicy>(worker);
}

}  // namespace detail

bool Database::push(std::deque<Unit>& queue, Unit unit) {
  core::detail::ProgramState& program = partition_.program;
  if (!unit || program.finished.load(std::memory_order_acquire) ||
      program.stopping.load(std::memory_order_acquire))
    return false;
  program.live_add(1);
  {
    std::lock_guard lock(mutex_);
    queue.push_back(std::move(unit));
  }
  partition_.parker.notify();
  return true;
}

bool Database::submit_foreground(Unit unit) {
  return push(foreground_, std::move(unit));
}

bool Database::submit_background(Unit unit) {
  return push(background_, std::move(unit));
}

std::size_t Database::foreground_queued() const {
  std::lock_guard lock(mutex_);
  return foreground_.size();
}

std::size_t Database::background_queued() const {
  std::lock_guard lock(mutex_);
  return background_.size();
}

Database::Unit Database::take_foreground() {
  std::lock_guard lock(mutex_);
  if (foreground_.empty()) return {};
  Unit unit = std::move(foreground_.front());
  foreground_.pop_front();
  return unit;
}

Database::Unit Database::take_background() {
  std::lock_guard lock(mutex_);
  if (background_.empty()) return {};
  Unit unit = std::move(background_.front());
  background_.pop_front();
  return unit;
}

std::size_t Database::drop_all() {
  std::lock_guard lock(mutex_);
  std::size_t n = foreground_.size() + background_.size();
  foreground_.clear();
  background_.clear();
  return n;
}

}  // namespace hallows::sched
