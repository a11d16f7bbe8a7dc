// The worker thread: set-up, the scheduling loop with busy-poll and park, and shutdown.
#include "worker.h"

#include <algorithm>

#include "../core/cores.h"
#include "hallows/lang/base.h"
#include "policy.h"

namespace hallows::sched::detail {
namespace {

thread_local Worker* t_worker = nullptr;

void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

std::unique_ptr<Policy> make_policy(core::SchedulerKind kind, Worker& worker) {
  switch (kind) {
    case core::SchedulerKind::backend_api:
      return make_backend_api_policy(worker);
    case core::SchedulerKind::messaging:
      return make_messaging_policy(worker);
    case core::SchedulerKind::database:
      return make_database_policy(worker);
    case core::SchedulerKind::ui:
      return make_ui_policy(worker);
  }
  return make_messaging_policy(worker);
}

}  // namespace

Worker* current_worker() noexcept {
  return t_worker;
}

Worker::Worker(core::detail::PartitionState& partition, int index)
    : partition_(partition), index_(index) {
  policy_ = make_policy(partition.spec.scheduler, *this);
}

Worker::~Worker() {
  // Frames go back to arena_ before it is destroyed (the worker thread has finished).
  current_.reset();
  ready_.clear();
  sleepers_.clear();
  waiters_.clear();
  orphans_.clear();
}

void Worker::add_receiver(core::Receiver receiver) {
  receivers_.push_back(ReceiverSlot{std::move(receiver), {}, false});
}

void Worker::post_spawn(core::detail::TaskSpec* spec) {
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back(spec);
  }
  inbox_nonempty_.store(true, std::memory_order_release);
  partition_.parker.notify();
}

SetupResult Worker::set_up(int cpu) {
  SetupResult result;
  result.pinned = core::detail::pin_this_thread(cpu, result.pin_error);
  if (partition_.spec.priority == core::Priority::realtime) {
    result.realtime = core::detail::make_this_thread_realtime(partition_.spec.realtime_priority,
                                                              result.realtime_error);
  }
  return result;
}

void Worker::main(int cpu, const std::function<bool(const SetupResult&)>& ready_then_go) {
  t_worker = this;
  core::Arena::set_current(&arena_);
  hallows::detail::set_panics_throw(true);
  {
    std::lock_guard lock(pub_.slot_mutex);
    pub_.location_slot = &core::detail::t_location;
  }
  open_wait_set();
  if (ready_then_go(set_up(cpu))) loop();
  close_wait_set();
  // Whatever is left is destroyed here, on the owning thread, while the arena is current.
  current_.reset();
  ready_.clear();
  sleepers_.clear();
  waiters_.clear();
  orphans_.clear();
  {
    std::lock_guard lock(pub_.slot_mutex);
    pub_.location_slot = nullptr;
  }
  hallows::detail::set_panics_throw(false);
  core::Arena::set_current(nullptr);
  t_worker = nullptr;
  exited_.store(true, std::memory_order_release);
  partition_.program.wake_main();
}

Clock::time_point Worker::park_deadline(Clock::time_point now) const {
  Clock::time_point deadline = now + partition_.spec.park_timeout;
  if (!sleepers_.empty()) deadline = std::min(deadline, sleepers_.begin()->first);
  // wait_until predicates are re-checked at least every millisecond.
  if (!waiters_.empty()) deadline = std::min(deadline, now + std::chrono::milliseconds(1));
  return std::min(deadline, policy_->wake_deadline(now));
}

void Worker::loop() {
  core::detail::ProgramState& program = partition_.program;
  Parker& parker = partition_.parker;
  bool armed = false;  // prepare() was called: one more round, then park
  std::uint64_t epoch = 0;
  Clock::time_point last_work = Clock::now();
  for (;;) {
    if (program.stopping.load(std::memory_order_acquire)) {
      if (armed) parker.cancel();
      shut_down();
      return;
    }
    if (program.finished.load(std::memory_order_acquire)) {
      if (armed) parker.cancel();
      return;
    }
    Clock::time_point now = Clock::now();
    std::size_t done = take_inbox() + wake_sleepers(now) + check_waiters();
    done += policy_->round(*this, now);
    if (done > 0) {
      if (armed) parker.cancel();
      armed = false;
      last_work = now;
      continue;
    }
    if (Clock::now() - last_work < std::max(policy_->busy_poll(), fd_busy_poll_)) {
      cpu_relax();
      continue;
    }
    if (!armed) {
      epoch = parker.prepare();
      armed = true;
      continue;
    }
    counters_.add(WorkerCounters::parks);
    if (epoll_fd_ >= 0) {
      sleep_on_fds(park_deadline(Clock::now()));
      parker.cancel();
    } else {
      parker.park(epoch, park_deadline(Clock::now()));
    }
    armed = false;
    last_work = Clock::now();
  }
}

void Worker::shut_down() {
  core::detail::ProgramState& program = partition_.program;
  std::size_t cancelled = cancel_tasks();
  counters_.add(WorkerCounters::tasks_cancelled, cancelled);
  program.live_sub(static_cast<std::int64_t>(cancelled));

  // Receivers drain what their channel holds now, until the shutdown deadline.
  const auto deadline =
      Clock::time_point(Clock::duration(program.stop_deadline_ns.load(std::memory_order_acquire)));
  for (ReceiverSlot& slot : receivers_) {
    if (slot.receiver.wait_fd >= 0) continue;
    std::size_t handled = 1;
    while (!slot.finished && handled > 0 && Clock::now() < deadline) {
      if (!poll_one(slot, partition_.spec.batch_size, handled)) break;
    }
  }
  // Event loops (receivers with a wait_fd) finish what they hold until done() or the deadline.
  drain_fd_receivers(deadline);
  std::size_t dropped = policy_->drop_pending();
  counters_.add(WorkerCounters::dropped, dropped);
}

}  // namespace hallows::sched::detail
